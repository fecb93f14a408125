"""Who wrote a report and who examined it, read from its first lines: the direction (or
service, pôle, direction générale adjointe) and the thematic commission.

Pure Python, no Django. Only the head of a report is read (``HEAD_LINES`` non-empty
lines): that is where councils put them, and it keeps the ingestion fast.

- ``read_head(text)`` → :class:`Head`: the direction as written (capitals softened:
  "DIRECTION DE L'AMÉNAGEMENT DU TERRITOIRE" → "Direction de l'aménagement du
  territoire"), and the commission as the text names it ("Commission : Aménagement du
  territoire", "Examiné en commission Solidarités le 3 octobre", "VU l'avis favorable de
  la commission culture du 23 juin 2021", "Commission n°3 – Finances").
- ``code_of("DAT/2022/81")`` → "DAT"; ``acronym_fits("DPAPH", "Direction Personnes âgées
  personnes handicapées")``; ``directions_by_code(pairs, names)``: which direction a code
  stands for, from the reports of the same bundle and the directions already known.
- ``commission_match(name, number, bodies)``: the body among the assembly's thematic
  commissions, accent-insensitive and fuzzy (rapidfuzz), ``None`` when unsure.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from hemicycle.lib.text import normalize_name

HEAD_LINES = 40
HEAD_CHARS = 8000  # enough for 40 lines; the rest of the report is never split


@dataclass(frozen=True)
class Head:
    direction: str = ""  # as written, capitals softened; "" when none found
    commission: str = ""  # the commission's name as the text gives it, without "Commission"
    commission_number: str = ""  # "3" for "Commission n°3"
    code: str = ""  # a bare code on a "Direction : DAT" line


# --- directions -------------------------------------------------------------------------------

# A line naming the unit: "Direction de …", "DIRECTION ENFANCE FAMILLE", "Direction
# Générale Adjointe chargée de …", "DGA Solidarités", "Pôle …", "Service …".
_UNIT_LINE = re.compile(
    r"^(?P<kind>direction\s+g[ée]n[ée]rale\s+adjointe|direction\s+g[ée]n[ée]rale|direction"
    r"|d\.?g\.?a\.?|p[ôo]le|service|d[ée]l[ée]gation)\b\s*[-–—]?\s*(?P<rest>.*)$",
    re.IGNORECASE)
# A labelled line: "Direction : …", "Service instructeur : …", "Direction pilote – …".
_UNIT_LABEL = re.compile(
    r"^(?P<kind>direction|service|p[ôo]le|d\.?g\.?a\.?)(?:\s+(?:instructeur|instructrice"
    r"|gestionnaire|pilote|r[ée]f[ée]rente?|porteuse?|porteur|concern[ée]e?|[ée]mett(?:eur"
    r"|rice)|responsable|rapporteur|rapporteuse))?\s*(?::|[-–—]\s)\s*(?P<value>\S.*)$",
    re.IGNORECASE)
# A bare code: "DAT", "DGA-S", "DPAPH".
_BARE_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,7}(?:-[A-Z0-9]{1,4})?$")
# Units outside the assembly (the State's, the fire service) or words that make a line
# part of a sentence rather than a heading.
_FOREIGN = re.compile(
    r"\b(?:regionale?|interministeriel|interregionale?|nationale?|departementale? des "
    r"(?:territoires|finances|services|affaires)|finances publiques|incendie|de l etat"
    r"|public|publics)\b")
_RANKS = {"direction": 0, "labelled": -1, "service": 1, "delegation": 1, "dga": 2,
          "direction generale": 2, "direction generale adjointe": 2, "pole": 3}
_OPEN_END = re.compile(r"(?:\b(?:de|du|des|la|le|les|et|a|au|aux|en|pour|chargee?)|[dl]['’])$",
                       re.IGNORECASE)
_NUMBERS_TWICE = re.compile(r"\d[\d,.]*\s+\d")


def _head_lines(text: str) -> Iterator[str]:
    """The first non-empty lines, whitespace collapsed, read lazily (most reports say
    what they need in their first five)."""
    count, start, end = 0, 0, min(len(text), HEAD_CHARS)
    while start < end and count < HEAD_LINES:
        stop = text.find("\n", start, end)
        stop = end if stop < 0 else stop
        for piece in text[start:stop].split("\f"):
            line = piece.strip()
            if line and count < HEAD_LINES:
                count += 1
                yield " ".join(line.split()) if "  " in line or "\t" in line else line
        start = stop + 1


def soften_capitals(text: str) -> str:
    """"DIRECTION ENFANCE FAMILLE" → "Direction enfance famille"; a text in mixed case
    is kept; words without a vowel ("DRH") and known acronyms ("PMI", "RSA") stay."""
    if any(ch.islower() for ch in text):
        return text
    words = []
    for word in text.split(" "):
        letters = re.sub(r"[^\w]", "", word)
        if letters and (letters in _ACRONYMS or not re.search(r"[AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜ]",
                                                               letters)):
            words.append(word)
        else:
            words.append(word.lower())
    softened = " ".join(words)
    return softened[:1].upper() + softened[1:]


_ACRONYMS = {"RSA", "DGA", "PMI", "ASE", "MDPH", "EHPAD", "RH", "SI", "PMR", "APA", "PCH",
             "MDS", "UTPAS", "SDIS", "RD", "MNA", "TIC", "ENS", "PDI", "EPCI"}


def _unit_of(line: str, following: str | None) -> tuple[int, str, str] | None:
    """(rank, the unit's name, a bare code) for a line naming a direction or a service."""
    first = line[0]
    if first not in "DdSsPp":
        return None
    labelled = _UNIT_LABEL.match(line)
    if labelled:
        value = labelled["value"].strip(" .;,")
        if _BARE_CODE.match(value):
            return _RANKS["labelled"], "", value
        kind = labelled["kind"]
        if not _UNIT_LINE.match(value):  # "Direction : Aménagement du territoire"
            value = f"{kind[:1].upper()}{kind[1:].lower()} {value}"
        return _RANKS["labelled"], soften_capitals(value), ""
    match = _UNIT_LINE.match(line)
    if not match or not first.isupper() or len(line) > 140:
        return None
    rest = match["rest"]
    if len(rest) < 2 or line.endswith((",", ";")) or _NUMBERS_TWICE.search(line):
        return None
    if not (rest[0].isupper() or re.match(r"(?:de|du|des|d['’]|chargée?|en charge)\b",
                                          rest, re.IGNORECASE)):
        return None  # "Service rendu aux usagers…", "direction à prendre"
    folded = normalize_name(line)
    if _FOREIGN.search(folded) or len(folded.split()) > 16:
        return None
    name = line
    # A heading wrapped in two: "DIRECTION GÉNÉRALE ADJOINTE CHARGÉE DE LA SOLIDARITÉ ET" /
    # "DE L'AUTONOMIE".
    if following and _OPEN_END.search(line) and len(following) < 80 and not _UNIT_LINE.match(
            following):
        name = f"{line} {following}"
    kind = normalize_name(match["kind"]).replace(" ", "")
    kind = {"dga": "dga", "directiongeneraleadjointe": "direction generale adjointe",
            "directiongenerale": "direction generale"}.get(kind, kind)
    if kind == "dga":
        name = re.sub(r"^d\.?g\.?a\.?\b", "Direction générale adjointe", name,
                      flags=re.IGNORECASE)
    return _RANKS[kind], soften_capitals(name.strip(" .:")), ""


# --- commissions ------------------------------------------------------------------------------

_COMMISSION_LABEL = re.compile(
    r"^commission(?:\s+(?:saisie|comp[ée]tente|th[ée]matique|concern[ée]e|d['’]examen|"
    r"r[ée]f[ée]rente|rapporteuse|de\s+rattachement|interne))?\s*:\s*(?P<name>\S.*)$",
    re.IGNORECASE)
_COMMISSION_NUMBER = re.compile(
    r"^(?:commission\s+n\s*[°º˚o]\.?\s*(?P<n1>\d{1,2})|(?P<n2>\d{1,2})\s*(?:e|è|ème|eme|re"
    r"|ère|ere)\s+commission)\b\s*(?:[-–—:,.]\s*)?(?P<name>.*)$", re.IGNORECASE)
_COMMISSION_CITED = re.compile(
    r"(?:examin[ée]e?s?|[ée]tudi[ée]e?s?|pr[ée]sent[ée]e?s?|soumise?s?|avis(?:\s+(?:favorable"
    r"|d[ée]favorable|unanime|conforme))?)\s+(?:en|par\s+la|devant\s+la|à\s+la|de\s+la)\s+"
    r"(?:(?P<n1>\d{1,2})\s*(?:e|è|ème|eme|re|ère|ere)\s+)?commission"
    r"(?:\s+n\s*[°º˚o]\.?\s*(?P<n2>\d{1,2})\b)?(?P<name>.*)$", re.IGNORECASE)
_COMMISSION_HEADING = re.compile(r"^C(?:ommission|OMMISSION)\s+(?P<name>[A-ZÀ-ÝŒ].*)$")
_CITED_END = re.compile(
    r"^\s*,|\s+(?:du|le|lors\s+de\s+sa\s+s[ée]ance\s+du|en\s+(?:sa\s+)?(?:s[ée]ance|date)\s+du"
    r"|r[ée]unie\s+le)\s+(?:\d|1er|premier)|\s*[;.](?:\s|$)|\s+\(", re.IGNORECASE)
# Commissions that do not examine reports for a body of the assembly, and words that
# say nothing of which one it is.
_NOT_THEMATIC = re.compile(
    r"^(?:permanente|d appel|d analyse|locale?|departementale|regionale|nationale"
    r"|consultative|mixte|paritaire|administrative|de delegation|de controle|communale"
    r"|intercommunale|europeenne|d attribution|de suivi|d evaluation|des finances publiques"
    r"|competente|concernee|thematique|ad hoc|ci dessus|precitee|susvisee|de travail)\b")
_COMMISSION_STOP = {"commission", "thematique", "de", "du", "des", "d", "la", "le", "les",
                    "l", "et", "a", "au", "aux", "en", "n", "no", "sur", "pour"}


def _clean_commission(name: str) -> str:
    end = _CITED_END.search(name)
    if end:
        name = name[:end.start()]
    name = re.sub(r"^(?:commission\s+)", "", name.strip(), flags=re.IGNORECASE)
    return soften_capitals(name.strip(" ,:;.–—-"))


def _commission_of(line: str) -> tuple[int, str, str] | None:
    """(rank, name, number) of a commission named on this line."""
    first = line[0]
    if first in "Cc":
        match = _COMMISSION_LABEL.match(line)
        if match:
            return 0, _clean_commission(match["name"]), ""
    if first in "Cc0123456789":
        match = _COMMISSION_NUMBER.match(line)
        if match:
            return 0, _clean_commission(match["name"]), match["n1"] or match["n2"]
    if "ommission" in line or "OMMISSION" in line:
        match = _COMMISSION_CITED.search(line)
        if match:
            return 1, _clean_commission(match["name"]), match["n1"] or match["n2"] or ""
        match = _COMMISSION_HEADING.match(line)
        if match and len(line) <= 140 and not line.endswith((",", ";")):
            return 2, _clean_commission(match["name"]), ""
    return None


def _thematic(name: str, number: str) -> bool:
    folded = normalize_name(name)
    if not folded:
        return bool(number)
    return not _NOT_THEMATIC.match(folded)


# --- the head ---------------------------------------------------------------------------------


def read_head(text: str) -> Head:
    """The direction and the commission a report's first lines name (see the module)."""
    unit: tuple[int, str] | None = None
    code = ""
    commission: tuple[int, str, str] | None = None
    line = None
    for following in itertools.chain(_head_lines(text), [None]):
        if line is not None:
            found = _unit_of(line, following)
            if found:
                rank, name, bare = found
                if bare:
                    code = code or bare
                elif unit is None or rank < unit[0]:
                    unit = (rank, name)
            else:
                cited = _commission_of(line)
                if cited and _thematic(cited[1], cited[2]) and (
                        commission is None or cited[0] < commission[0]):
                    commission = cited
            if unit and unit[0] <= 0 and commission and commission[0] == 0:
                break  # a direction and a commission under their own headings: done
        line = following
    return Head(direction=unit[1][:200] if unit else "",
                commission=commission[1][:200] if commission else "",
                commission_number=commission[2] if commission else "", code=code)


# --- codes --------------------------------------------------------------------------------------

_CODE = re.compile(r"^(?P<code>[A-Z][A-Z]{1,7})(?=[/_.-]|\s?\d)")
_ACRONYM_STOP = {"de", "du", "des", "d", "la", "le", "les", "l", "et", "a", "au", "aux", "en",
                 "pour", "chargee", "charge", "sur"}


def code_of(number: str | None) -> str:
    """The direction's code a report number starts with: "DAT/2022/81" → "DAT"."""
    match = _CODE.match((number or "").strip())
    return match["code"] if match else ""


def acronym_fits(code: str, name: str) -> bool:
    """Whether ``code`` is made of the starts of the name's words, in order: "DAT" and
    "DCOL" fit "Direction de l'Aménagement du territoire" and "Direction des collèges";
    one word may be left out ("DAT" fits "… du territoire et du logement")."""
    words = [w for w in normalize_name(name).split() if w not in _ACRONYM_STOP]
    code = code.lower()
    if not code or not words or words[0][0] != code[0]:
        return False

    def fits(c: int, w: int, skips: int) -> bool:
        if c == len(code):
            return w >= len(words) - skips  # all words used, or one left out
        if w >= len(words):
            return False
        word = words[w]
        for size in range(min(len(word), len(code) - c), 0, -1):
            if word[:size] == code[c:c + size] and fits(c + size, w + 1, skips):
                return True
        return skips > 0 and w > 0 and fits(c, w + 1, skips - 1)

    return fits(0, 0, 1)


def directions_by_code(pairs: Iterable[tuple[str, str]], names: Iterable[str] = ()
                       ) -> dict[str, str]:
    """Which direction each code stands for. ``pairs`` are (code, direction) seen on the
    same reports (a bundle's): a code is mapped when its direction's acronym fits it, or
    when all its reports agree. ``names`` are directions already known (the workspace's),
    used for codes of ``pairs`` without a direction and to spell the directions found."""
    seen: dict[str, set[str]] = defaultdict(set)
    codes = set()
    names = [name for name in dict.fromkeys(names) if name]
    spelled = {normalize_name(name): name for name in names}
    for code, direction in pairs:
        if not code:
            continue
        codes.add(code)
        if direction:
            seen[code].add(spelled.get(normalize_name(direction), direction))
    mapping = {}
    for code in codes:
        found = seen.get(code, set())
        fitting = [name for name in found if acronym_fits(code, name)]
        if len(fitting) == 1:
            mapping[code] = fitting[0]
        elif len(found) == 1:
            mapping[code] = next(iter(found))
        else:
            known = [name for name in names if acronym_fits(code, name)]
            if len(known) == 1:
                mapping[code] = known[0]
    return mapping


def direction_spelling(direction: str, names: Iterable[str]) -> str:
    """The known spelling of a direction found in capitals or written differently."""
    key = normalize_name(direction)
    return next((name for name in names if normalize_name(name) == key), direction)


def direction_resolve(head: Head, number: str | None, mapping: dict[str, str],
                      names: Iterable[str] = ()) -> str:
    """A report's direction: the code of a "Direction : DAT" line when known, else the
    direction its head names (in the known spelling), else the one its number's code
    stands for, else the bare code; "" when nothing says."""
    if head.code and head.code in mapping:
        return mapping[head.code]
    if head.direction:
        return direction_spelling(head.direction, names)
    return mapping.get(code_of(number), head.code)


# --- matching a commission to the assembly's bodies ------------------------------------------


def _commission_key(name: str) -> str:
    return " ".join(w for w in normalize_name(name).split()
                    if w not in _COMMISSION_STOP and not w.isdigit())


def commission_match(name: str, number: str, bodies: Sequence[tuple[Hashable, str]],
                     threshold: int = 80) -> Hashable | None:
    """The key of the body ``name`` (or "Commission n° ``number``") means, among
    ``bodies`` as (key, name); ``None`` when none is close enough or two are as close."""
    if number:
        numbered = [key for key, body in bodies
                    if re.search(rf"(?:n\s*[°º˚o]\.?\s*{number}\b|\b{number}\s*(?:e|è|ème|eme"
                                 rf"|re|ère|ere)\b)", body, re.IGNORECASE)]
        if len(numbered) == 1:
            return numbered[0]
    wanted = _commission_key(name)
    if not wanted:
        return None
    scored = sorted(((fuzz.token_set_ratio(wanted, _commission_key(body)), key)
                     for key, body in bodies), key=lambda pair: -pair[0])
    if not scored or scored[0][0] < threshold:
        return None
    if len(scored) > 1 and scored[1][0] >= scored[0][0] - 2:
        return None  # "culture" for "Culture, sport" and "Culture et patrimoine": unsure
    return scored[0][1]
