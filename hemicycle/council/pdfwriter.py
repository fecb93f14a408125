"""A minimal writer of text PDFs: pages of lines in Helvetica, for the demo's bundles of
reports and the ingestion benchmark.

Pure Python, no Django. A text PDF is a few objects: writing it directly takes
milliseconds, where a typesetting engine takes seconds, and the demo is built in many
tests. The text layer is what pdfium (and so the ingestion) reads back.

A line is a string (a leading "**" sets it in bold) or a tuple of cells set in columns
(a table row; a leading "**" on its first cell sets the row in bold). WinAnsi encoding:
French accents, "œ" and "€" survive.
"""

from __future__ import annotations

import zlib

PAGE_WIDTH, PAGE_HEIGHT, MARGIN, FONT_SIZE, LEADING = 595, 842, 56, 10, 13
LINES_PER_PAGE = (PAGE_HEIGHT - 2 * MARGIN) // LEADING
COLUMNS = (0, 270, 390)  # x of the cells of a table row, from the margin

Line = str | tuple[str, ...]


def _pdf_string(text: str) -> bytes:
    data = text.encode("cp1252", "replace")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _line_ops(line: Line) -> list[bytes]:
    cells = list(line) if isinstance(line, tuple) else [line]
    bold = bool(cells) and cells[0].startswith("**")
    if bold:
        cells[0] = cells[0][2:]
    font = b"/F2" if bold else b"/F1"
    ops, x = [], 0
    for index, cell in enumerate(cells):
        column = COLUMNS[min(index, len(COLUMNS) - 1)] if len(cells) > 1 else 0
        if column != x:
            ops.append(b"%d 0 Td" % (column - x))
            x = column
        if cell:
            ops.append(font + b" %d Tf " % FONT_SIZE + _pdf_string(cell) + b" Tj")
    if x:
        ops.append(b"%d 0 Td" % -x)
    ops.append(b"T*")
    return ops


def write_pdf(pages: list[list[Line]], *, title: str = "") -> bytes:
    """A PDF of text pages, one line per item (see the module doc)."""
    objects: list[bytes] = [b"", b"",  # catalog and page tree, written last
                            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                            b"/Encoding /WinAnsiEncoding >>",
                            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold "
                            b"/Encoding /WinAnsiEncoding >>"]
    kids = []
    for lines in pages:
        ops = [b"BT", b"/F1 %d Tf" % FONT_SIZE, b"%d TL" % LEADING,
               b"%d %d Td" % (MARGIN, PAGE_HEIGHT - MARGIN)]
        for line in lines:
            ops += _line_ops(line)
        ops.append(b"ET")
        stream = zlib.compress(b"\n".join(ops))
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
                       + stream + b"\nendstream")
        content = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
                       b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>"
                       % (PAGE_WIDTH, PAGE_HEIGHT, content))
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = (b"<< /Type /Pages /Count %d /Kids [" % len(kids)
                  + b" ".join(b"%d 0 R" % kid for kid in kids) + b"] >>")
    info = None
    if title:
        objects.append(b"<< /Title " + _pdf_string(title) + b" /Producer (Hemicycle) >>")
        info = len(objects)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"/Size %d /Root 1 0 R" % (len(objects) + 1)
    if info:
        trailer += b" /Info %d 0 R" % info
    out += b"trailer\n<< " + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def paginate(lines: list[Line], *, header: str = "", footer: str = "Page {page}",
             new_page_before: set[int] = frozenset()) -> list[list[Line]]:
    """Lines laid out on pages, with a running header and a numbered footer; a line whose
    index is in ``new_page_before`` starts a new page (a report's first line)."""
    room = LINES_PER_PAGE - 3  # header, blank line and footer
    body: list[list[Line]] = [[]]
    for index, line in enumerate(lines):
        if body[-1] and (len(body[-1]) >= room or index in new_page_before):
            body.append([])
        body[-1].append(line)
    pages = []
    for number, page in enumerate(body, start=1):
        pages.append([header, "", *page, *[""] * (room - len(page)),
                      footer.format(page=number, pages=len(body))])
    return pages
