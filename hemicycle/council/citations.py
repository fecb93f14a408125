"""Known names (the directory's organisations) found in a report's text.

Pure Python, no Django. Names come from the directory as written there, often in the
RNA's capitals ("COMITE DES FETES DE LILLE") or led by "Association". A report writes
"le Comité des fêtes de Lille", "l'association Habitat Jeunes en Trégor". So each name is
matched in sentence case (only its first word must be capitalised in the text; accents
and case aside otherwise, see ``entities.NameIndex``), and also without a leading
"Association". Names of one word are left out: "Emmaüs" or "Horizon" alone would link
too many reports that do not mean them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hemicycle.council.entities import NameIndex, fold

_GENERIC_LEADS = {"association", "asso", "assoc", "l association"}
MIN_LETTERS = 8


@dataclass(frozen=True)
class Citation:
    reference: str
    name: str  # as known (the directory's spelling)
    count: int


def _sentence_case(words: list[str]) -> str:
    return " ".join([words[0][:1].upper() + words[0][1:].lower()]
                    + [word.lower() for word in words[1:]])


def name_variants(name: str) -> list[str]:
    """The forms of a known name to look for (empty when it is too vague to link)."""
    words = name.replace("’", "'").split()
    variants = []
    if len(words) >= 2 and sum(ch.isalpha() for ch in name) >= MIN_LETTERS:
        variants.append(_sentence_case(words))
    lead = fold(words[0]) if words else ""
    if lead in _GENERIC_LEADS and len(words) >= 3:
        rest = words[1:]
        if fold(rest[0]) in ("d", "de", "des", "du", "l"):  # "Association des amis de…"
            rest = rest[1:]
        if len(rest) >= 2 and sum(ch.isalpha() for ch in " ".join(rest)) >= MIN_LETTERS:
            variants.append(_sentence_case(rest))
    return variants


class CitationFinder:
    def __init__(self, names: Iterable[tuple[str, str]]):
        """``names``: (name, reference) pairs."""
        self._index = NameIndex((variant, (reference, name)) for name, reference in names
                                for variant in name_variants(name))

    def __len__(self) -> int:
        return len(self._index)

    def find(self, text: str) -> list[Citation]:
        """The known names in ``text``, each with how many times it appears, most cited
        first. Two entries of the same name (homonyms) are both cited."""
        counts: dict[str, int] = {}
        names: dict[str, str] = {}
        for _start, _end, values in self._index.find(text):
            for reference, name in dict(values).items():
                counts[reference] = counts.get(reference, 0) + 1
                names[reference] = name
        return sorted((Citation(ref, names[ref], count) for ref, count in counts.items()),
                      key=lambda citation: (-citation.count, citation.name))
