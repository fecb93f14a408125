import pytest

from hemicycle.core.demo import demo_build
from hemicycle.juries.models import Application, Campaign, Draw, Juror, Review, Volunteer
from hemicycle.juries.services import draws

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_ail_campaign_with_a_drawn_college_scores_and_a_decision():
    demo_build(territory=False)
    past = Campaign.objects.get(public_slug="ail-lille-3-2025")
    assert past.envelope == 87458 and past.applications.count() == 15
    assert Volunteer.objects.filter(college__campaign=past).count() == 60
    draw = Draw.objects.get(college__campaign=past)
    assert draw.status == "done" and draws.draw_verify(draw)
    assert Juror.objects.filter(campaign=past).count() == 10
    assert Review.objects.filter(juror__campaign=past).exists()
    granted = past.applications.filter(status=Application.Status.GRANTED)
    assert granted.exists()
    assert sum(a.granted_amount for a in granted) <= past.envelope
    assert Campaign.objects.get(public_slug="ail-lille-3-2026").is_open()
    # Idempotent.
    demo_build(territory=False)
    assert Campaign.objects.count() == 2 and Application.objects.count() == 18


def test_with_the_territory_the_applications_are_placed_in_lille_3():
    demo_build(territory=False)  # the session already loaded the Nord's territory
    past = Campaign.objects.get(public_slug="ail-lille-3-2025")
    assert list(past.cantons.values_list("code", flat=True)) == ["59025"]
    application = past.applications.get(number=1)
    assert application.commune.name == "Lille" and application.canton.code == "59025"


def test_without_the_canton_the_demo_still_builds(monkeypatch):
    from hemicycle.juries import demo

    monkeypatch.setattr(demo, "LILLE_3", "99999")  # as if the cantons were not loaded
    demo_build(territory=False)
    past = Campaign.objects.get(public_slug="ail-lille-3-2025")
    assert not past.cantons.exists()
    assert past.applications.filter(status=Application.Status.GRANTED).exists()


def test_the_demo_jurors_log_in_with_the_demo_password_and_score_their_campaign():
    from django.test import Client
    from django.urls import reverse

    from hemicycle.accounts.models import Membership
    from hemicycle.core.demo import DEMO_PASSWORD

    demo_build(territory=False)
    past = Campaign.objects.get(public_slug="ail-lille-3-2025")
    juror = Juror.objects.get(campaign=past, email="maelle.dufresne@demo.hemicycle.fr")
    membership = Membership.objects.get(workspace=past.workspace, user=juror.user)
    assert membership.role == "juror" and membership.scope == {"campaign": str(past.code)}
    client = Client()
    assert client.login(username=juror.email, password=DEMO_PASSWORD)
    home = reverse("juries:juror-home", args=[past.workspace.slug, past.code])
    assert client.get(home).status_code == 200
    assert client.get(reverse("juries:campaign-list", args=[past.workspace.slug])
                      ).status_code == 403
