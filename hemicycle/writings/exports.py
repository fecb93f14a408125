"""Word (python-docx) and PDF (WeasyPrint) files of notes, writings, vote sheets and
recaps, from one description of the document (``ExportDoc``).

Each document is a title, a subtitle, a few facts (label, value), then parts: Markdown-lite
text (see markup.py), a heading, a word-level diff, or a table. The header carries the
workspace's name in its primary colour, as on the group's letterhead.
"""

import base64
import io
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from hemicycle.accounts.models import Workspace
from hemicycle.writings import markup, textdiff

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Part:
    kind: str  # "markup", "heading", "subheading", "diff", "table"
    text: str = ""
    old: str = ""  # diff
    new: str = ""
    header: list[str] = field(default_factory=list)  # table
    rows: list[list[str]] = field(default_factory=list)

    @property
    def html(self) -> str:
        if self.kind == "markup":
            return markup.to_html(self.text)
        if self.kind == "diff":
            return textdiff.diff_html(self.old, self.new)
        return ""


@dataclass
class Branding:
    """The letterhead of the exports (see queries.branding_of)."""

    name: str
    assembly: str = ""
    address: list[str] = field(default_factory=list)
    footer: str = ""
    primary: str = "#1f6f43"
    secondary: str = "#f2c14e"
    logo: bytes = b""
    logo_type: str = ""

    @property
    def logo_data_uri(self) -> str:
        if not self.logo:
            return ""
        return f"data:{self.logo_type};base64,{base64.b64encode(self.logo).decode()}"


@dataclass
class SignatureBlock:
    name: str
    title: str = ""


@dataclass
class ExportDoc:
    workspace: Workspace
    title: str
    subtitle: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    landscape: bool = False
    signature: SignatureBlock | None = None
    branding: Branding | None = None

    def __post_init__(self) -> None:
        if self.branding is None:
            from hemicycle.writings.queries import branding_of  # queries imports this module

            self.branding = branding_of(self.workspace)

    @property
    def filename_stem(self) -> str:
        return (slugify(self.title)[:80] or "document").strip("-")


def _rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#").upper())


# --- Word ---------------------------------------------------------------------------------


def docx_bytes(doc: ExportDoc) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Calibri", Pt(11)
    brand = doc.branding
    primary = _rgb(brand.primary)
    if doc.landscape:
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    _docx_letterhead(document, brand, primary)
    title = document.add_heading(doc.title, level=0)
    for title_run in title.runs:
        title_run.font.color.rgb = primary
    if doc.subtitle:
        document.add_paragraph(doc.subtitle).runs[0].italic = True
    if doc.facts:
        table = document.add_table(rows=0, cols=2)
        table.style = "Light List Accent 1"
        for label, value in doc.facts:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
        document.add_paragraph()
    for part in doc.parts:
        _docx_part(document, part, primary)
    if doc.signature:
        _docx_signature(document, doc.signature)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


GREY = RGBColor(0x55, 0x55, 0x55)


def _docx_letterhead(document, brand: Branding, primary: RGBColor) -> None:
    """The page header: logo, group name, assembly and address; the footer line."""
    section = document.sections[0]
    header = section.header.paragraphs[0]
    if brand.logo:
        header.add_run().add_picture(io.BytesIO(brand.logo), height=Cm(1.6))
        header.add_run().add_break()
    run = header.add_run(brand.name)
    run.bold, run.font.color.rgb, run.font.size = True, primary, Pt(12)
    if brand.assembly:
        small = header.add_run(f" — {brand.assembly}")
        small.font.color.rgb, small.font.size = GREY, Pt(9)
    for line in brand.address:
        paragraph = section.header.add_paragraph()
        address = paragraph.add_run(line)
        address.font.color.rgb, address.font.size = GREY, Pt(9)
    if brand.footer:
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        text = footer.add_run(brand.footer)
        text.font.color.rgb, text.font.size = GREY, Pt(8)


def _docx_signature(document, signature: SignatureBlock) -> None:
    document.add_paragraph()
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run(signature.name).bold = True
    if signature.title:
        paragraph.add_run().add_break()
        paragraph.add_run(signature.title).italic = True


def _docx_part(document, part: Part, primary: RGBColor) -> None:
    if part.kind in ("heading", "subheading"):
        level = 1 if part.kind == "heading" else 2
        for run in document.add_heading(part.text, level=level).runs:
            run.font.color.rgb = primary
    elif part.kind == "markup":
        for block in markup.parse(part.text):
            _docx_block(document, block)
    elif part.kind == "diff":
        paragraph = document.add_paragraph()
        for chunk in textdiff.diff_words(part.old, part.new):
            run = paragraph.add_run(chunk.text)
            if chunk.op == textdiff.DELETE:
                run.font.strike = True
                run.font.color.rgb = RGBColor(0xB0, 0x1E, 0x1E)
            elif chunk.op == textdiff.INSERT:
                run.font.underline = True
                run.font.color.rgb = RGBColor(0x1F, 0x6F, 0x43)
    elif part.kind == "table":
        _docx_table(document, [part.header, *part.rows])


def _runs(paragraph, spans: list[markup.Span]) -> None:
    for style, text in spans:
        run = paragraph.add_run(text)
        run.bold, run.italic = "b" in style or None, "i" in style or None


def _docx_block(document, block: markup.Block) -> None:
    if block.kind in ("h1", "h2", "h3"):
        heading = document.add_heading("", level=int(block.kind[1]))
        _runs(heading, block.lines[0])
    elif block.kind in ("p", "quote"):
        paragraph = document.add_paragraph(style="Quote" if block.kind == "quote" else None)
        for index, line in enumerate(block.lines):
            if index:
                paragraph.add_run().add_break()
            _runs(paragraph, line)
    elif block.kind in ("ul", "ol"):
        style = "List Bullet" if block.kind == "ul" else "List Number"
        for item in block.items:
            _runs(document.add_paragraph(style=style), item)
    elif block.kind == "table":
        rows = [["".join(text for _s, text in cell) for cell in row] for row in block.rows]
        _docx_table(document, rows)


def _docx_table(document, rows: list[list[str]]) -> None:
    width = max(len(row) for row in rows)
    table = document.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    for index, row in enumerate(rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, row + [""] * (width - len(row)), strict=True):
            cell.text = value
            if index == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    table.alignment = WD_ALIGN_PARAGRAPH.LEFT
    document.add_paragraph()


# --- PDF ----------------------------------------------------------------------------------


def html_document(doc: ExportDoc) -> str:
    return render_to_string("writings/export_document.html", {"doc": doc})


def pdf_bytes(doc: ExportDoc) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, a second or so

    return HTML(string=html_document(doc)).write_pdf()


# --- Markdown ---------------------------------------------------------------------------


def markdown_text(doc: ExportDoc) -> str:
    """The document as Markdown (for a website or a mail): the notes' markup is already
    Markdown; tables and diffs are written out."""
    out = [f"# {doc.title}"]
    if doc.subtitle:
        out.append(f"*{doc.subtitle}*")
    if doc.facts:
        out.append("\n".join(f"- **{label}** : {value}" for label, value in doc.facts))
    for part in doc.parts:
        if part.kind == "heading":
            out.append(f"## {part.text}")
        elif part.kind == "subheading":
            out.append(f"### {part.text}")
        elif part.kind == "markup":
            out.append(part.text.strip())
        elif part.kind == "table":
            rows = [part.header, ["---"] * len(part.header), *part.rows]
            out.append("\n".join("| " + " | ".join(markup.table_cell(c) for c in row) + " |"
                                 for row in rows))
        elif part.kind == "diff":
            out.append(f"> {part.old}\n\n{part.new}")
    if doc.signature:
        out.append(f"**{doc.signature.name}**" + (f"  \n*{doc.signature.title}*"
                                                  if doc.signature.title else ""))
    return "\n\n".join(block for block in out if block) + "\n"


# --- HTTP ---------------------------------------------------------------------------------


def export_response(doc: ExportDoc, fmt: str) -> HttpResponse:
    if fmt == "docx":
        content, content_type = docx_bytes(doc), DOCX_TYPE
    elif fmt == "md":
        content, content_type = markdown_text(doc).encode(), "text/markdown; charset=utf-8"
    else:
        content, content_type = pdf_bytes(doc), "application/pdf"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{doc.filename_stem}.{fmt}")
    return response
