"""Fixtures of the elected app: the real RNE files and the territory rows they need."""

import json
from pathlib import Path

import pytest

from hemicycle.elected import rne
from hemicycle.territory.models import Canton, Departement

DATA = Path(__file__).parent / "data"
NORD = DATA / "rne_conseillers_departementaux_59_nord.csv"
NORMANDIE = DATA / "rne_conseillers_regionaux_28_normandie.csv"

SQUARE = json.dumps({"type": "Polygon", "coordinates": [
    [[3.0, 50.6], [3.1, 50.6], [3.1, 50.7], [3.0, 50.7], [3.0, 50.6]]]})


def make_canton(assembly, code: str, name: str, geometry: str = "") -> Canton:
    canton, _ = Canton.objects.get_or_create(code=code, defaults={
        "name": name, "search_name": name.lower(), "departement": assembly.departement,
        "geometry": geometry})
    return canton


@pytest.fixture
def nord_cantons(assembly_nord) -> dict[str, Canton]:
    """The Nord's 41 cantons, named as in the RNE file (no outlines)."""
    pairs = {(row.canton_code, row.canton_name) for row in rne.parse(NORD.read_bytes()).rows}
    return {code: make_canton(assembly_nord, code, name) for code, name in pairs}


@pytest.fixture
def normandie_sections(assembly_normandie) -> dict[str, Departement]:
    region = assembly_normandie.region
    names = {"14": "Calvados", "27": "Eure", "50": "Manche", "61": "Orne",
             "76": "Seine-Maritime"}
    return {code: Departement.objects.get_or_create(
        code=code, defaults={"name": name, "region": region})[0] for code, name in names.items()}


@pytest.fixture
def nord_bytes() -> bytes:
    return NORD.read_bytes()
