"""Splitting bundles into reports: real minutes (Couthenans, Lannion), a département's
generated bundle, and the review screen's operations."""

import difflib
import json
import re
from pathlib import Path

import pytest

from hemicycle.council import splitting, text
from hemicycle.lib.text import normalize_name

DATA = Path(__file__).parent / "data"


def couthenans_ground_truth() -> dict[str, list[str]]:
    """PDF name → agenda items, from the commune's page listing each session."""
    page = (DATA / "couthenans_compte_rendu_index.md").read_text(encoding="utf-8")
    sessions = {}
    for block in re.split(r"\n## ", page)[1:]:
        link = re.search(r"assets/pdf/([\w.]+\.pdf)", block)
        items = [re.sub(r"\s+", " ", item).strip() for item in
                 re.findall(r"^\s*- (.+)$", block, re.MULTILINE)]
        items = [item for item in items if item.strip(". ")]  # "- ..." is no item
        if link and (DATA / f"couthenans_{link.group(1)}").exists():
            sessions[f"couthenans_{link.group(1)}"] = items
    return sessions


def found(item: str, titles: list[str]) -> bool:
    """An agenda item is found when a report's title says the same, wording aside."""
    key = normalize_name(item.strip(" .:…"))
    for title in titles:
        other = normalize_name(title)
        if key in other or other in key or difflib.SequenceMatcher(
                None, key, other).ratio() >= 0.7:
            return True
    return False


def split_file(name: str) -> splitting.Split:
    return splitting.split_bundle(text.extract(DATA / name, ocr="never").text)


def test_the_five_couthenans_sessions_have_their_ground_truth():
    assert sorted(couthenans_ground_truth()) == [
        "couthenans_CR_conseil_municipal_07_10_2022.pdf",
        "couthenans_CR_conseil_municipal_24_02_2023.pdf",
        "couthenans_CR_reunion_20210604.pdf",
        "couthenans_CR_reunion_20211126.pdf",
        "couthenans_CR_reunion_20220121.pdf",
    ]


@pytest.mark.parametrize("name", sorted(couthenans_ground_truth()))
def test_it_finds_the_agenda_items_of_couthenans_minutes(name):
    # Tolerance: every agenda item of the commune's page is found among the titles, and
    # at most one report more than items ("Questions diverses" is not always listed).
    items = couthenans_ground_truth()[name]
    split = split_file(name)
    titles = [report.title for report in split.reports]
    missing = [item for item in items if not found(item, titles)]
    assert missing == []
    assert len(items) <= len(split.reports) <= len(items) + 1


def test_couthenans_reports_hold_their_own_text():
    split = split_file("couthenans_CR_reunion_20220121.pdf")
    assert [r.number for r in split.reports] == ["1", "2", "3", "4", "5", "6", None]
    assert split.reports[2].title == "Convention CAUE"
    assert "Devis de 1800€" in split.text_of(2)
    assert "Devis de 1800€" not in split.text_of(1)
    assert split.text_of(6).startswith("Questions diverses")
    assert "Présents" in split.preamble


def test_the_agenda_gives_full_titles_and_the_body_gives_the_splits():
    split = split_file("pv_cm_lannion_2021-07-05.pdf")
    assert split.method == "numbered"
    assert [r.number for r in split.reports] == [str(n) for n in range(1, 21)]
    assert [r.title for r in split.reports] == [item.title for item in split.agenda]
    assert split.reports[7].title == (
        "Demande de protection de la Chapelle Sainte-Anne au titre des Monuments Historiques "
        "à la Direction Régionale des Affaires Culturelles")
    # the scanned annex (pages 4 to 8) belongs to the first report
    assert split.pages_of(0) == (3, 8)
    assert split.text_of(0).rstrip().endswith("ADOPTÉ À L'UNANIMITÉ")


def test_a_departement_bundle_is_split_exactly_on_its_report_numbers():
    truth = json.loads((DATA / "departement_nord_bundle.json").read_text(encoding="utf-8"))
    split = split_file("departement_nord_bundle.pdf")
    assert split.method == "marker"
    assert [(r.number, r.title) for r in split.reports] == [
        (report["number"], report["title"]) for report in truth["reports"]]
    assert [split.pages_of(i)[0] for i in range(len(split.reports))] == [
        report["page"] for report in truth["reports"]]
    assert "SOMMAIRE" in split.preamble


MINUTES = """Conseil départemental – séance du 3 mars 2025
Délibération n° 2025-014 : Aide aux communes rurales
Le Département attribue 12 000 € à la commune de Cassel.
Délibération n° 2025-014 (suite)
Les crédits sont inscrits au budget.
Délibération n° 2025-015 – Convention avec la CAF du Nord
La convention est approuvée.
"""


def test_a_marker_repeated_on_the_next_page_continues_the_same_report():
    split = splitting.split_bundle(MINUTES.replace("Délibération n° 2025-014 (suite)",
                                                   "\fDélibération n° 2025-014"))
    assert [(r.number, r.title) for r in split.reports] == [
        ("2025-014", "Aide aux communes rurales"),
        ("2025-015", "Convention avec la CAF du Nord")]
    assert "inscrits au budget" in split.text_of(0)
    assert split.pages_of(0) == (1, 2)


def test_a_reference_to_another_deliberation_is_not_a_split():
    split = splitting.split_bundle(
        "Point n° 1 : Budget\nVu la délibération n° 2024-12 du 5 mars 2024 relative au\n"
        "budget.\nPoint n° 2 : Tarifs\nLes tarifs sont votés.\n")
    assert [r.title for r in split.reports] == ["Budget", "Tarifs"]


def test_a_text_without_headings_is_one_report():
    split = splitting.split_bundle("Compte rendu de la réunion\nRien à signaler.\n")
    assert len(split.reports) == 1
    assert split.method == "whole"
    assert split.reports[0].title == "Compte rendu de la réunion"


def test_the_review_screen_moves_merges_renames_and_adds_splits():
    split = splitting.split_bundle(
        "Ordre du jour\n1/ Budget :\nLe budget est voté.\n2/ Tarifs :\nLes tarifs.\n"
        "Précision sur le budget.\n3/ Questions diverses\nAucune.\n")
    assert [r.title for r in split.reports] == ["Budget", "Tarifs", "Questions diverses"]

    # the last line of "Tarifs" belongs to the budget: move the start of report 3 up
    moved = splitting.move_boundary(split, 2, split.text.index("Précision"))
    assert moved.text_of(1) == "2/ Tarifs :\nLes tarifs."
    assert moved.text_of(2).startswith("Précision sur le budget.")

    merged = splitting.merge(split, 0)
    assert [r.title for r in merged.reports] == ["Budget", "Questions diverses"]
    assert "Les tarifs." in merged.text_of(0)

    renamed = splitting.rename(split, 1, "Tarifs municipaux 2025", number="2 bis")
    assert (renamed.reports[1].title, renamed.reports[1].number) == (
        "Tarifs municipaux 2025", "2 bis")

    added = splitting.split_at(split, split.text.index("Précision") + 3)
    assert [r.title for r in added.reports] == [
        "Budget", "Tarifs", "Précision sur le budget", "Questions diverses"]
    assert added.reports[2].method == "manual"
    assert split.reports[1].title == "Tarifs"  # the original split is left as it was

    with pytest.raises(ValueError):
        splitting.move_boundary(split, 1, len(split.text))
