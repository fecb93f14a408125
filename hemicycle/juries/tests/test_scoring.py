"""Jurors open their private link, score each eligible application, support some,
declare conflicts; the staff sees progress, the aggregate and the projection."""

import pytest
from django.urls import reverse

from hemicycle.juries.models import Juror, Review
from hemicycle.juries.services import scoring
from hemicycle.juries.tests.conftest import make_application

pytestmark = pytest.mark.django_db


def make_juror(campaign, name="Odile Carpentier") -> tuple[Juror, str]:
    juror = Juror.objects.create(workspace=campaign.workspace, campaign=campaign, name=name,
                                 email=f"{name.split()[0].lower()}@example.org")
    return juror, scoring.juror_link_send(juror=juror)


def score_form(campaign, values, **extra) -> dict:
    data = {f"score_{c.pk}": str(v) for c, v in zip(campaign.criteria.all(), values,
                                                     strict=True)}
    data.update(extra)
    return data


def test_a_staff_member_adds_a_juror_who_gets_a_link_by_email(
        sam_client, workspace, campaign, inbox, django_capture_on_commit_callbacks):
    url = reverse("juries:juror-list", args=[workspace.slug, campaign.code])
    with django_capture_on_commit_callbacks(execute=True):
        sam_client.post(url, {"name": "Odile Carpentier", "email": "odile@example.org"})
    juror = Juror.objects.get()
    [link] = inbox.links()
    assert scoring.juror_from_token(link.strip("/").split("/")[-1]) == juror


def test_a_juror_scores_supports_and_declares_a_conflict(client, campaign):
    one = make_application(campaign, 1, 5000)
    two = make_application(campaign, 2, 8000)
    make_application(campaign, 3, 3000, status="ineligible")
    juror, token = make_juror(campaign)
    home = client.get(reverse("juries:juror-home", args=[token])).content.decode()
    assert "Projet 1" in home and "Projet 2" in home and "Projet 3" not in home
    client.post(reverse("juries:juror-review", args=[token, one.code]),
                score_form(campaign, [4, 3, 5], approved="1"))
    client.post(reverse("juries:juror-review", args=[token, two.code]),
                score_form(campaign, [1, 1, 1], conflict="1"))
    first = Review.objects.get(application=one)
    assert first.approved and sorted(first.scores.values()) == [3, 4, 5]
    second = Review.objects.get(application=two)
    assert second.conflict and second.scores == {}
    [row] = scoring.juror_progress(campaign)
    assert (row["done"], row["due"], row["conflicts"]) == (1, 1, 1)


def test_scores_outside_the_scale_are_refused(client, campaign):
    application = make_application(campaign, 1, 5000)
    _juror, token = make_juror(campaign)
    response = client.post(reverse("juries:juror-review", args=[token, application.code]),
                           score_form(campaign, [9, 3, 3]))
    assert "Les notes vont de 0 à 5" in response.content.decode()
    assert not Review.objects.exists()


def test_a_deactivated_juror_loses_access(client, campaign):
    application = make_application(campaign, 1, 5000)
    juror, token = make_juror(campaign)
    scoring.juror_deactivate(juror=juror)
    assert client.get(reverse("juries:juror-home", args=[token])).status_code == 404
    assert client.post(reverse("juries:juror-review", args=[token, application.code]),
                       score_form(campaign, [1, 1, 1])).status_code == 404


def test_a_juror_cannot_open_another_campaigns_application(client, campaign, workspace):
    from hemicycle.juries.tests.conftest import make_campaign

    other = make_application(make_campaign(workspace, slug="autre"), 1, 5000)
    _juror, token = make_juror(campaign)
    assert client.get(reverse("juries:juror-review", args=[token, other.code])
                      ).status_code == 404


def test_the_aggregate_gives_weighted_mean_median_and_spread(campaign):
    application = make_application(campaign, 1, 5000)
    criteria = list(campaign.criteria.all())  # weights 2, 2, 1
    for name, values in (("Ana A", [5, 5, 5]), ("Bo B", [0, 5, 0]), ("Cy C", [5, 0, 5])):
        juror, _token = make_juror(campaign, name)
        scoring.review_save(juror=juror, application=application, approved=name == "Ana A",
                            conflict=False,
                            scores={str(c.pk): v for c, v in zip(criteria, values, strict=True)})
    [row] = scoring.scores_table(campaign)
    # Juror totals: 5, (0*2+5*2+0)/5 = 2, (5*2+0+5)/5 = 3.
    assert row["mean"] == pytest.approx(10 / 3)
    assert row["median"] == 3
    assert row["spread"] == pytest.approx(1.2472, abs=1e-3)
    assert row["approvals"] == 1 and row["rank"] == 1


def test_the_projection_refreshes_its_ranking(sam_client, workspace, campaign):
    make_application(campaign, 1, 5000)
    url = reverse("juries:projection", args=[workspace.slug, campaign.code])
    page = sam_client.get(url).content.decode()
    assert 'hx-trigger="every 5s"' in page
    fragment = sam_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Projet 1" in fragment and "<html" not in fragment


def test_the_score_table_is_for_members_only(bob_client, charlie_client, workspace, campaign):
    url = reverse("juries:score-table", args=[workspace.slug, campaign.code])
    assert bob_client.get(url).status_code == 200
    assert charlie_client.get(url).status_code == 404
