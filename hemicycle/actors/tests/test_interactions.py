import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hemicycle.actors import services
from hemicycle.actors.models import Actor, Interaction
from hemicycle.actors.tests.conftest import url
from hemicycle.elected.models import ElectedMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def maelle(workspace):
    return ElectedMember.objects.create(workspace=workspace, first_name="Maëlle",
                                        last_name="Dufresne", in_group=True)


def test_a_staff_member_logs_a_field_visit_with_a_follow_up(
        sam_client, sam, workspace, make_actor, maelle):
    actor = make_actor("Jardins partagés de Fives")
    today = timezone.localdate()
    response = sam_client.post(url("interaction-create", workspace), {
        "actors": [str(actor.code)], "kind": "field_visit", "date": today.isoformat(),
        "title": "Visite des jardins", "elected": [maelle.pk], "staff": [sam.pk],
        "notes": "Besoin d'un point d'eau.", "follow_up_on": (today + datetime.timedelta(
            days=30)).isoformat(), "next": "actor"})
    assert response.status_code == 302
    interaction = Interaction.objects.get()
    assert list(interaction.elected.all()) == [maelle] and list(interaction.staff.all()) == [sam]
    actor.refresh_from_db()
    assert actor.last_contact_on == today
    assert actor.next_follow_up_on == today + datetime.timedelta(days=30)
    page = sam_client.get(url("actor-detail", workspace, actor.code)).content.decode()
    assert "Visite des jardins" in page and "Maëlle Dufresne" in page


def test_an_interaction_needs_an_actor_and_a_follow_up_after_it(sam_client, workspace):
    response = sam_client.post(url("interaction-create", workspace), {
        "kind": "call", "date": "2025-05-02", "title": "Appel", "follow_up_on": "2025-05-01"})
    body = response.content.decode()
    assert response.status_code == 200 and "La relance suit l" in body
    assert not Interaction.objects.exists()


def test_actors_of_another_workspace_cannot_be_attached(sam_client, workspace, other_workspace,
                                                        make_actor):
    foreign = make_actor("Ailleurs", workspace=other_workspace)
    sam_client.post(url("interaction-create", workspace), {
        "actors": [str(foreign.code)], "kind": "call", "date": "2025-05-02", "title": "Appel"})
    assert not Interaction.objects.exists()


def test_overdue_follow_ups_show_on_the_dashboard_until_done(
        alice_client, alice, workspace, make_actor):
    actor = make_actor("Collectif Air pur")
    today = timezone.localdate()
    interaction = services.interaction_create(
        workspace=workspace, kind="meeting", date=today - datetime.timedelta(days=40),
        title="Rendez-vous qualité de l'air", actors=[actor],
        follow_up_on=today - datetime.timedelta(days=10), by=alice)
    dashboard = reverse("core:dashboard", args=[workspace.slug])

    def panel() -> str:
        body = alice_client.get(dashboard).content.decode()
        return body.split('data-testid="panel-follow-ups"')[1].split("</section>")[0]

    assert "Rendez-vous qualité de l" in panel()
    alice_client.post(url("interaction-edit", workspace, interaction.code), {"action": "done"})
    assert "Rendez-vous qualité de l" not in panel()
    actor.refresh_from_db()
    assert actor.next_follow_up_on is None
    assert actor.last_contact_on == today - datetime.timedelta(days=40)


def test_an_elected_member_reads_but_cannot_log(elodie_client, workspace):
    assert elodie_client.get(url("interaction-list", workspace)).status_code == 200
    assert elodie_client.get(url("interaction-create", workspace)).status_code == 403


def test_deleting_an_interaction_recomputes_the_last_contact(workspace, make_actor, alice):
    actor = make_actor()
    interaction = services.interaction_create(
        workspace=workspace, kind="call", date=datetime.date(2025, 1, 5), title="Appel",
        actors=[actor], by=alice)
    services.interaction_delete(interaction=interaction)
    assert Actor.objects.get(pk=actor.pk).last_contact_on is None
