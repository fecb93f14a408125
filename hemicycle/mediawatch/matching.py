"""Keyword rules and the inbox search speak the council search's French syntax
(``hemicycle.council.searchsyntax``: words, "exact phrase", OU/OR, -exclusion, prefix*),
matched the same way: accents, case and punctuation ignored, words lightly stemmed (a
plural finds its singular and back). Pure Python, no Django.

A clipping keeps its prepared text padded with spaces (``padded``); a term is then a
plain substring test, which the database can run too (``LIKE``, see
services/clippings.py): " word " for a word or a phrase, " prefix" for ``prefix*``.
"""

from hemicycle.council.searchsyntax import Query, Term, parse, prepare, stem

__all__ = ["Query", "QueryError", "Term", "evaluate", "matches", "needle", "padded",
           "query_parse", "quote"]


class QueryError(ValueError):
    """A search the forms refuse; ``code`` says why ("quote", "only_exclusions",
    "empty"), the forms put it in French (``query_error_message`` in queries.py)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def query_parse(text: str) -> Query:
    """The council's parser, plus what a saved rule must not be: empty, only
    exclusions, or an unclosed quote (the search box forgives it; a rule should not)."""
    normalised = text.replace("«", '"').replace("»", '"').replace("“", '"').replace("”", '"')
    if normalised.count('"') % 2:
        raise QueryError("quote")
    query = parse(normalised)
    if query.is_empty:
        if query.excluded:
            raise QueryError("only_exclusions")
        raise QueryError("empty")
    return query


def padded(text: str) -> str:
    """The form of a text that ``evaluate`` reads (and the database searches)."""
    return f" {prepare(text)} "


def needle(term: Term) -> str:
    """The substring to look for. A prefix is stemmed too, since the text is: "collège*"
    must find "collèges", stored as "colleg"."""
    if term.prefix:
        return " " + " ".join((*term.words[:-1], stem(term.words[-1])))
    return " " + " ".join(term.words) + " "


def evaluate(query: Query, text: str) -> bool:
    """Does a padded prepared text match? Every clause (one of its terms), no exclusion."""
    if query.is_empty:
        return False
    return (all(any(needle(term) in text for term in clause) for clause in query.clauses)
            and not any(needle(term) in text for term in query.excluded))


def matches(text_query: str, text: str) -> bool:
    return evaluate(parse(text_query), padded(text))


def quote(text: str) -> str:
    """A name as a phrase of the syntax: ``Maëlle Dufresne`` → ``"Maëlle Dufresne"``."""
    return '"' + text.replace('"', " ").strip() + '"'
