"""SCDL Délibérations CSV: reading real files as they are, writing, round trips."""

from datetime import date
from pathlib import Path

import pytest

from hemicycle.council import scdl

DATA = Path(__file__).parent / "data"
SAINT_ETIENNE = DATA / "scdl_deliberations_saint_etienne_metropole_2022-03.csv"


def test_it_reads_the_52_deliberations_of_saint_etienne():
    read = scdl.read_csv(SAINT_ETIENNE)
    assert len(read.rows) == 52
    assert read.delimiter == ","
    assert read.extra_columns == ["Nombre de délibération"]
    assert read.missing_columns == []
    first = read.rows[0]
    assert first.extra == {"Nombre de délibération": "1"}
    assert (first.coll_siret, first.delib_id, first.delib_date) == (
        "24420077000117", "2022.00028", date(2022, 3, 24))
    assert (first.vote_effectif, first.vote_reel, first.vote_pour, first.vote_contre,
            first.vote_abstention) == (123, 89, 101, 0, 4)
    assert first.pref_date == date(2022, 4, 4)


def test_multi_line_fields_become_one_line():
    first = scdl.read_csv(SAINT_ETIENNE).rows[0]
    assert first.delib_objet == (
        "PLAN DE RELANCE METROPOLITAIN 2021-2023 - ATTRIBUTION D’UN FONDS DE CONCOURS A LA "
        "COMMUNE DE LA TOUR-EN-JAREZ - CONSTRUCTION D’UN ESPACE INTERGENERATIONNEL")
    assert first.budget_nom == "Administration Générale du Budget Principal"


def test_problems_are_reported_by_line_without_losing_the_row():
    read = scdl.read_csv(SAINT_ETIENNE)
    empty_codes = [p for p in read.problems if p.column == "DELIB_MATIERE_CODE"]
    assert len(empty_codes) == 52  # the métropole left the "matière" code empty everywhere
    assert empty_codes[0] == scdl.Problem(2, "DELIB_MATIERE_CODE",
                                          "valeur obligatoire vide : DELIB_MATIERE_CODE")
    # the first row spans lines 2 to 5 of the file: the second starts on line 6
    assert empty_codes[1].line == 6


def test_it_reads_the_one_line_model_with_every_field_quoted():
    read = scdl.read_csv(DATA / "modele_scdl_deliberations_exemple_1ligne.csv")
    assert len(read.rows) == 1
    row = read.rows[0]
    assert (row.delib_id, row.delib_date, row.vote_pour) == ("2022.00022", date(2022, 1, 20), 62)
    assert row.delib_url.startswith("https://www.saint-etienne-metropole.fr/file/3275266")
    assert read.extra_columns == []


def test_it_accepts_semicolons_a_bom_windows_1252_and_timestamps():
    content = ("coll_nom;COLL_SIRET;DELIB_ID;DELIB_DATE;DELIB_MATIERE_CODE;DELIB_MATIERE_NOM;"
               "DELIB_OBJET;PREF_DATE;VOTE_POUR;Commentaire\r\n"
               "Département du Nord;22590001700016;DAT/2021/81;2021/07/02 00:00:00+00;7.5;"
               "Subventions;Aide aux villages;02/07/2021;82;à revoir\r\n")
    read = scdl.read_csv(b"\xef\xbb\xbf" + content.encode("utf-8"))
    assert (read.delimiter, read.encoding) == (";", "utf-8-sig")
    row = read.rows[0]
    assert (row.coll_nom, row.delib_date, row.pref_date, row.vote_pour) == (
        "Département du Nord", date(2021, 7, 2), date(2021, 7, 2), 82)
    assert row.extra == {"Commentaire": "à revoir"}
    assert scdl.read_csv(content.encode("cp1252")).rows[0].coll_nom == "Département du Nord"


@pytest.mark.parametrize("written, value", [
    ("2022-03-24", date(2022, 3, 24)),
    ("2021/07/02 00:00:00+00", date(2021, 7, 2)),
    ("2022-03-24T00:00:00Z", date(2022, 3, 24)),
    ("24/03/2022", date(2022, 3, 24)),
    ("20220324", date(2022, 3, 24)),
    ("2022-02-30", None),
    ("mars 2022", None),
])
def test_dates_are_normalised(written, value):
    assert scdl.parse_date(written) == value


def test_unreadable_values_and_missing_columns_are_problems():
    read = scdl.read_csv("COLL_NOM,DELIB_ID,DELIB_DATE,VOTE_POUR\nNord,1,hier,douze\n")
    messages = {(p.column, p.message) for p in read.problems}
    assert ("DELIB_DATE", "date illisible : « hier »") in messages
    assert ("VOTE_POUR", "nombre entier attendu : « douze »") in messages
    assert ("DELIB_OBJET", "colonne obligatoire absente : DELIB_OBJET") in messages
    assert read.rows[0].delib_date is None and read.rows[0].vote_pour is None


def test_writing_then_reading_gives_the_same_deliberations():
    original = scdl.read_csv(SAINT_ETIENNE)
    written = scdl.write_csv(original.rows, extra_columns=original.extra_columns)
    assert written.splitlines()[0] == ",".join(scdl.COLUMNS) + ",Nombre de délibération"
    again = scdl.read_csv(written)
    assert again.rows == original.rows
    assert again.delimiter == ","


def test_it_writes_the_schema_columns_in_order_with_iso_dates():
    row = scdl.Deliberation(coll_nom="Département du Nord", coll_siret="22590001700016",
                            delib_id="DAT/2024/81", delib_date=date(2024, 12, 16),
                            delib_matiere_code="7.5", delib_matiere_nom="Subventions",
                            delib_objet="Aide aux villages, bourgs ; ADVB", vote_pour=82)
    lines = scdl.write_csv([row]).splitlines()
    assert lines[1] == ("Département du Nord,22590001700016,DAT/2024/81,2024-12-16,7.5,"
                        "Subventions,\"Aide aux villages, bourgs ; ADVB\",,,,,,,82,,,")
    assert scdl.as_dict(row)["DELIB_DATE"] == date(2024, 12, 16)
