"""The roll call read from real minutes, against the published attendance of Lannion and
the comptes-rendus of Couthenans."""

import csv
from pathlib import Path

import pytest

from hemicycle.council import attendance, text
from hemicycle.council.attendance import ABSENT, EXCUSED, PRESENT, PROXY, Attendee

DATA = Path(__file__).parent / "data"
_CSV_STATES = {"présent": PRESENT, "absent": ABSENT, "procuration": PROXY}
_CSV_HEADINGS = {"etaient presents", "procurations", "etait absent", "etaient excuses",
                 "etaient absents"}


def _minutes(name: str) -> str:
    return text.extract(DATA / name, ocr="never").text


def _ground_truth(name: str) -> dict[str, tuple[str, str]]:
    with (DATA / "presences" / name).open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    truth = {}
    for row in rows:
        key = attendance.name_key(row["nom"])
        if key in _CSV_HEADINGS:
            continue
        holder = "" if row["procuration"] == "NA" else attendance.name_key(row["procuration"])
        truth[key] = (_CSV_STATES[row["etat"]], holder)
    return truth


@pytest.mark.parametrize("minutes,truth", [
    ("pv_cm_lannion_2021-07-05.pdf", "cm_lannion-2021-07-05.csv"),
    ("pv_cm_lannion_2020-05-25.pdf", "cm_lannion-2020-05-25.csv"),
])
def test_the_roll_call_of_lannion_matches_its_published_attendance(minutes, truth):
    found = attendance.attendance_extract(_minutes(minutes))
    extracted = {person.key: (person.state, attendance.name_key(person.proxy_holder))
                 for person in found}
    assert extracted == _ground_truth(truth)


def test_names_keep_their_written_form_and_their_order():
    found = attendance.attendance_extract(_minutes("pv_cm_lannion_2021-07-05.pdf"))
    assert found[0] == Attendee("Paul LE BIHAN", PRESENT)
    # "Hervé / LATIMIER" runs over two lines of the PDF.
    assert Attendee("Hervé LATIMIER", PRESENT) in found
    assert Attendee("Yves NEDELLEC", PROXY, "Marie-Annick GUILLOU") in found


def test_couthenans_first_names_excuses_and_a_name_before_its_state_are_read():
    found = attendance.attendance_extract(
        _minutes("couthenans_CR_conseil_municipal_24_02_2023.pdf"))
    states = {person.name: (person.state, person.proxy_holder) for person in found}
    assert states["Jean-Pierre"] == (PRESENT, "")
    assert states["Marc"] == (PROXY, "Patrick")  # "(pouvoir donné Patrick)", no "à"
    assert states["Maryline"] == (ABSENT, "")  # "Maryline : absente non excusée"
    assert len(found) == 13


def test_a_proxy_written_among_the_present_members_is_a_proxy():
    found = attendance.attendance_extract(_minutes("couthenans_CR_reunion_20210604.pdf"))
    states = {person.name: (person.state, person.proxy_holder) for person in found}
    assert states["Adeline"] == (PROXY, "Mario")
    assert states["Hélène"] == (ABSENT, "")  # "Absent" on its own line, no colon
    assert sum(state == PRESENT for state, _ in states.values()) == 13


def test_absent_without_excuse_and_without_proxy_is_absent():
    found = attendance.attendance_extract(
        _minutes("couthenans_CR_conseil_municipal_07_10_2022.pdf"))
    states = {person.name: person.state for person in found}
    assert states["Mathieu FIGINI"] == ABSENT
    assert states["Adeline TEXEIRA"] == PRESENT  # her name runs over two lines
    assert list(states.values()).count(PRESENT) == 11


def test_excused_members_without_proxy_are_excused_and_titles_are_dropped():
    found = attendance.attendance_extract(
        "Séance du 3 mars\nMembres présents : M. Jean DUPONT, Mme Aïcha BENALI.\n"
        "Absents excusés : Mme Claire MARTIN, M. Luc PETIT (pouvoir à M. Jean DUPONT).\n"
        "Secrétaire de séance : Mme Aïcha BENALI.\nLe conseil, après en avoir délibéré…")
    assert found == [Attendee("Jean DUPONT", PRESENT), Attendee("Aïcha BENALI", PRESENT),
                     Attendee("Claire MARTIN", EXCUSED),
                     Attendee("Luc PETIT", PROXY, "Jean DUPONT")]


def test_a_sentence_or_a_count_ends_the_list_and_is_never_taken_for_a_name():
    found = attendance.attendance_extract(
        "Étaient présents :\nAnne LEROY - Paul MARTIN\nSoit 2 présents\n"
        "Monsieur le Maire ouvre la séance et présente le budget.\nOrdre du jour :\n")
    assert [person.name for person in found] == ["Anne LEROY", "Paul MARTIN"]


def test_a_heading_like_word_inside_a_title_is_not_a_roll_call():
    assert attendance.attendance_extract(
        "Présentation du rapport d'activité :\nLe Syndicat Intercommunal présente …") == []


def test_name_keys_ignore_accents_titles_case_and_punctuation():
    assert attendance.name_key("Mme Françoise LE MEN") == "francoise le men"
    assert attendance.name_key("Marie Christine BARAC’H") == attendance.name_key(
        "marie christine barac'h")
