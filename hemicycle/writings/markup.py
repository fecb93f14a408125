"""A small "Markdown-lite" for notes, writings and recaps: what staff actually type.

Pure Python, no Django. Supported: ``#``/``##``/``###`` headings, paragraphs (a blank
line between them, single line breaks kept), ``- `` or ``* `` bullet lists, ``1. ``
numbered lists, ``> `` quotes, ``| a | b |`` tables (a ``|---|`` line is skipped), and
inline ``**bold**`` and ``*italic*``. Nothing else: no raw HTML, no links, no images.

The text is parsed once into blocks, which are rendered to HTML here (every character
escaped, so the output is safe to show) and to Word by ``exports.py``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

# (style, text): style is "", "b", "i" or "bi".
Span = tuple[str, str]


@dataclass
class Block:
    kind: str  # "h1", "h2", "h3", "p", "ul", "ol", "quote", "table"
    lines: list[list[Span]] = field(default_factory=list)  # p, quote, headings: lines
    items: list[list[Span]] = field(default_factory=list)  # ul, ol
    rows: list[list[list[Span]]] = field(default_factory=list)  # table: rows of cells


_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
_NUMBER = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")
_QUOTE = re.compile(r"^>\s?(.*)$")
_RULE_ROW = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_INLINE = re.compile(r"\*\*(?P<b>.+?)\*\*|\*(?P<i>[^*\s](?:[^*]*[^*\s])?)\*")


def inline(text: str) -> list[Span]:
    """"un **gros** mot" → [("", "un "), ("b", "gros"), ("", " mot")]."""
    spans: list[Span] = []
    position = 0
    for match in _INLINE.finditer(text):
        if match.start() > position:
            spans.append(("", text[position:match.start()]))
        if match["b"] is not None:
            spans += [("b" + style, part) for style, part in inline(match["b"])]
        else:
            spans.append(("i", match["i"]))
        position = match.end()
    if position < len(text):
        spans.append(("", text[position:]))
    return spans


def _cells(line: str) -> list[list[Span]]:
    line = line.strip()
    line = line[1:] if line.startswith("|") else line
    line = line[:-1] if line.endswith("|") else line
    return [inline(cell.strip()) for cell in line.split("|")]


def parse(text: str) -> list[Block]:
    blocks: list[Block] = []
    current: Block | None = None
    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw.rstrip()
        if not line.strip():
            current = None
            continue
        kind, content = _classify(line)
        if kind in ("h1", "h2", "h3"):
            blocks.append(Block(kind, lines=[inline(content)]))
            current = None
            continue
        if current is None or current.kind != kind:
            current = Block(kind)
            blocks.append(current)
        if kind in ("ul", "ol"):
            current.items.append(inline(content))
        elif kind == "table":
            if not _RULE_ROW.match(line):
                current.rows.append(_cells(line))
        else:
            current.lines.append(inline(content))
    return [b for b in blocks if b.lines or b.items or b.rows]


def _classify(line: str) -> tuple[str, str]:
    if match := _HEADING.match(line):
        return f"h{len(match[1])}", match[2]
    if match := _BULLET.match(line):
        return "ul", match[1]
    if match := _NUMBER.match(line):
        return "ol", match[1]
    if match := _QUOTE.match(line):
        return "quote", match[1]
    if line.lstrip().startswith("|"):
        return "table", line
    return "p", line.strip()


def spans_html(spans: list[Span]) -> str:
    out = []
    for style, text in spans:
        text = html.escape(text)
        if "i" in style:
            text = f"<em>{text}</em>"
        if "b" in style:
            text = f"<strong>{text}</strong>"
        out.append(text)
    return "".join(out)


def to_html(text: str) -> str:
    """The text as safe HTML (all user characters escaped)."""
    out = []
    for block in parse(text):
        if block.kind in ("h1", "h2", "h3"):
            # h1 is the page's own title: a note's headings start at h2
            level = int(block.kind[1]) + 1
            out.append(f"<h{level}>{spans_html(block.lines[0])}</h{level}>")
        elif block.kind in ("p", "quote"):
            body = "<br>".join(spans_html(line) for line in block.lines)
            out.append(f"<blockquote><p>{body}</p></blockquote>" if block.kind == "quote"
                       else f"<p>{body}</p>")
        elif block.kind in ("ul", "ol"):
            items = "".join(f"<li>{spans_html(item)}</li>" for item in block.items)
            out.append(f"<{block.kind}>{items}</{block.kind}>")
        elif block.kind == "table":
            head, *rows = block.rows
            cells = "".join(f"<th>{spans_html(c)}</th>" for c in head)
            body = "".join("<tr>" + "".join(f"<td>{spans_html(c)}</td>" for c in row) + "</tr>"
                           for row in rows)
            out.append(f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>")
    return "\n".join(out)


def plain(text: str) -> str:
    """The text without its marks (for word counts, excerpts and search)."""
    lines = []
    for block in parse(text):
        if block.kind == "table":
            lines += [" ".join("".join(t for _s, t in cell) for cell in row) for row in block.rows]
        else:
            lines += ["".join(t for _s, t in spans) for spans in block.lines + block.items]
    return "\n".join(lines)


def table_cell(text: str) -> str:
    """A value made safe for a table cell of this markup (no pipes, one line)."""
    return re.sub(r"[ \t\r\n]+", " ", str(text).replace("|", "/")).strip()


_WORDS = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def word_count(text: str) -> int:
    return len(_WORDS.findall(plain(text)))


WORDS_PER_MINUTE = 130  # a measured speech in a council chamber


def speaking_seconds(words: int) -> int:
    """Estimated speaking time of that many words, rounded to 5 seconds."""
    seconds = words * 60 / WORDS_PER_MINUTE
    return int(round(seconds / 5) * 5)
