"""The text of council documents: PDF (OCR for scans), DOCX, ODT, HTML and plain text.

Pure Python, no Django. ``extract(data, filename=...)`` sniffs the real type from the
bytes (never from the extension), returns a :class:`Document` whose pages hold cleaned
text, and raises :class:`ExtractionError` with a French message for bad input
(encrypted, corrupted, zero-byte, mislabelled or unsupported files).

Cleaning repairs what PDF text layers really contain: PDFium's U+FFFE for a hyphen it
took for a soft one ("Anne\\uFFFEMarie"), soft hyphens, words broken at a line end
("collec-\\ntivités"), Word's private-use bullets, ligatures, odd spaces, and the
running headers and footers repeated on every page ("Ville de Lannion Conseil
Municipal du 5 juillet 2021 3").

Pages of a PDF that hold an image and no text of their own (scans, scanned annexes) go
through Tesseract in French via ocrmypdf. If OCR is not available the pages are listed
in ``Document.textless_pages`` and a document with no text at all is flagged
``SCAN_NO_TEXT``: a scan is never silently empty.
"""

from __future__ import annotations

import functools
import io
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pypdfium2 as pdfium

from hemicycle.lib.forked import ChildGone, forked_call

SCAN_NO_TEXT = "scan: no text"
"""Flag of a document that is a scan and whose text could not be read (no OCR)."""

OCR_LANGUAGE = "fra"
PARALLEL_MIN_PAGES = 40  # from this many pages a PDF is read by two processes

# What sniff() returns → how a message names it.
TYPE_LABELS: dict[str, str] = {
    "pdf": "PDF",
    "docx": "document Word (DOCX)",
    "odt": "document OpenDocument (ODT)",
    "html": "page HTML",
    "text": "texte brut",
    "ole": "ancien format Office (DOC, XLS) ou document Office chiffré",
    "rtf": "document RTF",
    "xlsx": "classeur Excel (XLSX)",
    "pptx": "présentation PowerPoint (PPTX)",
    "opendocument": "autre document OpenDocument (tableur, présentation)",
    "zip": "archive ZIP",
    "xml": "fichier XML",
    "png": "image PNG",
    "jpeg": "image JPEG",
    "tiff": "image TIFF",
    "gif": "image GIF",
    "binary": "fichier binaire inconnu",
}

# The type an extension promises, and how a message says "is not a valid …".
EXTENSIONS: dict[str, str] = {
    ".pdf": "pdf", ".docx": "docx", ".odt": "odt", ".html": "html", ".htm": "html",
    ".txt": "text", ".text": "text", ".md": "text", ".csv": "text",
}
_NOT_A: dict[str, str] = {
    "pdf": "un PDF", "docx": "un document Word (DOCX)", "odt": "un document ODT",
    "html": "une page HTML", "text": "un fichier texte",
}


class ExtractionError(Exception):
    """A file whose text cannot be read; ``str(error)`` is a French message for the user.

    ``code`` is one of "empty", "encrypted", "corrupted", "mislabelled", "unsupported";
    ``detected`` the type sniffed from the bytes (a key of ``TYPE_LABELS``).
    """

    def __init__(self, message: str, *, code: str, detected: str | None = None):
        super().__init__(message)
        self.code = code
        self.detected = detected


@dataclass
class Document:
    """The cleaned text of one file, page by page (one page for formats without pages)."""

    kind: str  # "pdf", "docx", "odt", "html" or "text"
    pages: list[str]
    ocr_pages: list[int] = field(default_factory=list)  # 1-based, text read by OCR
    textless_pages: list[int] = field(default_factory=list)  # 1-based, image and no text
    flags: list[str] = field(default_factory=list)  # e.g. SCAN_NO_TEXT
    warnings: list[str] = field(default_factory=list)  # French, for the review screen

    @property
    def text(self) -> str:
        """All pages, separated by a form feed (as pdftotext does)."""
        return "\f".join(self.pages)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def is_empty(self) -> bool:
        return not any(page.strip() for page in self.pages)


# --- entry point ---------------------------------------------------------------------------


def extract(source: bytes | str | Path, *, filename: str | None = None, ocr: str = "auto",
            password: str | None = None) -> Document:
    """The text of a file given as bytes or a path.

    ``filename`` (defaults to the path's name) is only used to catch mislabelled files:
    the type always comes from the bytes. ``ocr``: "auto" (scanned pages when OCR is
    available), "never" (list them as textless instead).
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        filename = filename or path.name
        data = path.read_bytes()
    else:
        data = bytes(source)
    if not data:
        raise ExtractionError("fichier vide", code="empty")
    detected = sniff(data)
    _check_extension(filename, detected)
    if detected == "pdf":
        return extract_pdf(data, ocr=ocr, password=password)
    if detected == "docx":
        return extract_docx(data)
    if detected == "odt":
        return extract_odt(data)
    if detected == "html":
        return extract_html(data)
    if detected == "text":
        return extract_plain(data)
    if detected == "ole":
        raise ExtractionError(
            "document Office chiffré ou ancien format (.doc) : impossible d'en lire le texte "
            "(enregistrez-le en DOCX ou en PDF)", code="unsupported", detected=detected)
    raise ExtractionError(
        f"format non pris en charge (type détecté : {TYPE_LABELS[detected]})",
        code="unsupported", detected=detected)


def _check_extension(filename: str | None, detected: str) -> None:
    if not filename:
        return
    expected = EXTENSIONS.get(Path(filename).suffix.lower())
    if expected is None or expected == detected or {expected, detected} <= {"html", "text"}:
        return
    raise ExtractionError(
        f"ce fichier n'est pas {_NOT_A[expected]} valide "
        f"(type détecté : {TYPE_LABELS[detected]})", code="mislabelled", detected=detected)


def sniff(data: bytes) -> str:
    """The real type of a file from its first bytes: a key of ``TYPE_LABELS``."""
    head = data[:2048]
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    for magic, kind in ((b"\x89PNG", "png"), (b"\xff\xd8\xff", "jpeg"), (b"II*\x00", "tiff"),
                        (b"MM\x00*", "tiff"), (b"GIF8", "gif"), (b"{\\rtf", "rtf")):
        if head.startswith(magic):
            return kind
    text = _decode(head, strict=True)
    if text is None:
        return "binary"
    start = text.lstrip("\ufeff \t\r\n").lower()
    if start.startswith(("<!doctype html", "<html")) or re.search(
            r"<(body|p|div|h[1-6]|table|br)\b", start[:1000]):
        return "html"
    if start.startswith("<?xml"):
        return "xml"
    return "text"


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype == "application/vnd.oasis.opendocument.text":
                    return "odt"
                if mimetype.startswith("application/vnd.oasis.opendocument"):
                    return "opendocument"
            if "word/document.xml" in names:
                return "docx"
            if any(name.startswith("xl/") for name in names):
                return "xlsx"
            if any(name.startswith("ppt/") for name in names):
                return "pptx"
    except (zipfile.BadZipFile, OSError, KeyError):
        pass
    return "zip"


def _decode(data: bytes, *, strict: bool = False) -> str | None:
    """Bytes → text: a BOM wins, then UTF-8, then Windows-1252 (French files of the 2000s).

    With ``strict``, binary-looking bytes (NUL, many control characters) give None.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    if strict and b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of a sniffed head is still UTF-8.
        if error.start >= len(data) - 3 and error.reason == "unexpected end of data":
            text = data[:error.start].decode("utf-8")
        else:
            text = data.decode("cp1252", "replace")
    if strict:
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
        if controls > max(2, len(text) // 100):
            return None
    return text


# --- PDF -------------------------------------------------------------------------------------

MIN_PAGE_CHARS = 3  # below this, once headers and footers are removed, a page has no text
MIN_IMAGE_SHARE = 0.25  # an image over this share of the page makes a textless page a scan


def extract_pdf(data: bytes, *, ocr: str = "auto", password: str | None = None) -> Document:
    """The text of a PDF, page by page, with OCR of its scanned pages (see module doc)."""
    pdf = _open_pdf(data, password)
    try:
        raw = _pages_text(pdf)
        pages = clean_pages(raw, normalized=True)
        scanned = [index for index, text in enumerate(pages)
                   if len(text.strip()) < MIN_PAGE_CHARS and _has_large_image(pdf[index])]
    finally:
        pdf.close()
    if ocr not in ("auto", "never"):
        raise ValueError(f"ocr must be 'auto' or 'never', not {ocr!r}")
    document = Document(kind="pdf", pages=pages)
    if scanned and ocr == "auto" and ocr_available():
        read = _ocr_pages(data, scanned, document, password)
        if read:  # cleaned again with the rest: an OCR'd page has its footer too
            raw = [read.get(index, text) for index, text in enumerate(raw)]
            document.pages = clean_pages(raw)
            document.ocr_pages = [index + 1 for index in scanned
                                  if len(document.pages[index].strip()) >= MIN_PAGE_CHARS]
    elif scanned and ocr == "auto":
        document.warnings.append(
            "Reconnaissance de caractères (OCR) indisponible : installez tesseract-ocr-fra.")
    _report_textless(document, [index for index in scanned
                                if len(document.pages[index].strip()) < MIN_PAGE_CHARS])
    if document.is_empty and not document.flags:
        document.warnings.append("Aucun texte dans ce document.")
    return document


def _open_pdf(data: bytes, password: str | None) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as error:
        if error.err_code == pdfium.raw.FPDF_ERR_PASSWORD:
            raise ExtractionError("PDF chiffré : impossible d'en lire le texte",
                                  code="encrypted", detected="pdf") from error
        if error.err_code == pdfium.raw.FPDF_ERR_SECURITY:
            raise ExtractionError("PDF protégé par un dispositif de sécurité non pris en "
                                  "charge : impossible d'en lire le texte",
                                  code="encrypted", detected="pdf") from error
        raise ExtractionError("PDF endommagé : impossible de l'ouvrir",
                              code="corrupted", detected="pdf") from error


def _pages_text(pdf: pdfium.PdfDocument) -> list[str]:
    """The text of every page, its characters repaired (``normalize_chars``). A long PDF
    is read by two processes at once where there are two cores: a forked child, which
    has the document open too, reads the second half while this process reads the first
    (PDFium is not thread-safe, and holds the GIL: a thread would not help)."""
    def read(indexes: range) -> list[str]:
        return [normalize_chars(_page_text(pdf[index])) for index in indexes]

    count = len(pdf)
    if count < PARALLEL_MIN_PAGES:
        return read(range(count))
    half = count // 2
    try:
        with forked_call(lambda: read(range(half, count))) as rest:
            return read(range(half)) + rest()
    except ChildGone:  # PDFium crashed on a page there (or the child ran out of memory)
        raise ExtractionError("PDF endommagé : la lecture de ses pages a échoué",
                              code="corrupted", detected="pdf") from None


def _page_text(page: pdfium.PdfPage) -> str:
    textpage = page.get_textpage()
    try:
        return textpage.get_text_range()
    finally:
        textpage.close()


def _has_large_image(page: pdfium.PdfPage) -> bool:
    width, height = page.get_size()
    area = max(width * height, 1.0)
    for image in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE]):
        left, bottom, right, top = image.get_bounds()
        if (right - left) * (top - bottom) / area >= MIN_IMAGE_SHARE:
            return True
    return False


def _report_textless(document: Document, textless: list[int]) -> None:
    document.textless_pages = [index + 1 for index in textless]
    if not textless:
        return
    if document.is_empty:
        document.flags.append(SCAN_NO_TEXT)
        document.warnings.append("Document numérisé sans texte lisible : à relire à la main.")
    else:
        document.warnings.append(
            f"Pages numérisées sans texte : {_page_ranges(document.textless_pages)}.")


def _page_ranges(numbers: list[int]) -> str:
    """[4, 5, 6, 8] → "4 à 6, 8"."""
    ranges: list[list[int]] = []
    for number in numbers:
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    return ", ".join(str(a) if a == b else f"{a} à {b}" for a, b in ranges)


@functools.cache
def ocr_available() -> bool:
    """Whether Tesseract with its French data and ocrmypdf can be run here."""
    if shutil.which("tesseract") is None:
        return False
    try:
        import ocrmypdf  # noqa: F401  (heavy: imported only when needed)
        listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True,
                                timeout=30, check=False)
    except (ImportError, OSError, subprocess.SubprocessError):
        return False
    return OCR_LANGUAGE in (listed.stdout + listed.stderr).split()


def _ocr_pages(data: bytes, indexes: list[int], document: Document,
               password: str | None) -> dict[int, str]:
    """The raw text of the given pages, read by ocrmypdf (Tesseract, French).

    mode="force" on just those pages, not --skip-text on the file: a scanned annex often
    carries the running footer as text, and --skip-text would leave it unread. A failure
    becomes a warning: the file still loads, its scanned pages listed as textless.
    """
    import ocrmypdf

    with tempfile.TemporaryDirectory(prefix="hemicycle-ocr-") as tmp:
        source, target = Path(tmp) / "in.pdf", Path(tmp) / "out.pdf"
        source.write_bytes(data)
        try:
            ocrmypdf.ocr(
                source, target, language=[OCR_LANGUAGE], mode="force", output_type="pdf",
                pages=",".join(str(index + 1) for index in indexes), optimize=0,
                progress_bar=False,
                # one Tesseract thread per page: OpenMP threads crawl on a busy machine
                jobs=max(1, min(len(indexes), 4)),
            )
            pdf = pdfium.PdfDocument(target, password=password)
        except Exception as error:  # ocrmypdf raises many kinds; the file must still load
            document.warnings.append(f"Échec de la reconnaissance de caractères : {error}")
            return {}
        try:
            return {index: _page_text(pdf[index]) for index in indexes}
        finally:
            pdf.close()


# --- DOCX, ODT, HTML, text ------------------------------------------------------------------


def extract_docx(data: bytes) -> Document:
    """Paragraphs and tables in body order; table cells separated by tabs, rows by lines.

    Explicit page breaks start a new page. Headers, footers and comments are left out.
    """
    import docx
    from docx.table import Table

    try:
        word = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises KeyError, ValueError, lxml errors…
        raise ExtractionError("document Word endommagé : impossible de l'ouvrir",
                              code="corrupted", detected="docx") from error
    pages: list[list[str]] = [[]]
    for block in word.iter_inner_content():
        if isinstance(block, Table):
            pages[-1].extend(_docx_table_rows(block))
            continue
        breaks = block._p.xpath('.//w:br[@w:type="page"]')
        if breaks and not block.text.strip():
            pages.append([])
            continue
        pages[-1].append(block.text)
        if breaks:
            pages.append([])
    return _document("docx", ["\n".join(lines) for lines in pages])


def _docx_table_rows(table) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if not cells or cells[-1] != text:  # merged cells repeat their text
                cells.append(text)
        rows.append("\t".join(cells))
    return rows


_ODF = {
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
}


def extract_odt(data: bytes) -> Document:
    """Paragraphs, headings, lists and tables of an ODT; soft page breaks start a page."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            root = ElementTree.fromstring(archive.read("content.xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError) as error:
        raise ExtractionError("document ODT endommagé : impossible de l'ouvrir",
                              code="corrupted", detected="odt") from error
    body = root.find(f"{{{_ODF['office']}}}body/{{{_ODF['office']}}}text")
    lines: list[str] = []
    if body is not None:
        _odt_blocks(body, lines)
    return _document("odt", "\n".join(lines).split("\f"))


def _odt_blocks(element: ElementTree.Element, lines: list[str]) -> None:
    text_ns, table_ns = f"{{{_ODF['text']}}}", f"{{{_ODF['table']}}}"
    for child in element:
        if child.tag in (text_ns + "p", text_ns + "h"):
            if child.find(f".//{text_ns}soft-page-break") is not None:
                lines.append("\f")
            lines.append(_odt_inline(child))
        elif child.tag == text_ns + "soft-page-break":
            lines.append("\f")
        elif child.tag == table_ns + "table":
            for row in child.iter(table_ns + "table-row"):
                cells = [" ".join(_odt_inline(p) for p in cell.iter(text_ns + "p")).strip()
                         for cell in row.iter(table_ns + "table-cell")]
                lines.append("\t".join(cells))
        elif child.tag.startswith(text_ns) or child.tag.startswith(table_ns):
            _odt_blocks(child, lines)  # lists, list items, sections


def _odt_inline(element: ElementTree.Element) -> str:
    """The text of a paragraph: XML white space collapses, <text:s/> and tabs count."""
    text_ns = f"{{{_ODF['text']}}}"
    parts = [_collapse(element.text)]
    for child in element:
        if child.tag == text_ns + "s":
            parts.append(" " * int(child.get(text_ns + "c", "1")))
        elif child.tag == text_ns + "tab":
            parts.append("\t")
        elif child.tag == text_ns + "line-break":
            parts.append("\n")
        elif child.tag not in (text_ns + "note", text_ns + "soft-page-break"):
            parts.append(_odt_inline(child))
        parts.append(_collapse(child.tail))
    return "".join(parts)


def _collapse(text: str | None) -> str:
    return re.sub(r"[ \t\r\n]+", " ", text or "")


_BLOCK_TAGS = {
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
    "article", "header", "footer", "ul", "ol", "blockquote", "pre", "dt", "dd", "hr",
    "main", "nav", "aside", "figure", "figcaption", "caption", "address", "title",
}
_SKIPPED_TAGS = {"script", "style", "noscript", "template", "svg", "head"}


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in ("td", "th"):
            self.parts.append("\t")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data.replace("\n", " "))


def extract_html(data: bytes) -> Document:
    """The visible text of an HTML page: blocks become lines, table cells tab-separated."""
    head = data[:4096].decode("ascii", "replace")
    charset = re.search(r"""charset=["']?([\w-]+)""", head, re.IGNORECASE)
    text = None
    if charset and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode(charset.group(1))
        except (LookupError, UnicodeDecodeError):
            text = None
    parser = _HTMLText()
    parser.feed(text if text is not None else _decode(data) or "")
    parser.close()
    lines = (re.sub(r"[ \t]*\t[ \t]*", "\t", line).strip("\t ")
             for line in "".join(parser.parts).split("\n"))
    return _document("html", ["\n".join(line for line in lines if line)])


def extract_plain(data: bytes) -> Document:
    """Plain text in UTF-8 (with or without BOM), UTF-16 or Windows-1252; \\f splits pages."""
    return _document("text", (_decode(data) or "").split("\f"))


def _document(kind: str, raw_pages: list[str]) -> Document:
    document = Document(kind=kind, pages=clean_pages(raw_pages))
    if document.is_empty:
        document.warnings.append("Aucun texte dans ce document.")
    return document


# --- cleaning -----------------------------------------------------------------------------

# Word's Symbol/Wingdings bullets and arrows land in the private-use area.
_PRIVATE_USE = {
    0xF0B7: "•", 0xF0A7: "▪", 0xF076: "❖", 0xF0D8: "➢", 0xF0E0: "→", 0xF0E8: "➔",
    0xF0F0: "⇒", 0xF0FC: "✓", 0xF0A8: "□", 0xF06E: "■", 0xF0C4: "→", 0xF09A: "•",
}
_SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2005"), " ")
_REMOVED = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_LINE_BREAKS = {ord("\u2028"): "\n", ord("\u2029"): "\n", ord("\v"): "\n", ord("\r"): "\n"}
_TRANSLATE = {**_PRIVATE_USE, **_SPACES, **_REMOVED, **_LINE_BREAKS}
_TRANSLATE_CHARS = frozenset(map(chr, _TRANSLATE))
_LIGATURES = re.compile("[\ufb00-\ufb06]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_WORD_CHAR = r"[^\W\d_]"  # a letter, accented or not
# Every character normalize_chars may change: one scan of a page tells which repairs it
# needs (most pages need none), instead of one scan per repair.
_SPECIAL = re.compile("[" + re.escape("".join(_TRANSLATE_CHARS)) + "\ufb00-\ufb06\ufffe\u00ad"
                      "\x00-\x08\x0e-\x1f\x7f]")


def normalize_chars(text: str) -> str:
    """Character-level repairs of one page of text (no change to the lines)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    special = set(_SPECIAL.findall(text))
    if special:
        for char in _TRANSLATE_CHARS.intersection(special):  # faster than str.translate
            text = text.replace(char, _TRANSLATE[ord(char)] or "")
        if _LIGATURES.search(text):
            text = _LIGATURES.sub(lambda match: unicodedata.normalize("NFKC", match.group()),
                                  text)
        # PDFium's U+FFFE is a hyphen it took for a soft one: a real hyphen inside a line
        # ("Anne\uFFFEMarie"), a line-end break otherwise (handled by repair_hyphenation).
        if "\ufffe" in special:
            text = text.replace("\ufffe", "-")
        if "\u00ad" in special:  # a soft hyphen at a line end is a break, else invisible
            text = re.sub("\u00ad(?=[ \t]*\n)", "-", text).replace("\u00ad", "")
        text = _CONTROL.sub("", text)
    if "  " in text:
        text = _SPACE_RUNS.sub(" ", text)
    return "\n".join(line.strip(" \t") for line in text.split("\n"))


_SPACE_RUNS = re.compile(r"  +")  # a literal start: the engine finds it quickly
_BLANK_RUNS = re.compile(r"\n\n\n+")


def clean_text(text: str) -> str:
    """One text (a page or a whole file) cleaned: characters, hyphenation, blank lines."""
    text = repair_hyphenation(normalize_chars(text))
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")


def clean_pages(pages: list[str], *, normalized: bool = False) -> list[str]:
    """Pages cleaned together: running headers and footers go, hyphenation sees every page.
    ``normalized``: each page has been through ``normalize_chars`` already."""
    pages = remove_page_furniture(pages if normalized else [normalize_chars(page)
                                                            for page in pages])
    if any("-\n" in page and _BROKEN_WORD.search(page) for page in pages):
        words = vocabulary("\n".join(pages))
        pages = [repair_hyphenation(page, words) for page in pages]
    return [_BLANK_RUNS.sub("\n\n", page).strip("\n") for page in pages]


def vocabulary(text: str) -> Counter[str]:
    """Lower-case words (hyphenated compounds included) and how often they occur."""
    return Counter(word.lower() for word in re.findall(r"\w+(?:-\w+)*", text))


_BROKEN_WORD = re.compile(  # anchored at a word's start: linear, not quadratic
    rf"(?<!{_WORD_CHAR})({_WORD_CHAR}+)-\n({_WORD_CHAR}+)(\S*)(?:[ \t]+|(?=\n)|\Z)")
_KEEP_HYPHEN_AFTER = {"saint", "sainte", "vice", "porte", "demi", "mi", "semi", "sous",
                      "non", "quasi", "ex", "co", "anti", "après", "avant", "arrière",
                      "grand", "grande", "belle", "beau", "arc", "pré"}


def repair_hyphenation(text: str, words: Counter[str] | None = None) -> str:
    """Join words broken at a line end: "collec-\\ntivités" → "collectivités".

    The line keeps its place: the rest of the word moves up to the broken line. A hyphen
    is kept ("Anne-\\nMarie" → "Anne-Marie") when the next part starts with a capital,
    when the hyphenated form occurs elsewhere in the text and the joined one does not,
    or after a prefix that takes a hyphen ("vice-\\nprésident").
    """
    if "-\n" not in text or not _BROKEN_WORD.search(text):
        return text
    words = words if words is not None else vocabulary(text)

    def join(match: re.Match) -> str:
        left, right, tail = match.groups()
        joined, hyphenated = (left + right).lower(), f"{left}-{right}".lower()
        keep = (right[0].isupper() or left.lower() in _KEEP_HYPHEN_AFTER
                or (words[hyphenated] > 0 and words[joined] == 0))
        at_line_end = match.end() == len(text) or text[match.end()] == "\n"
        return f"{left}{'-' if keep else ''}{right}{tail}{'' if at_line_end else chr(10)}"

    return _BROKEN_WORD.sub(join, text)


def remove_page_furniture(pages: list[str], *, edge_lines: int = 3) -> list[str]:
    """Drop running headers and footers: lines that recur at the same place from the top
    or the bottom of at least 3 pages, digits aside ("Page 2/6", "Ville de Lannion Conseil
    Municipal du 5 juillet 2021 3"). A line with digits (a page number, a date) must be on
    40 % of the pages, one without on half of them; report headings and vote results
    ("ADOPTÉ À L'UNANIMITÉ") never go."""
    if len(pages) < 3:
        return pages
    split = [page.split("\n") for page in pages]
    edges = [_edge_positions(lines, edge_lines) for lines in split]
    keys = [{place: _furniture_key(lines[i]) for i, place in positions.items()}
            for lines, positions in zip(split, edges, strict=True)]

    def recurring(counted: Iterable[set[tuple[str, str]]]) -> set[str]:
        seen: Counter[tuple[str, str]] = Counter()
        for places in counted:
            seen.update(places)
        return {key for (_, key), count in seen.items()
                if key and count >= max(3, (0.4 if "#" in key else 0.5) * len(pages))
                and not _HEADING_LIKE.match(key)}

    candidates = recurring({(place, key) for place, key in page.items()} for page in keys)
    # Furniture is stacked against the edge of the page: a line counts where the lines
    # between it and the edge are furniture too. The closing line of one-page reports
    # ("Il est proposé à la Commission permanente :"), above each report's own last
    # line, is text.
    furniture = recurring({(place, key) for place, key in page.items() if all(
        page.get(f"{place[0]}{closer}") in candidates for closer in range(int(place[1:])))}
        for page in keys)
    if not furniture:
        return pages
    # A footer with words in it goes wherever it is (text order can put a table after
    # it); a bare page number only at the top or bottom, where it cannot be table data.
    worded = {key for key in furniture if len(re.findall(r"[^\W\d_]", key)) >= 3}
    starts = tuple({key[:6] for key in worded})  # cheap test before building a line's key
    cleaned = []
    for lines, positions in zip(split, edges, strict=True):
        drop = {i for i in positions if _furniture_key(lines[i]) in furniture}
        if starts:
            drop.update(i for i, line in enumerate(lines)
                        if line[:6].lower().startswith(starts) and _furniture_key(line) in worded)
        cleaned.append("\n".join(line for i, line in enumerate(lines) if i not in drop))
    return cleaned


def _edge_positions(lines: list[str], count: int) -> dict[int, str]:
    """Line index → its place from the top ("t0", "t1"…) or the bottom ("b0"…)."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    positions = {i: f"b{k}" for k, i in enumerate(reversed(filled[-count:]))}
    positions.update({i: f"t{k}" for k, i in enumerate(filled[:count])})
    return positions


# Report headings can sit at the top of many pages and differ only by their number: they
# are never furniture, or a bundle would lose its "RAPPORT N° DAT/2024/81" lines.
_HEADING_LIKE = re.compile(
    r"(rapport|d[ée]lib[ée]ration|point|question|affaire|dossier|objet)\b|n[°o]\s*\w"
    r"|.*\b(adopt[ée]e?s?|unanimit[ée]|d[ée]lib[ée]r[ée]|d[ée]cide|votes?|abstentions?)\b",
    re.IGNORECASE)


_DIGITS = re.compile(r"\d+")


def _furniture_key(line: str) -> str:
    """A line, digits aside (lines are already stripped, with single spaces)."""
    return _DIGITS.sub("#", line.lower())
