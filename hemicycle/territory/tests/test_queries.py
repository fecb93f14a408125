import pytest

from hemicycle.territory.queries import (
    canton_for_point,
    commune_by_insee,
    commune_search,
    communes_by_postal_code,
)

pytestmark = pytest.mark.django_db


def test_search_ignores_accents_case_and_hyphens():
    assert [c.insee_code for c in commune_search("mons en baroeul")] == ["59410"]
    assert commune_search("Mons-en-Barœul")[0].name == "Mons-en-Barœul"


def test_search_puts_prefix_matches_first_by_population():
    results = commune_search("LILLE")
    assert results[0].insee_code == "59350"
    names = [c.name for c in results]
    assert names.index("Lillers") < names.index("Saint-André-lez-Lille")


def test_a_postal_code_finds_its_communes():
    assert commune_search("59000")[0].name == "Lille"
    assert [c.insee_code for c in communes_by_postal_code("59000")] == ["59350"]
    assert communes_by_postal_code("abc").count() == 0


def test_an_insee_code_finds_its_commune():
    assert commune_search("59350")[0].name == "Lille"
    assert commune_by_insee("59183").name == "Dunkerque"
    assert commune_by_insee("00000") is None


def test_an_empty_query_finds_nothing():
    assert commune_search("  ") == []
    assert commune_search("-") == []


def test_a_point_in_lille_centre_gives_a_lille_canton():
    canton = canton_for_point(50.6366, 3.0635)
    assert canton.name.startswith("Lille-")
    assert canton_for_point(48.8566, 2.3522) is None  # Paris: no canton loaded
