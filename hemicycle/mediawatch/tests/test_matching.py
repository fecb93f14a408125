"""Keyword rules speak the council search's syntax: words, phrases, OU, exclusions,
prefixes; accents, case and punctuation ignored; plurals meet their singular."""

import pytest

from hemicycle.council import searchsyntax
from hemicycle.mediawatch.matching import QueryError, matches, padded, query_parse

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
    "collèges",  # stemmed: the plural finds the singular
    "départements nord",
])
def test_it_matches(query):
    assert matches(query, TEXT)


@pytest.mark.parametrize("query", [
    "collège Tourcoing",
    '"sociale aide"',
    "Tourcoing OU Lille",
    "collège -Roubaix",
    "collège -\"aide sociale\"",
    "Dufres",
    "(Lille OU Tourcoing) collège",
])
def test_it_does_not_match(query):
    assert not matches(query, TEXT)


def test_it_is_the_council_search_parser():
    assert query_parse("collège Roubaix OU Lille") == searchsyntax.parse(
        "collège Roubaix OU Lille")


def test_or_binds_tighter_than_the_implicit_and():
    assert matches("Lille collège OU musée", "lille collège")
    assert not matches("Lille collège OU musée", "roubaix collège")


@pytest.mark.parametrize("query, code", [
    ('"aide sociale', "quote"),
    ("-Lille", "only_exclusions"),
    ('-"aide sociale" -Lille', "only_exclusions"),
    ("  ", "empty"),
    ("« »", "empty"),
])
def test_bad_rules_are_refused_with_a_reason(query, code):
    with pytest.raises(QueryError) as error:
        query_parse(query)
    assert error.value.code == code


def test_an_empty_query_matches_nothing():
    assert not matches("", TEXT)


def test_plurals_and_feminines_meet_but_not_a_longer_word():
    assert matches("collège", "les collèges du Nord")
    assert matches('"foyer saturé"', "deux foyers saturés")
    assert matches("canal", "les canaux")
    assert matches("communal", "des équipements communaux")
    assert matches("financer", "les financements") is False
    assert matches("associations", "une association de parents")
    assert not matches("col", "les collèges")
    assert not matches("bus", "Busigny")


def test_the_padded_text_is_folded_and_stemmed():
    assert padded("Les Collèges de Mons-en-Barœul") == " les colleg de mon en baroeul "
