"""The pure helpers of hemicycle.lib.geo, on the Nord's real 2018 layers."""

import gzip
import json
from pathlib import Path

import pytest

from hemicycle.lib import geo
from hemicycle.lib.text import normalize_name
from hemicycle.territory.names import with_de

DATA = Path(__file__).resolve().parent.parent / "data" / "geo" / "departements" / "59-nord"


def layer(name: str) -> dict[str, dict]:
    with gzip.open(DATA / f"{name}-59-nord.geojson.gz", "rt") as fh:
        return {f["properties"]["code"]: f["geometry"] for f in json.load(fh)["features"]}


@pytest.fixture(scope="module")
def nord():
    communes, cantons = layer("communes"), layer("cantons")
    return communes, cantons, geo.commune_cantons(communes, cantons)


def codes(pairs):
    return {code for code, _ in pairs}


@pytest.mark.parametrize(("text", "key"), [
    ("Mons-en-Barœul", "mons en baroeul"),
    ("MONS EN BAROEUL", "mons en baroeul"),
    ("L'Haÿ-les-Roses", "l hay les roses"),
    ("Villeneuve-d’Ascq", "villeneuve d ascq"),
    ("Æ  Saint-Étienne--du-Rouvray ", "ae saint etienne du rouvray"),
    ("", ""),
])
def test_normalize_name_drops_case_accents_ligatures_and_punctuation(text, key):
    assert normalize_name(text) == key


def test_lille_is_split_between_several_lille_cantons(nord):
    _, cantons, join = nord
    lille = codes(join["59350"])
    assert len(lille) >= 3
    assert all(code.startswith("590") for code in lille)
    assert {"59025", "59026", "59027", "59028"} <= lille  # Lille-3 to Lille-6


def test_roubaix_lies_in_roubaix_1_and_roubaix_2(nord):
    assert codes(nord[2]["59512"]) == {"59032", "59033"}


def test_dunkerque_lies_in_dunkerque_1_dunkerque_2_and_grande_synthe(nord):
    # Grande-Synthe's canton holds Petite-Synthe and Mardyck, districts of Dunkerque.
    assert codes(nord[2]["59183"]) == {"59016", "59017", "59020"}


def test_a_small_commune_lies_in_exactly_one_canton(nord):
    assert nord[2]["59008"] == [("59001", 1.0)]  # commune Aniche in canton Aniche


def test_every_commune_gets_a_canton_and_shares_sum_to_one(nord):
    communes, _, join = nord
    assert set(join) == set(communes)
    for pairs in join.values():
        assert abs(sum(share for _, share in pairs) - 1) < 1e-9
        assert [s for _, s in pairs] == sorted((s for _, s in pairs), reverse=True)


def test_without_the_threshold_border_slivers_appear(nord):
    communes, cantons, join = nord
    raw = geo.commune_cantons(communes, cantons, threshold=0)
    assert sum(len(p) for p in raw.values()) > 1.5 * sum(len(p) for p in join.values())


def test_communes_under_3500_inhabitants_get_one_canton(nord):
    communes, cantons, _ = nord
    # Cassel (2,200 inhabitants) overlaps Wormhout's coarse outline by 22 %.
    assert len(geo.commune_cantons(communes, cantons)["59135"]) == 2
    assert len(geo.commune_cantons(communes, cantons, single={"59135"})["59135"]) == 1


def test_parts_merge_by_area():
    shares = {"a": [("c1", 1.0)], "b": [("c1", 0.5), ("c2", 0.5)]}
    merged = geo.merge_parts(shares, {"a": 3.0, "b": 2.0}, {"b": "a"})
    assert merged == {"a": [("c1", 0.8), ("c2", pytest.approx(0.2))]}


def test_a_point_in_lille_centre_is_in_a_lille_canton(nord):
    _, cantons, _ = nord
    index = geo.PolygonIndex(cantons)
    code = index.locate(3.0635, 50.6366)  # Grand-Place
    assert code in {"59023", "59024", "59025", "59026", "59027", "59028"}
    assert geo.canton_for_point(3.0635, 50.6366, cantons) == code
    assert index.locate(2.35, 48.85) is None  # Paris


def test_an_invalid_ring_is_repaired():
    # A polygon whose hole repeats its outer ring, as commune 14174 is stored.
    ring = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    shape = geo.to_shape({"type": "Polygon", "coordinates": [ring, ring]})
    assert shape.is_valid
    assert shape.geom_type in ("Polygon", "MultiPolygon")


def test_calvados_commune_14174_is_repaired_and_joined():
    path = DATA.parent / "14-calvados"
    with gzip.open(path / "communes-14-calvados.geojson.gz", "rt") as fh:
        feature = next(f for f in json.load(fh)["features"] if f["properties"]["code"] == "14174")
    assert not geo.is_valid(feature["geometry"])
    assert geo.to_shape(feature["geometry"]).is_valid
    assert geo.to_shape(feature["geometry"]).area > 0


@pytest.mark.parametrize(("name", "tncc", "expected"), [
    ("Nord", 2, "du Nord"),
    ("Manche", 3, "de la Manche"),
    ("Orne", 5, "de l'Orne"),
    ("Hauts-de-France", 4, "des Hauts-de-France"),
    ("Normandie", 0, "de Normandie"),
    ("Île-de-France", 1, "d'Île-de-France"),
    ("Le Cateau-Cambrésis", 2, "du Cateau-Cambrésis"),
    ("Les Mées", 4, "des Mées"),
    ("L'Escale", 5, "de l'Escale"),
])
def test_names_take_their_article_from_the_tncc(name, tncc, expected):
    assert with_de(name, tncc) == expected
