"""The automatic synthesis of a report: key figures, an extractive summary, and the earlier
reports most like it.

Pure Python, no Django, no model: TF-IDF over accent-insensitive words, with a French
stop-word list kept here.

- ``summary(text, n)``: the n most informative sentences, in their order in the text.
  A sentence scores by the rarity of its words in the report (TF-IDF), by how central it
  is (its similarity to the other sentences, as TextRank's first step), and by what a
  reader looks for: amounts, the decision ("il est proposé", "décide"), dates, names.
- ``key_figures(entities)``: the amounts with their context, the communes and cantons,
  the beneficiaries and the organisations, ready for a table.
- ``SimilarityIndex``: earlier reports ranked by cosine similarity of TF-IDF vectors of
  words and word pairs ("earlier reports like this one").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from hemicycle.council.entities import Amount, Beneficiary, Entities, Place, fold

STOPWORDS = frozenset("""
a afin ai aie aient ainsi alors apres au aucun aucune aupres auquel aussi autre autres aux
auxquelles auxquels avaient avais avait avant avec avoir ayant c ca car ce ceci cela celle
celles celui cependant certain certaine certaines certains ces cet cette ceux chacun chacune
chaque chez ci comme comment concernant contre d dans de depuis des desquelles desquels dessous
dessus deux doit doivent donc dont du duquel durant e elle elles en encore entre envers est et
etaient etait etant ete etre eu eux fait faire fois font hors i il ils j je jusqu jusque l la
laquelle le lequel les lesquelles lesquels leur leurs lors lorsque lui m ma mais me meme memes
mes moi moins mon n ne ni non nos notre nous on ont ou par parce parmi pas pendant peu peut
peuvent plus plusieurs pour pourquoi pres puis qu quand que quel quelle quelles quels qui quoi
s sa sans se selon ser sera seront ses si sien soi soit son sont sous suis sur t ta tant te tel
telle telles tels tes toi ton tous tout toute toutes tres tu un une unes uns vers via vos
votre vous y ainsi ci-dessous ci-dessus dit dite dites notamment egalement afin presente
present presentes presents
""".split())

# Words of the decision: the sentences a reader of a report looks for first.
_DECISION = re.compile(
    r"\b(il est propos[ée]|d[ée]cide|approuve|attribue|autorise|adopt[ée]|accorde"
    r"|d'approuver|d'attribuer|d'autoriser|de verser|montant total|pour un montant)\b",
    re.IGNORECASE)
_AMOUNT_HINT = re.compile(r"\d\s?(€|euros?\b|M€|k€)", re.IGNORECASE)
_DATE_HINT = re.compile(r"\b\d{1,2}(er)?\s+(janvier|f[ée]vrier|mars|avril|mai|juin|juillet"
                        r"|ao[ûu]t|septembre|octobre|novembre|d[ée]cembre)\s+\d{4}\b"
                        r"|\b\d{1,2}/\d{1,2}/\d{4}\b", re.IGNORECASE)
_BOILERPLATE = re.compile(
    r"^(vu |considérant|adopté|après en avoir délibéré|le conseil .{0,30}après en avoir"
    r"|la séance est|monsieur le maire (ouvre|lève)|pour extrait)", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][^\W_]*(?:[-'’][^\W\d_]+)*|\d+")
_ABBREVIATIONS = ("M.", "Mme.", "MM.", "art.", "n.", "cf.", "p.", "etc.", "av.", "bd.",
                  "St.", "Ste.", "L.", "R.", "D.")


# --- sentences and words ----------------------------------------------------------------


def sentences(text: str) -> list[str]:
    """The sentences of a report: wrapped lines joined, list items and table rows apart.

    A line break ends a sentence when the line is short (a heading, a table row), ends
    with punctuation, or the next line starts a list item.
    """
    paragraphs, current = [], []
    for line in text.replace("\f", "\n").split("\n"):
        line = line.strip()
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if current and (_ITEM.match(line) or _line_ends(current[-1])
                        or _SHOUTED_START.match(line) or _LABEL.match(line)
                        or _LABEL.match(current[0])
                        or (_ITEM.match(current[0]) and not line[0].islower())):
            paragraphs.append(" ".join(current))
            current = []
        current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    found = []
    for paragraph in paragraphs:
        found.extend(_split_sentences(paragraph))
    return [sentence for sentence in found if sentence]


# The head of a report ("OBJET : …", "RAPPORT N° …"): its own sentence, never a summary's.
_LABEL = re.compile(r"^(objet|rapport|commission|direction|d[ée]lib[ée]ration|point)\b",
                    re.IGNORECASE)
_ITEM = re.compile(r"^([-•▪→*]|\d{1,3}\s?[/.)–-]\s|[a-z]\)\s)")
_SHOUTED_START = re.compile(r"^(?:[DL][’']|DE |À )?[A-ZÀ-Ý]{4,}(?=\s)")  # "D'AUTORISER …"


def _line_ends(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    shouted = len(letters) > 8 and all(ch.isupper() for ch in letters)
    return len(line) < 50 or shouted or line.endswith((".", ":", ";", "!", "?"))


def _split_sentences(paragraph: str) -> list[str]:
    pieces, start = [], 0
    for match in re.finditer(r"[.!?;](?=\s+[«\"(]?[A-ZÀ-Ý0-9])", paragraph):
        before = paragraph[start:match.end()]
        if before.rstrip().endswith(_ABBREVIATIONS) or re.search(r"\b[A-Z]\.$", before):
            continue  # "M. LISCHKA", "J. Dupont"
        pieces.append(before.strip())
        start = match.end()
    pieces.append(paragraph[start:].strip())
    return pieces


def words(text: str) -> list[str]:
    """Accent-insensitive lower-case words without stop words: the terms of TF-IDF."""
    return [term for term in (fold(word) for word in _WORD.findall(text))
            if len(term) > 1 and term not in STOPWORDS and not term.isdigit()]


def terms(text: str) -> list[str]:
    """Words and pairs of neighbouring words ("fonds concours")."""
    found = words(text)
    return found + [f"{a} {b}" for a, b in zip(found, found[1:], strict=False)]


# --- summary ---------------------------------------------------------------------------------


def summary(text: str, n: int = 3) -> list[str]:
    """The ``n`` most informative sentences of a report, in their order in the text."""
    candidates = [s for s in sentences(text) if not _LABEL.match(s) and (
        5 <= len(s.split()) <= 90 and not _BOILERPLATE.match(s) and not _ITEM.match(s[:6])
        or (_AMOUNT_HINT.search(s) and len(s.split()) >= 4))]
    # an introduction ("Il est proposé au conseil municipal :") announces, it does not say
    candidates = [s for s in candidates if not s.endswith(":") or _AMOUNT_HINT.search(s)]
    if len(candidates) <= n:
        return candidates
    bags = [Counter(words(s)) for s in candidates]
    document_frequency = Counter(term for bag in bags for term in bag)
    idf = {term: math.log((1 + len(bags)) / (1 + count)) + 1
           for term, count in document_frequency.items()}
    vectors = [_normalise({t: (1 + math.log(c)) * idf[t] for t, c in bag.items()})
               for bag in bags]
    centrality = [sum(_cosine(v, other) for other in vectors) - 1 for v in vectors]
    top_centrality = max(centrality) or 1.0
    scores = []
    for index, (sentence, bag) in enumerate(zip(candidates, bags, strict=True)):
        weight = sum(idf[t] for t in bag) / math.sqrt(max(len(bag), 1))
        score = weight * (1 + centrality[index] / top_centrality)
        if _AMOUNT_HINT.search(sentence):
            score *= 1.6
        if _DECISION.search(sentence):
            score *= 1.4
        if _DATE_HINT.search(sentence):
            score *= 1.1
        if index == 0:
            score *= 1.15  # the opening sentence states the subject
        scores.append(score)
    chosen = sorted(sorted(range(len(candidates)), key=lambda i: -scores[i])[:n])
    return [candidates[i] for i in chosen]


# --- key figures -----------------------------------------------------------------------------


@dataclass
class KeyFigures:
    """What the synthesis table shows for one report."""

    amounts: list[Amount] = field(default_factory=list)  # largest first, one per value
    total_to_beneficiaries: Decimal | None = None
    places: list[tuple[Place, int]] = field(default_factory=list)  # with their mentions
    beneficiaries: list[Beneficiary] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)

    def rows(self) -> list[tuple[str, str, str]]:
        """(label, value, context) rows in French, for the table of the synthesis."""
        rows = [("Montant", _euros(a.value), a.context) for a in self.amounts]
        rows += [("Bénéficiaire", _euros(b.amount.value), b.name) for b in self.beneficiaries]
        if self.total_to_beneficiaries is not None:
            rows.append(("Total des bénéficiaires", _euros(self.total_to_beneficiaries), ""))
        kinds = {"commune": "Commune", "canton": "Canton"}
        rows += [(kinds.get(p.kind, p.kind.capitalize()), p.name,
                  f"{count} mention{'s' if count > 1 else ''}") for p, count in self.places]
        rows += [("Organisation", name, "") for name in self.organisations]
        return rows


def key_figures(entities: Entities, *, max_amounts: int = 10) -> KeyFigures:
    """The key figures of a report from its entities."""
    by_value: dict[Decimal, Amount] = {}
    for amount in entities.amounts:
        by_value.setdefault(amount.value, amount)
    amounts = sorted(by_value.values(), key=lambda a: -abs(a.value))[:max_amounts]
    counts: Counter[Place] = Counter()
    for mention in entities.places:
        counts.update(mention.places[:1] if len(mention.places) == 1 else mention.places)
    places = sorted(counts.items(), key=lambda item: (-item[1], item[0].name))
    total = (sum((b.amount.value for b in entities.beneficiaries), Decimal(0))
             if entities.beneficiaries else None)
    organisations = list(dict.fromkeys(org.name for org in entities.organisations))
    return KeyFigures(amounts, total, places, list(entities.beneficiaries), organisations)


def _euros(value: Decimal) -> str:
    """12345.6 → "12 345,60 €" (French layout, narrow no-break space for thousands)."""
    whole, _, cents = f"{abs(value):,.2f}".partition(".")
    text = whole.replace(",", "\u202f") + ("" if cents == "00" else "," + cents) + " €"
    return ("-" if value < 0 else "") + text


# --- similarity --------------------------------------------------------------------------------


class SimilarityIndex:
    """Reports by key, to rank the ones most like a given text (TF-IDF cosine over words
    and word pairs, accent-insensitive). Add reports as they come; the IDF follows."""

    def __init__(self, documents: Mapping[Hashable, str] | None = None):
        self._bags: dict[Hashable, Counter[str]] = {}
        self._document_frequency: Counter[str] = Counter()
        self._vectors: dict[Hashable, dict[str, float]] | None = None
        for key, text in (documents or {}).items():
            self.add(key, text)

    def __len__(self) -> int:
        return len(self._bags)

    def add(self, key: Hashable, text: str) -> None:
        if key in self._bags:
            self._document_frequency.subtract(set(self._bags[key]))
        bag = Counter(terms(text))
        self._bags[key] = bag
        self._document_frequency.update(set(bag))
        self._vectors = None

    def vector(self, text: str) -> dict[str, float]:
        return self._weigh(Counter(terms(text)))

    def rank(self, text: str, *, k: int = 5, exclude: Iterable[Hashable] = (),
             minimum: float = 0.05) -> list[tuple[Hashable, float]]:
        """The ``k`` reports most like ``text``: (key, cosine similarity), best first."""
        query = self.vector(text)
        excluded = set(exclude)
        scored = [(key, _cosine(query, vector)) for key, vector in self._all().items()
                  if key not in excluded]
        scored = [(key, round(score, 4)) for key, score in scored if score >= minimum]
        return sorted(scored, key=lambda item: -item[1])[:k]

    def similarity(self, a: str, b: str) -> float:
        return _cosine(self.vector(a), self.vector(b))

    def _all(self) -> dict[Hashable, dict[str, float]]:
        if self._vectors is None:
            self._vectors = {key: self._weigh(bag) for key, bag in self._bags.items()}
        return self._vectors

    def _weigh(self, bag: Counter[str]) -> dict[str, float]:
        count = len(self._bags)
        return _normalise({
            term: (1 + math.log(n)) * (math.log((1 + count) / (1 + self._document_frequency[term]))
                                       + 1)
            for term, n in bag.items() if n > 0})


def similarity(a: str, b: str) -> float:
    """Cosine similarity of two texts (0 to 1); with only two texts, words weigh by their
    frequency. Use a :class:`SimilarityIndex` over all reports for real rankings."""
    return SimilarityIndex({0: a, 1: b}).similarity(a, b)


def _normalise(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(value * value for value in vector.values()))
    return {term: value / norm for term, value in vector.items()} if norm else {}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(value * b.get(term, 0.0) for term, value in a.items())
