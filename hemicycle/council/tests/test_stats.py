"""Statistics of the group's votes per year and policy area: counts, agreement with the
council's outcome, share of decided positions; charts, table, filters, CSV."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from hemicycle.council.models import Report, Sitting
from hemicycle.council.services.stats import vote_stats
from hemicycle.writings.models import Position

pytestmark = pytest.mark.django_db


def sitting_on(workspace, body, day):
    return Sitting.objects.create(workspace=workspace, body=body, title=f"Séance {day}",
                                  starts_at=timezone.make_aware(datetime.datetime(*day, 10)))


def report(workspace, sitting, area, decision="", vote=""):
    made = Report.objects.create(workspace=workspace, sitting=sitting, title="Rapport",
                                 policy_area=area, decision=decision)
    if vote:
        Position.objects.create(workspace=workspace, report=made, vote=vote)
    return made


@pytest.fixture
def votes(workspace, plenary, standing):
    cp_2025 = sitting_on(workspace, standing, (2025, 3, 10))
    cp_2026 = sitting_on(workspace, standing, (2026, 2, 9))
    plenary_2026 = sitting_on(workspace, plenary, (2026, 6, 22))
    report(workspace, cp_2025, "Routes", "adopted", "for")        # agree
    report(workspace, cp_2025, "Routes", "adopted", "against")    # disagree
    report(workspace, cp_2025, "Solidarités", "rejected", "against")  # agree
    report(workspace, cp_2026, "Routes ", "adopted", "abstain")   # neither
    report(workspace, cp_2026, "Solidarités", "adopted", "")      # undecided
    report(workspace, plenary_2026, "", "withdrawn", "not_voting")  # neither, no area
    report(workspace, plenary_2026, "Collèges", "adopted", "for")  # agree
    Report.objects.create(workspace=workspace, title="Hors séance", policy_area="Routes")
    return {"cp_2025": cp_2025, "plenary": plenary}


def test_votes_are_counted_per_year_and_area_with_agreement_and_decided_share(
        workspace, votes):
    stats = vote_stats(workspace)
    assert stats.total.reports == 7  # the report without a sitting is not counted
    assert stats.total.votes == {"for": 2, "against": 2, "abstain": 1, "not_voting": 1}
    assert (stats.total.agree, stats.total.disagree, stats.total.agreement) == (3, 1, 75)
    assert stats.total.decided_share == 86  # 6 of 7
    y2025, y2026 = stats.by_year[2025], stats.by_year[2026]
    assert (y2025.reports, y2025.agreement, y2025.decided_share) == (3, 67, 100)
    assert (y2026.reports, y2026.agreement, y2026.decided) == (4, 100, 3)
    routes = stats.by_area["Routes"]  # "Routes " with a trailing space is the same area
    assert (routes.reports, routes.votes["for"], routes.votes["abstain"]) == (3, 1, 1)
    assert list(stats.by_area)[0] == "Routes"  # the busiest area first
    assert stats.cells[(2026, "")].votes["not_voting"] == 1


def test_the_filters_keep_one_body_or_one_year(workspace, votes):
    assert vote_stats(workspace, body=votes["plenary"]).total.reports == 2
    assert vote_stats(workspace, year=2025).total.votes["against"] == 2
    assert vote_stats(workspace, year=2024).total.reports == 0


def test_the_page_draws_the_charts_and_tables(elodie_client, workspace, votes):
    url = reverse("council:stats", args=[workspace.slug])
    page = elodie_client.get(url).content.decode()
    assert page.count('<svg class="chart"') == 3
    assert "2025 — Contre : 2" in page and "Routes — Pour : 1" in page
    assert 'data-testid="agreement">75 %' in page
    assert 'data-testid="decided-share">86 %' in page
    assert "Non classé" in page  # the report without a policy area
    filtered = elodie_client.get(url, {"body": str(votes["plenary"].code), "year": "2026"})
    assert 'data-testid="total-reports">2<' in filtered.content.decode()
    assert "?body=" in filtered.content.decode()  # the CSV link keeps the filters
    nonsense = elodie_client.get(url, {"body": "pas-un-code", "year": "abc"})
    assert 'data-testid="total-reports">7<' in nonsense.content.decode()
    empty = elodie_client.get(url, {"year": "2025", "body": str(votes["plenary"].code)})
    assert "Aucun rapport de séance pour ces filtres" in empty.content.decode()


def test_the_csv_has_one_line_per_year_and_area(bob_client, workspace, votes):
    url = reverse("council:stats-csv", args=[workspace.slug])
    response = bob_client.get(url, {"year": "2025"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["année", "domaine", "rapports", "position arrêtée"]
    assert rows[1:] == [["2025", "Routes", "2", "2", "1", "1", "0", "0", "1", "1"],
                        ["2025", "Solidarités", "1", "1", "0", "1", "0", "0", "1", "0"]]


def test_an_outsider_gets_404_and_other_workspaces_votes_are_not_counted(
        charlie_client, charlie, other_workspace, workspace, votes):
    from hemicycle.council.models import Body

    assert charlie_client.get(reverse("council:stats",
                                      args=[workspace.slug])).status_code == 404
    body = Body.objects.create(workspace=other_workspace, name="Plénière", kind="plenary")
    report(other_workspace, sitting_on(other_workspace, body, (2025, 1, 5)), "Routes",
           "adopted", "for")
    assert vote_stats(workspace).total.reports == 7
    page = charlie_client.get(reverse("council:stats", args=[other_workspace.slug]))
    assert 'data-testid="total-reports">1<' in page.content.decode()
