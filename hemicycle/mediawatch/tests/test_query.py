"""The French search syntax: words, phrases, OU, exclusions, prefixes, accents."""

import pytest

from hemicycle.mediawatch.query import QueryError, matches, parse

TEXT = ("Le Département du Nord vote l'aide sociale à l'enfance ; Maëlle Dufresne "
        "(groupe écologiste) dénonce la fermeture du collège de Roubaix.")


@pytest.mark.parametrize("query", [
    "collège Roubaix",
    "COLLEGE roubaix",
    '"aide sociale à l\'enfance"',
    '"Maelle Dufresne"',
    "Tourcoing OU Roubaix",
    "Tourcoing OR Roubaix",
    "écolog*",
    "collège -Tourcoing",
    "(Lille OU Roubaix) collège",
    "«aide sociale»",
    "collège ET Roubaix",
])
def test_it_matches(query):
    assert matches(query, TEXT)


@pytest.mark.parametrize("query", [
    "collège Tourcoing",
    '"sociale aide"',
    "Tourcoing OU Lille",
    "collège -Roubaix",
    "écologie",  # a whole word, not a prefix
    "Dufres",
    "(Lille OU Tourcoing) collège",
    '-"aide sociale"',
])
def test_it_does_not_match(query):
    with_only_exclusions = query.startswith("-")
    if with_only_exclusions:
        with pytest.raises(QueryError):
            matches(query, TEXT)
    else:
        assert not matches(query, TEXT)


def test_or_binds_tighter_than_the_implicit_and():
    assert matches("Lille collège OU musée", "lille collège")
    assert not matches("Lille collège OU musée", "roubaix collège")


@pytest.mark.parametrize("query, message", [
    ('"aide sociale', "Guillemet"),
    ("(Lille OU Roubaix", "Parenthèse non fermée"),
    ("Lille)", "Parenthèse fermante"),
    ("Lille OU", "OU"),
    ("OU Lille", "OU"),
    ("-Lille", "exclusions"),
])
def test_bad_queries_are_refused_with_a_french_message(query, message):
    with pytest.raises(QueryError, match=message):
        parse(query)


def test_an_empty_query_matches_nothing():
    assert parse("  ") is None
    assert not matches("", TEXT)


def test_a_word_finds_its_plural_but_not_a_longer_word():
    assert matches("collège", "les collèges du Nord")
    assert matches('"foyers saturé"', "deux foyers saturés")  # the last word only
    assert not matches("canal", "les canaux")
    assert matches("bateau", "des bateaux")
    assert not matches("col", "les collèges")
