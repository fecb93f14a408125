"""French full-text search over reports and documents (the same tests run on SQLite's
FTS5 and PostgreSQL's GIN index)."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from hemicycle.council.models import Report, SearchEntry
from hemicycle.council.search import Filters, report_search

from .conftest import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(workspace, sitting, past_sitting):
    return {
        "advb": make_report(
            workspace, sitting, "DAT/2026/81", "Aide aux villages et bourgs – canton de Lille-3",
            "Les associations de Mons-en-Barœul reçoivent 87 458 € pour l'équipement du "
            "gymnase. Le financement de la commune complète l'aide.", policy_area="Territoire"),
        "velo": make_report(
            workspace, sitting, "DVD/2026/131", "Véloroute de la Deûle",
            "La mobilité douce progresse : une véloroute relie Haubourdin à Lille. Les "
            "financements de la Métropole européenne de Lille sont acquis.",
            policy_area="Mobilités"),
        "budget": make_report(
            workspace, past_sitting, "DFIN/2025/12", "Décision modificative n° 2",
            "Le plan climat prévoit des crédits pour l'énergie des collèges de Douai.",
            policy_area="Finances", decision=Report.Decision.ADOPTED),
    }


def numbers(results) -> list[str]:
    return [hit.object.number for hit in results.hits if hit.kind == "report"]


def test_search_is_accent_and_case_insensitive(workspace, corpus):
    assert numbers(report_search(workspace, "ENERGIE colleges")) == ["DFIN/2025/12"]
    assert numbers(report_search(workspace, "barœul")) == ["DAT/2026/81"]
    assert numbers(report_search(workspace, "baroeul")) == ["DAT/2026/81"]


def test_plurals_and_singulars_find_each_other(workspace, corpus):
    assert numbers(report_search(workspace, "association")) == ["DAT/2026/81"]
    assert set(numbers(report_search(workspace, "financements"))) == {"DAT/2026/81",
                                                                       "DVD/2026/131"}


def test_phrases_prefixes_or_and_exclusions(workspace, corpus):
    assert numbers(report_search(workspace, '"plan climat"')) == ["DFIN/2025/12"]
    assert numbers(report_search(workspace, '"climat plan"')) == []
    assert set(numbers(report_search(workspace, "mobil*"))) == {"DVD/2026/131"}
    assert set(numbers(report_search(workspace, "gymnase OR véloroute"))) == {
        "DAT/2026/81", "DVD/2026/131"}
    assert numbers(report_search(workspace, "lille -véloroute")) == ["DAT/2026/81"]


def test_a_report_is_found_by_its_number(workspace, corpus):
    assert numbers(report_search(workspace, "DAT/2026/81")) == ["DAT/2026/81"]


def test_the_title_ranks_above_the_text(workspace, corpus):
    # "véloroute" is in the title of one and only in the text of none other; "lille" is
    # in the title of the first (Lille-3) and the text of the second.
    assert numbers(report_search(workspace, "lille"))[0] == "DAT/2026/81"


def test_a_report_holding_the_words_more_often_ranks_above_a_newer_one(workspace, corpus,
                                                                     past_sitting, sitting):
    # bodies of about the same length; the older report speaks of the canteen three times
    make_report(workspace, past_sitting, "DEJ/2025/7", "Restauration scolaire",
                "La cantine du collège est rénovée. La cantine accueille 400 élèves. "
                "Le menu de la cantine devient bio.")
    make_report(workspace, sitting, "DEJ/2026/2", "Restauration scolaire",
                "Le gymnase du collège est rénové. La cantine accueille 400 élèves. "
                "Le menu du restaurant devient bio.")
    assert numbers(report_search(workspace, "cantines")) == ["DEJ/2025/7", "DEJ/2026/2"]
    # two words: the one holding both more often first, whatever the order of creation
    assert numbers(report_search(workspace, "cantine élèves"))[0] == "DEJ/2025/7"


def test_a_word_in_the_title_weighs_more_than_in_the_text(workspace, corpus, sitting):
    make_report(workspace, sitting, "DEJ/2026/3", "Cantine du collège de Wattrelos",
                "Le projet est financé par le Département.")
    make_report(workspace, sitting, "DEJ/2026/4", "Restauration scolaire",
                "La cantine de Tourcoing, la cantine de Roubaix et la cantine de Halluin.")
    found = report_search(workspace, "cantine")
    assert numbers(found) == ["DEJ/2026/3", "DEJ/2026/4"]
    assert found.hits[0].rank >= found.hits[1].rank


def test_snippets_highlight_the_matched_words(workspace, corpus):
    hit = report_search(workspace, "équipement").hits[0]
    assert "<mark>équipement</mark>" in hit.snippet


def test_a_quoted_phrase_is_highlighted_as_one(workspace, corpus):
    hit = report_search(workspace, '"mobilité douce"').hits[0]
    assert "<mark>mobilité douce</mark>" in hit.snippet
    assert hit.snippet.count("<mark>") == 1


def test_filters_narrow_the_results(workspace, corpus, sitting, past_sitting, alice):
    assert numbers(report_search(workspace, "lille OR douai", Filters(
        sitting=str(past_sitting.code)))) == ["DFIN/2025/12"]
    assert numbers(report_search(workspace, "lille OR douai", Filters(
        body=str(sitting.body.code)))) != []
    assert numbers(report_search(workspace, "lille OR douai", Filters(
        decision=Report.Decision.ADOPTED))) == ["DFIN/2025/12"]
    assert numbers(report_search(workspace, "lille OR douai", Filters(
        policy_area="Mobilités"))) == ["DVD/2026/131"]
    assert numbers(report_search(workspace, "lille OR douai", Filters(
        date_to=past_sitting.starts_at.date()))) == ["DFIN/2025/12"]
    corpus["velo"].assigned_to = alice
    corpus["velo"].save()
    assert numbers(report_search(workspace, "lille OR douai", Filters(
        assigned_to=alice.id))) == ["DVD/2026/131"]


def test_the_place_filter_uses_the_communes_found_in_the_text(workspace, corpus):
    # The test database holds the Nord's communes: Haubourdin is 59286.
    assert numbers(report_search(workspace, "lille", Filters(place="59286"))) == [
        "DVD/2026/131"]


def test_another_workspace_never_sees_these_reports(other_workspace, corpus):
    assert report_search(other_workspace, "lille").total == 0


def test_an_edited_report_is_reindexed_and_a_deleted_one_leaves_the_index(workspace,
                                                                           corpus):
    from hemicycle.council.services.structure import report_save

    report_save(workspace=workspace, report=corpus["velo"], text="Pistes cyclables.")
    assert numbers(report_search(workspace, "véloroute")) == ["DVD/2026/131"]  # title
    assert numbers(report_search(workspace, "haubourdin")) == []
    assert numbers(report_search(workspace, "cyclable")) == ["DVD/2026/131"]
    corpus["velo"].delete()
    assert numbers(report_search(workspace, "cyclable")) == []
    assert SearchEntry.objects.filter(workspace=workspace).count() == 2


def test_only_exclusions_give_a_clear_message(workspace, corpus):
    results = report_search(workspace, "-lille")
    assert results.total == 0 and "au moins un mot" in results.error


def test_the_search_page_shows_ranked_highlighted_results(alice_client, workspace, corpus):
    url = reverse("council:search", args=[workspace.slug])
    page = alice_client.get(url, {"q": "associations", "decision": ""})
    assert page.status_code == 200
    html = page.content.decode()
    assert "DAT/2026/81" in html and "<mark>associations</mark>" in html
    assert "1 résultat" in html


def test_the_search_command_prints_json(workspace, corpus, capsys):
    call_command("search", "véloroute", "--workspace", workspace.slug, "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 1 and data["hits"][0]["number"] == "DVD/2026/131"


def test_an_outsider_gets_404_on_the_search_page(charlie_client, workspace):
    url = reverse("council:search", args=[workspace.slug])
    assert charlie_client.get(url, {"q": "lille"}).status_code == 404
