"""French full-text search, the parts that need no database: folding, stemming, the query
syntax, and highlighted snippets.

Pure Python, no Django. Both databases index the same *prepared* text: folded (lower
case, accents off, "œ" → "oe") and lightly stemmed ("associations" → "association",
"financements" → "financement", "communaux" → "communal"), so that SQLite's FTS5 and
PostgreSQL's ``to_tsvector('simple', …)`` find exactly the same reports, with no
extension (``unaccent``) and no French dictionary to install.

The query syntax, as in a search engine:

- words: all must appear (``collège énergie``);
- ``"exact phrase"``; ``mobil*`` a prefix; ``-word`` or ``-"phrase"`` excludes;
- ``A OR B`` (also ``OU``): either; binds tighter than the implicit AND.

A number as the council writes it ("DAT/2026/81") is searched as the phrase of its parts.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass, field


def _fold_table() -> dict[int, str | None]:
    """Accented Latin letters → their base letter, ligatures spelt out, combining marks
    (text already decomposed) dropped: one str.translate, at C speed."""
    table: dict[int, str | None] = {}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code) and base.isascii():
            table[code] = base
    table.update({ord("œ"): "oe", ord("Œ"): "OE", ord("æ"): "ae", ord("Æ"): "AE",
                  ord("ß"): "ss"})
    table.update(dict.fromkeys(range(0x300, 0x370)))
    return table


_FOLD = _fold_table()
_TOKEN = re.compile(r"[a-z0-9]+")
_WORD = re.compile(r"[^\W_]+")


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _fold_run(match: re.Match) -> str:
    return match.group().translate(_FOLD)


def fold(text: str) -> str:
    """Lower case, accents and ligatures off: "Mons-en-Barœul" → "mons-en-baroeul".
    Only the runs of non-ASCII characters go through the table (a few in French text)."""
    if text.isascii():
        return text.lower()
    return _NON_ASCII.sub(_fold_run, text).lower()


@functools.lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """A light French stemmer for folded words: plurals, feminine and final -e/-er go, so
    that the forms of one word meet. Short words and numbers stay as they are."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("eaux"):
        word = word[:-1]  # réseaux → reseau, bateaux → bateau
    elif len(word) > 5 and word.endswith("aux"):
        word = word[:-3] + "al"  # communaux → communal, travaux → traval (both ways)
    elif word[-1] in "sx":
        word = word[:-1]
    if len(word) > 4 and word.endswith("er"):
        word = word[:-1]  # financer → finance
    for _ in range(2):  # aménagée → amenage → amenag
        if len(word) > 4 and word[-1] == "e":
            word = word[:-1]
    if len(word) == 4 and word[-1] == "e" and word[-2] in "aiouy":
        word = word[:-1]  # élue → elu, amie → ami
    return word


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


def prepare(text: str) -> str:
    """The text as both databases index it: folded, stemmed words separated by spaces.

    The same as stemming ``tokens(text)``, three times faster: a word never spans white
    space, so the text is cut at white space (at C speed) and each piece is prepared
    once; a report repeats its pieces ("de", "la", "commune", "€") thousands of times."""
    return " ".join(filter(None, map(_prepared_piece, text.split())))


@functools.lru_cache(maxsize=100_000)
def _prepared_piece(piece: str) -> str:
    return " ".join(map(stem, tokens(piece)))


# --- the query -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # stemmed; several for a phrase
    prefix: bool = False  # the last word is a prefix (not stemmed)


@dataclass
class Query:
    clauses: list[list[Term]] = field(default_factory=list)  # AND of ORs
    excluded: list[Term] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.clauses


_QUERY_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_OR_WORDS = {"OR", "OU", "|"}


def parse(text: str) -> Query:
    """Parse the search box (see the module docstring). Never raises: what cannot be read
    as syntax is read as words."""
    query = Query()
    pending_or = False
    for match in _QUERY_TOKEN.finditer(text):
        negative, phrase, word = match.group(1), match.group(2), match.group(3)
        if word in _OR_WORDS:
            pending_or = bool(query.clauses)
            continue
        if word is not None and word.startswith("-") and len(word) > 1:
            negative, word = "-", word[1:]
        term = _term(phrase if phrase is not None else word, quoted=phrase is not None)
        if term is None:
            continue
        if negative:
            query.excluded.append(term)
        elif pending_or:
            query.clauses[-1].append(term)
        else:
            query.clauses.append([term])
        pending_or = False
    return query


def _term(raw: str, *, quoted: bool) -> Term | None:
    prefix = not quoted and raw.endswith("*")
    words = tokens(raw)
    if not words:
        return None
    if prefix:
        return Term((*[stem(w) for w in words[:-1]], words[-1]), prefix=True)
    return Term(tuple(stem(w) for w in words))


# Words too common to tell reports apart: left out of the ranking (see ranking_query).
STOPWORDS = frozenset(stem(w) for w in (
    "a au aux avec ce ces cette d dans de des du en est et il l la le les leur n ne ou par "
    "pas pour qu que qui s sa se ses son sur un une").split())


def ranking_query(query: Query) -> Query:
    """A looser query to score matches with (bm25 then looks up fewer and shorter lists):
    a phrase's words one by one, the common words left out, no exclusions. Every match
    of ``query`` matches it."""
    clauses = []
    for clause in query.clauses:
        if len(clause) == 1:  # a phrase alone: each of its words is required
            term = clause[0]
            kept = [i for i, w in enumerate(term.words) if w not in STOPWORDS] or [
                len(term.words) - 1]
            clauses += [[Term((term.words[i],), prefix=term.prefix and i == len(
                term.words) - 1)] for i in kept]
            continue
        alternatives = []  # either phrase: any of their words
        for term in clause:
            kept = [i for i, w in enumerate(term.words) if w not in STOPWORDS] or [
                len(term.words) - 1]
            alternatives += [Term((term.words[i],), prefix=term.prefix and i == len(
                term.words) - 1) for i in kept]
        clauses.append(list(dict.fromkeys(alternatives)))
    return Query(clauses=list({tuple(c): c for c in clauses}.values()))


def _fts5_term(t: Term) -> str:
    return '"' + " ".join(t.words) + '"' + ("*" if t.prefix else "")


def to_fts5_parts(query: Query, expand=None) -> tuple[str, str]:
    """The words that must match and the ones that must not, each an FTS5 expression
    ("" when there are none), to combine with column filters. ``expand(prefix)``: the
    indexed words a one-word prefix stands for (None: let FTS5 expand it)."""
    def term(t: Term) -> str:
        if t.prefix and len(t.words) == 1 and expand is not None:
            words = expand(t.words[0])
            if words:
                return "(" + " OR ".join(f'"{w}"' for w in words) + ")"
        return _fts5_term(t)

    def clause(alternatives: list[Term]) -> str:
        inner = " OR ".join(term(t) for t in alternatives)
        return f"({inner})" if len(alternatives) > 1 else inner

    return (" AND ".join(clause(c) for c in query.clauses),
            " OR ".join(term(t) for t in query.excluded))


def to_fts5(query: Query) -> str:
    """The query for an FTS5 MATCH (every word quoted: no syntax injection)."""
    positive, excluded = to_fts5_parts(query)
    return f"{positive} NOT ({excluded})" if excluded else positive


def to_tsquery(query: Query, *, weights: str = "") -> str:
    """The query for PostgreSQL's ``to_tsquery('simple', …)`` (words are [a-z0-9] only);
    ``weights`` ("AB"): the words must be found in parts of the vector with these
    weights."""
    def word(text: str, prefix: bool = False) -> str:
        marks = ("*" if prefix else "") + weights
        return f"{text}:{marks}" if marks else text

    def term(t: Term) -> str:
        words = [word(w) for w in t.words[:-1]] + [word(t.words[-1], t.prefix)]
        inner = " <-> ".join(words)
        return f"({inner})" if len(words) > 1 else inner

    parts = ["(" + " | ".join(term(t) for t in c) + ")" for c in query.clauses]
    parts += ["!" + term(t) for t in query.excluded]
    return " & ".join(parts)


# --- snippets ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=200_000)
def _word_tokens(word: str) -> tuple[str, ...]:
    """The folded tokens of one word of a text, and their stems (cached: texts repeat)."""
    folded = tuple(tokens(word))
    return folded + tuple(stem(token) for token in folded)


_VARIANTS = {"a": "aàâäáã", "e": "eéèêë", "i": "iîïìí", "o": "oôöòó", "u": "uùûüú",
             "c": "cç", "y": "yÿ", "n": "nñ"}


def _letters(stem_: str) -> str:
    """A pattern matching a folded stem in the original text (accents, "œ", any case)."""
    out, i = [], 0
    while i < len(stem_):
        pair = stem_[i:i + 2]
        if pair in ("oe", "ae"):
            out.append(f"(?:{pair}|{'œ' if pair == 'oe' else 'æ'})")
            i += 2
            continue
        ch = stem_[i]
        out.append(f"[{_VARIANTS[ch]}]" if ch in _VARIANTS else re.escape(ch))
        i += 1
    return "".join(out)


@functools.lru_cache(maxsize=1024)
def _finder(words: frozenset[str], prefixes: frozenset[str]) -> re.Pattern | None:
    stems = sorted(words | prefixes, key=len, reverse=True)
    if not stems:
        return None
    return re.compile(r"(?<![^\W_])(?:" + "|".join(_letters(s) for s in stems)
                      + r")[^\W_]*", re.IGNORECASE)


MAX_SCANNED = 30_000  # characters of a text looked at for the snippet
# Enough matches for a good window: the scan stops there (a search page shows 20 snippets
# of long reports; scanning whole texts was most of its time).
MAX_SPANS = 12


@functools.lru_cache(maxsize=1024)
def _phrase_finder(words: tuple[str, ...]) -> re.Pattern:
    """A pattern for a phrase's words one after the other, only spaces and punctuation
    between them (each word checked on its stem afterwards)."""
    return re.compile(r"(?<![^\W_])" + r"[\W_]+".join(
        _letters(word) + r"[^\W_]*" for word in words), re.IGNORECASE)


def _is_phrase(found: str, term: Term) -> bool:
    words = _WORD.findall(found)
    if len(words) != len(term.words):
        return False
    for index, (word, wanted) in enumerate(zip(words, term.words, strict=True)):
        keys = _word_tokens(word)
        if not (any(key.startswith(wanted) for key in keys)
                if term.prefix and index == len(words) - 1 else wanted in keys):
            return False
    return True


def _spans(text: str, query: Query) -> list[tuple[int, int]]:
    """Where the query matches in ``text`` (its first MAX_SCANNED characters): each
    single word, and each phrase as a whole — one span from its first word to its last.
    At most MAX_SPANS of them: enough for a good window."""
    terms = {t for clause in query.clauses for t in clause}
    singles = [t for t in terms if len(t.words) == 1]
    words = frozenset(t.words[0] for t in singles if not t.prefix)
    prefixes = frozenset(t.words[0] for t in singles if t.prefix)
    spans: list[tuple[int, int]] = []
    for term in terms:
        if len(term.words) > 1:
            for match in _phrase_finder(term.words).finditer(text, 0, MAX_SCANNED):
                if _is_phrase(match.group(), term):
                    spans.append(match.span())
                    if len(spans) >= MAX_SPANS:
                        break
    finder = _finder(words, prefixes)
    # The regular expression finds candidates fast; each is then checked on its stem.
    for match in finder.finditer(text, 0, MAX_SCANNED) if finder else ():
        if len(spans) >= MAX_SPANS:
            break
        keys = _word_tokens(match.group())
        if any(key in words for key in keys) or (
                prefixes and any(key.startswith(tuple(prefixes)) for key in keys)):
            spans.append(match.span())
    # one <mark> per place: a phrase swallows the words it holds
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, query: Query, *, width: int = 240) -> str:
    """An HTML-escaped extract of ``text`` around its best match, the matched words (a
    phrase as a whole) in ``<mark>``. Without a match, the start of the text."""
    spans = _spans(text, query)
    if not spans:
        return html.escape(_clip(text, 0, width))
    # the window that holds the most matches (two pointers over the sorted spans)
    best, best_count, right_index = spans[0][0], 0, 0
    for left_index, (start, _end) in enumerate(spans):
        right_index = max(right_index, left_index)
        while right_index + 1 < len(spans) and spans[right_index + 1][1] <= start + width:
            right_index += 1
        if right_index - left_index + 1 > best_count:
            best, best_count = start, right_index - left_index + 1
    left = max(0, best - width // 4)
    left = text.rfind(" ", 0, left) + 1 if left else 0
    right = min(len(text), left + width)
    if right < len(text):
        space = text.rfind(" ", left, right)
        right = space if space > left else right
    out, position = [], left
    for start, end in spans:
        if start < left or end > right:
            continue
        out.append(html.escape(text[position:start]))
        out.append("<mark>" + html.escape(text[start:end]) + "</mark>")
        position = end
    out.append(html.escape(text[position:right]))
    snippet = " ".join("".join(out).split())
    return ("… " if left else "") + snippet + (" …" if right < len(text) else "")


def _clip(text: str, start: int, width: int) -> str:
    text = " ".join(text[start:start + width * 2].split())
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width)
    return text[:cut if cut > 0 else width] + " …"
