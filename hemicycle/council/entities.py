"""What a report names: amounts in euros, dates, communes and cantons, organisations and
the beneficiaries of its tables; and, from its first lines, the direction that wrote it
and the commission that examined it (``reporthead``).

Pure Python, no Django. spaCy (``fr_core_news_sm``) is imported only when organisations
are asked for, loaded once per process with its NER pipe alone, and only reads what the
rules leave unexplained (see :class:`OrganisationFinder`).

Entry points: ``extract_entities(text, gazetteer=…, organisations=…)`` for one report,
``extract_entities_many(texts, …)`` for a bundle (one NER batch for all its reports).

**Place names** (:class:`Gazetteer`) are matched word for word, accents, case, "œ" and
hyphens aside ("Mons en Baroeul" finds Mons-en-Barœul), with two rules against false
positives:

1. *Capitals*: each word written with a capital in the official name must have one in
   the text (or the text is in capitals): "la ville de lille" and "un don" match nothing.
2. *Ambiguous names* (two letters or fewer, or a French word, such as Eu, Y, Bray, Don,
   Mars, Ville) also need a place word just before them, "à", "de", "d'", "commune de",
   "canton de": "à Bray" matches, "Bray" at the start of a sentence does not.

A name is never matched inside a longer hyphenated one ("Lille" in "Lille-Hellemmes"); a
name with its article is also found after "au", "du", "aux", "des" ("au Quesnoy"); after
"canton de" the canton wins over the commune of the same name.
"""

from __future__ import annotations

import bisect
import functools
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from hemicycle.council.reporthead import Head, read_head
from hemicycle.lib.forked import ChildGone, forked_call

# --- amounts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Amount:
    value: Decimal  # in euros
    text: str  # as written: "1,2 M€"
    start: int
    end: int
    context: str  # the table line, or the sentence around it
    tax: str | None = None  # "HT" or "TTC" when written


_SCALES = {"k": 1_000, "millier": 1_000, "milliers": 1_000, "m": 1_000_000,
           "million": 1_000_000, "millions": 1_000_000, "md": 1_000_000_000,
           "mds": 1_000_000_000, "milliard": 1_000_000_000, "milliards": 1_000_000_000}
_AMOUNT = re.compile(
    r"(?<![\w.,’'])(?P<sign>[-−+])?"
    r"(?P<number>\d{1,3}(?:[ \u00a0\u202f\u2009.’']\d{3})+(?:,\d{1,2})?|\d+(?:[.,]\d+)?)"
    r"\s?(?:(?P<scale>k|K|M|Md|Mds|milliers?|millions?|milliards?)\s?(?:d[’']|de\s)?\s?)?"
    r"(?P<currency>€|euros?\b|EUR\b)"
    r"(?:\s?(?P<tax>HT|TTC)\b)?")


_NUMBER_SPACES = re.compile(r"[\s’']")
_DOTTED_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")


def parse_number(text: str) -> Decimal | None:
    """"87 458" → 87458, "12 345,67" → 12345.67, "620.000" → 620000, "1.68" → 1.68.

    A dot before exactly three digits separates thousands (French usage), before one or
    two it is a decimal point (as in "1.68 €").
    """
    if not text.isdigit():
        text = _NUMBER_SPACES.sub("", text)
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif "." in text and _DOTTED_THOUSANDS.fullmatch(text):
        text = text.replace(".", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def parse_amount(text: str) -> Decimal | None:
    """The value in euros of one written amount: "1,2 M€" → 1200000."""
    match = _AMOUNT.search(text)
    return _value(match) if match else None


def _value(match: re.Match) -> Decimal | None:
    number = parse_number(match["number"])
    if number is None:
        return None
    scale = (match["scale"] or "").lower()
    if scale:
        number *= _SCALES[scale]
    if match["sign"] in ("-", "−"):
        number = -number
    return number.quantize(Decimal(1)) if number == number.to_integral() else number


def find_amounts(text: str) -> list[Amount]:
    """Every amount in euros: "87 458 €", "1,2 M€", "5 000 euros", "3,5 millions d'euros"."""
    amounts = []
    for match in _amount_matches(text):
        value = _value(match)
        if value is None:
            continue
        amounts.append(Amount(value, match.group().strip(), match.start(), match.end(),
                              context_of(text, match.start(), match.end()), match["tax"]))
    return amounts


_CURRENCY = re.compile(r"€|euro|EUR")
_NUMBER_CHARS = frozenset("0123456789 \u00a0\u202f\u2009.’',-−+")


def _amount_matches(text: str) -> Iterable[re.Match]:
    """The matches of _AMOUNT in a text, read only around its currency signs and words.

    Same matches as ``_AMOUNT.finditer(text)``, several times faster on long texts (its
    leading lookbehind and optional sign make the engine try every position). Every match
    ends with a currency: the window before one starts 40 characters back (past any scale
    words: "1,2 milliards d'") and widens over the digits, separators and sign of a number
    cut in the middle. A match too close to the window's end, where the cut could change
    what the end of the pattern sees, is left to the next currency's window.
    """
    last_end, size = 0, len(text)
    for currency in _CURRENCY.finditer(text):
        position = currency.start()
        if position < last_end:
            continue
        start = max(position - 40, last_end)
        while start > last_end and text[start - 1] in _NUMBER_CHARS:
            start -= 1
        end = position + 16
        for match in _AMOUNT.finditer(text, start, end):
            if match.end() + 6 > end and end < size:
                break
            yield match
            last_end = match.end()


def context_of(text: str, start: int, end: int, width: int = 160) -> str:
    """The line of a span if it is short (a table row), else its sentence, clipped."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if line_end - line_start <= width:
        return text[line_start:line_end].strip()
    left = max(text.rfind(". ", 0, start) + 2, text.rfind("\n\n", 0, start) + 2, 0)
    right_candidates = [i for i in (text.find(". ", end), text.find("\n\n", end)) if i >= 0]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    left, right = max(left, start - width), min(right, end + width)
    return " ".join(text[left:right].split())


# --- dates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateMention:
    value: date
    text: str
    start: int
    end: int


MONTHS = {"janvier": 1, "fevrier": 2, "février": 2, "mars": 3, "avril": 4, "mai": 5,
          "juin": 6, "juillet": 7, "aout": 8, "août": 8, "septembre": 9, "octobre": 10,
          "novembre": 11, "decembre": 12, "décembre": 12}
# One pass for the three forms, which all start with a digit: the pattern starts with it
# (the engine skips to digits at C speed) and the "not after a word" check follows it. The
# rest of the day (or year) is in the groups ending in "rest".
_DATE = re.compile(
    r"(?P<first>\d)(?<![\w/.-]\d)(?:"
    r"(?P<wrest>\d?|(?<=1)er)\s+(?P<wmonth>(?i:" + "|".join(MONTHS) + r"))\s+(?P<wyear>\d{4})\b"
    r"|(?P<drest>\d?)(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})"
    r"(?![\d/.-]|,\d)"
    r"|(?P<yrest>\d{3})-(?P<imonth>\d{2})-(?P<iday>\d{2})(?![\d-]))")


def find_dates(text: str) -> list[DateMention]:
    """Dates written "le 5 juillet 2021", "1er janvier 2024", "05/07/2021", "2021-07-05"."""
    dates = []
    for match in _DATE.finditer(text):
        first = match["first"]
        if match["wmonth"]:
            day = 1 if match["wrest"] == "er" else int(first + match["wrest"])
            year, month = int(match["wyear"]), MONTHS[match["wmonth"].lower()]
        elif match["sep"]:
            day, month = int(first + match["drest"]), int(match["month"])
            year = int(match["year"])
            year += 2000 if year < 100 else 0
        else:
            day, month = int(match["iday"]), int(match["imonth"])
            year = int(first + match["yrest"])
        try:
            value = date(year, month, day)
        except ValueError:
            continue
        if 1900 <= year <= 2100:
            dates.append(DateMention(value, match.group(), match.start(), match.end()))
    return dates


def parse_date(text: str) -> date | None:
    """The first date in a text, or None."""
    dates = find_dates(text)
    return dates[0].value if dates else None


# --- places and known names -------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    name: str  # official form: "Mons-en-Barœul"
    kind: str  # "commune", "canton", "departement"…
    code: str  # INSEE code of a commune, code of a canton…


@dataclass(frozen=True)
class PlaceMention:
    text: str  # as written
    start: int
    end: int
    places: tuple[Place, ...]  # several for homonyms


_TOKEN = re.compile(r"[^\W_]+")
# Scanning patterns start with the character class they need, the "not after a letter"
# check coming just after it (``(?<![^\W_].)``): the regex engine then skips to the next
# candidate character at C speed instead of trying a lookbehind at every position.
_CAPITALISED = re.compile(r"[A-ZÀ-ÖØ-ÞŒ](?<![^\W_].)[^\W_]*")
_LETTER = re.compile(r"[^\W_]")
_JOINER = re.compile(r"[\s'’-]{1,3}")
_NEXT_WORD = re.compile(r"[\s'’-]{1,3}([^\W_]+)")
_FOLD = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "’": "'"})
# Words that are also commune names, or too short to trust alone (rule 2 of the doc).
AMBIGUOUS_NAMES = {
    "bray", "eu", "y", "don", "mars", "ville", "vers", "plus", "bar", "bon", "pont", "port",
    "mont", "val", "bois", "champ", "champs", "fontaine", "sept", "neuf", "mer", "cours",
    "roche", "vue", "orange", "sens", "tours", "nord", "marche", "gare", "rue", "lot",
    "centre",
}
_PLACE_CUES = ("a", "de", "d", "du", "commune de", "commune d", "ville de", "ville d",
               "canton de", "canton d", "canton du")


@functools.lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """"Barœul" → "baroeul": lower case, no accents (the key of a name's word)."""
    word = word.translate(_FOLD)
    if word.isascii():
        return word.lower()
    return "".join(ch for ch in unicodedata.normalize("NFKD", word)
                   if not unicodedata.combining(ch)).lower()


class NameIndex:
    """Names (places, known organisations) found word for word in a text; see the module
    doc for the capital and ambiguity rules. ``values`` are returned with each match."""

    def __init__(self, names: Iterable[tuple[str, object]]):
        self._by_first: dict[str, list[tuple[tuple[str, ...], tuple[bool, ...], bool]]] = {}
        self._values: dict[tuple[str, ...], list[object]] = {}
        self._single: set[str] = set()  # first words that are a whole name
        self._second: dict[str, set[str]] = {}  # first word → the second words after it
        for name, value in names:
            words = _TOKEN.findall(name.translate(_FOLD))
            if not words:
                continue
            self._add(words, value, needs_article=False)
            if fold(words[0]) in ("le", "la", "les", "l") and len(words) > 1:
                # "Le Quesnoy" is written "au Quesnoy", "du Quesnoy"
                self._add(words[1:], value, needs_article=True)
        for entries in self._by_first.values():
            entries.sort(key=lambda entry: -len(entry[0]))  # longest name first
        self._longest = max((len(key) for key in self._values), default=1)

    def _add(self, words: list[str], value: object, *, needs_article: bool) -> None:
        key = tuple(fold(word) for word in words)
        if key not in self._values:
            capitals = tuple(word[0].isupper() for word in words)
            self._by_first.setdefault(key[0], []).append((key, capitals, needs_article))
            self._values[key] = []
            if len(key) == 1:
                self._single.add(key[0])
            else:
                self._second.setdefault(key[0], set()).add(key[1])
        self._values[key].append(value)

    def __len__(self) -> int:
        return len(self._values)

    def find(self, text: str) -> list[tuple[int, int, list[object]]]:
        """(start, end, values) of each name found, longest first, without overlaps.

        Only capitalised words can start a name (rule 1), so the scan jumps from one to
        the next and reads the words after it only when it starts a known name.
        """
        found, last_end = [], 0
        if not self._values:
            return found
        for match in _CAPITALISED.finditer(text):
            if match.start() < last_end:
                continue
            first = fold(match.group())
            entries = self._by_first.get(first)
            if not entries:
                continue
            if first not in self._single:  # "Le …", "Saint …": peek at the next word first
                following = _NEXT_WORD.match(text, match.end())
                if not following or fold(following.group(1)) not in self._second[first]:
                    continue
            if len(entries[0][0]) == 1:  # a one-word name ("Lille"): no more words to read
                hit = self._match_word(text, match, entries[0])
            else:
                hit = self._match_at(text, match.start(), entries)
            if hit:
                found.append(hit)
                last_end = hit[1]
        return found

    def _match_word(self, text: str, match: re.Match, entry) -> tuple[int, int, list] | None:
        """_match_at for a one-word name: the capitalised word is the whole name."""
        name, _, needs_article = entry
        start, end = match.span()
        if text[end:end + 1] in ("-", "'", "’") and _LETTER.match(text, end + 1):
            return None  # "Lille" is not a match inside "Lille-Hellemmes"
        if self._ambiguous(name) and not _place_cue_before(text, start):
            return None
        if needs_article and not _article_before(text, start):
            return None
        return start, end, self._values[name]

    def _match_at(self, text: str, start: int, entries) -> tuple[int, int, list] | None:
        tokens: list[tuple[int, int, str]] = []
        keys: list[str] = []
        reader = _TOKEN.finditer(text, start, min(len(text), start + 40 * self._longest))

        def key(k: int) -> str | None:  # the k-th word from start, read only when needed
            while len(tokens) <= k:
                token = next(reader, None)
                if token is None:
                    return None
                tokens.append((token.start(), token.end(), token.group()))
                keys.append(fold(token.group()))
            return keys[k]

        key(0)
        for name, capitals, needs_article in entries:
            size = len(name)
            if any(key(k) != name[k] for k in range(1, size)):
                continue
            if any(cap and not word[0].isupper()
                   for cap, (_, _, word) in zip(capitals, tokens, strict=False)):
                continue
            if any(not _JOINER.fullmatch(text[tokens[k][1]:tokens[k + 1][0]])
                   for k in range(size - 1)):
                continue  # the words of a name are joined by spaces, hyphens, apostrophes
            end = tokens[size - 1][1]
            if text[end:end + 1] in ("-", "'", "’") and key(size) is not None and tokens[
                    size][0] == end + 1:
                continue  # "Lille" is not a match inside "Lille-Hellemmes"
            if self._ambiguous(name) and not _place_cue_before(text, start):
                continue
            if needs_article and not _article_before(text, start):
                continue
            return start, end, self._values[name]
        return None

    @staticmethod
    def _ambiguous(key: tuple[str, ...]) -> bool:
        return len(key) == 1 and (len(key[0]) <= 2 or key[0] in AMBIGUOUS_NAMES)


def _article_before(text: str, start: int) -> bool:
    before = fold(text[max(0, start - 4):start]).rstrip()
    return bool(re.search(r"(?:^|[^a-z])(?:au|aux|du|des)$", before))


def _place_cue_before(text: str, start: int) -> bool:
    before = fold(" ".join(_TOKEN.findall(text[max(0, start - 20):start].translate(_FOLD))))
    return before.endswith(tuple(f" {cue}" for cue in _PLACE_CUES)) or before in _PLACE_CUES


_CANTON_BEFORE = re.compile(r"cantons? (de|d'|du)\s*$")


class Gazetteer:
    """Communes, cantons… to find in reports. Built by the territory app from its tables;
    any iterable of :class:`Place` will do."""

    def __init__(self, places: Iterable[Place]):
        self.places = list(places)
        self._index = NameIndex((place.name, place) for place in self.places)

    def __len__(self) -> int:
        return len(self.places)

    def find(self, text: str) -> list[PlaceMention]:
        mentions = []
        for start, end, places in self._index.find(text):
            before = fold(text[max(0, start - 12):start])
            wanted = "canton" if "canton" in before and _CANTON_BEFORE.search(
                before) else "commune"
            chosen = [p for p in places if p.kind == wanted] or list(places)
            mentions.append(PlaceMention(text[start:end], start, end, tuple(chosen)))
        return mentions


def find_places(text: str, gazetteer: Gazetteer) -> list[PlaceMention]:
    return gazetteer.find(text)


# --- organisations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Organisation:
    name: str
    start: int
    end: int
    source: str  # "known" (given names), "rule" (a word such as "Agence", an acronym), "spacy"


# A name led by one of these words is an organisation: "Agence Nationale du Sport",
# "Caisse d'allocations familiales du Nord", "l'association Habitat Jeunes en Trégor".
ORG_WORDS = (
    "Association", "Agence", "Syndicat", "Fédération", "Union", "Comité", "Centre", "Office",
    "Institut", "Fondation", "Établissement", "Etablissement", "Communauté", "Métropole",
    "Caisse", "Chambre", "Banque", "Université", "Collège", "Lycée", "Club", "Maison",
    "Mission", "Groupement", "Régie", "Coopérative", "Mutuelle", "Conservatoire", "Société",
    "Ligue", "Secours", "Ministère", "Préfecture", "Région", "Entreprise", "Compagnie",
    "Observatoire", "Orchestre", "Théâtre", "Musée", "Foyer", "Institution", "Direction",
)


def _word_list_pattern(words: Iterable[str]) -> str:
    """Whole words of a list, grouped by their first letter ("A(?<!…)(?:gence|ssociation)"),
    so that the engine jumps to those letters (see _CAPITALISED)."""
    tails: dict[str, list[str]] = {}
    for word in words:
        tails.setdefault(word[0], []).append(re.escape(word[1:]))
    return ("(?:" + "|".join(f"{first}(?<![^\\W_].)(?:{'|'.join(rest)})"
                             for first, rest in tails.items()) + r")(?![^\W_])")


# Capitalised ("Association X"), or in lower case after an article ("l'association X",
# not "une subvention aux associations"); the article is read first, as the engine finds
# it quickly, and the word is the group "word".
_ORG_WORD = re.compile(_word_list_pattern(ORG_WORDS))
_ORG_WORD_AFTER_ARTICLE = re.compile(
    r"(?:[lL](?:[’']|[aAeE] )|[uU][nN][eE]? )(?P<word>"
    + "|".join(w.lower() for w in ORG_WORDS) + r")(?![^\W_])")
_NAME_TOKEN = re.compile(r"([ \t]*\n?[ \t]*)([^\W\d_][\w’'-]*|\d+)")
_PARTICLES = {"de", "du", "des", "d", "la", "le", "les", "l", "en", "et", "à", "sur", "pour"}
_NAME_STOPS = {
    "est", "sont", "a", "ont", "qui", "que", "dont", "avec", "dans", "par", "au", "aux", "ne",
    "se", "sera", "seront", "était", "afin", "ainsi", "lors", "selon", "entre", "vers", "chez",
    "sous", "contre", "après", "avant", "depuis", "soit", "ou", "mais", "car", "donc", "ce",
    "cette", "ces", "son", "sa", "ses", "leur", "leurs", "un", "une", "il", "elle", "y",
    "peut", "doit", "vu", "conformément", "notamment", "pour", "sur",
}
_ACRONYM = re.compile(r"[A-Z](?<![\w/].)[A-Z0-9&]{2,7}(?![\w/])")
# Capitals that are not organisations: legal prose, units, roads, budgets, roman numbers.
_NOT_ACRONYMS = {
    "VU", "DIT", "HT", "TTC", "TVA", "RSA", "APA", "PCH", "RD", "BP", "DM", "ETP", "PLU",
    "PPI", "PCS", "COVID", "RGPD", "CGCT", "NB", "PV", "CR", "OBJET", "PAR", "LES", "DES",
    "DU", "AUX", "POUR", "SUR", "DANS", "QUI", "QUE", "EST", "UNE", "II", "III", "IV", "VI",
    "VII", "VIII", "IX", "XI", "XII", "XX", "XXI", "XVI", "EUR", "ET", "CDD", "CDI", "AOT",
    "CA", "BS", "DSP", "MAPA", "DAT", "TOTAL", "ANNEXE", "RAPPORT",
}
# Capitalised runs to give the NER: two capitalised words or more, particles allowed.
_CAPITALISED_RUN = re.compile(
    r"[A-ZÀ-ÖØ-ÞŒ](?<![^\W_].)[\w’'-]*(?:[ \t]+(?:(?:de|du|des|en|et|la|le|les|sur)[ \t]+"
    r"|d[’']|l[’'])?[A-ZÀ-ÖØ-ÞŒ][\w’'-]*)+")
# Whole words only: "La" goes from "La Poste", not from "Lannion".
_LEADING = re.compile(r"^(?:(?:(?:Le|La|Les|Un|Une|Des|Du|De|Ce|Cette|Ces|Il|Elle|Vu|Au"
                      r"|Aux|En|Et|Pour|Par|Sur|Dans|Madame|Monsieur|Mme)(?:\s+|$)"
                      r"|(?:L[’']|M\.)\s*))*")
_NOT_ORG_RUNS = {"conseil departemental", "conseil municipal", "conseil regional",
                 "conseil communautaire", "departement du nord", "president", "code general",
                 "monsieur le president", "madame la presidente", "conseil metropolitain",
                 "questions diverses", "ordre du jour"}
_PERSON_BEFORE = re.compile(
    r"(?:\b(?:M\.|Mme|Mlle|Monsieur|Madame|Mr|Maître|Me|Dr|Docteur)\s+(?:[A-ZÀ-Ý][\w’'-]*\s+)*)$")
# "Yvon KERRAIN", "CORVISIER Bernadette": minutes write surnames in capitals.
_FIRST_NAME_SURNAME = re.compile(
    r"\b[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?\s+[A-ZÀ-Ý]{3,}\b"
    r"|\b[A-ZÀ-Ý]{3,}\s+[A-ZÀ-Ý][a-zà-ÿ]+\b")
_FIRST_NAME_BEFORE = re.compile(
    r"(?<![\w’'])(?!(?:Le|La|Les|Du|De|Des|Au|Aux|Et|En|Un|Une|Vu|Par|Pour|Sur)\s)"
    r"[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?\s+$")
_PARTICLES_AT_START = re.compile(r"^(?:\s*(?:de|du|des|en|et|la|le|les|sur|d[’']|l[’']))+\s")
_PARTICLES_AT_END = re.compile(r"(?:\s+(?:de|du|des|en|et|la|le|les|sur|d[’']|l[’']))+$")
_NER_MARGIN = 25  # enough for "versée à …", "avec …"
_VERDICTS_AT_MOST = 5  # contexts asked about a name the model judges differently


@functools.cache
def load_nlp():
    """spaCy's small French model with its NER pipe alone (it has its own tok2vec: the
    tagger, parser and lemmatizer would triple the time for nothing here).

    Its layers multiply with numpy (OpenBLAS) rather than thinc's default BLIS: on these
    small matrices that is twice as fast here, with the same entities (the same 8,928 on
    the pages of the shared council documents and of a generated bundle)."""
    import spacy
    from thinc.api import use_ops

    with use_ops("numpy", use_blis=False):
        return spacy.load("fr_core_news_sm",
                          exclude=["tok2vec", "morphologizer", "parser", "attribute_ruler",
                                   "lemmatizer", "senter"])


class OrganisationFinder:
    """Organisations named in texts, in three passes:

    1. ``known`` names (the actors module's organisations, later), found like places;
    2. rules: a name led by a word of ``ORG_WORDS`` ("Agence Nationale du Sport",
       "l'association Habitat Jeunes en Trégor"), an acronym ("DRAC", "SIAEP") outside
       headings in capitals and not a surname;
    3. spaCy's NER (``fr_core_news_sm``) on what is left: only a window around each run
       of capitalised words that no rule, place or person explains ("Nord Nature
       Environnement"), each distinct window once, in batches. That is a few percent of
       a report, which keeps the small model off the hot path.
    """

    def __init__(self, nlp=None, *, known: Iterable[str] = (), use_spacy: bool = True,
                 batch_size: int = 256):
        self._nlp = nlp
        self.use_spacy = use_spacy
        self.batch_size = batch_size
        self._known = NameIndex((name, name) for name in known)
        self._cache: dict[str, list[tuple[int, int]]] = {}  # window → its ORG entities
        self._verdicts: dict[str, list[tuple[tuple[int, int], ...]]] = {}  # run → entities
        self.stats = {"texts_chars": 0, "ner_windows": 0, "ner_chars": 0,  # for the bench
                      "ner_seconds": 0.0}

    @property
    def nlp(self):
        if self._nlp is None:
            self._nlp = load_nlp()
        return self._nlp

    def find(self, text: str, skip: list[tuple[int, int]] = ()) -> list[Organisation]:
        return self.find_many([text], [list(skip)])[0]

    def find_many(self, texts: list[str],
                  skip: list[list[tuple[int, int]]] | None = None) -> list[list[Organisation]]:
        """The organisations of each text; ``skip`` holds spans already explained (places)."""
        skip = skip if skip is not None else [[] for _ in texts]
        return self.judge(texts, [self.prepare(text, spans)
                                  for text, spans in zip(texts, skip, strict=True)])

    def prepare(self, text: str, skip: Iterable[tuple[int, int]] = ()) -> _Prepared:
        """What one text needs before the NER: its names found by rules, and the windows
        the NER is to read. Pure computation, the finder unchanged: a second process can
        prepare half the texts of a bundle."""
        skip = list(skip)
        found = self._by_rules(text, _Spans(skip))
        windows = (self._ner_windows(text, _Spans([*skip, *((o.start, o.end) for o in found)]))
                   if self.use_spacy else [])
        return _Prepared(found, windows)

    def judge(self, texts: list[str], prepared: list[_Prepared]) -> list[list[Organisation]]:
        """The organisations of texts from what ``prepare`` found in each: the NER reads
        all their windows in one batch, in this process (it holds the verdicts already
        given)."""
        self.stats["texts_chars"] += sum(map(len, texts))
        found = [list(item.by_rules) for item in prepared]
        if self.use_spacy:
            flat = [window for item in prepared for window in item.windows]
            # A name the model has judged twice the same way, in two different contexts,
            # is not asked again: reports repeat the names of their partners. One it judges
            # differently ("Eiffage Route" here, "Eiffage Route Nord-Est" there) is asked in
            # a few more contexts and gets the verdict given most often.
            for wanted in (2, _VERDICTS_AT_MOST):
                asked: Counter[str] = Counter()
                todo = []
                for window in flat:
                    key = window.key
                    if (window.text not in self._cache and self._settled(key) is None
                            and asked[key] + len(self._verdicts.get(key, ())) < wanted):
                        asked[key] += 1
                        todo.append(window)
                self._run_ner(todo)
            for text, item, orgs in zip(texts, prepared, found, strict=True):
                orgs.extend(self._from_ner(text, item.windows))
        return [_unique(orgs) for orgs in found]

    def _settled(self, key: str) -> tuple[tuple[int, int], ...] | None:
        verdicts = self._verdicts.get(key)
        if not verdicts or len(verdicts) < 2:
            return None
        if verdicts[-1] == verdicts[-2]:
            return verdicts[-1]
        if len(verdicts) >= _VERDICTS_AT_MOST:
            return Counter(verdicts).most_common(1)[0][0]
        return None

    def _by_rules(self, text: str, skip: _Spans) -> list[Organisation]:
        orgs = [Organisation(values[0], start, end, "known")
                for start, end, values in self._known.find(text)]
        words = [(match.start(), match.end(), True) for match in _ORG_WORD.finditer(text)]
        words += [(match.start("word"), match.end("word"), False)
                  for match in _ORG_WORD_AFTER_ARTICLE.finditer(text)]
        for start, end, capitalised in words:
            span = _name_from(text, start, end, capitalised, skip)
            if span:
                orgs.append(Organisation(" ".join(text[span[0]:span[1]].split()), *span, "rule"))
        for match in _ACRONYM.finditer(text):
            if match.group() in _NOT_ACRONYMS or _in_heading(text, match.start()):
                continue
            before = text[max(0, match.start() - 40):match.start()]
            if _PERSON_BEFORE.search(before) or _FIRST_NAME_BEFORE.search(before):
                continue  # "M. LISCHKA", "Nelly WIDMER": a surname
            orgs.append(Organisation(match.group(), match.start(), match.end(), "rule"))
        return orgs

    def _ner_windows(self, text: str, explained: _Spans):
        windows = []
        for match in _CAPITALISED_RUN.finditer(text):
            for start, end in _unexplained(text, match.start(), match.end(), explained):
                run = text[start:end]
                if len(run.split()) < 2 or fold(run) in _NOT_ORG_RUNS or _in_heading(text,
                                                                                      start):
                    continue
                if _FIRST_NAME_SURNAME.search(run) or _PERSON_BEFORE.search(
                        text[max(0, start - 40):start]):
                    continue
                left = text.rfind(" ", 0, max(0, start - _NER_MARGIN)) + 1
                right = text.find(" ", min(len(text), end + _NER_MARGIN))
                right = len(text) if right < 0 else right
                windows.append(_Window(left, start, end, _unwrap(text[left:right]), fold(run)))
        return windows

    def _run_ner(self, windows: list[_Window]) -> None:
        todo = list(dict.fromkeys(w.text for w in windows if w.text not in self._cache))
        self.stats["ner_windows"] += len(todo)
        self.stats["ner_chars"] += sum(map(len, todo))
        started = time.perf_counter()
        for window, doc in zip(todo, self.nlp.pipe(todo, batch_size=self.batch_size),
                               strict=True):
            self._cache[window] = [(ent.start_char, ent.end_char)
                                   for ent in doc.ents if ent.label_ == "ORG"]
        self.stats["ner_seconds"] += time.perf_counter() - started
        judged = set(todo)
        for window in windows:
            if window.text in judged:  # one verdict per distinct context
                judged.discard(window.text)
                self._verdicts.setdefault(window.key, []).append(self._in_run(window))

    def _in_run(self, window: _Window) -> tuple[tuple[int, int], ...]:
        """The ORG entities of a window that fall in its run, relative to the run."""
        spans = []
        for start, end in self._cache[window.text]:
            start = max(window.left + start, window.start) - window.start
            end = min(window.left + end, window.end) - window.start
            if end > start:  # an entity of the margin is not of the run
                spans.append((start, end))
        return tuple(spans)

    def _from_ner(self, text: str, windows: list[_Window]) -> list[Organisation]:
        orgs = []
        for window in windows:
            spans = (self._in_run(window) if window.text in self._cache
                     else self._settled(window.key) or ())
            for start, end in spans:
                start, end = window.start + start, window.start + end
                name = clean_organisation(text[start:end], text[max(0, start - 40):start])
                if name:
                    orgs.append(Organisation(name, start, end, "spacy"))
        return orgs


@dataclass(frozen=True)
class _Prepared:
    by_rules: list[Organisation]
    windows: list[_Window]


@dataclass(frozen=True)
class _Window:
    left: int  # where the window starts in the text
    start: int  # the capitalised run it was cut around
    end: int
    text: str
    key: str  # the run, folded


def _unexplained(text: str, start: int, end: int, explained: _Spans) -> list[tuple[int, int]]:
    """The parts of a capitalised run outside places and names already found, without
    their leading article or particle ("La DRAC et France Travail" → "France Travail")."""
    cuts = [(max(a, start), min(b, end)) for a, b in explained.meeting(start, end)]
    parts, position = [], start
    for a, b in [*cuts, (end, end)]:
        if a > position:
            piece = _LEADING.sub("", text[position:a], count=1)
            piece = _PARTICLES_AT_START.sub("", piece).lstrip()
            piece_start = a - len(piece)
            piece = _PARTICLES_AT_END.sub("", piece.rstrip(" -'’"))
            if piece:
                parts.append((piece_start, piece_start + len(piece)))
        position = max(position, b)
    return parts


def _name_from(text: str, start: int, end: int, capitalised: bool,
               skip: _Spans) -> tuple[int, int] | None:
    """The span of the name an organisation word (``text[start:end]``) leads, or None if
    it stands alone ("la Caisse", "l'Agence")."""
    position, last_capital = end, None
    for count, token in enumerate(_NAME_TOKEN.finditer(text, position)):
        gap, word = token.group(1), token.group(2)
        if token.start() != position or count >= 10 or word.isdigit():
            break  # punctuation, too long, or a table's next column of figures
        if "\n" in gap and _complete_line(text, position):
            break
        lower = fold(word.split("'")[0].split("’")[0])
        if lower in _NAME_STOPS:
            break
        if lower == "et" and _another_name_follows(text, token.end(2)):
            break  # "l'Agence … et de la Caisse …": two organisations
        if word[0].isupper() and skip.meeting(token.start(2), token.end(2)) and fold(
                text[position - 4:token.start(2)]).strip() not in ("de", "du", "d'", "des",
                                                                   "en", "e de", "e du"):
            break  # "Collège Jean Jaurès Lille": the next column is a commune
        if word[0].isupper() or (word.isupper() and len(word) > 1):
            last_capital = token.end(2)
        elif not capitalised and count == 0:
            return None  # "l'association a…": a lower-case word needs a name after it
        elif lower not in _PARTICLES and not capitalised:
            break
        position = token.end(2)
    if last_capital is None:
        return None
    if not capitalised:
        first = _NAME_TOKEN.match(text, end)
        start = first.start(2)
    return start, last_capital


def _another_name_follows(text: str, position: int) -> bool:
    following = _NAME_TOKEN.match(text, position)
    if not following:
        return False
    word = following.group(2)
    return fold(re.split(r"[’']", word)[0]) in _PARTICLES or word in ORG_WORDS


def _complete_line(text: str, position: int) -> bool:
    line_start = text.rfind("\n", 0, position) + 1
    line = text[line_start:position].rstrip()
    return len(line) < 60 or line.endswith((".", ":", ";"))


def _in_heading(text: str, position: int) -> bool:
    """Whether the line at ``position`` is written in capitals (a heading)."""
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    lower = sum(map(str.islower, line))
    upper = sum(map(str.isupper, line))
    return upper > 12 and upper > 4 * lower


class _Spans:
    """Spans of a text (places, names found), to ask quickly which ones meet a stretch."""

    _LONGEST = 300  # no name is longer: the backward scan stops there

    def __init__(self, spans: Iterable[tuple[int, int]]):
        self._spans = sorted(spans)
        self._starts = [a for a, _ in self._spans]

    def meeting(self, start: int, end: int) -> list[tuple[int, int]]:
        found = []
        for i in range(bisect.bisect_left(self._starts, end) - 1, -1, -1):
            a, b = self._spans[i]
            if a < start - self._LONGEST:
                break
            if b > start:
                found.append((a, b))
        return found[::-1]

    def __bool__(self) -> bool:
        return bool(self._spans)


def _unique(orgs: list[Organisation]) -> list[Organisation]:
    """One per name, the first mention, in text order; a name inside a longer one goes."""
    orgs = sorted(orgs, key=lambda org: (org.start, -(org.end - org.start)))
    kept: dict[str, Organisation] = {}
    last_end = -1
    for org in orgs:
        if org.end <= last_end:
            continue  # inside the previous, longer name
        last_end = max(last_end, org.end)
        kept.setdefault(fold(org.name), org)
    return list(kept.values())


def _unwrap(window: str) -> str:
    """Wrapped lines joined by a space; a line that ends a sentence, or a short one (a
    table row, a heading), keeps its break so that the NER does not run names together.
    Same length as the input: offsets hold."""
    lines = window.replace("\f", "\n").split("\n")
    out = []
    for line in lines[:-1]:
        complete = len(line) < 60 or line.rstrip().endswith((".", ":", ";", "!", "?"))
        out.append(line + ("\n" if complete else " "))
    return "".join(out) + lines[-1]


_VERB_ENDINGS = ("ER", "IR", "É", "ÉE", "ÉS", "ANT", "ONS", "EZ", "ENT")


def clean_organisation(raw: str, before: str = "") -> str | None:
    """An ORG entity of the NER as a name, or None when it is noise: legal words in
    capitals ("CONSIDÉRANT", "FIXER"), a person ("Madame Françoise LE MEN"), "Objet"…"""
    name = re.split(r"\s(?:Madame|Monsieur|Mme|M\.)(?:\s|$)", " ".join(raw.split()))[0]
    name = re.sub(r"(\s+\d+)+$", "", name).strip(" -–—,:;()\"«»'")
    name = re.sub(r"^(?:l[’']|la |le |les |du |de la |des |de l[’'])", "", name,
                  flags=re.IGNORECASE)
    if len(name) < 3 or not name[0].isupper() or " - " in name or "\n" in raw:
        return None
    if re.match(r"(Madame|Monsieur|Mme|M\.|Total|Postes?)\b", name) or re.search(
            r"\d+\s+\d+", name) or _FIRST_NAME_SURNAME.search(name) or _PERSON_BEFORE.search(
            before):
        return None
    if name.isupper() and any(word.endswith(_VERB_ENDINGS)
                              for word in re.findall(r"[^\W\d_]{4,}", name)):
        return None  # "SE PRONONCER", "D'AUTORISER"
    if fold(name) in _NOT_ORG_RUNS or (len(name.split()) == 1 and not name.isupper()):
        return None
    return name


# --- beneficiaries -------------------------------------------------------------------------


@dataclass(frozen=True)
class Beneficiary:
    name: str
    amount: Amount
    line: str


_AFTER_AMOUNT = re.compile(
    r"^\s*(?:pour|à|au profit de|en faveur de|attribuée? à|versée? à)\s+(?:l[’']|la |le |les )?"
    r"(?P<name>[^\d\W][^:;]{1,90}?)\s*[.;]?\s*$", re.IGNORECASE)
_NOT_NAMES = re.compile(
    r"^(total|sous-total|soit|montant|dont|budget|co[ûu]t|reste|solde|d[ée]penses?|recettes?"
    r"|fonctionnement|investissement|tarifs?|prix|le montant|la somme|pour|vote|votes"
    r"|subvention totale|enveloppe)\b", re.IGNORECASE)
_SENTENCE_WORDS = re.compile(
    r"\b(est|sont|était|sera|seront|a|ont|s[’']élève|s'élève|représente|permet|doit|peut"
    r"|soit|de|à|pour|par)\s*$", re.IGNORECASE)


def find_beneficiaries(text: str, amounts: list[Amount] | None = None) -> list[Beneficiary]:
    """Who gets how much, from the lines of a table or a list: "ASSPEC : 600€",
    "Association X<tab>Lille<tab>12 000 €", "- 750€ pour le Centre Culturel Breton"."""
    amounts = amounts if amounts is not None else find_amounts(text)
    found = []
    for amount in amounts:
        line_start = text.rfind("\n", 0, amount.start) + 1
        line_end = text.find("\n", amount.end)
        line_end = len(text) if line_end < 0 else line_end
        before, after = text[line_start:amount.start], text[amount.end:line_end]
        name = _name_before(before, after) or _name_after(before, after)
        if name:
            found.append(Beneficiary(name, amount, text[line_start:line_end].strip()))
    return found


def _name_before(before: str, after: str) -> str | None:
    """"Coopérative scolaire : 600€", a table row ending with its amount."""
    if _AMOUNT.search(before) or not re.fullmatch(r"\s*(\([^)]*\))?\s*[.;]?\s*", after):
        return None
    cells = [cell for cell in before.split("\t") if cell.strip()]
    name = (cells[0] if len(cells) > 1 else before).strip(" \t:=-–—|•·*→")
    name = name.split(" : ")[0].strip()  # "Cyclo club : proposition du conseil → 230€"
    if not name or len(name) > 90 or len(name.split()) > 10 or not name[0].isupper():
        return None
    if _NOT_NAMES.match(name) or _SENTENCE_WORDS.search(name):
        return None
    return name


def _name_after(before: str, after: str) -> str | None:
    """"- 750€ pour le Centre Culturel Breton"."""
    if before.strip(" \t-–—•·*") or _AMOUNT.search(after):
        return None
    match = _AFTER_AMOUNT.match(after)
    return match["name"].strip() if match else None


# --- everything at once ---------------------------------------------------------------------


@dataclass
class Entities:
    amounts: list[Amount] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    beneficiaries: list[Beneficiary] = field(default_factory=list)
    head: Head = field(default_factory=Head)  # its direction and commission (first lines)


def extract_entities(text: str, *, gazetteer: Gazetteer | None = None,
                     organisations: OrganisationFinder | None = None) -> Entities:
    """The entities of one report (organisations only if a finder is given)."""
    return extract_entities_many([text], gazetteer=gazetteer, organisations=organisations)[0]


def extract_entities_many(texts: list[str], *, gazetteer: Gazetteer | None = None,
                          organisations: OrganisationFinder | None = None) -> list[Entities]:
    """The entities of many reports; organisations are found in one batch for all.

    A bundle's reports are read by two processes where there are two cores: a forked
    child reads the second half (by length) while this process reads the first; only
    the NER runs here, on the windows of both halves in one batch. The result is the
    same as in one process."""
    def read(part: list[str]) -> list[tuple[Entities, _Prepared | None]]:
        return [_read(text, gazetteer, organisations) for text in part]

    half = _half(texts)
    partial = None
    if half is not None:
        try:
            with forked_call(lambda: read(texts[half:])) as rest:
                partial = read(texts[:half]) + rest()
        except ChildGone:  # killed (out of memory?): this process reads it all
            partial = None
    if partial is None:
        partial = read(texts)
    if organisations:
        judged = organisations.judge(texts, [prepared for _, prepared in partial])
        for (found, _), orgs in zip(partial, judged, strict=True):
            found.organisations = orgs
    return [found for found, _ in partial]


PARALLEL_MIN_CHARS = 100_000  # from this much text, two processes (a fork costs ~10 ms)


def _half(texts: list[str]) -> int | None:
    """Where to cut the reports in two of about the same length, or None for one process."""
    total = sum(map(len, texts))
    if total < PARALLEL_MIN_CHARS or len(texts) < 2:
        return None
    done = 0
    for index, text in enumerate(texts):
        done += len(text)
        if done >= total / 2:
            return max(1, min(index + 1, len(texts) - 1))
    return None


def _read(text: str, gazetteer: Gazetteer | None,
          organisations: OrganisationFinder | None) -> tuple[Entities, _Prepared | None]:
    """All of one report's entities but its organisations, and what the NER needs for
    those: pure computation."""
    places = gazetteer.find(text) if gazetteer else []
    amounts = find_amounts(text)
    found = Entities(amounts=amounts, dates=find_dates(text), places=places,
                     beneficiaries=find_beneficiaries(text, amounts), head=read_head(text))
    prepared = (organisations.prepare(text, [(p.start, p.end) for p in places])
                if organisations else None)
    return found, prepared
