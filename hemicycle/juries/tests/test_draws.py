"""Volunteers register with consent; the college is drawn with LEXIMIN from a public
seed; the report is published and re-runnable; infeasible quotas are explained."""

import json

import pytest
from django.urls import reverse

from hemicycle.juries import sortition
from hemicycle.juries.models import Draw, Volunteer
from hemicycle.juries.services import draws as services
from hemicycle.juries.tests.conftest import make_drawn_college

pytestmark = pytest.mark.django_db

SEED = "Euromillions 2026-05-12 : 4 17 23 38 45"


def volunteer_data(college, **extra) -> dict:
    data = {"first_name": "Nora", "last_name": "Sow", "email": "nora@example.org",
            "phone": "", "address": "5 rue Gantois", "postal_code": "59000",
            "consent": "on", "feature_0": "Femme", "feature_1": "jeune"}
    data.update(extra)
    return data


def test_a_volunteer_registers_with_explicit_consent(client, campaign):
    college = make_drawn_college(campaign, volunteers=0)
    url = reverse("juries:volunteer-register", args=[campaign.public_slug])
    page = client.get(url, {"college": str(college.code)}).content.decode()
    assert "Genre" in page and "Âge" in page
    response = client.post(url + f"?college={college.code}",
                           volunteer_data(college, consent=""))
    assert "Ce champ est obligatoire" in response.content.decode()
    assert not Volunteer.objects.exists()
    body = client.post(url + f"?college={college.code}", volunteer_data(college)
                       ).content.decode()
    volunteer = Volunteer.objects.get()
    assert volunteer.features == {"genre": "Femme", "âge": "jeune"}
    assert volunteer.consent_at is not None and volunteer.pseudonym in body


def test_registrations_are_closed_unless_opened(client, campaign):
    college = make_drawn_college(campaign, volunteers=0)
    college.volunteers_open = False
    college.save()
    url = reverse("juries:volunteer-register", args=[campaign.public_slug])
    assert "ne sont pas ouvertes" in client.get(url).content.decode()


def test_a_staff_member_draws_the_college_reproducibly(sam_client, workspace, campaign):
    college = make_drawn_college(campaign)
    url = reverse("juries:college-detail", args=[workspace.slug, college.code])
    response = sam_client.post(url, {"action": "draw", "seed": SEED, "algorithm": "leximin"})
    draw = Draw.objects.get()
    assert response.status_code == 302 and draw.status == "done"
    assert len(draw.panel) == 3 and len(draw.reserve) == 27
    assert draw.pool_digest == sortition.pool_digest(services._instance(draw))
    # Quotas hold, and the probabilities sum to the number of seats.
    assert services._fits(draw, draw.panel)
    assert sum(draw.probabilities.values()) == pytest.approx(3)
    # The same inputs and seed give the same panel, always.
    assert services.draw_verify(draw)
    again = services.draw_create(college=college, seed=SEED, algorithm="leximin", by=None)
    assert again.panel == draw.panel and again.pool_digest == draw.pool_digest
    selected = set(college.volunteers.filter(status="selected").values_list("pseudonym",
                                                                            flat=True))
    assert selected == set(draw.panel)


def test_one_person_per_household(campaign):
    college = make_drawn_college(campaign, volunteers=6, seats=3)
    # Everyone lives at the same two addresses: at most two can sit.
    college.volunteers.update(address="1 rue des Postes")
    college.volunteers.filter(pk__in=list(college.volunteers.values_list("pk", flat=True))[:3]
                              ).update(address="2 rue des Postes")
    draw = services.draw_create(college=college, seed=SEED, algorithm="leximin", by=None)
    assert draw.status == "failed"
    assert "foyers" in draw.infeasibility["explanation"]


def test_infeasible_quotas_are_explained_with_a_relaxation(sam_client, workspace, campaign):
    college = make_drawn_college(campaign)
    college.quotas = [["genre", "Femme", 3, 3], ["genre", "Homme", 1, 3],
                      ["âge", "jeune", 0, 3], ["âge", "senior", 0, 3]]
    college.save()
    draw = services.draw_create(college=college, seed=SEED, algorithm="leximin", by=None)
    assert draw.status == "failed"
    assert draw.infeasibility["changes"]
    page = sam_client.get(reverse("juries:draw-detail", args=[workspace.slug, draw.code]))
    body = page.content.decode()
    assert "Quotas impossibles" in body and "Assouplissement minimal" in body


def test_the_public_report_is_pseudonymous_and_machine_readable(client, campaign):
    college = make_drawn_college(campaign)
    draw = services.draw_create(college=college, seed=SEED, algorithm="leximin", by=None)
    url = reverse("juries:draw-public", args=[campaign.public_slug])
    body = client.get(url).content.decode()
    assert SEED in body and draw.pool_digest in body and "V-0001" in body
    assert "Prénom1" not in body and "v1@example.org" not in body
    data = json.loads(client.get(url, {"format": "json"}).content)
    report = data["draws"][0]
    # Anyone can recompute the digest and the panel from the published data.
    instance = sortition.Instance(
        [sortition.Person(p["id"], p["features"], p["household"]) for p in report["pool"]],
        {(q["feature"], q["value"]): (q["min"], q["max"]) for q in report["quotas"]},
        report["seats"])
    assert sortition.pool_digest(instance) == report["pool_digest"]
    distribution = sortition.probabilities(instance, report["algorithm"])
    assert sortition.draw(distribution, report["seed"]) == report["panel"]
    assert "Prénom1" not in json.dumps(data)


def test_a_withdrawal_is_replaced_from_the_reserve_within_the_quotas(
        sam_client, workspace, campaign):
    college = make_drawn_college(campaign)
    draw = services.draw_create(college=college, seed=SEED, algorithm="leximin", by=None)
    out = draw.panel[0]
    url = reverse("juries:college-detail", args=[workspace.slug, college.code])
    sam_client.post(url, {"action": "replace", "pseudonym": out})
    draw.refresh_from_db()
    assert out not in draw.panel and len(draw.panel) == 3
    assert services._fits(draw, draw.panel)
    assert draw.replacements[0][:2] == [out, draw.panel[0]]
    assert college.volunteers.get(pseudonym=out).status == "declined"
    assert services.draw_verify(draw)


@pytest.mark.parametrize("algorithm", ["maximin", "nash", "legacy"])
def test_the_alternative_algorithms_draw_too(campaign, algorithm):
    college = make_drawn_college(campaign)
    draw = services.draw_create(college=college, seed=SEED, algorithm=algorithm, by=None)
    assert draw.status == "done" and services._fits(draw, draw.panel)


def test_a_large_pool_is_drawn_by_the_task_worker(campaign, monkeypatch,
                                                  django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "INLINE_POOL", 10)
    college = make_drawn_college(campaign)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        draw = services.draw_create(college=college, seed=SEED, algorithm="leximin", by=None)
    assert draw.status == "pending"
    for callback in callbacks:
        callback()
    draw.refresh_from_db()
    assert draw.status == "done" and draw.progress == 100


def test_the_draw_page_polls_while_the_draw_runs(sam_client, workspace, campaign):
    college = make_drawn_college(campaign)
    draw = Draw.objects.create(workspace=workspace, college=college, seed=SEED, size=3)
    url = reverse("juries:draw-detail", args=[workspace.slug, draw.code])
    fragment = sam_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "<html" not in fragment
    Draw.objects.filter(pk=draw.pk).update(status="running", progress=40)
    fragment = sam_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'value="40"' in fragment and "40 % des profils fixés" in fragment


def test_volunteer_data_is_purged_after_the_campaign(campaign):
    college = make_drawn_college(campaign, volunteers=4)
    assert services.volunteers_purge(campaign=campaign) == 4
    volunteer = college.volunteers.first()
    assert volunteer.email == "" and volunteer.last_name == "" and volunteer.address == ""
    assert volunteer.pseudonym == "V-0001" and volunteer.features


def test_an_outsider_never_opens_a_college_or_draw(charlie_client, workspace, campaign):
    college = make_drawn_college(campaign)
    draw = services.draw_create(college=college, seed=SEED, algorithm="leximin", by=None)
    assert charlie_client.get(reverse("juries:college-detail", args=[
        workspace.slug, college.code])).status_code == 404
    assert charlie_client.get(reverse("juries:draw-detail", args=[
        workspace.slug, draw.code])).status_code == 404


def test_an_observer_cannot_draw(bob_client, workspace, campaign):
    college = make_drawn_college(campaign)
    url = reverse("juries:college-detail", args=[workspace.slug, college.code])
    assert bob_client.post(url, {"action": "draw", "seed": SEED, "algorithm": "leximin"}
                           ).status_code == 403
    assert not Draw.objects.exists()


def test_the_purge_command_erases_volunteers_of_finished_campaigns(workspace):
    from django.core.management import call_command

    from hemicycle.juries.tests.conftest import make_campaign

    over = make_campaign(workspace, slug="fini", open_=False)
    over.closes_on = over.opens_on  # closed long ago, no decision date
    over.save()
    running = make_campaign(workspace, slug="en-cours")
    make_drawn_college(over, volunteers=3)
    make_drawn_college(running, volunteers=2)
    call_command("purge_volunteers", "--days", "30")
    assert Volunteer.objects.filter(purged_at__isnull=False).count() == 3
    assert not Volunteer.objects.filter(college__campaign=running, email="").exists()


def test_the_drawn_people_become_jurors_with_their_own_account(
        sam_client, workspace, campaign, inbox, django_capture_on_commit_callbacks):
    from hemicycle.juries.models import Juror

    college = make_drawn_college(campaign)
    draw = services.draw_create(college=college, seed=SEED, algorithm="leximin", by=None)
    url = reverse("juries:college-detail", args=[workspace.slug, college.code])
    with django_capture_on_commit_callbacks(execute=True):
        sam_client.post(url, {"action": "jurors"})
    emails = set(Juror.objects.filter(college=college).values_list("email", flat=True))
    drawn = set(college.volunteers.filter(pseudonym__in=draw.panel).values_list("email",
                                                                               flat=True))
    assert emails == drawn and len(inbox.messages) == 3
    # A withdrawal deactivates the juror who left.
    out = draw.panel[0]
    services.draw_replace(draw=draw, pseudonym=out, by=None)
    assert not Juror.objects.get(email=college.volunteers.get(pseudonym=out).email).active
