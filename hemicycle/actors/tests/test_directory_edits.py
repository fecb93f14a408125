"""Ending and deleting relations; renaming and deleting themes and segments."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from hemicycle.actors import services
from hemicycle.actors.models import Actor, Relation, Segment, Theme
from hemicycle.actors.tests.conftest import url
from hemicycle.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def relation(workspace, make_actor) -> Relation:
    org = make_actor("Collectif Air pur")
    person = make_actor(type=Actor.Type.PERSON, first_name="Léa", last_name="Caron")
    return services.relation_add(source=person, target=org, kind="president",
                                 start_on=datetime.date(2022, 9, 1))


def _audit(obj, action) -> AuditEvent | None:
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk),
        action=action).first()


def test_a_staff_member_ends_a_relation_on_the_date_given(sam_client, workspace, relation):
    response = sam_client.post(url("relation-end", workspace, relation.code), {
        "end_on": "2025-06-30", "actor": str(relation.target.code)})
    assert response["Location"].endswith(f"{relation.target.code}/")
    relation.refresh_from_db()
    assert relation.end_on == datetime.date(2025, 6, 30)
    event = _audit(relation, AuditEvent.Action.UPDATE)
    assert event is not None and "end_on" in event.changes


def test_the_actor_page_offers_to_end_a_relation_today_and_to_delete_it(
        alice_client, workspace, relation):
    page = alice_client.get(url("actor-detail", workspace, relation.source.code)).content.decode()
    assert url("relation-end", workspace, relation.code) in page
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in page
    assert url("relation-delete", workspace, relation.code) in page
    assert "Confirmer la suppression" in page


def test_an_end_date_before_the_start_is_refused_in_french(alice_client, workspace, relation):
    response = alice_client.post(url("relation-end", workspace, relation.code),
                                 {"end_on": "2020-01-01"}, follow=True)
    assert "La date de fin précède le début de la relation" in response.content.decode()
    relation.refresh_from_db()
    assert relation.end_on is None


def test_a_staff_member_deletes_a_relation_and_the_audit_trail_keeps_it(
        sam_client, workspace, relation):
    pk = relation.pk
    response = sam_client.post(url("relation-delete", workspace, relation.code))
    assert response["Location"].endswith(f"{relation.source.code}/")
    assert not Relation.objects.filter(pk=pk).exists()
    relation.pk = pk
    assert _audit(relation, AuditEvent.Action.DELETE) is not None


def test_relations_cannot_be_ended_or_deleted_by_get_an_observer_or_an_outsider(
        alice_client, bob_client, charlie_client, workspace, other_workspace, relation):
    assert alice_client.get(url("relation-delete", workspace, relation.code)).status_code == 405
    assert bob_client.post(url("relation-delete", workspace, relation.code)).status_code == 403
    response = charlie_client.post(url("relation-delete", other_workspace, relation.code))
    assert response.status_code == 404
    response = charlie_client.post(url("relation-end", other_workspace, relation.code),
                                   {"end_on": "2025-01-01"})
    assert response.status_code == 404
    relation.refresh_from_db()
    assert relation.end_on is None


def test_a_theme_is_renamed_from_its_list(alice_client, workspace):
    theme = services.theme_create(workspace=workspace, name="Ecolgie")
    alice_client.post(url("theme-rename", workspace, theme.code), {"name": "Écologie"})
    theme.refresh_from_db()
    assert theme.name == "Écologie"
    assert _audit(theme, AuditEvent.Action.UPDATE) is not None
    page = alice_client.get(url("theme-list", workspace)).content.decode()
    assert url("theme-rename", workspace, theme.code) in page


def test_a_theme_cannot_take_the_name_of_a_sibling(alice_client, workspace):
    services.theme_create(workspace=workspace, name="Mobilité")
    other = services.theme_create(workspace=workspace, name="Vélo")
    response = alice_client.post(url("theme-rename", workspace, other.code),
                                 {"name": "mobilité"}, follow=True)
    assert "Ce thème existe déjà." in response.content.decode()
    other.refresh_from_db()
    assert other.name == "Vélo"


def test_an_unused_theme_is_deleted_but_one_with_actors_or_children_is_kept(
        alice_client, workspace, make_actor):
    parent = services.theme_create(workspace=workspace, name="Écologie")
    child = services.theme_create(workspace=workspace, name="Mobilité", parent=parent)
    used = services.theme_create(workspace=workspace, name="Culture")
    unused = services.theme_create(workspace=workspace, name="Sport")
    make_actor("Théâtre du Nord", themes=[used])

    page = alice_client.post(url("theme-delete", workspace, used.code), follow=True)
    assert "est attribué à 1 acteur(s)" in page.content.decode()
    page = alice_client.post(url("theme-delete", workspace, parent.code), follow=True)
    assert "contient des sous-thèmes" in page.content.decode()
    alice_client.post(url("theme-delete", workspace, unused.code))
    alice_client.post(url("theme-delete", workspace, child.code))

    assert set(Theme.objects.values_list("name", flat=True)) == {"Écologie", "Culture"}


def test_themes_of_another_workspace_are_out_of_reach(charlie_client, other_workspace,
                                                       workspace):
    theme = services.theme_create(workspace=workspace, name="Écologie")
    assert charlie_client.post(url("theme-delete", other_workspace, theme.code)).status_code \
        == 404
    assert charlie_client.post(url("theme-rename", other_workspace, theme.code),
                               {"name": "x"}).status_code == 404
    assert Theme.objects.get().name == "Écologie"


def test_a_segment_is_renamed_from_the_list(sam_client, workspace, sam):
    segment = services.segment_save(workspace=workspace, name="Assos", filters={"kind": "x"},
                                    by=sam)
    page = sam_client.get(url("actor-list", workspace)).content.decode()
    assert url("segment-rename", workspace, segment.code) in page
    sam_client.post(url("segment-rename", workspace, segment.code),
                    {"name": "Associations de Lille"})
    segment.refresh_from_db()
    assert segment.name == "Associations de Lille"
    assert _audit(segment, AuditEvent.Action.UPDATE) is not None


def test_a_segment_a_newsletter_was_addressed_to_cannot_be_deleted(alice_client, workspace):
    from hemicycle.actors.audiences import SOURCE
    from hemicycle.newsletters.models import Campaign

    used = services.segment_save(workspace=workspace, name="Assos", filters={})
    unused = services.segment_save(workspace=workspace, name="Essai", filters={})
    Campaign.objects.create(workspace=workspace, subject="Appel à projets", body="Bonjour",
                            audience=f"{SOURCE.key}|{used.code}")

    response = alice_client.post(url("segment-open", workspace, used.code), follow=True)
    assert "est le public de 1 lettre(s) (« Appel à projets »)" in response.content.decode()
    alice_client.post(url("segment-open", workspace, unused.code))
    assert list(Segment.objects.values_list("name", flat=True)) == ["Assos"]
