"""Who attended a sitting, read from the head of its minutes.

Pure Python, no Django. Minutes open with the roll call, in many shapes:

    Étaient présents :
    Paul LE BIHAN - Eric ROBERT - Françoise LE MEN - …
    Était absent : Jean-Yves CALLAC
    Procurations :
    Yves NEDELLEC (procuration à Marie-Annick GUILLOU) - …

    Présents : Jean-Pierre, Yves, Jacques, David.
    Excusés : Anne-Marie (pouvoir donné à Yves) / Marc (pouvoir donné Patrick)
    Maryline : absente non excusée

``attendance_extract(text)`` returns the people in the order they are listed, each with
a state (present, excused, absent, or represented by proxy, with the proxy holder). A
list ends at the first line that is not a list of names ("Soit 31 présents", "Ordre du
jour", a sentence), so nothing of the debate is taken for a name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

PRESENT = "present"
EXCUSED = "excused"
ABSENT = "absent"
PROXY = "proxy"

HEAD_CHARS = 15_000
"""The roll call is at the head of the minutes: only this much text is read."""

_HEADING = re.compile(
    r"""^\s*
    (?P<label>
      (?:(?:membres?|conseill[eè]re?s?(?:\s+municipaux)?|[ée]lu(?:e|s|es)?)\s+)?
      (?:(?:[ée]taient|[ée]tait|sont|est)\s+)?
      (?:pr[ée]sent|absent|excus[ée]|non\s+excus[ée]|procuration|pouvoir)
      (?:\(?e\)?)?(?:\(?s\)?)?
      (?:\s+[a-zàâçéèêëîïôûùüÿœ()'’]+){0,5}
    )
    \s*(?::\s*(?P<rest>.*)|\s*$)""",
    re.IGNORECASE | re.VERBOSE,
)
# "Maryline : absente non excusée"
_NAME_THEN_STATE = re.compile(
    r"^\s*(?P<name>[A-ZÀ-Ý][\w’'\- ]{1,60}?)\s*:\s*(?P<label>(?:absent|excus|pr[ée]sent)[\w\s()]*?)"
    r"\s*\.?\s*$", re.IGNORECASE)
_SEPARATORS = re.compile(r"\s+[-–—/&]\s+|\s*[,;]\s*|\s+et\s+|^\s*[-–—/&]\s*|\s*[-–—/&]\s*$")
_PARENS = re.compile(r"\(([^()]*)\)")
_HOLDER = re.compile(r"(?:procuration|pouvoir|repr[ée]sent[ée]e?)(?:\s+donn[ée]e?)?"
                     r"(?:\s+(?:à|a|au|par))?\s+(?P<holder>.+)", re.IGNORECASE)
_OPEN_TAIL = re.compile(r"\([^()]*$")  # "… (procuration à Patrice" ends on the next line
_CLOSE_HEAD = re.compile(r"^[^()]*\)")  # "KERVAON) - Catherine BRIDET …"
_NO_PROXY = re.compile(r"\b(?:pas|sans)\s+de\s+(?:pouvoir|procuration)", re.IGNORECASE)
_TITLES = re.compile(r"^(?:M\.|Mme|Mlle|MM\.|Mmes|Monsieur|Madame|Mr\.?|Me|Dr\.?)\s+",
                     re.IGNORECASE)
_PARTICLES = {"de", "du", "des", "d", "le", "la", "les", "van", "von", "der", "den", "da",
              "di", "del", "dos", "ben", "el", "al", "ép", "épouse", "née", "y"}
_WORD = re.compile(r"[^\s]+")


@dataclass(frozen=True)
class Attendee:
    name: str  # as written: "Paul LE BIHAN", "Anne-Marie"
    state: str  # PRESENT, EXCUSED, ABSENT or PROXY
    proxy_holder: str = ""  # who votes for them, when state is PROXY

    @property
    def key(self) -> str:
        return name_key(self.name)


def name_key(name: str) -> str:
    """The comparison key of a person's name: no title, no accents, lower case."""
    name = _TITLES.sub("", name.strip())
    name = unicodedata.normalize("NFKD", name.replace("œ", "oe").replace("Œ", "Oe"))
    name = "".join(ch for ch in name if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name).split())


def attendance_extract(text: str) -> list[Attendee]:
    """The roll call at the head of ``text``, in the order people are listed."""
    found: dict[str, Attendee] = {}
    section: str | None = None
    lines: list[str] = []  # the current list, whose names may run over several lines

    def close() -> None:
        if section is not None and lines:
            _take(found, " ".join(lines), section)
        lines.clear()

    for line in text[:HEAD_CHARS].replace("\f", "\n").splitlines():
        if not line.strip():
            continue
        heading = _HEADING.match(line)
        if heading:
            close()
            section = _state_of(heading.group("label"))
            if (heading.group("rest") or "").strip():
                lines.append(heading.group("rest"))
            continue
        single = _NAME_THEN_STATE.match(line)
        if single and _looks_like_names(single.group("name")):
            close()
            section = None
            _add(found, Attendee(_clean_name(single.group("name")),
                                 _state_of(single.group("label"))))
            continue
        if section is None:
            continue
        pending = " ".join(lines)
        if pending.count("(") > pending.count(")") or _looks_like_names(line):
            lines.append(line)
        else:
            close()
            section = None
    close()
    return list(found.values())


def _state_of(label: str) -> str:
    label = name_key(label)
    if "procuration" in label or "pouvoir" in label:
        return PROXY
    if "non excuse" in label:
        return ABSENT
    if "excuse" in label:
        return EXCUSED
    if "absent" in label:
        return ABSENT
    return PRESENT


def _take(found: dict[str, Attendee], text: str, section: str) -> None:
    for chunk in _chunks(text):
        name, holder, no_proxy = _name_and_holder(chunk)
        if not name or not _looks_like_names(name):
            continue
        if holder:
            _add(found, Attendee(name, PROXY, holder))
        elif section == PROXY:
            # A name in a list of proxies without its holder: absent, represented.
            _add(found, Attendee(name, PROXY))
        elif no_proxy and section == EXCUSED:
            _add(found, Attendee(name, EXCUSED))
        else:
            _add(found, Attendee(name, section))


def _add(found: dict[str, Attendee], attendee: Attendee) -> None:
    key = attendee.key
    if not key:
        return
    known = found.get(key)
    # A later, more precise mention wins: listed present, then given a proxy.
    if known is None or (attendee.state == PROXY and known.state != PROXY):
        found[key] = attendee


def _chunks(text: str) -> list[str]:
    """``text`` cut at its separators, never inside parentheses."""
    chunks, depth, start = [], 0, 0
    masked = []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        masked.append("x" if depth and ch != "(" else ch)
    masked_text = "".join(masked)
    for match in _SEPARATORS.finditer(masked_text):
        chunks.append(text[start:match.start()])
        start = match.end()
    chunks.append(text[start:])
    return [chunk.strip(" .\t") for chunk in chunks if chunk.strip(" .\t")]


def _name_and_holder(chunk: str) -> tuple[str, str, bool]:
    holder, no_proxy = "", False
    for inside in _PARENS.findall(chunk):
        if _NO_PROXY.search(inside):
            no_proxy = True
            continue
        match = _HOLDER.search(inside)
        if match:
            holder = _clean_name(match.group("holder"))
    name = _clean_name(_PARENS.sub(" ", chunk))
    return name, holder, no_proxy


def _clean_name(name: str) -> str:
    name = " ".join(name.replace("(", " ").replace(")", " ").split()).strip(" .,;:-–")
    return _TITLES.sub("", name)


def _looks_like_names(line: str) -> bool:
    """Whether a line is a list of names: short capitalised pieces, no digits."""
    line = _OPEN_TAIL.sub(" ", _CLOSE_HEAD.sub(" ", _PARENS.sub(" ", line)))
    if any(ch.isdigit() for ch in line) or ":" in line:
        return False
    pieces = [piece for piece in _chunks(line)]
    if not pieces:
        return bool(_SEPARATORS.fullmatch(line.strip()) or not line.strip())
    for piece in pieces:
        words = _WORD.findall(_TITLES.sub("", piece))
        if not words or len(words) > 6:
            return False
        for word in words:
            bare = word.strip("'’.")
            if not bare:
                continue
            if bare.lower().split("'")[0].split("’")[0] in _PARTICLES:
                continue
            if not bare[0].isupper():
                return False
    return True
