"""Jurors log in with an account scoped to their campaign, score each eligible
application, support some, declare conflicts; the staff sees progress, the aggregate and
the projection."""

import pytest
from django.test import Client
from django.urls import reverse

from hemicycle.accounts.models import Membership, User
from hemicycle.accounts.roles import Role
from hemicycle.juries.models import Juror, Review
from hemicycle.juries.services import scoring
from hemicycle.juries.tests.conftest import make_application, make_campaign

pytestmark = pytest.mark.django_db


def make_juror(campaign, name="Odile Carpentier", email="") -> Juror:
    return scoring.juror_create(campaign=campaign, name=name,
                                email=email or f"{name.split()[0].lower()}@example.org")


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def home_url(campaign) -> str:
    return reverse("juries:juror-home", args=[campaign.workspace.slug, campaign.code])


def review_url(application) -> str:
    return reverse("juries:juror-review", args=[application.workspace.slug, application.code])


def score_form(campaign, values, **extra) -> dict:
    data = {f"score_{c.pk}": str(v) for c, v in zip(campaign.criteria.all(), values,
                                                     strict=True)}
    data.update(extra)
    return data


def test_a_staff_member_adds_a_juror_who_gets_an_account_and_an_invitation(
        sam_client, workspace, campaign, inbox, django_capture_on_commit_callbacks):
    url = reverse("juries:juror-list", args=[workspace.slug, campaign.code])
    with django_capture_on_commit_callbacks(execute=True):
        sam_client.post(url, {"name": "Odile Carpentier", "email": "Odile@example.org"})
    juror = Juror.objects.get()
    user = User.objects.get(email="odile@example.org")
    assert juror.user == user and not user.has_usable_password()
    membership = Membership.objects.get(workspace=workspace, user=user)
    assert membership.role == Role.JUROR
    assert membership.scope == {"campaign": str(campaign.code)}
    password_link, home_link = inbox.links()
    assert home_link == home_url(campaign)
    # The first link sets the password (the accounts' own page), then the juror logs in.
    client = Client()
    form = client.get(password_link, follow=True)
    assert form.status_code == 200
    response = client.post(form.redirect_chain[-1][0], {
        "new_password1": "Un-jury-citoyen-2026", "new_password2": "Un-jury-citoyen-2026"})
    assert response.status_code == 302
    assert client.login(username="odile@example.org", password="Un-jury-citoyen-2026")
    assert client.get(home_link).status_code == 200


def test_an_elected_member_sits_on_the_jury_with_their_own_role(
        elodie, elodie_client, workspace, campaign, inbox, django_capture_on_commit_callbacks):
    application = make_application(campaign, 1, 5000)
    with django_capture_on_commit_callbacks(execute=True):
        juror = make_juror(campaign, "Élodie Martin", elodie.email)
    assert juror.user == elodie
    assert Membership.objects.get(workspace=workspace, user=elodie).role == Role.ELECTED
    [home_link] = inbox.links()  # she has a password already: only the scoring page
    assert "Projet 1" in elodie_client.get(home_link).content.decode()
    elodie_client.post(review_url(application), score_form(campaign, [2, 2, 2]))
    assert Review.objects.get(juror=juror).scores
    dashboard = elodie_client.get(reverse("core:dashboard", args=[workspace.slug]))
    assert home_link in dashboard.content.decode()


def test_a_juror_scores_supports_and_declares_a_conflict(campaign):
    one = make_application(campaign, 1, 5000)
    two = make_application(campaign, 2, 8000)
    make_application(campaign, 3, 3000, status="ineligible")
    juror = make_juror(campaign)
    client = client_of(juror.user)
    home = client.get(home_url(campaign)).content.decode()
    assert "Projet 1" in home and "Projet 2" in home and "Projet 3" not in home
    client.post(review_url(one), score_form(campaign, [4, 3, 5], approved="1"))
    client.post(review_url(two), score_form(campaign, [1, 1, 1], conflict="1"))
    first = Review.objects.get(application=one)
    assert first.approved and sorted(first.scores.values()) == [3, 4, 5]
    second = Review.objects.get(application=two)
    assert second.conflict and second.scores == {}
    [row] = scoring.juror_progress(campaign)
    assert (row["done"], row["due"], row["conflicts"]) == (1, 1, 1)


def test_scores_outside_the_scale_are_refused(campaign):
    application = make_application(campaign, 1, 5000)
    client = client_of(make_juror(campaign).user)
    response = client.post(review_url(application), score_form(campaign, [9, 3, 3]))
    assert "Les notes vont de 0 à 5" in response.content.decode()
    assert not Review.objects.exists()


def test_a_juror_sees_no_other_page_of_the_workspace(workspace, campaign):
    juror = make_juror(campaign)
    client = client_of(juror.user)
    assert client.get(home_url(campaign)).status_code == 200
    # The dashboard shows a juror only their seats, with the link to score.
    dashboard = client.get(reverse("core:dashboard", args=[workspace.slug]))
    assert dashboard.status_code == 200
    assert home_url(campaign) in dashboard.content.decode()
    assert "Activité récente" not in dashboard.content.decode()
    for name, args in (("elected:member-list", [workspace.slug]),
                       ("juries:campaign-list", [workspace.slug]),
                       ("juries:campaign-detail", [workspace.slug, campaign.code]),
                       ("juries:score-table", [workspace.slug, campaign.code])):
        assert client.get(reverse(name, args=args)).status_code == 403, name


def test_a_juror_of_another_campaign_gets_a_404(workspace, campaign):
    other = make_campaign(workspace, slug="autre")
    other_application = make_application(other, 1, 5000)
    make_juror(other, "Rachid Menouar")
    client = client_of(make_juror(campaign).user)
    assert client.get(home_url(other)).status_code == 404
    assert client.get(review_url(other_application)).status_code == 404
    assert client.post(review_url(other_application),
                       score_form(other, [1, 1, 1])).status_code == 404
    assert not Review.objects.exists()


def test_members_and_outsiders_who_are_not_jurors_get_a_404(
        alice_client, charlie_client, campaign):
    application = make_application(campaign, 1, 5000)
    make_juror(campaign)
    for client in (alice_client, charlie_client):
        assert client.get(home_url(campaign)).status_code == 404
        assert client.get(review_url(application)).status_code == 404


def test_a_deactivated_juror_loses_access_and_the_workspace(workspace, campaign):
    application = make_application(campaign, 1, 5000)
    juror = make_juror(campaign)
    client = client_of(juror.user)
    scoring.juror_deactivate(juror=juror)
    assert client.get(home_url(campaign)).status_code == 404
    assert client.post(review_url(application),
                       score_form(campaign, [1, 1, 1])).status_code == 404
    assert not Membership.objects.filter(workspace=workspace, user=juror.user).exists()


def test_a_juror_on_two_campaigns_scores_both(workspace, campaign):
    other = make_campaign(workspace, slug="autre")
    first = make_juror(campaign)
    make_juror(other)
    client = client_of(first.user)
    assert client.get(home_url(campaign)).status_code == 200
    assert client.get(home_url(other)).status_code == 200


def test_the_aggregate_gives_weighted_mean_median_and_spread(campaign):
    application = make_application(campaign, 1, 5000)
    criteria = list(campaign.criteria.all())  # weights 2, 2, 1
    for name, values in (("Ana A", [5, 5, 5]), ("Bo B", [0, 5, 0]), ("Cy C", [5, 0, 5])):
        juror = make_juror(campaign, name)
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
