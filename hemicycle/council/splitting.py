"""Split a bundle (one PDF for a whole sitting, or the minutes) into its reports.

Pure Python, no Django. ``split_bundle(text)`` takes a document's text (pages separated
by form feeds, as ``text.Document.text``) and finds where each report starts, in this
order of trust:

1. **Markers**: lines that name a report, "RAPPORT N° DAT/2024/81", "N° DAT/2022/81"
   alone on its line, "Délibération n° 2021-45 : …", "Point n° 3 - …". At least two
   different numbers are needed; a marker repeated on the next pages of the same report
   (a running header) does not start a new one.
2. **Numbered items**: "1/ …", "2 - …", "3. …", "4) …", "5 Titre" — the longest run
   numbered 1, 2, 3… written in one style. A run whose items sit on nearly consecutive
   lines is the agenda ("Ordre du jour", "Sommaire"): it gives the full titles, and the
   split is made on the items of the body. A trailing "Questions diverses" after the
   last item is a report too.
3. **Agenda titles**: when the body repeats the agenda's titles without numbers.

The review screen then moves a split (``move_boundary``), merges (``merge``), renames
(``rename``) or adds one (``split_at``); each returns a new :class:`Split`.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass
from typing import NamedTuple

from hemicycle.lib.text import normalize_name


@dataclass(frozen=True)
class AgendaItem:
    number: str
    title: str


@dataclass(frozen=True)
class Report:
    """One report of a bundle: ``Split.text[start:end]``."""

    start: int
    end: int
    number: str | None  # "DAT/2024/81", "3"; None for "Questions diverses" or by hand
    title: str
    heading: str  # the line the split was made on, as found ("" when made by hand)
    method: str  # "marker", "numbered", "agenda", "trailing", "manual" or "whole"


@dataclass(frozen=True)
class Split:
    text: str
    reports: tuple[Report, ...]
    agenda: tuple[AgendaItem, ...] = ()
    method: str = ""  # how the reports were found: "marker", "numbered", "agenda", "whole"

    def text_of(self, index: int) -> str:
        report = self.reports[index]
        return self.text[report.start:report.end].strip("\n\f")

    def pages_of(self, index: int) -> tuple[int, int]:
        """First and last page (1-based) of a report."""
        report = self.reports[index]
        last = max(report.start, report.end - 1)  # scanned annex pages, empty, count too
        return self.text.count("\f", 0, report.start) + 1, self.text.count("\f", 0, last) + 1

    @property
    def preamble(self) -> str:
        """What comes before the first report: cover page, attendance, agenda."""
        end = self.reports[0].start if self.reports else len(self.text)
        return self.text[:end].strip("\n\f")


class _Line(NamedTuple):  # a NamedTuple: a bundle has tens of thousands of lines
    start: int
    end: int
    text: str
    page: int  # 0-based
    top: bool  # among the first lines of its page


# --- entry point -----------------------------------------------------------------------------


def split_bundle(text: str) -> Split:
    """The reports of a bundle, found by their markers, numbers or agenda titles."""
    lines = _lines(text)
    width = _full_width(lines)
    agenda, agenda_lines = _find_agenda(lines, width)
    for method, finder in (("marker", _by_markers), ("numbered", _by_numbers),
                           ("agenda", _by_agenda_titles), ("numbered", _by_listing)):
        reports = finder(lines, width, agenda, agenda_lines)
        if reports:
            return Split(text, tuple(_ends(reports, text)), tuple(agenda), method)
    title = lines[0].text if lines else ""
    whole = Report(0, len(text), None, _clean_title(title), title, "whole")
    return Split(text, (whole,), tuple(agenda), "whole")


def find_agenda(text: str) -> list[AgendaItem]:
    """The agenda of a bundle: its numbered items listed one after another."""
    lines = _lines(text)
    return _find_agenda(lines, _full_width(lines))[0]


def _lines(text: str) -> list[_Line]:
    lines, page, position = [], 0, 0
    for page_text in text.split("\f"):
        count = 0
        for raw in page_text.split("\n"):
            stripped = raw.strip()
            if stripped:
                if "  " in stripped or "\t" in stripped:
                    stripped = " ".join(stripped.split())
                lines.append(_Line(position, position + len(raw), stripped, page, count < 4))
                count += 1
            position += len(raw) + 1
        page += 1
    return lines


def _full_width(lines: list[_Line]) -> int:
    """The length of a full line: a line this long was wrapped, its sentence goes on."""
    lengths = sorted(len(line.text) for line in lines)
    if not lengths:
        return 80
    return max(60, int(0.8 * lengths[int(0.95 * (len(lengths) - 1))]))


def _ends(reports: list[Report], text: str) -> list[Report]:
    reports = sorted(reports, key=lambda report: report.start)
    ends = [report.start for report in reports[1:]] + [len(text)]
    return [dataclasses.replace(report, end=end) for report, end in zip(reports, ends,
                                                                        strict=True)]


# --- 1. markers ------------------------------------------------------------------------------

_NUMERO = r"(?:n\s*[°º˚o]\.?|num[ée]ro)"
_MARKER = re.compile(
    rf"^(?:(?P<label>rapport|projet\s+de\s+d[ée]lib[ée]ration|d[ée]lib[ée]ration|point"
    rf"|question|affaire|dossier)\s*{_NUMERO}?|{_NUMERO})\s*"
    r"(?P<number>[A-Z0-9](?:[\w./-]*\w)?)\s*(?:[:\-–—.]\s*(?P<title>\S.*))?$",
    re.IGNORECASE)
_OBJET = re.compile(r"^objet\s*:?\s*(?P<title>.*)$", re.IGNORECASE)


_MARKER_FIRST = frozenset("rRpPdDqQaAnN")  # the first letters of _MARKER's words


def _marker(line: _Line) -> tuple[str, str | None] | None:
    if line.text[0] not in _MARKER_FIRST:
        return None
    match = _MARKER.match(line.text)
    if not match or not re.search(r"\d", match["number"]):
        return None
    if not match["label"] and match["title"]:  # a bare "N° …" stands alone on its line
        return None
    return match["number"], match["title"]


def _by_markers(lines, width, agenda, agenda_lines) -> list[Report]:
    found = [(i, marker) for i, line in enumerate(lines) if (marker := _marker(line))]
    numbers = [marker[0] for _, marker in found]
    if len(set(numbers)) < 2:
        return []
    reports, previous = [], None
    for i, (number, inline_title) in found:
        if number == previous:  # the same report's header on its next page
            continue
        previous = number
        line = lines[i]
        title = inline_title and _continue_title(lines, i, inline_title, width)
        start = line.start
        if line.top and _capitals_above(lines, i):
            start = _page_start(lines, i)  # "DIRECTION …" above the marker is its own
        reports.append(Report(start, 0, number, _clean_title(title or _objet(lines, i, width)),
                              line.text, "marker"))
    return reports


def _capitals_above(lines: list[_Line], i: int) -> bool:
    """Whether the lines above a marker on its page are headings in capitals."""
    above = [line.text for line in lines[max(0, i - 4):i] if line.page == lines[i].page]
    letters = [ch for text in above for ch in text if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def _page_start(lines: list[_Line], i: int) -> int:
    while i > 0 and lines[i - 1].page == lines[i].page:
        i -= 1
    return lines[i].start


def _objet(lines: list[_Line], i: int, width: int) -> str:
    """The "Objet :" of a report whose marker has no title, else its next line."""
    following = range(i + 1, min(i + 8, len(lines)))
    for j in following:
        if _marker(lines[j]) and _marker(lines[j])[0] != _marker(lines[i])[0]:
            break
        match = _OBJET.match(lines[j].text)
        if match:
            if match["title"]:
                return _continue_title(lines, j, match["title"], width)
            if j + 1 < len(lines):
                return _continue_title(lines, j + 1, lines[j + 1].text, width)
    return lines[i + 1].text if i + 1 < len(lines) else ""


# --- 2. numbered items -----------------------------------------------------------------------

_NUMBERED = re.compile(
    r"^(?P<number>\d{1,3})(?:\s*(?P<sep>[/).°:\-–—])\s*|\s+)(?P<title>\S.*)$")
_TRAILING = re.compile(r"^(questions?|informations?|points?)\s+divers(es)?\b|^divers\b",
                       re.IGNORECASE)


@dataclass(frozen=True)
class _Item:
    line: int  # index in lines
    number: int
    style: str
    title: str


def _numbered(lines: list[_Line]) -> list[_Item]:
    items = []
    for i, line in enumerate(lines):
        if not line.text[0].isdigit():  # cheap test first: most lines are prose
            continue
        match = _NUMBERED.match(line.text)
        if not match:
            continue
        title, sep = match["title"], (match["sep"] or " ").strip()
        if sep and line.text[match.end("sep"):match.end("sep") + 1].isdigit():
            continue  # "6.1 École", "2/3": a sub-item or a fraction
        # A title starts with a letter or a quote, or with a street number ("11 - 1
        # Boulevard Mendès France"); "5 Titre" needs a capital ("2 bureaux à préparer"
        # is not an item).
        first = re.sub(r"^\d{1,4}\s+(?=[^\W\d_])", "", title)[0]
        if (sep == "" and not first.isupper()) or not (first.isalpha() or first in "«\"'"):
            continue
        style = {"–": "-", "—": "-"}.get(sep, sep)
        items.append(_Item(i, int(match["number"]), style, title))
    return items


def _best_run(items: list[_Item]) -> list[_Item]:
    """The longest run numbered n, n+1, n+2… in one style; on a tie, the run starting at
    1, then the one spread over more lines (the body rather than a list)."""
    best: list[_Item] = []

    def score(run: list[_Item]) -> tuple:
        return len(run), run[0].number == 1, run[-1].line - run[0].line

    for style in sorted({item.style for item in items}):
        ending: dict[int, list[_Item]] = {}  # number → best run ending with that number
        for item in (item for item in items if item.style == style):
            run = [*ending.get(item.number - 1, []), item]
            if len(run) > len(ending.get(item.number, [])):  # a repeated number: the first
                ending[item.number] = run
        for run in ending.values():
            if not best or score(run) > score(best):
                best = run
    return best


_AGENDA_CUE = re.compile(r"(ordre du jour|sommaire|liste des (rapports|points|questions)"
                         r"|table des mati[èe]res|n[°o]\s+objet)", re.IGNORECASE)


def _is_listing(run: list[_Item], lines: list[_Line]) -> bool:
    """Items one per line (or wrapped once): an agenda or a table of contents.

    Short minutes can also give one or two lines per item, so items three lines apart
    only make a listing under an "Ordre du jour" or "Sommaire" line.
    """
    if len(run) < 3:
        return False
    gaps = sorted(b.line - a.line for a, b in zip(run, run[1:], strict=False))
    if gaps[-1] > 3:
        return False
    first = run[0].line
    cue = any(_AGENDA_CUE.search(lines[j].text) for j in range(max(0, first - 3), first))
    return cue or gaps[len(gaps) // 2] <= 1


def _find_agenda(lines: list[_Line], width: int) -> tuple[list[AgendaItem], set[int]]:
    items = _numbered(lines)
    while items:
        run = _best_run(items)
        if len(run) < 3:
            break
        if _is_listing(run, lines):
            agenda = []
            for k, item in enumerate(run):
                if k + 1 < len(run):  # every line up to the next item is its title
                    title = _continue_title(lines, item.line, item.title, width,
                                            stop=run[k + 1].line, listing=True)
                else:
                    title = _continue_title(lines, item.line, item.title, width)
                agenda.append(AgendaItem(str(item.number), _clean_title(title)))
            return agenda, {item.line for item in run}
        items = [item for item in items if item not in run]
    return [], set()


def _by_numbers(lines, width, agenda, agenda_lines) -> list[Report]:
    items = [item for item in _numbered(lines) if item.line not in agenda_lines]
    run = _best_run(items)
    if len(run) < 2 or (len(run) < 3 and len(agenda) >= 3):
        return []
    titles = {item.number: item.title for item in agenda}
    reports = []
    for item in run:
        title = _clean_title(_continue_title(lines, item.line, item.title, width))
        reports.append(Report(lines[item.line].start, 0, str(item.number),
                              _best_title(title, titles.get(str(item.number))),
                              lines[item.line].text, "numbered"))
    trailing = next((j for j in range(run[-1].line + 1, len(lines))
                     if _TRAILING.match(lines[j].text)), None)
    if trailing is not None:
        line = lines[trailing]
        reports.append(Report(line.start, 0, None, _clean_title(line.text), line.text,
                              "trailing"))
    return reports


def _by_listing(lines, width, agenda, agenda_lines) -> list[Report]:
    """Last resort: the listing itself, one report per item (a relevé de décisions)."""
    ordered = sorted(agenda_lines)
    return [Report(lines[i].start, 0, item.number, item.title, lines[i].text, "numbered")
            for i, item in zip(ordered, agenda, strict=True)]


def _best_title(found: str, listed: str | None) -> str:
    """The agenda's title when it says the same as the body's, in full (the body cuts
    titles, and the agenda is the official wording)."""
    if not listed:
        return found
    a, b = normalize_name(found), normalize_name(listed)
    if b.startswith(a) or difflib.SequenceMatcher(None, a, b).ratio() >= 0.6:
        return listed if len(listed) >= len(found) else found
    return found


# --- 3. agenda titles ------------------------------------------------------------------------


def _by_agenda_titles(lines, width, agenda, agenda_lines) -> list[Report]:
    if len(agenda) < 2:
        return []
    after = max(agenda_lines) + 1
    reports, j = [], after
    for item in agenda:
        key = normalize_name(item.title)[:40]
        for k in range(j, len(lines)):
            candidate = normalize_name(lines[k].text)[:40]
            if candidate and (candidate.startswith(key[:25]) or difflib.SequenceMatcher(
                    None, candidate, key).ratio() >= 0.85):
                reports.append(Report(lines[k].start, 0, item.number, item.title,
                                      lines[k].text, "agenda"))
                j = k + 1
                break
    return reports if len(reports) >= max(2, len(agenda) // 2) else []


# --- titles -----------------------------------------------------------------------------------

_OPEN_ENDINGS = {
    "de", "des", "du", "d", "la", "le", "les", "l", "à", "au", "aux", "et", "ou", "pour",
    "par", "sur", "en", "avec", "dans", "entre", "un", "une", "sous", "vers", "chez", "-",
    "–", "son", "sa", "ses", "leur", "leurs", "ce", "cette", "ces", "relative", "relatif",
}


def _continue_title(lines: list[_Line], i: int, title: str, width: int, *,
                    stop: int | None = None, listing: bool = False) -> str:
    """A title and the lines it wraps onto: while a line is full, ends on a word like
    "de" or "et", or the next one starts in lower case (at most three more lines)."""
    stop = min(stop if stop is not None else i + 4, i + 4, len(lines))
    parts, current = [title], lines[i]
    for j in range(i + 1, stop):
        following = lines[j]
        if following.page != current.page and not listing:
            break
        last_word = re.split(r"[\s']+", parts[-1].rstrip(" :"))[-1].lower()
        next_text = following.text
        wrapped = (len(current.text) >= width or last_word in _OPEN_ENDINGS
                   or next_text[0].islower() or listing)
        if not wrapped or parts[-1].rstrip().endswith((".", ":", ";")) or _starts_item(
                next_text) or _OBJET.match(next_text) or (_shouted(next_text) and not
                                                           _shouted(title)):
            break  # a heading in capitals ("EXPOSÉ DES MOTIFS") is not part of the title
        parts.append(next_text)
        current = following
    return " ".join(parts)


def _shouted(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


def _starts_item(text: str) -> bool:
    return bool(_NUMBERED.match(text) or _MARKER.match(text) or _TRAILING.match(text))


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    return title.rstrip(" :;,.-–—").strip()


# --- the review screen -------------------------------------------------------------------------


def line_start(text: str, offset: int) -> int:
    """The start of the line holding ``offset``: splits always fall on a line."""
    offset = max(0, min(offset, len(text)))
    return max(text.rfind("\n", 0, offset), text.rfind("\f", 0, offset)) + 1


def move_boundary(split: Split, index: int, offset: int) -> Split:
    """Move the start of report ``index`` (and the end of the one before) to ``offset``."""
    reports = list(split.reports)
    report = reports[index]
    start = line_start(split.text, offset)
    low = reports[index - 1].start + 1 if index > 0 else 0
    if not low <= start < report.end:
        raise ValueError("the new start must fall between the previous report and the end "
                         "of this one")
    reports[index] = dataclasses.replace(report, start=start)
    if index > 0:
        reports[index - 1] = dataclasses.replace(reports[index - 1], end=start)
    return dataclasses.replace(split, reports=tuple(reports))


def merge(split: Split, index: int) -> Split:
    """Merge report ``index`` with the next one; the first keeps its number and title."""
    reports = list(split.reports)
    first, second = reports[index], reports[index + 1]
    reports[index:index + 2] = [dataclasses.replace(first, end=second.end)]
    return dataclasses.replace(split, reports=tuple(reports))


def rename(split: Split, index: int, title: str, number: str | None = None) -> Split:
    """Give report ``index`` a new title (and number, if given)."""
    reports = list(split.reports)
    changes = {"title": _clean_title(title)}
    if number is not None:
        changes["number"] = number or None
    reports[index] = dataclasses.replace(reports[index], **changes)
    return dataclasses.replace(split, reports=tuple(reports))


def split_at(split: Split, offset: int, title: str | None = None,
             number: str | None = None) -> Split:
    """Start a new report at the line holding ``offset`` (titled by that line by default)."""
    start = line_start(split.text, offset)
    reports = list(split.reports)
    index = next((k for k, report in enumerate(reports) if report.start < start < report.end),
                 None)
    if index is None:
        raise ValueError("a new report must start inside an existing one")
    heading = split.text[start:].split("\n", 1)[0].split("\f", 1)[0].strip()
    old = reports[index]
    new = Report(start, old.end, number, _clean_title(title or heading), heading, "manual")
    reports[index:index + 1] = [dataclasses.replace(old, end=start), new]
    return dataclasses.replace(split, reports=tuple(reports))
