"""Reading pools and quotas from CSV (Panelot and sortition-algorithms formats)."""

from pathlib import Path

import pytest

from hemicycle.juries.sortition_io import CsvError, read_instance, read_people, read_quotas

DATA = Path(__file__).parent / "data" / "sortition"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_panelot_format_numbers_the_respondents_from_one():
    folder = DATA / "example_small_20"
    instance = read_instance(folder / "categories.csv", folder / "respondents.csv", 20)
    assert read_quotas(folder / "categories.csv")[1] == "panelot"
    assert instance.quotas[("gender", "female")] == (9, 20)
    assert len(instance.people) == 200 and instance.k == 20
    assert instance.people[0].id == "1" and instance.people[-1].id == "200"
    assert instance.people[0].features == {"gender": "female", "leaning": "conservative"}


def test_the_sortition_algorithms_format_uses_the_id_column_and_addresses():
    folder = DATA / "sortition_algorithms"
    instance = read_instance(folder / "features.csv", folder / "candidates.csv", 22,
                             household_columns=("primary_address1", "primary_zip"))
    assert read_quotas(folder / "features.csv")[1] == "sortition-algorithms"
    assert len(instance.quotas) == 20 and instance.quotas[("Gender", "Female")] == (11, 12)
    assert [p.id for p in instance.people[:2]] == ["p0", "p1"]
    assert instance.people[0].features["geo_bucket"] == "South Scotland"
    assert instance.people[0].household == "primary_address10|primary_zip0"


def test_the_opendlp_headers_values_in_any_case_and_note_lines_are_accepted(tmp_path):
    categories = write(tmp_path, "c.csv", "category,name,min,max,Notes\n"
                       "Genre,Femme,1,2,\nGenre,Homme,1,2,\n,,,,\n,Une note,,,\n")
    people = write(tmp_path, "p.csv", "unique_id,genre\n7, femme\n8,HOMME\n9,Homme\n")
    instance = read_instance(categories, people, 2)
    assert [(p.id, p.features["Genre"]) for p in instance.people] == [
        ("7", "Femme"), ("8", "Homme"), ("9", "Homme")]


@pytest.mark.parametrize(("text", "message"), [
    ("category,feature,min\ngenre,f,1\n", "c.csv, ligne 1 : colonnes manquantes : « max »"),
    ("feature,value,min,max\ngenre,f,un,2\n",
     "c.csv, ligne 2 : « un » n'est pas un nombre entier (colonne « min »)"),
    ("feature,value,min,max\ngenre,f,1,2\ngenre,h,3,2\n",
     "c.csv, ligne 3 : le minimum (3) dépasse le maximum (2) pour « h » (genre)"),
    ("feature,value,min,max\ngenre,f,1,2\ngenre,F,1,2\n",
     "c.csv, ligne 3 : « F » (genre) apparaît deux fois"),
    ("feature,value,min,max\n", "c.csv : aucun quota"),
    ("", "c.csv : fichier vide"),
])
def test_malformed_quota_files_are_explained_with_their_line(tmp_path, text, message):
    with pytest.raises(CsvError) as raised:
        read_quotas(write(tmp_path, "c.csv", text))
    assert str(raised.value).startswith(message)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CsvError, match="fichier illisible"):
        read_quotas(tmp_path / "absent.csv")


QUOTAS = {("genre", "f"): (0, 2), ("genre", "h"): (0, 2)}


@pytest.mark.parametrize(("text", "options", "message"), [
    ("id,sexe\n1,f\n", {}, "p.csv, ligne 1 : colonnes manquantes : « genre »"),
    ("genre\nf\n", {}, "p.csv, ligne 1 : colonnes manquantes : « identifiant"),
    ("id,genre\n1,f\n2,x\n", {},
     "p.csv, ligne 3 : la valeur « x » de « genre » n'est pas dans les quotas "
     "(valeurs connues : f, h)"),
    ("id,genre\n1,f\n1,h\n", {}, "p.csv, ligne 3 : identifiant « 1 » en double"),
    ("id,genre\n1,f,extra\n", {}, "p.csv, ligne 2 : 3 cellules pour 2 colonnes"),
    ("id,genre\n1,f\n", {"household_columns": ("adresse",)},
     "p.csv, ligne 1 : colonnes manquantes : « adresse »"),
    ("id,genre\n", {}, "p.csv : aucune personne"),
])
def test_malformed_people_files_are_explained_with_their_line(tmp_path, text, options, message):
    with pytest.raises(CsvError) as raised:
        read_people(write(tmp_path, "p.csv", text), QUOTAS, **options)
    assert str(raised.value).startswith(message)
    assert isinstance(raised.value, ValueError)


def test_an_explicit_id_column_overrides_row_numbers(tmp_path):
    categories = write(tmp_path, "c.csv", "category,feature,min,max\ngenre,f,0,1\ngenre,h,0,1\n")
    people = write(tmp_path, "p.csv", "dossier,genre\nA-12,f\nB-7,h\n")
    assert [p.id for p in read_instance(categories, people, 1).people] == ["1", "2"]
    assert [p.id for p in read_instance(categories, people, 1, id_column="dossier").people] == [
        "A-12", "B-7"]
