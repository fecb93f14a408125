import io
import random

import pytest

from hemicycle.actors import rna
from hemicycle.actors.tests.rna_files import HEADER, row, write_rna


def test_it_reads_a_latin_rna_file_and_maps_its_fields(tmp_path):
    path = tmp_path / "rna_waldec_59.csv"
    rng = random.Random(1)
    write_rna(path, [row(1, rng, name="AMICALE DES ÉCOLES DE FIVES",
                          place=("59350", "59000", "LILLE"))], encoding="cp1252")
    with open(path, "rb") as raw:
        header, rows = rna.read_csv(raw, delimiter=";")
        first = next(rows)
    assert header == HEADER
    record = rna.rna_record(first.values)
    assert record["rna_id"] == "W590000001"
    assert record["name"] == "Amicale des Écoles de Fives"
    assert record["insee_code"] == "59350" and record["city"] == "Lille"
    assert record["dissolved"] is False and record["dissolved_on"] is None
    assert record["street"].split()[1] in rna.STREET_TYPES.values()


def test_dissolved_associations_are_recognised():
    values = dict.fromkeys(HEADER, "")
    values.update(id="W591234567", titre="CLUB", position="D", date_disso="2020-01-02")
    record = rna.rna_record(values)
    assert record["dissolved"] and record["dissolved_on"].year == 2020


def test_it_streams_and_reports_the_bytes_read(tmp_path):
    path = tmp_path / "big.csv"
    rng = random.Random(2)
    write_rna(path, [row(n, rng) for n in range(1, 3001)])
    with open(path, "rb") as raw:
        _header, rows = rna.read_csv(raw)
        seen = [r.bytes_read for r in rows]
    assert len(seen) == 3000
    assert seen[0] < path.stat().st_size  # not the whole file at the first row
    assert seen[-1] == path.stat().st_size


def test_encodings_are_detected():
    assert rna.detect_encoding("Société;Écoles\n".encode()) == "utf-8"
    assert rna.detect_encoding("\ufeffid;titre\n".encode("utf-8")) == "utf-8-sig"
    text = "id;titre;objet\nW1;AMICALE DES ÉCOLES;activités périscolaires à Lille\n" * 20
    assert rna.detect_encoding(text.encode("cp1252")) in ("cp1252", "cp1250", "latin_1")


def test_an_empty_or_binary_file_is_unreadable():
    with pytest.raises(rna.UnreadableFile):
        rna.read_csv(io.BytesIO(b""))
    with pytest.raises(rna.UnreadableFile):
        rna.read_csv(io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))


def test_dates_in_both_formats():
    assert rna.parse_date("2019-03-12").day == 12
    assert rna.parse_date("12/03/2019").month == 3
    assert rna.parse_date("0001-01-01") is None
    assert rna.parse_date("n/a") is None
