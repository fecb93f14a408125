import pytest
from django.urls import reverse

from hemicycle.juries.models import Campaign
from hemicycle.juries.tests.conftest import make_campaign
from hemicycle.territory.models import Canton

pytestmark = pytest.mark.django_db


def form_data(**extra) -> dict:
    canton = Canton.objects.get(code="59025")
    data = {"title": "AIL Lille-3 2027", "public_slug": "ail-lille-3-2027",
            "kind": "local_grants", "year": "2027", "description": "L'appel.",
            "cantons": [canton.pk], "envelope": "87458", "opens_on": "2027-01-04",
            "closes_on": "2027-03-12", "decision_body": "Commission permanente",
            "require_identifier": "on", "seat_in_territory": "on", "min_amount": "1000",
            "max_amount": "15000", "one_per_structure": "on", "score_scale": "5",
            "rule": "greedy_score", "criteria": "Transition écologique ; 2\nJustice sociale",
            "commune_codes": ""}
    data.update(extra)
    return data


def test_a_staff_member_creates_a_campaign_with_its_criteria_grid(sam_client, workspace):
    response = sam_client.post(reverse("juries:campaign-create", args=[workspace.slug]),
                               form_data())
    campaign = Campaign.objects.get(workspace=workspace)
    assert response.status_code == 302
    assert [(c.label, c.weight) for c in campaign.criteria.all()] == [
        ("Transition écologique", 2), ("Justice sociale", 1)]
    assert list(campaign.cantons.values_list("code", flat=True)) == ["59025"]
    page = sam_client.get(reverse("juries:campaign-detail", args=[workspace.slug,
                                                                 campaign.code]))
    assert "Lille-3" in page.content.decode()


def test_a_campaign_form_with_bad_dates_and_criteria_shows_french_errors(alice_client,
                                                                           workspace):
    response = alice_client.post(
        reverse("juries:campaign-create", args=[workspace.slug]),
        form_data(closes_on="2026-12-01", opens_on="2027-01-01", criteria="Écologie ; douze",
                  max_amount="900000"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "poids de 1 à 10" in body
    assert not Campaign.objects.exists()


def test_the_dates_and_the_ceiling_are_checked_together(alice_client, workspace):
    response = alice_client.post(reverse("juries:campaign-create", args=[workspace.slug]),
                                 form_data(closes_on="2026-12-01", max_amount="900000"))
    body = response.content.decode()
    assert "La clôture doit suivre l" in body and "Le maximum dépasse l" in body
    assert not Campaign.objects.exists()


def test_editing_keeps_the_criteria_identity(alice_client, workspace):
    campaign = make_campaign(workspace)
    first = campaign.criteria.first()
    alice_client.post(reverse("juries:campaign-edit", args=[workspace.slug, campaign.code]),
                      form_data(public_slug=campaign.public_slug, criteria="Écologie ; 3"))
    assert list(campaign.criteria.values_list("pk", "label", "weight")) == [
        (first.pk, "Écologie", 3)]


def test_an_observer_reads_but_cannot_create(bob_client, workspace):
    campaign = make_campaign(workspace)
    assert bob_client.get(reverse("juries:campaign-list", args=[workspace.slug])).status_code \
        == 200
    assert bob_client.get(reverse("juries:campaign-create", args=[workspace.slug])
                          ).status_code == 403
    assert bob_client.post(reverse("juries:campaign-edit", args=[workspace.slug, campaign.code]),
                           form_data()).status_code == 403


def test_an_outsider_gets_404_on_the_campaign(charlie_client, workspace, other_workspace):
    campaign = make_campaign(workspace)
    for slug in (workspace.slug, other_workspace.slug):
        response = charlie_client.get(reverse("juries:campaign-detail",
                                              args=[slug, campaign.code]))
        assert response.status_code == 404


def test_the_module_is_in_the_navigation_and_on_the_dashboard(alice_client, workspace):
    make_campaign(workspace)
    body = alice_client.get(reverse("core:dashboard", args=[workspace.slug])).content.decode()
    assert reverse("juries:campaign-list", args=[workspace.slug]) in body
    assert 'data-testid="panel-juries"' in body
