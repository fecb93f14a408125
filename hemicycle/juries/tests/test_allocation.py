"""Allocation rules on the jury's reviews, compared side by side, explained in French,
with manual overrides justified and recorded; the votes export as a .pb file."""

import pytest
from django.urls import reverse

from hemicycle.audit.models import AuditEvent
from hemicycle.juries import pabulib
from hemicycle.juries.models import Allocation, Juror
from hemicycle.juries.services import allocation as services
from hemicycle.juries.services import scoring
from hemicycle.juries.tests.conftest import make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(campaign):
    """Four projects, three jurors: 1 and 2 are the best scored, 3 is popular."""
    campaign.envelope = 20000
    campaign.save()
    apps = [make_application(campaign, n, amount) for n, amount in
            ((1, 9000), (2, 8000), (3, 6000), (4, 5000))]
    criteria = list(campaign.criteria.all())
    marks = {"Ana": [5, 4, 2, 1], "Bo": [4, 5, 3, 1], "Cy": [4, 4, 3, 2]}
    for name, values in marks.items():
        juror = Juror.objects.create(workspace=campaign.workspace, campaign=campaign,
                                     name=name, email=f"{name}@example.org")
        for application, value in zip(apps, values, strict=True):
            scoring.review_save(juror=juror, application=application, conflict=False,
                                approved=application.number in (3, 4) or value >= 5,
                                scores={str(c.pk): value for c in criteria})
    return campaign


def test_the_ranking_by_score_funds_in_order_and_explains(scored):
    allocation = services.allocation_run(campaign=scored, rule="greedy_score", by=None)
    result = allocation.result
    assert sorted(result["selected"]) == ["1", "2"] and result["cost"] == 17000
    assert result["cost"] <= scored.envelope
    assert "note moyenne de" in result["explanations"]["1"]
    assert "il ne restait que" in result["explanations"]["3"]


def test_partial_funding_down_to_a_minimum_share(scored):
    allocation = services.allocation_run(campaign=scored, rule="greedy_score", by=None,
                                         partial_min_share=50)
    assert allocation.result["partial"] == {"3": 3000}
    assert allocation.result["cost"] == 20000


def test_equal_shares_on_approvals_serves_more_jurors(scored):
    result = services.allocation_run(campaign=scored, rule="mes_approvals", by=None).result
    assert "3" in result["selected"] and result["cost"] <= scored.envelope


def test_the_comparison_puts_every_rule_side_by_side(sam_client, workspace, scored):
    page = sam_client.get(reverse("juries:allocation-page", args=[workspace.slug, scored.code]))
    comparison = page.context["comparison"]
    assert [s["rule"] for s in comparison["summary"]] == [
        "greedy_score", "greedy_votes", "mes_approvals", "mes_scores"]
    assert all(s["cost"] <= scored.envelope for s in comparison["summary"])
    assert len(comparison["projects"]) == 4


def test_a_manual_override_needs_a_justification_and_is_recorded(sam_client, workspace, scored):
    url = reverse("juries:allocation-page", args=[workspace.slug, scored.code])
    response = sam_client.post(url, {"rule": "greedy_score", "forced": "4", "excluded": "",
                                     "justification": ""})
    assert "doit être justifiée" in response.content.decode()
    assert not Allocation.objects.exists()
    sam_client.post(url, {"rule": "greedy_score", "forced": "4", "excluded": "2",
                          "justification": "Projet 4 : seul projet du quartier Lomme."})
    allocation = Allocation.objects.get()
    assert allocation.result["selected"][:2] == ["4", "1"] and "2" not in \
        allocation.result["selected"]
    assert "motivée" in allocation.result["explanations"]["4"]
    event = AuditEvent.objects.get(verb="juries.allocation_override")
    assert "Lomme" in event.message


def test_adopting_an_allocation_decides_the_applications(sam_client, workspace, scored):
    allocation = services.allocation_run(campaign=scored, rule="greedy_score", by=None)
    sam_client.post(reverse("juries:allocation-detail", args=[workspace.slug,
                                                              allocation.code]))
    statuses = dict(scored.applications.values_list("number", "status"))
    assert statuses == {1: "granted", 2: "granted", 3: "refused", 4: "refused"}
    refused = scored.applications.get(number=3)
    assert "il ne restait que" in refused.decision_reason


def test_an_observer_cannot_run_or_adopt(bob_client, workspace, scored):
    allocation = services.allocation_run(campaign=scored, rule="greedy_score", by=None)
    assert bob_client.post(reverse("juries:allocation-page", args=[
        workspace.slug, scored.code]), {"rule": "greedy_score"}).status_code == 403
    assert bob_client.post(reverse("juries:allocation-detail", args=[
        workspace.slug, allocation.code])).status_code == 403


def test_the_votes_export_as_a_pabulib_file_that_reads_back(sam_client, workspace, scored):
    response = sam_client.get(reverse("juries:votes-pb", args=[workspace.slug, scored.code]))
    pb = pabulib.parse(response.content.decode())
    election = pabulib.election_from_pb(pb)
    assert election.budget == 20000 and set(election.projects) == {"1", "2", "3", "4"}
    assert len(election.ballots) == 3 and election.kind == "scoring"


def test_equal_shares_can_be_completed_by_the_ranking(scored):
    plain = services.allocation_run(campaign=scored, rule="mes_scores", by=None).result
    greedy = services.allocation_run(campaign=scored, rule="mes_scores", by=None,
                                     completion="add1-greedy").result
    assert set(plain["selected"]) <= set(greedy["selected"])
    assert plain["cost"] <= greedy["cost"] <= scored.envelope
