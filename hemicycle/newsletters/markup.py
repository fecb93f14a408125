"""The campaign editor's small markup, turned into e-mail HTML and a plain-text part.

Pure Python, no Django. Blocks are separated by a blank line: ``## `` starts a heading,
lines starting with ``- `` make a list, anything else is a paragraph. Inline: ``**bold**``
and bare ``https://`` links. Everything else is escaped.
"""

import html
import re
import textwrap

LINK = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)]")
BOLD = re.compile(r"\*\*(.+?)\*\*")


def blocks(source: str) -> list[tuple[str, list[str]]]:
    """(kind, lines) for each block: kind is "heading", "list" or "paragraph"."""
    found = []
    for chunk in re.split(r"\n\s*\n", source.replace("\r\n", "\n").strip()):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("## "):
            found.append(("heading", [lines[0][3:].strip()]))
            if lines[1:]:
                found.append(("paragraph", lines[1:]))
        elif all(line.startswith("- ") for line in lines):
            found.append(("list", [line[2:].strip() for line in lines]))
        else:
            found.append(("paragraph", lines))
    return found


def inline_html(text: str, link_style: str = "") -> str:
    escaped = html.escape(text, quote=False)
    escaped = BOLD.sub(r"<strong>\1</strong>", escaped)
    style = f' style="{link_style}"' if link_style else ""

    def link(match: re.Match) -> str:
        url = html.unescape(match.group(0))
        return f'<a href="{html.escape(url)}"{style}>{html.escape(url, quote=False)}</a>'

    return LINK.sub(link, escaped)


def to_html(source: str, *, color: str = "#1f6f43") -> str:
    """The body as e-mail-safe HTML (inline styles: many mail clients drop <style>)."""
    link_style = f"color:{color};"
    out = []
    for kind, lines in blocks(source):
        if kind == "heading":
            out.append(f'<h2 style="margin:24px 0 8px;font-size:20px;color:{color};">'
                       f"{inline_html(lines[0], link_style)}</h2>")
        elif kind == "list":
            items = "".join(f'<li style="margin:0 0 6px;">{inline_html(line, link_style)}</li>'
                            for line in lines)
            out.append(f'<ul style="margin:0 0 16px;padding-left:22px;">{items}</ul>')
        else:
            text = "<br>".join(inline_html(line, link_style) for line in lines)
            out.append(f'<p style="margin:0 0 16px;line-height:1.5;">{text}</p>')
    return "\n".join(out)


def to_text(source: str, width: int = 72) -> str:
    """The plain-text part: the same content, wrapped, links kept whole."""
    out = []
    for kind, lines in blocks(source):
        if kind == "heading":
            title = BOLD.sub(r"\1", lines[0])
            out.append(f"{title}\n{'=' * min(len(title), width)}")
        elif kind == "list":
            out.append("\n".join(
                textwrap.fill(BOLD.sub(r"\1", line), width, initial_indent="- ",
                              subsequent_indent="  ", break_long_words=False,
                              break_on_hyphens=False)
                for line in lines))
        else:
            out.append("\n".join(
                textwrap.fill(BOLD.sub(r"\1", line), width, break_long_words=False,
                              break_on_hyphens=False)
                for line in lines))
    return "\n\n".join(out)
