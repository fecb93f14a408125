"""The synthesis of a report: summary, key figures, earlier reports like it."""

from decimal import Decimal
from pathlib import Path

import pytest

from hemicycle.council import entities, splitting, synthesis, text
from hemicycle.council.entities import Gazetteer, Place

DATA = Path(__file__).parent / "data"

REPORT = """RAPPORT N° DAT/2024/81
OBJET : Aide départementale aux villages et bourgs – Attribution de subventions
Le Département du Nord accompagne depuis 2015 les communes rurales dans leurs projets.
Cette politique répond aux attentes des habitants et des élus locaux.
Les services départementaux ont examiné les dossiers avec attention.
La commune de Cassel sollicite une aide pour la rénovation de sa salle polyvalente.
Les dossiers ont été examinés par la commission le 12 novembre 2024.
Il est proposé d'attribuer à la commune de Cassel une subvention de 87 458 € pour la
rénovation de sa salle polyvalente.
Les services restent à la disposition des communes pour tout renseignement.
"""


@pytest.fixture(scope="module")
def lannion() -> splitting.Split:
    document = text.extract(DATA / "pv_cm_lannion_2021-07-05.pdf", ocr="never")
    return splitting.split_bundle(document.text)


def test_the_summary_picks_the_sentences_holding_the_key_facts():
    picked = synthesis.summary(REPORT, 2)
    assert picked == [
        "La commune de Cassel sollicite une aide pour la rénovation de sa salle polyvalente.",
        "Il est proposé d'attribuer à la commune de Cassel une subvention de 87 458 € pour la "
        "rénovation de sa salle polyvalente."]


def test_the_summary_keeps_the_order_of_the_text_and_its_length():
    picked = synthesis.summary(REPORT, 3)
    assert len(picked) == 3
    assert picked == sorted(picked, key=REPORT.replace("\n", " ").index)


def test_the_summary_of_a_real_report_says_what_it_costs(lannion):
    report = synthesis.summary(lannion.text_of(2), 3)  # "LES TARDIVES - Abrogation du droit…"
    assert "Madame Trefina KERRAIN indique que la ville renonce ainsi à 2 500 € de recettes." \
        in report
    assert not any(sentence.startswith("3 - LES TARDIVES") for sentence in report)


def test_sentences_do_not_end_at_an_abbreviation():
    assert synthesis.sentences("M. LISCHKA nous présente le PFFS. Le vote suit.\nADOPTÉ") == [
        "M. LISCHKA nous présente le PFFS.", "Le vote suit.", "ADOPTÉ"]


def test_a_near_duplicate_report_ranks_first(lannion):
    reports = {f"lannion-{r.number}": lannion.text_of(i)
               for i, r in enumerate(lannion.reports)}
    index = synthesis.SimilarityIndex(reports)
    # next year's version of report 14: other dates and figures, a sentence rewritten
    original = reports["lannion-14"]
    new = (original.replace("2021/2024", "2024/2027").replace("2021", "2024")
           .replace("Monsieur", "M."))
    ranked = index.rank(new, k=3)
    assert ranked[0][0] == "lannion-14"
    assert ranked[0][1] > 0.8 > ranked[1][1]


def test_similar_subjects_rank_above_others(lannion):
    reports = {r.number: lannion.text_of(i) for i, r in enumerate(lannion.reports)}
    index = synthesis.SimilarityIndex(reports)
    # report 17 (staff of the childhood service) is most like 16 (staff of the buildings
    # service), both "tableau des effectifs"
    assert index.rank(reports["17"], k=1, exclude=["17"])[0][0] == "16"


def test_similarity_is_accent_insensitive():
    assert synthesis.similarity("Élection du maire de Lannion", "election du maire de lannion") \
        == pytest.approx(1.0)
    assert synthesis.similarity("Élection du maire", "Tarifs de la piscine") == 0


def test_key_figures_gather_amounts_places_and_beneficiaries():
    report = ("Il est proposé de verser 12 000 € à la commune de Cassel et 1,2 M€ à Bailleul.\n"
              "ASSPEC : 600 €\nCoopérative scolaire : 400 €\nÀ Cassel, la salle est rénovée.")
    gazetteer = Gazetteer([Place("Cassel", "commune", "59135"),
                           Place("Bailleul", "commune", "59043")])
    figures = synthesis.key_figures(entities.extract_entities(report, gazetteer=gazetteer))
    assert [a.value for a in figures.amounts] == [1200000, 12000, 600, 400]
    assert figures.total_to_beneficiaries == Decimal(1000)
    assert [(p.name, count) for p, count in figures.places] == [("Cassel", 2), ("Bailleul", 1)]
    assert figures.rows()[:2] == [
        ("Montant", "1\u202f200\u202f000 €", report.splitlines()[0]),
        ("Montant", "12\u202f000 €", report.splitlines()[0])]
    assert ("Bénéficiaire", "600 €", "ASSPEC") in figures.rows()
    assert ("Commune", "Cassel", "2 mentions") in figures.rows()
