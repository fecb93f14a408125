"""@mentions in comments: who a text names, and the same text with the names marked.

Pure Python, no Django. A member can be named by their handle (the part of their e-mail
before the "@": ``@sam``, ``@elodie.martin``) or by their first name (``@Élodie``),
whatever the case and accents. A first name two members share names nobody: the
autocomplete offers the handle instead.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# "@" not preceded by a word character (an e-mail address is not a mention), then a name
# of letters, digits, dots and dashes that ends on a letter or digit ("@sam." → "sam").
MENTION = re.compile(r"(?<![\w@/])@(\w(?:[\w.\-]*\w)?)")


def fold(text: str) -> str:
    """"Élodie" → "elodie"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def handle_of(email: str) -> str:
    """The handle of a member: their e-mail's local part, cut to what a mention reads."""
    local = email.split("@", 1)[0]
    match = MENTION.match("@" + re.sub(r"[^\w.\-]", "", local))
    return match.group(1).lower() if match else ""


def names_of(email: str, full_name: str) -> list[str]:
    """Every way to mention a member: handle, then first name."""
    names = [handle_of(email)]
    first = full_name.split()[0] if full_name.split() else ""
    if first and MENTION.fullmatch("@" + first):
        names.append(first)
    return [name for name in names if name]


class Directory:
    """The members who can be mentioned, by every folded name that names only one."""

    def __init__(self, members: Iterable[tuple[int, str, str]]) -> None:
        """``members``: (id, e-mail, full name)."""
        owners: dict[str, set[int]] = {}
        for member_id, email, full_name in members:
            for name in names_of(email, full_name):
                owners.setdefault(fold(name), set()).add(member_id)
        self.by_name = {name: ids.pop() for name, ids in owners.items() if len(ids) == 1}

    def resolve(self, name: str) -> int | None:
        return self.by_name.get(fold(name))

    def find(self, text: str) -> list[int]:
        """The members the text mentions, in order of first mention, each once."""
        found: list[int] = []
        for match in MENTION.finditer(text):
            member_id = self.resolve(match.group(1))
            if member_id is not None and member_id not in found:
                found.append(member_id)
        return found

    def mark(self, html: str) -> str:
        """Wrap the mentions that name someone in ``<strong class="mention">``. ``html`` is
        already escaped text: a mention holds no character that escaping changes."""
        def replace(match: re.Match) -> str:
            if self.resolve(match.group(1)) is None:
                return match.group(0)
            return f'<strong class="mention">{match.group(0)}</strong>'

        return MENTION.sub(replace, html)


def excerpt(text: str, width: int = 220) -> str:
    """A comment cut to about ``width`` characters around its first mention, on word
    boundaries, with "…" where it was cut; whitespace collapsed."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    match = MENTION.search(text)
    at = match.start() if match else 0
    start = max(0, min(at - width // 3, len(text) - width))
    end = start + width
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < at else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return ("…" if start > 0 else "") + text[start:end].strip() + (
        "…" if end < len(text) else "")
