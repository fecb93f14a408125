"""The loader, on the test database where conftest loaded the Nord once per session."""

import pytest

from hemicycle.territory.models import (
    Assembly,
    Canton,
    Commune,
    CommuneCanton,
    Departement,
    Epci,
    Region,
)
from hemicycle.territory.services import assembly_for, territory_load

pytestmark = pytest.mark.django_db


def table_sizes() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (Region, Departement, Epci, Commune, Canton, CommuneCanton)}


def test_the_session_loaded_france_and_the_nord_cantons():
    assert Region.objects.get(code="32").name == "Hauts-de-France"
    assert Region.objects.get(code="28").name == "Normandie"
    assert Departement.objects.get(code="59").region.code == "32"
    assert Commune.objects.count() > 34000
    assert Canton.objects.filter(departement__code="59").count() == 41
    lille = Commune.objects.get(insee_code="59350")
    assert lille.geometry and lille.latitude == pytest.approx(50.63, abs=0.05)
    assert lille.epci.name == "Métropole Européenne de Lille"
    assert "59000" in lille.postal_code_list
    assert Commune.objects.get(insee_code="14118").geometry == ""  # Caen: not loaded here


def test_every_nord_commune_has_a_canton():
    nord = Commune.objects.filter(departement__code="59")
    assert nord.count() == 647
    assert not nord.filter(cantons=None).exists()


def test_lille_lies_in_its_six_cantons_even_those_the_coarse_outlines_miss():
    lille = Commune.objects.get(insee_code="59350")
    assert sorted(lille.cantons.values_list("name", flat=True)) == [
        "Lille-1", "Lille-2", "Lille-3", "Lille-4", "Lille-5", "Lille-6"]
    shares = dict(CommuneCanton.objects.filter(commune=lille).values_list(
        "canton__code", "share"))
    assert shares["59023"] == shares["59024"] == 0  # area unknown: left out of estimates
    assert sum(shares.values()) == pytest.approx(1, abs=1e-3)


def test_loading_again_updates_and_never_duplicates():
    before = table_sizes()
    lille_links = set(CommuneCanton.objects.filter(commune__insee_code="59350")
                      .values_list("canton__code", "share"))
    Commune.objects.filter(insee_code="59350").update(name="Lile", population=1)
    counts = territory_load(departements=["59"])
    assert table_sizes() == before
    assert counts["communes"] == before["Commune"]
    assert counts["cantons"] == 41
    lille = Commune.objects.get(insee_code="59350")
    assert (lille.name, lille.population) == ("Lille", 238246)
    assert set(CommuneCanton.objects.filter(commune=lille)
               .values_list("canton__code", "share")) == lille_links


def test_an_unknown_departement_is_refused():
    with pytest.raises(ValueError, match="75"):
        territory_load(departements=["75"])


@pytest.mark.parametrize(("kind", "code", "name"), [
    ("departement", "59", "Conseil départemental du Nord"),
    ("departement", "50", "Conseil départemental de la Manche"),
    ("departement", "61", "Conseil départemental de l'Orne"),
    ("departement", "14", "Conseil départemental du Calvados"),
    ("departement", "27", "Conseil départemental de l'Eure"),
    ("departement", "76", "Conseil départemental de la Seine-Maritime"),
    ("region", "28", "Conseil régional de Normandie"),
    ("region", "32", "Conseil régional des Hauts-de-France"),
    ("commune", "59350", "Conseil municipal de Lille"),
])
def test_assemblies_get_their_french_names(kind, code, name):
    assembly = assembly_for(kind, code)
    assert assembly.name == name
    assert assembly_for(kind, code) == assembly
    assert Assembly.objects.filter(kind=kind, code=code).count() == 1


def test_the_nord_assembly_links_to_its_departement_and_region(assembly_nord):
    assembly = assembly_for("departement", "59")
    assert assembly == assembly_nord
    assert (assembly.departement.code, assembly.region.code) == ("59", "32")
