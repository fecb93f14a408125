"""The search facets (examining commission, amount range, year, sitting, dates) and saved
searches that keep and restore them (the same tests run on SQLite and PostgreSQL)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from hemicycle.council.models import Body, SavedSearch, Sitting
from hemicycle.council.search import Filters, amount_range, report_search, scope_tokens

from .conftest import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def mobility(workspace):
    return Body.objects.create(workspace=workspace, name="Commission Mobilités",
                               kind=Body.Kind.COMMISSION)


@pytest.fixture
def solidarity(workspace):
    return Body.objects.create(workspace=workspace, name="Commission Solidarités",
                               kind=Body.Kind.COMMISSION)


@pytest.fixture
def corpus(workspace, sitting, past_sitting, mobility, solidarity):
    return {
        "small": make_report(
            workspace, sitting, "DCULT/2026/4", "Subvention au club de Bavay",
            "Une subvention de 5 000 € est attribuée au club de handball de Bavay.",
            commission=solidarity),
        "medium": make_report(
            workspace, sitting, "DAT/2026/81", "Subventions aux associations de Lille-3",
            "Les associations reçoivent 87 458 € au titre des Actions d'intérêt local.",
            commission=solidarity),
        "large": make_report(
            workspace, past_sitting, "DVD/2025/131", "Subvention pour la véloroute de la Deûle",
            "La subvention départementale s'élève à 1,2 M€ ; la commune apporte 300 000 €.",
            commission=mobility),
        "none": make_report(
            workspace, past_sitting, "DFIN/2025/12", "Subventions : rapport d'orientation",
            "Le rapport présente la politique de subvention sans montant chiffré."),
    }


def numbers(results) -> set[str]:
    return {hit.object.number for hit in results.hits if hit.kind == "report"}


def test_amount_ranges_of_the_largest_amount():
    assert [amount_range(v) for v in ("9999.99", "10000", "87458", "1200000", None, "x")] == [
        "1", "2", "2", "4", "", ""]
    assert amount_range(Decimal("100000")) == "3"


def test_scope_tokens_name_every_facet():
    tokens = scope_tokens(workspace_id=3, kind="report", sitting_id=4, body_id=5, year=2026,
                          commission_id=6, policy_area="Mobilités", places=["59350", "5901"],
                          max_amount="87458")
    assert tokens.split()[:5] == ["w3r", "s4", "b5", "y2026", "c6"]
    assert {"p59350", "p5901", "m2"} <= set(tokens.split())


def test_the_commission_facet_keeps_the_reports_it_examines(workspace, corpus, mobility,
                                                             solidarity):
    found = report_search(workspace, "subvention", Filters(commission=str(mobility.code)))
    assert numbers(found) == {"DVD/2025/131"}
    found = report_search(workspace, "subvention", Filters(commission=str(solidarity.code)))
    assert numbers(found) == {"DCULT/2026/4", "DAT/2026/81"}


def test_the_amount_facet_uses_the_report_largest_extracted_amount(workspace, corpus):
    assert numbers(report_search(workspace, "subvention", Filters(amount="1"))) == {
        "DCULT/2026/4"}
    assert numbers(report_search(workspace, "subvention", Filters(amount="2"))) == {
        "DAT/2026/81"}
    assert numbers(report_search(workspace, "subvention", Filters(amount="3"))) == set()
    assert numbers(report_search(workspace, "subvention", Filters(amount="4"))) == {
        "DVD/2025/131"}


def test_an_edited_text_moves_the_report_to_another_amount_range(workspace, corpus):
    from hemicycle.council.services.structure import report_save

    report_save(workspace=workspace, report=corpus["none"],
                text="Une subvention exceptionnelle de 250 000 € est proposée.")
    assert "DFIN/2025/12" in numbers(report_search(workspace, "subvention",
                                                   Filters(amount="3")))


def test_the_year_and_sitting_facets(workspace, corpus, sitting, past_sitting):
    assert numbers(report_search(workspace, "subvention", Filters(year=2025))) == {
        "DVD/2025/131", "DFIN/2025/12"}
    assert numbers(report_search(workspace, "subvention", Filters(
        sitting=str(sitting.code)))) == {"DCULT/2026/4", "DAT/2026/81"}


def test_a_date_range_within_a_year(workspace, corpus, past_sitting):
    other = Sitting.objects.create(
        workspace=workspace, body=past_sitting.body,
        starts_at=timezone.make_aware(datetime.datetime(2025, 11, 20, 10)))
    make_report(workspace, other, "DFIN/2025/40", "Subvention d'équilibre", "Subvention.")
    found = report_search(workspace, "subvention", Filters(
        date_from=datetime.date(2025, 6, 1), date_to=datetime.date(2025, 6, 30)))
    assert numbers(found) == {"DVD/2025/131", "DFIN/2025/12"}
    found = report_search(workspace, "subvention", Filters(
        date_from=datetime.date(2025, 7, 1), date_to=datetime.date(2025, 12, 31)))
    assert numbers(found) == {"DFIN/2025/40"}


def test_facets_combine_with_the_words(workspace, corpus, solidarity):
    found = report_search(workspace, "bavay", Filters(commission=str(solidarity.code),
                                                      amount="1", year=timezone.localdate(
                                                          corpus["small"].sitting.starts_at
                                                      ).year))
    assert numbers(found) == {"DCULT/2026/4"}
    assert report_search(workspace, "bavay", Filters(amount="4")).total == 0


def test_an_unknown_commission_finds_nothing(workspace, corpus):
    assert report_search(workspace, "subvention", Filters(commission="pas-un-code")).total == 0


def test_the_search_page_offers_the_new_facets(alice_client, workspace, corpus, mobility):
    url = reverse("council:search", args=[workspace.slug])
    page = alice_client.get(url, {"q": "subvention", "commission": str(mobility.code),
                                  "amount": "4"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "DVD/2025/131" in html and "DAT/2026/81" not in html
    assert "plus de 1 M€" in html and "Commission saisie" in html


def test_a_saved_search_stores_and_restores_its_facets(alice_client, alice, workspace, corpus,
                                                       mobility):
    search = reverse("council:search", args=[workspace.slug])
    params = (f"q=subvention&commission={mobility.code}&amount=4&year=2025"
              f"&policy_area=&page=2")
    response = alice_client.post(reverse("council:saved-search-create", args=[workspace.slug]),
                                 {"name": "Grosses subventions mobilité", "params": params})
    assert response.status_code == 302
    saved = SavedSearch.objects.get(workspace=workspace, user=alice)
    assert saved.params == {"q": "subvention", "commission": str(mobility.code),
                            "amount": "4", "year": "2025"}
    page = alice_client.get(search)
    assert "Grosses subventions mobilité" in page.content.decode()
    restored = alice_client.get(f"{search}?{saved.query_string}")
    html = restored.content.decode()
    assert f'<option value="{mobility.code}" selected>' in html
    assert '<option value="4" selected>' in html
    assert "DVD/2025/131" in html and "DAT/2026/81" not in html


def test_a_saved_search_needs_words_and_a_name(alice_client, workspace, corpus):
    url = reverse("council:saved-search-create", args=[workspace.slug])
    alice_client.post(url, {"name": "Rien", "params": "amount=4"})
    alice_client.post(url, {"name": "", "params": "q=subvention"})
    assert not SavedSearch.objects.exists()


def test_a_saved_search_is_personal(alice_client, sam_client, alice, workspace, corpus):
    alice_client.post(reverse("council:saved-search-create", args=[workspace.slug]),
                      {"name": "Mes subventions", "params": "q=subvention"})
    saved = SavedSearch.objects.get(user=alice)
    page = sam_client.get(reverse("council:search", args=[workspace.slug]))
    assert "Mes subventions" not in page.content.decode()
    delete = reverse("council:saved-search-delete", args=[workspace.slug, saved.code])
    assert sam_client.post(delete).status_code == 404
    assert alice_client.post(delete).status_code == 302
    assert not SavedSearch.objects.exists()


def test_the_count_stops_at_the_cap_and_says_so(workspace, corpus, monkeypatch):
    from hemicycle.council import search

    monkeypatch.setattr(search, "COUNT_CAP", 2)
    results = report_search(workspace, "subvention", counts=True)
    assert results.total == 2 and results.total_capped
    assert results.kind_counts["report"] == 2
    assert len(results.hits) == 4  # the page itself is not capped


def test_prefixes_and_exclusions_together(workspace, corpus):
    assert numbers(report_search(workspace, "subvent* -bavay")) == {
        "DAT/2026/81", "DVD/2025/131", "DFIN/2025/12"}
    assert numbers(report_search(workspace, "handb*")) == {"DCULT/2026/4"}


def test_title_matches_come_first(workspace, corpus, sitting):
    make_report(workspace, sitting, "DVD/2026/140", "Voirie : giratoire de la RD 932",
                "Le giratoire dessert Bavay et Hon-Hergies.")
    make_report(workspace, sitting, "DVD/2026/141", "Voirie : trottoirs",
                "Les trottoirs de Bavay sont refaits.")
    found = [hit.object.number for hit in report_search(workspace, "bavay").hits]
    assert found[0] == "DCULT/2026/4"
    assert set(found[1:]) == {"DVD/2026/141", "DVD/2026/140"}


@pytest.mark.parametrize("window", [1000, 2])
def test_pages_follow_one_another_without_gaps(workspace, corpus, monkeypatch, window):
    # window 2: the two newest matches are ranked, the older ones follow newest first
    # (newest: the last indexed)
    from hemicycle.council import search

    monkeypatch.setattr(search, "RANK_WINDOW", window)
    everything = [hit.object.number for hit in report_search(workspace, "subvention").hits]
    assert sorted(everything) == ["DAT/2026/81", "DCULT/2026/4", "DFIN/2025/12",
                                  "DVD/2025/131"]
    if window == 2:  # the two indexed last are ranked, then the others, newest first
        assert set(everything[:2]) == {"DVD/2025/131", "DFIN/2025/12"}
        assert everything[2:] == ["DAT/2026/81", "DCULT/2026/4"]
    pages = [hit.object.number for offset in range(4)
             for hit in report_search(workspace, "subvention", limit=1, offset=offset).hits]
    assert pages == everything
