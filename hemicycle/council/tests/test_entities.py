"""Entities of reports: amounts, dates, places, organisations, beneficiaries."""

import gzip
import json
import os
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from hemicycle.council import entities, splitting, text
from hemicycle.council.entities import Gazetteer, OrganisationFinder, Place

DATA = Path(__file__).parent / "data"
TERRITORY = Path(__file__).parents[2] / "territory" / "data"


@pytest.fixture(scope="module")
def finder() -> OrganisationFinder:
    """spaCy is loaded once for the whole module (a few seconds)."""
    return OrganisationFinder()


@pytest.fixture(scope="module")
def nord() -> Gazetteer:
    """The Nord's communes and cantons, as the territory app ships them."""
    with gzip.open(TERRITORY / "cog" / "communes.json.gz") as handle:
        communes = [c for c in json.load(handle) if c["departement"] == "59"]
    with gzip.open(TERRITORY / "geo" / "departements" / "59-nord" /
                   "cantons-59-nord.geojson.gz") as handle:
        cantons = [f["properties"] for f in json.load(handle)["features"]]
    return Gazetteer([Place(c["nom"], "commune", c["code"]) for c in communes]
                     + [Place(c["nom"], "canton", c["code"]) for c in cantons])


@pytest.mark.parametrize("written, value", [
    ("87 458 €", "87458"),
    ("1,2 M€", "1200000"),
    ("5 000 euros", "5000"),
    ("12 345,67 €", "12345.67"),
    ("87\u00a0458\u00a0€", "87458"),
    ("620.000€", "620000"),
    ("1.68€", "1.68"),
    ("3,5 millions d'euros", "3500000"),
    ("1’697€", "1697"),
    ("-22'973,41€", "-22973.41"),
    ("250 k€", "250000"),
    ("2 EUR", "2"),
])
def test_it_reads_amounts_in_euros_as_written(written, value):
    found = entities.find_amounts(f"La dépense de {written} est inscrite.")
    assert [(a.value, a.text) for a in found] == [(Decimal(value), written)]


def test_an_amount_keeps_its_context_and_tax():
    report = ("Les travaux, d'un coût total estimé à 1 673 000 € HT, débuteront en mars.\n"
              "ASSPEC : 600€\nCoopérative scolaire : 600€\n")
    first, second, third = entities.find_amounts(report)
    assert first.tax == "HT"
    assert first.context == ("Les travaux, d'un coût total estimé à 1 673 000 € HT, "
                             "débuteront en mars.")
    assert (second.context, third.context) == ("ASSPEC : 600€", "Coopérative scolaire : 600€")


def test_numbers_that_are_not_euros_are_left_alone():
    assert entities.find_amounts("5 000 habitants, en 2021, 14 votes pour, 2,5K environ, "
                                 "le 28.156 au 28.13, 12 km") == []


def test_it_reads_dates_written_in_french():
    found = entities.find_dates("Le conseil s'est réuni le 5 juillet 2021 (convoqué le "
                                "25/06/2021), lundi 05 juillet 2021 à 18 h ; effet au 1er "
                                "janvier 2024 ; séance du 2022-03-24 ; le 31/02/2021 n'existe pas.")
    assert [(d.value.isoformat(), d.text) for d in found] == [
        ("2021-07-05", "5 juillet 2021"), ("2021-06-25", "25/06/2021"),
        ("2021-07-05", "05 juillet 2021"), ("2024-01-01", "1er janvier 2024"),
        ("2022-03-24", "2022-03-24")]
    assert entities.parse_date("05/07/2021").isoformat() == "2021-07-05"


SMALL = Gazetteer([
    Place("Mons-en-Barœul", "commune", "59410"), Place("Lille", "commune", "59350"),
    Place("Bray", "commune", "76143"), Place("Eu", "commune", "76255"),
    Place("Douai", "commune", "59178"), Place("Douai", "canton", "5914"),
    Place("Lille-1", "canton", "5917"), Place("Villeneuve-d'Ascq", "commune", "59009"),
    Place("Le Quesnoy", "commune", "59481"),
])


def places(found) -> list[tuple[str, str, str]]:
    return [(m.text, m.places[0].name, m.places[0].kind) for m in found]


def test_places_are_found_whatever_the_accents_and_hyphens():
    found = SMALL.find("Travaux à Mons-en-Baroeul, MONS EN BAROEUL et Villeneuve d’Ascq.")
    assert places(found) == [
        ("Mons-en-Baroeul", "Mons-en-Barœul", "commune"),
        ("MONS EN BAROEUL", "Mons-en-Barœul", "commune"),
        ("Villeneuve d’Ascq", "Villeneuve-d'Ascq", "commune")]


def test_a_place_needs_its_capital_and_whole_words():
    # rule 1: "lille" in lower case is not the city; "Lille-Hellemmes" is not Lille
    assert SMALL.find("la ville de lille, le quartier de Lille-Hellemmes, Bordelille") == []


def test_short_or_common_word_names_need_a_place_word_before_them():
    # rule 2: "Eu" and "Bray" are also French words; they need "à", "de", "commune de"…
    found = SMALL.find("Eu égard au budget. Bray est cité. La ville d'Eu et la commune "
                       "de Bray, puis à Bray.")
    assert places(found) == [("Eu", "Eu", "commune"), ("Bray", "Bray", "commune"),
                             ("Bray", "Bray", "commune")]


def test_a_canton_is_told_from_the_commune_of_the_same_name():
    found = SMALL.find("Le canton de Douai et Douai ; le canton de Lille-1.")
    assert places(found) == [("Douai", "Douai", "canton"), ("Douai", "Douai", "commune"),
                             ("Lille-1", "Lille-1", "canton")]


def test_a_name_with_an_article_is_found_after_au_and_du():
    assert places(SMALL.find("Le Quesnoy, au Quesnoy, du Quesnoy")) == [
        ("Le Quesnoy", "Le Quesnoy", "commune"), ("Quesnoy", "Le Quesnoy", "commune"),
        ("Quesnoy", "Le Quesnoy", "commune")]


def test_organisations_come_from_rules_and_spacy_on_one_sentence(finder):
    sentence = ("Avec la DRAC, la subvention de l'Agence Nationale du Sport et de la Caisse "
                "d'allocations familiales du Nord est reconduite ; une aide est accordée à "
                "Nord Nature Environnement et à la Fédération des centres sociaux du Nord.")
    found = {org.name: org.source for org in finder.find(sentence)}
    assert found == {"Agence Nationale du Sport": "rule",
                     "Caisse d'allocations familiales du Nord": "rule",
                     "Nord Nature Environnement": "spacy", "DRAC": "rule",
                     "Fédération des centres sociaux du Nord": "rule"}


def test_surnames_in_capitals_and_legal_words_are_not_organisations():
    finder = OrganisationFinder(use_spacy=False)
    found = finder.find("M. LISCHKA nous présente le rapport du SIAEP. Étaient présents : "
                        "Nelly WIDMER, Yves LISCHKA.\nVU le CGCT, DÉCIDE :\nADOPTÉ À L'UNANIMITÉ"
                        "\nRAPPORT N° DEF/2026/57")
    assert [org.name for org in found] == ["SIAEP"]


def test_known_organisations_are_found_like_places():
    finder = OrganisationFinder(known=["Habitat Jeunes en Trégor Argoat"], use_spacy=False)
    found = finder.find("le partenariat avec Habitat jeunes en Trégor Argoat")
    assert [(org.name, org.source) for org in found] == []  # "jeunes": the capital is missing
    found = finder.find("le partenariat avec HABITAT JEUNES EN TREGOR ARGOAT")
    assert [(org.name, org.source) for org in found] == [
        ("Habitat Jeunes en Trégor Argoat", "known")]


def test_beneficiaries_come_from_the_rows_of_a_table():
    document = text.extract(DATA / "couthenans_CR_conseil_municipal_07_10_2022.pdf")
    split = splitting.split_bundle(document.text)
    grants = split.text_of(2)  # "3/ Subventions aux associations"
    found = entities.find_beneficiaries(grants)
    assert [(b.name, b.amount.value) for b in found] == [
        ("ASSPEC", 600), ("Coopérative scolaire", 600), ("Cycloclub Couthenans", 230)]


def test_beneficiaries_can_follow_their_amount():
    found = entities.find_beneficiaries("DE VERSER la somme maximum de :\n"
                                        "- 750€ pour le Centre Culturel Breton\n- 500€ pour DMT\n"
                                        "Le budget réservé aux associations s'élève à 2000€")
    assert [(b.name, b.amount.value) for b in found] == [
        ("Centre Culturel Breton", 750), ("DMT", 500)]


def test_every_amount_and_commune_of_the_departement_bundle_is_found(nord):
    truth = json.loads((DATA / "departement_nord_bundle.json").read_text(encoding="utf-8"))
    split = splitting.split_bundle(text.extract(DATA / "departement_nord_bundle.pdf").text)
    texts = [split.text_of(i) for i in range(len(split.reports))]
    found = entities.extract_entities_many(texts, gazetteer=nord)
    for report, report_entities in zip(truth["reports"], found, strict=True):
        amounts = Counter(a.value for a in report_entities.amounts)
        assert amounts == Counter(Decimal(value) for value in report["amounts"])
        names = {place.name for mention in report_entities.places for place in mention.places
                 if place.kind == "commune"}
        assert set(report["communes"]) <= names


def _fragments_text(seed: int) -> str:
    """A text made of the pieces amounts, dates and names are made of, in random order."""
    import random

    rng = random.Random(seed)
    pieces = ["12", "345", "1 200", "87\u00a0458", "3.500", "0,5", ",", ".", "-", "−", "+",
              " ", " ", "\n", "\n\n", "€", "euros", "euro", "EUR", "EURO", "HT", "TTC", "k",
              "M", "Md", "millions", "milliard", "d'", "de ", "le", "1er", "juillet", "mars",
              "2024", "05", "/", "2021-07-05", "Association", "l'association", "la", "une ",
              "Lille", "Agence", "x", "A", "'", "’", "DRAC"]
    return "".join(rng.choice(pieces) for _ in range(400))


def test_the_fast_scans_find_what_the_plain_patterns_find():
    import re

    plain_date = re.compile(
        r"(?<![\w/.-])(?:(\d{1,2}|1er)\s+(?i:" + "|".join(entities.MONTHS) + r")\s+\d{4}\b"
        r"|\d{1,2}([/.-])\d{1,2}\2(?:\d{4}|\d{2})(?![\d/.-]|,\d)|\d{4}-\d{2}-\d{2}(?![\d-]))")
    plain_org = re.compile(r"(?<![^\W_])(?:" + "|".join(entities.ORG_WORDS) + r")(?![^\W_])")
    for seed in range(300):
        sample = _fragments_text(seed)
        assert ([m.span() for m in entities._amount_matches(sample)]
                == [m.span() for m in entities._AMOUNT.finditer(sample)])
        assert ([m.span() for m in entities._DATE.finditer(sample)]
                == [m.span() for m in plain_date.finditer(sample)])
        assert ([m.span() for m in entities._ORG_WORD.finditer(sample)]
                == [m.span() for m in plain_org.finditer(sample)])


def test_a_name_the_model_judges_differently_gets_its_most_frequent_verdict():
    finder = OrganisationFinder(use_spacy=False)
    finder._verdicts["eiffage route"] = [((0, 22),), ((0, 13),)]
    assert finder._settled("eiffage route") is None  # two contexts disagree: ask again
    finder._verdicts["eiffage route"] += [((0, 22),), ((0, 13),), ((0, 22),)]
    assert finder._settled("eiffage route") == ((0, 22),)


def test_a_leading_article_is_cut_from_a_run_only_as_a_whole_word():
    sample = "avec Lannion-Trégor Communauté et La Poste."
    run = sample.index("Lannion"), sample.index(" et")
    assert entities._unexplained(sample, *run, entities._Spans([])) == [run]
    poste = sample.index("La Poste"), sample.index(".")
    assert entities._unexplained(sample, *poste, entities._Spans([])) == [
        (sample.index("Poste"), poste[1])]


@pytest.mark.skipif(not hasattr(os, "fork") or (os.cpu_count() or 1) < 2,
                    reason="one process here")
def test_a_bundle_read_by_two_processes_gives_what_one_process_finds(nord, finder, forks,
                                                                      monkeypatch):
    split = splitting.split_bundle(text.extract(DATA / "departement_nord_bundle.pdf").text)
    texts = [split.text_of(i) for i in range(len(split.reports))]
    monkeypatch.setattr(entities, "PARALLEL_MIN_CHARS", 10**12)
    alone = entities.extract_entities_many(texts, gazetteer=nord,
                                           organisations=OrganisationFinder(nlp=finder.nlp))
    assert forks == []
    monkeypatch.setattr(entities, "PARALLEL_MIN_CHARS", 1000)
    shared = entities.extract_entities_many(texts, gazetteer=nord,
                                            organisations=OrganisationFinder(nlp=finder.nlp))
    assert len(forks) == 1
    assert shared == alone
    assert sum(len(found.organisations) for found in shared) > 50


@pytest.mark.skipif(not hasattr(os, "fork") or (os.cpu_count() or 1) < 2,
                    reason="one process here")
def test_if_the_second_process_dies_this_one_reads_every_report(nord, forks, monkeypatch):
    texts = [f"La commune de {name} reçoit 12 000 € de l'Agence de l'eau Artois-Picardie."
             for name in ("Lille", "Roubaix", "Douai", "Cambrai")]
    alone = entities.extract_entities_many(texts, gazetteer=nord)
    parent, read = os.getpid(), entities._read

    def dying(*args):
        if os.getpid() != parent:
            os._exit(9)  # as the kernel kills a process out of memory
        return read(*args)

    monkeypatch.setattr(entities, "_read", dying)
    monkeypatch.setattr(entities, "PARALLEL_MIN_CHARS", 10)
    assert entities.extract_entities_many(texts, gazetteer=nord) == alone
    assert len(forks) == 1


def test_the_ner_multiplies_with_numpy_not_blis(finder):
    # twice as fast here on the NER's small matrices, with the same entities
    ops = finder.nlp.get_pipe("ner").model.ops
    assert type(ops).__name__ == "NumpyOps" and ops.use_blis is False
