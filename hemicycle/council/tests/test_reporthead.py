"""Direction and examining commission read from a report's first lines (pure Python)."""

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from hemicycle.council import reporthead, splitting
from hemicycle.council.reporthead import (
    Head,
    acronym_fits,
    code_of,
    commission_match,
    direction_resolve,
    directions_by_code,
    read_head,
)

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data" / "deliberations" / "pdf"

NORD_REPORT = """\
DIRECTION GÉNÉRALE ADJOINTE CHARGÉE DE L'AMÉNAGEMENT DURABLE ET DE
L'ATTRACTIVITÉ
DIRECTION DE L'AMÉNAGEMENT DU TERRITOIRE
Service de l'ingénierie territoriale
N° DAT/2022/81
COMMISSION PERMANENTE DU 12 DÉCEMBRE 2022
Commission Aménagement du territoire, ruralité
OBJET : Aide départementale aux villages et bourgs (ADVB) – Programmation 2022
Le Département du Nord accompagne les communes de moins de 5 000 habitants.
"""

BODIES = [(1, "Commission Solidarités, santé et autonomie"),
          (2, "Commission Aménagement du territoire et ruralité"),
          (3, "Commission Finances et ressources"),
          (4, "Commission n°5 – Culture, sport et vie associative")]


def test_the_direction_in_capitals_is_found_under_its_dga_and_softened():
    head = read_head(NORD_REPORT)
    assert head.direction == "Direction de l'aménagement du territoire"
    assert head.commission == "Aménagement du territoire, ruralité"  # not "permanente"


def test_a_dga_alone_is_the_direction_and_a_wrapped_heading_is_joined():
    head = read_head("DIRECTION GÉNÉRALE ADJOINTE CHARGÉE DE LA SOLIDARITÉ ET DE\n"
                     "L'AUTONOMIE\nRAPPORT N° 2024-118\n")
    assert head.direction == ("Direction générale adjointe chargée de la solidarité et de "
                              "l'autonomie")
    assert read_head("DGA Solidarités\nPôle Enfance").direction == (
        "Direction générale adjointe Solidarités")


def test_a_service_or_a_pole_when_no_direction_is_named():
    assert read_head("Pôle Ressources\nService des assemblées\nObjet : Indemnités"
                     ).direction == "Service des assemblées"
    assert read_head("Pôle Solidarités\nObjet : Convention").direction == "Pôle Solidarités"


def test_labelled_lines_give_a_direction_or_a_code():
    head = read_head("Service instructeur : Direction des Finances\nObjet : DM n° 2")
    assert head.direction == "Direction des Finances"
    assert read_head("Direction : Aménagement du territoire").direction == (
        "Direction Aménagement du territoire")
    head = read_head("Direction : DAT\nCommission n°3 – Finances et ressources humaines")
    assert (head.direction, head.code) == ("", "DAT")
    assert (head.commission, head.commission_number) == ("Finances et ressources humaines",
                                                         "3")


def test_sentences_tables_and_the_states_services_are_not_directions():
    text = ("Le rapport a été préparé par la direction.\n"
            "Service rendu aux usagers : 12 000 passages par an\n"
            "Service St Roch 0,82 0,82 1 0,82\n"
            "Direction Régionale des Affaires Culturelles\n"
            "Direction départementale des territoires et de la mer\n"
            "Service Départemental d'Incendie et de Secours\n")
    assert read_head(text).direction == ""


def test_the_commission_is_found_where_the_text_cites_its_examination():
    assert read_head("Examiné en commission Solidarités, santé et autonomie le 3 novembre "
                     "2026.").commission == "Solidarités, santé et autonomie"
    # Lannion's minutes: "VU l'avis … de la commission … du <date>,"
    assert read_head("VU le budget de la ville,\nVU l’avis favorable de la commission "
                     "culture du 23 juin 2021,").commission == "culture"
    assert read_head("VU l’avis de la commission Politiques Éducatives et Sportives, "
                     "Handicap du 22 juin 2021,").commission == (
        "Politiques Éducatives et Sportives, Handicap")
    assert read_head("Après avis de la 2e commission, réunie le 4 mai").commission_number == "2"


def test_commissions_that_examine_nothing_are_not_taken():
    text = ("COMMISSION PERMANENTE\nCommission d'appel d'offres du 3 mars\n"
            "VU l'avis de la commission compétente,\n"
            "Commission Locale d’Évaluation des Charges Transférées (CLECT)\n")
    assert read_head(text).commission == ""


def test_only_the_first_lines_are_read():
    text = "\n".join(f"Ligne {k} du rapport." for k in range(60))
    assert read_head(text + "\nDirection des Finances\nCommission Finances").direction == ""
    assert read_head("Direction des Finances\n" + text).direction == "Direction des Finances"


@pytest.mark.parametrize("code, name, fits", [
    ("DAT", "Direction de l'Aménagement du territoire", True),
    ("DCOL", "Direction des Collèges", True),
    ("DPAPH", "Direction Personnes âgées personnes handicapées", True),
    ("DAT", "Direction de l'Aménagement du territoire et du logement", True),
    ("DFIN", "Direction des Finances", True),
    ("DEF", "Direction de l'Environnement", False),
    ("DVD", "Direction des Collèges", False),
])
def test_a_code_fits_the_starts_of_its_directions_words(code, name, fits):
    assert acronym_fits(code, name) is fits


def test_a_numbers_code_is_its_leading_capitals():
    assert code_of("DAT/2022/81") == "DAT"
    assert code_of("DPAPH/2026/33") == "DPAPH"
    assert code_of("2021-45") == code_of("") == code_of(None) == ""


def test_codes_are_mapped_from_a_bundles_reports_and_the_known_directions():
    pairs = [("DAT", "Direction de l'aménagement du territoire"), ("DAT", ""),
             ("CP", "Direction des Finances"), ("CP", "Direction des Collèges"),
             ("DCOL", "")]
    known = ["Direction de l'Aménagement du territoire", "Direction des Collèges"]
    mapping = directions_by_code(pairs, known)
    # The known spelling wins over the capitals softened; "CP" is no direction's code.
    assert mapping == {"DAT": "Direction de l'Aménagement du territoire",
                       "DCOL": "Direction des Collèges"}
    assert direction_resolve(Head(), "DAT/2022/82", mapping, known) == (
        "Direction de l'Aménagement du territoire")
    assert direction_resolve(Head(code="DCOL"), "", mapping) == "Direction des Collèges"
    assert direction_resolve(Head(code="DXY"), "", mapping) == "DXY"
    assert direction_resolve(Head(direction="DIRECTION DES COLLÈGES"), "", {}, known) == (
        "Direction des Collèges")


@pytest.mark.parametrize("name, number, expected", [
    ("Aménagement du territoire, ruralité", "", 2),
    ("amenagement du teritoire", "", 2),
    ("SOLIDARITÉS, SANTÉ ET AUTONOMIE", "", 1),
    ("Finances", "", 3),
    ("", "5", 4),
    ("Culture", "", 4),
    ("Transports", "", None),
    ("", "9", None),
])
def test_a_commission_is_matched_to_the_assemblys_bodies(name, number, expected):
    assert commission_match(name, number, BODIES) == expected


def test_an_ambiguous_commission_matches_none():
    bodies = [(1, "Commission Culture et patrimoine"), (2, "Commission Culture, sport")]
    assert commission_match("culture", "", bodies) is None


@pytest.mark.skipif(not SHARED.exists(), reason="shared data not present")
def test_lannions_minutes_give_each_deliberation_its_commission():
    pdf = pdfium.PdfDocument(SHARED / "pv_cm_lannion_2021-07-05.pdf")
    text = "\f".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    split = splitting.split_bundle(text)
    heads = {part.number: read_head(split.text_of(i)) for i, part in enumerate(split.reports)}
    assert heads["2"].commission == "culture"  # "LES TARDIVES – versement de subventions"
    assert sum(1 for head in heads.values() if head.commission) >= 3
    # No line of a real council's minutes is taken for a direction it does not name.
    assert {head.direction for head in heads.values()} <= {""} | {
        head.direction for head in heads.values() if head.direction.startswith(
            ("Direction", "Service", "Pôle"))}
    assert reporthead.HEAD_LINES == 40
