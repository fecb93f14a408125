"""The pure RNE reader, on the real files and on broken ones."""

import datetime

from hemicycle.elected import rne
from hemicycle.elected.tests.conftest import NORD, NORMANDIE

HEADER = NORD.read_text(encoding="utf-8").splitlines()[0]
LINE = "59,Nord,5925,Lille-3,DE LA TOUR,Jean,F,05/04/1956,33,Cadre,01/07/2021,,"


def test_it_reads_the_82_conseillers_departementaux_of_the_nord():
    parsed = rne.parse(NORD.read_bytes())
    assert parsed.errors == []
    assert parsed.kind == rne.KIND_DEPARTEMENT
    assert len(parsed.rows) == 82
    first = parsed.rows[0]
    assert (first.last_name, first.first_name, first.gender) == ("Beauchamp", "Charles", "M")
    assert first.birth_date == datetime.date(1956, 4, 5)
    assert first.canton_code == "59001" and first.canton_name == "Aniche"
    assert first.mandate_start == datetime.date(2021, 7, 1)
    assert first.section_code == ""


def test_it_reads_the_102_conseillers_regionaux_of_normandie():
    parsed = rne.parse(NORMANDIE.read_bytes())
    assert parsed.errors == []
    assert parsed.kind == rne.KIND_REGION
    assert len(parsed.rows) == 102
    assert {row.section_code for row in parsed.rows} == {"14", "27", "50", "61", "76"}
    assert all(row.canton_code == "" for row in parsed.rows)


def test_it_converts_rne_canton_codes_to_territory_codes():
    assert rne.canton_code("5901", "59") == "59001"
    assert rne.canton_code("5925", "59") == "59025"
    assert rne.canton_code("59025", "59") == "59025"


def test_it_reads_functions_and_quoted_professions():
    rows = {row.last_name: row for row in rne.parse(NORD.read_bytes()).rows}
    assert rows["Siegler"].function == "5ème Vice-président du conseil départemental"
    assert rows["Siegler"].function_start == datetime.date(2021, 7, 1)
    assert rows["Siegler"].profession == "Professeur, profession scientifique"


def test_names_become_readable_and_keep_their_accents():
    assert rne.readable_name("GRÉAUME") == "Gréaume"
    assert rne.readable_name("PARMENTIER-LECOCQ") == "Parmentier-Lecocq"
    assert rne.readable_name("L'ORPHELIN") == "L'Orphelin"
    assert rne.readable_name("DEJEAN DE LA BATIE") == "Dejean de la Batie"
    assert rne.readable_name("DE GIBON") == "De Gibon"
    assert rne.readable_name("Jean Luc") == "Jean Luc"


def test_the_key_ignores_case_accents_and_hyphens():
    birth = datetime.date(1960, 1, 2)
    assert rne.rne_key("GRÉAUME", "Michelle", birth) == rne.rne_key("Gréaume", "MICHELLE", birth)
    assert rne.rne_key("X", "Jean-Luc", birth) == rne.rne_key("X", "Jean Luc", birth)


def test_it_reads_semicolons_and_windows_encoding():
    text = HEADER.replace(",", ";") + "\r\n" + LINE.replace(",", ";") + "\r\n"
    parsed = rne.parse(text.encode("cp1252"))
    assert parsed.errors == []
    assert parsed.rows[0].canton_code == "59025"
    assert parsed.rows[0].last_name == "De la Tour"


def test_it_reads_a_utf8_file_with_a_byte_order_mark():
    parsed = rne.parse(NORD.read_bytes().decode().encode("utf-8-sig"))
    assert parsed.errors == [] and len(parsed.rows) == 82


def test_missing_columns_are_named():
    header = HEADER.replace(",Date de naissance", "").replace(",Code sexe", "")
    parsed = rne.parse((header + "\n").encode())
    assert len(parsed.errors) == 1
    message = parsed.errors[0].message
    assert "Colonnes manquantes" in message
    assert "« Date de naissance »" in message and "« Code sexe »" in message


def test_a_bad_date_gives_an_error_for_its_line():
    text = "\n".join([HEADER, LINE, LINE.replace("DE LA TOUR", "X").replace("05/04/1956",
                                                                           "31/02/1956")])
    parsed = rne.parse(text.encode())
    assert [error.line for error in parsed.errors] == [3]
    assert "Ligne 3" in parsed.errors[0].message and "31/02/1956" in parsed.errors[0].message


def test_a_row_with_a_wrong_number_of_fields_is_an_error():
    parsed = rne.parse((HEADER + "\n" + LINE + ",extra\n").encode())
    assert parsed.errors[0].line == 2
    assert "14 champs au lieu de 13" in parsed.errors[0].message


def test_a_person_listed_twice_is_an_error():
    parsed = rne.parse((HEADER + "\n" + LINE + "\n" + LINE + "\n").encode())
    assert [error.line for error in parsed.errors] == [3]


def test_empty_and_binary_files_are_refused_with_a_message():
    assert rne.parse(b"").errors[0].message == "Le fichier est vide."
    assert "n'est pas un fichier CSV" in rne.parse(b"PK\x03\x04\x00\x00garbage").errors[0].message
    assert "aucun·e élu·e" in rne.parse((HEADER + "\n").encode()).errors[0].message
