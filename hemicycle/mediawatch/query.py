"""The French search syntax of keyword rules and searches: pure Python, no Django.

    collège Roubaix            both words (AND is implicit)
    "aide sociale à l'enfance" the exact phrase
    RSA OU "revenu de solidarité"   either (OR and OU both work, in capitals)
    départ*                    any word that starts with "départ"
    budget -métropole          "budget" but not "métropole"
    (Lille OU Roubaix) collège brackets group

Matching ignores case, accents and punctuation: "Conseil Départemental" matches
"conseil departemental", "l'enfance" matches "l enfance"; a word or a phrase also
finds its plural in -s or -x ("collège" finds "collèges"). OR binds tighter than the
implicit AND, as in web search engines: ``a b OU c`` is ``a ET (b OU c)``.

``parse`` raises ``QueryError`` with a message in French for the forms to show.
"""

import re
from dataclasses import dataclass

from hemicycle.mediawatch.dedup import text_normalize

OR_WORDS = {"OR", "OU", "|"}
AND_WORDS = {"AND", "ET"}
_TOKEN = re.compile(r'\s*(?:(-?)"([^"]*)("?)|(\()|(\))|([^\s()"]+))')


class QueryError(ValueError):
    pass


@dataclass(frozen=True)
class Term:
    """A word, a phrase (several words in a row) or a prefix (``word*``)."""

    words: tuple[str, ...]
    prefix: bool = False

    def needles(self) -> tuple[str, ...]:
        """What to look for in a padded text; a word also finds its plural in -s/-x."""
        needle = " " + " ".join(self.words)
        if self.prefix:
            return (needle,)
        return (needle + " ", needle + "s ", needle + "x ")

    def matches(self, padded: str) -> bool:
        return any(needle in padded for needle in self.needles())


@dataclass(frozen=True)
class Not:
    node: object


@dataclass(frozen=True)
class And:
    nodes: tuple


@dataclass(frozen=True)
class Or:
    nodes: tuple


def _tokens(query: str) -> list[tuple[str, object]]:
    tokens: list[tuple[str, object]] = []
    position = 0
    query = query.replace("«", '"').replace("»", '"').replace("“", '"').replace("”", '"')
    while position < len(query):
        match = _TOKEN.match(query, position)
        if match is None or match.end() == position:
            break
        position = match.end()
        negated, phrase, closed, opening, closing, word = match.groups()
        if phrase is not None:
            if not closed:
                raise QueryError("Guillemet non fermé dans la recherche.")
            tokens.append(("term", (phrase, negated == "-", False)))
        elif opening:
            tokens.append(("(", None))
        elif closing:
            tokens.append((")", None))
        elif word in OR_WORDS:
            tokens.append(("or", None))
        elif word in AND_WORDS:
            continue  # AND is implicit
        else:
            negated = word.startswith("-") and len(word) > 1
            word = word[1:] if negated else word
            prefix = word.endswith("*")
            tokens.append(("term", (word.rstrip("*"), negated, prefix)))
    return tokens


def _term(text: str, prefix: bool) -> Term | None:
    words = tuple(text_normalize(text).split())
    return Term(words, prefix) if words else None


class _Parser:
    def __init__(self, tokens: list[tuple[str, object]]) -> None:
        self.tokens = tokens
        self.position = 0

    def peek(self) -> str | None:
        return self.tokens[self.position][0] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, object]:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def conjunction(self, inside: bool = False):
        nodes = []
        while self.peek() not in (None, ")"):
            if self.peek() == "or":
                raise QueryError("« OU » doit être placé entre deux termes.")
            node = self.disjunction()
            if node is not None:
                nodes.append(node)
        if self.peek() == ")" and not inside:
            raise QueryError("Parenthèse fermante en trop dans la recherche.")
        if not nodes:
            return None
        return nodes[0] if len(nodes) == 1 else And(tuple(nodes))

    def disjunction(self):
        nodes = [self.unit()]
        while self.peek() == "or":
            self.take()
            if self.peek() in (None, ")", "or"):
                raise QueryError("« OU » doit être placé entre deux termes.")
            nodes.append(self.unit())
        nodes = [n for n in nodes if n is not None]
        if not nodes:
            return None
        return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))

    def unit(self):
        kind, value = self.take()
        if kind == "(":
            node = self.conjunction(inside=True)
            if self.peek() != ")":
                raise QueryError("Parenthèse non fermée dans la recherche.")
            self.take()
            return node
        if kind == ")":
            raise QueryError("Parenthèse fermante en trop dans la recherche.")
        text, negated, prefix = value
        term = _term(text, prefix)
        if term is None:
            return None
        return Not(term) if negated else term


def parse(query: str):
    """The query as a tree of Term, Not, And and Or; None for an empty query."""
    node = _Parser(_tokens(query)).conjunction()
    if node is not None and _only_exclusions(node):
        raise QueryError("La recherche ne peut pas contenir que des exclusions.")
    return node


def _only_exclusions(node) -> bool:
    if isinstance(node, Not):
        return True
    if isinstance(node, And):
        return all(_only_exclusions(n) for n in node.nodes)
    return False


def prepare(text: str) -> str:
    """The form of a text that ``evaluate`` reads: normalised, padded with spaces."""
    return f" {text_normalize(text)} "


def evaluate(node, padded: str) -> bool:
    if node is None:
        return False
    if isinstance(node, Term):
        return node.matches(padded)
    if isinstance(node, Not):
        return not evaluate(node.node, padded)
    if isinstance(node, And):
        return all(evaluate(n, padded) for n in node.nodes)
    return any(evaluate(n, padded) for n in node.nodes)


def matches(query: str, text: str) -> bool:
    return evaluate(parse(query), prepare(text))


def terms_of(node) -> list[Term]:
    """The positive terms of a query (to highlight them)."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, And | Or):
        return [t for n in node.nodes for t in terms_of(n)]
    return []


def quote(text: str) -> str:
    """A name as a phrase of the syntax: ``Maëlle Dufresne`` → ``"Maëlle Dufresne"``."""
    return '"' + text.replace('"', " ").strip() + '"'
