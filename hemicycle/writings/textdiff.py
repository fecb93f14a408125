"""Word-level differences between two texts: an amendment's original passage and its
proposed wording, or two versions of a writing.

Pure Python, no Django. Texts are cut into words, spaces and punctuation; the
differences are computed on words (difflib's SequenceMatcher, without its "junk"
heuristic, which would hide changes in long texts), so that "de 80 000 €" → "de 95 000 €"
shows one number struck and one inserted, not a whole rewritten sentence.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

EQUAL, DELETE, INSERT = "equal", "delete", "insert"

# A word (letters, digits, inner apostrophes and hyphens), a run of spaces, or one sign.
_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*|\s+|[^\w\s]|_", re.UNICODE)


@dataclass(frozen=True)
class Chunk:
    op: str  # EQUAL, DELETE or INSERT
    text: str


def tokens(text: str) -> list[str]:
    """"Le montant (87 458 €)" → ["Le", " ", "montant", " ", "(", "87", …]."""
    return _TOKEN.findall(text)


def diff_words(old: str, new: str) -> list[Chunk]:
    """The chunks that turn ``old`` into ``new``; joining the EQUAL and DELETE chunks
    gives ``old`` back, joining the EQUAL and INSERT ones gives ``new``."""
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    chunks: list[Chunk] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _append(chunks, EQUAL, "".join(a[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            _append(chunks, DELETE, "".join(a[i1:i2]))
        if tag in ("insert", "replace"):
            _append(chunks, INSERT, "".join(b[j1:j2]))
    return _absorb_lone_spaces(chunks)


def _append(chunks: list[Chunk], op: str, text: str) -> None:
    if not text:
        return
    if chunks and chunks[-1].op == op:
        chunks[-1] = Chunk(op, chunks[-1].text + text)
    else:
        chunks.append(Chunk(op, text))


def _absorb_lone_spaces(chunks: list[Chunk]) -> list[Chunk]:
    """A single kept space between two changes reads better inside them:
    [-a-] [+b+] [-c-] [+d+] becomes [-a c-] [+b d+]."""
    merged: list[Chunk] = []
    i = 0
    while i < len(chunks):
        chunk = chunks[i]
        between_changes = (
            chunk.op == EQUAL and not chunk.text.strip() and 0 < i < len(chunks) - 1
            and chunks[i - 1].op != EQUAL and chunks[i + 1].op != EQUAL
        )
        if between_changes:
            # move the space into the preceding delete and insert runs
            deletes = [c for c in merged[-2:] if c.op == DELETE]
            inserts = [c for c in merged[-2:] if c.op == INSERT]
            if deletes and inserts:
                tail = merged[-2:]
                merged = merged[:-2] + [Chunk(c.op, c.text + chunk.text) for c in tail]
                i += 1
                continue
        merged.append(chunk)
        i += 1
    # after moving spaces, neighbours of the same kind may be joined again
    joined: list[Chunk] = []
    for chunk in _regroup(merged):
        _append(joined, chunk.op, chunk.text)
    return joined


def _regroup(chunks: list[Chunk]) -> list[Chunk]:
    """Within a run of changes, all deletions first, then all insertions."""
    out: list[Chunk] = []
    run: list[Chunk] = []
    for chunk in [*chunks, Chunk(EQUAL, "")]:
        if chunk.op == EQUAL:
            out += [c for c in run if c.op == DELETE] + [c for c in run if c.op == INSERT]
            run = []
            if chunk.text:
                out.append(chunk)
        else:
            run.append(chunk)
    return out


def diff_html(old: str, new: str) -> str:
    """The differences as HTML: ``<del>`` for removed words, ``<ins>`` for added ones,
    everything escaped, line breaks as ``<br>``."""
    parts = []
    for chunk in diff_words(old, new):
        text = html.escape(chunk.text).replace("\n", "<br>")
        if chunk.op == DELETE:
            parts.append(f"<del>{text}</del>")
        elif chunk.op == INSERT:
            parts.append(f"<ins>{text}</ins>")
        else:
            parts.append(text)
    return "".join(parts)


def diff_stats(old: str, new: str) -> tuple[int, int]:
    """(words removed, words added)."""
    removed = added = 0
    for chunk in diff_words(old, new):
        count = len([t for t in tokens(chunk.text) if t.strip() and t[0].isalnum()])
        if chunk.op == DELETE:
            removed += count
        elif chunk.op == INSERT:
            added += count
    return removed, added
