"""Duplicate detection for actors: pure Python (rapidfuzz), no Django.

Two rules, as CiviCRM's dedupe rules but fixed:
- the same RNA number, SIREN or e-mail is the same actor (``exact key``);
- a similar name in the same commune is a *candidate* pair for a person to review.

Comparing every new name with every name of its commune is quadratic (Lille has tens of
thousands of associations), so names are blocked: a name is only compared with those
sharing the first three letters of two of its first, second and last significant
words (``_blocks``).
"""

import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

THRESHOLD = 92  # token_sort_ratio, 0–100: below, word swaps of common names pair up

# Words that say nothing about which association it is ("Club" and "Collectif" do:
# the Club and the Collectif des commerçants of a street are two associations).
STOPWORDS = frozenset("""
a au aux d de des du en et l la le les pour sur un une association asso assoc
""".split())


class _CharTable(dict):
    """normalize_name() character by character, memoised for str.translate: the same
    steps (ligatures, NFKD, no combining marks, lower case) applied to one code point."""

    def __missing__(self, point: int) -> str:
        text = chr(point).translate(_LIGATURES)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
        self[point] = text
        return text


_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_TABLE = _CharTable()
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def fast_normalize(text: str) -> str:
    """normalize_name(text), the same result several times faster (the imports run it
    hundreds of thousands of times): one C-level translate instead of a Python loop."""
    if text.isascii():
        return _NOT_ALNUM.sub(" ", text.lower()).strip()
    return _NOT_ALNUM.sub(" ", text.translate(_TABLE)).strip()


def name_key(name: str) -> str:
    """ "L'Association des Amis du Vélo" → "amis velo"."""
    return key_of_normalized(fast_normalize(name))


def key_of_normalized(normalized: str) -> str:
    """name_key() of a name already through normalize_name()."""
    return " ".join(w for w in normalized.split() if w not in STOPWORDS)


def _blocks(key: str) -> set[tuple[str, str]]:
    """The blocks of a name: every pair among the first three letters of its first,
    second and last significant words ("amicale velo fives" → (ami, vel), (ami, fiv),
    (fiv, vel)). Two names are compared when they share a block, that is two of these
    three word starts, in any order (so "Judo club de Fives" meets "Club de judo de
    Fives"): a late typo, a word added in the middle or at the end, or swapped words
    still meet; the blocks stay small (tens of names, even in Lille)."""
    words = key.split()
    if not words:
        return set()
    a, b, c = words[0][:3], words[min(1, len(words) - 1)][:3], words[-1][:3]
    # Each pair in order, without sorted() (this runs for every imported row).
    return {(a, b) if a <= b else (b, a), (a, c) if a <= c else (c, a),
            (b, c) if b <= c else (c, b)}


def _sorted(key: str) -> str:
    # token_sort_ratio is ratio() on sorted tokens: sort once, at indexing time.
    return " ".join(sorted(key.split()))


def similarity(a: str, b: str) -> int:
    return round(fuzz.token_sort_ratio(name_key(a), name_key(b)))


@dataclass
class NameIndex:
    """Names by commune and block, to find the most similar one quickly (the loop over a
    block runs in rapidfuzz's C++ ``extractOne``)."""

    threshold: int = THRESHOLD
    _keys: dict[tuple, list[str]] = field(default_factory=dict)
    _ids: dict[tuple, list[int]] = field(default_factory=dict)

    def add(self, commune, name: str, ident: int) -> None:
        self.add_key(commune, name_key(name), ident)

    def add_key(self, commune, key: str, ident: int) -> None:
        self._add(commune, _sorted(key), _blocks(key), ident)

    def _add(self, commune, query: str, blocks, ident: int) -> None:
        for block in blocks:
            self._keys.setdefault((commune, block), []).append(query)
            self._ids.setdefault((commune, block), []).append(ident)

    def find(self, commune, name: str, exclude: int | None = None) -> tuple[int, int] | None:
        """(id, score) of the most similar name in the same commune, or None."""
        return self.find_key(commune, name_key(name), exclude)

    def find_key(self, commune, key: str, exclude: int | None = None) -> tuple[int, int] | None:
        return self._find(commune, _sorted(key), _blocks(key), exclude)

    def find_and_add(self, commune, key: str, ident: int) -> tuple[int, int] | None:
        """find_key() then add_key(), the key split once (the import's per-row call)."""
        query, blocks = _sorted(key), _blocks(key)
        found = self._find(commune, query, blocks)
        self._add(commune, query, blocks, ident)
        return found

    def _find(self, commune, query: str, blocks, exclude: int | None = None):
        best: tuple[int, int] | None = None
        # Sorted: among equal scores, the same block (and so the same actor) wins on
        # every run.
        for block in sorted(blocks):
            keys = self._keys.get((commune, block))
            if not keys:
                continue
            found = process.extractOne(query, keys, scorer=fuzz.ratio,
                                       score_cutoff=self.threshold)
            if found is None:
                continue
            ident = self._ids[(commune, block)][found[2]]
            if ident == exclude:
                continue
            if best is None or round(found[1]) > best[1]:
                best = (ident, round(found[1]))
        return best


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()
