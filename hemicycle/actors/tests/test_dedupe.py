import datetime

import pytest
from django.utils import timezone

from hemicycle.actors import services
from hemicycle.actors.models import Actor, DuplicateCandidate, Merge, Relation
from hemicycle.actors.tests.conftest import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(workspace, make_actor, alice):
    """Two records of one association, each with its own relation, interaction, consent."""
    first = make_actor("Amicale du vélo de Fives", postal_code="59000", city="Lille",
                       email="velo@example.org")
    second = make_actor("Association Amicale du Vélo Fives", postal_code="59000", city="Lille",
                        phone="03 20 11 22 33", rna_id="W592222222")
    federation = make_actor("Fédération des usagers de la bicyclette")
    services.relation_add(source=second, target=federation, kind=Relation.Kind.MEMBER_OF)
    services.interaction_create(workspace=workspace, kind="call", title="Appel vélo-école",
                                date=datetime.date(2025, 3, 1), actors=[second], by=alice)
    services.consent_record(actor=second, given=True, ip="192.0.2.4", text_version="v1")
    return first, second, federation


def test_similar_names_in_the_same_commune_and_same_emails_become_candidates(
        workspace, twins, make_actor):
    make_actor("Autre nom", email="velo@example.org", postal_code="59500", city="Douai")
    assert services.duplicate_find(workspace=workspace) == 2
    reasons = sorted(DuplicateCandidate.objects.values_list("reason", flat=True))
    assert reasons == ["Même e-mail", "Nom proche, même commune"]
    assert services.duplicate_find(workspace=workspace) == 0  # already known


def test_a_merge_keeps_every_relation_interaction_and_consent_and_can_be_undone(
        alice_client, workspace, twins):
    first, second, federation = twins
    services.duplicate_find(workspace=workspace)
    pair = DuplicateCandidate.objects.get(reason="Nom proche, même commune")
    response = alice_client.post(url("duplicate-detail", workspace, pair.code), {
        "action": "merge", "keep": "first", "field_phone": "second", "field_rna_id": "second",
        "field_name": "first"})
    assert response.status_code == 302
    kept = Actor.objects.get(pk=first.pk)
    assert kept.phone == "03 20 11 22 33" and kept.rna_id == "W592222222"
    assert kept.name == "Amicale du vélo de Fives" and kept.email == "velo@example.org"
    assert kept.relations_out.get().target == federation
    assert kept.interactions.get().title == "Appel vélo-école"
    assert kept.consents.count() == 1 and kept.last_contact_on == datetime.date(2025, 3, 1)
    assert Actor.objects.get(pk=second.pk).merged_into == kept
    list_page = alice_client.get(url("actor-list", workspace)).content.decode()
    assert "Association Amicale du Vélo Fives" not in list_page.split('"actor-table"')[1]

    alice_client.post(url("duplicate-detail", workspace, pair.code), {"action": "undo"})
    kept.refresh_from_db()
    second.refresh_from_db()
    assert kept.phone == "" and kept.rna_id == "" and second.merged_into is None
    assert second.relations_out.get().target == federation
    assert second.interactions.count() == 1 and kept.interactions.count() == 0
    assert second.consents.count() == 1 and kept.last_contact_on is None
    assert Merge.objects.get().undone_at is not None
    assert DuplicateCandidate.objects.get(pk=pair.pk).status == "pending"


def test_a_shared_interaction_stays_with_both_after_undo(workspace, make_actor, alice):
    a, b = make_actor("Repair Café Wazemmes"), make_actor("Repair Cafe de Wazemmes")
    shared = services.interaction_create(workspace=workspace, kind="event", title="Forum",
                                         date=timezone.localdate(), actors=[a, b], by=alice)
    merge = services.actor_merge(kept=a, merged=b, take=set())
    assert list(shared.actors.all()) == [a]
    services.merge_undo(merge=merge)
    assert set(shared.actors.all()) == {a, b}


def test_dismissing_a_pair_hides_it(alice_client, workspace, twins):
    services.duplicate_find(workspace=workspace)
    pair = DuplicateCandidate.objects.first()
    alice_client.post(url("duplicate-detail", workspace, pair.code), {"action": "dismiss"})
    assert DuplicateCandidate.objects.get(pk=pair.pk).status == "dismissed"
    page = alice_client.get(url("duplicate-list", workspace)).content.decode()
    assert url("duplicate-detail", workspace, pair.code) not in page


def test_a_person_and_an_organisation_are_never_merged(workspace, make_actor):
    org = make_actor("Camille Lefebvre")
    person = make_actor(type=Actor.Type.PERSON, first_name="Camille", last_name="Lefebvre")
    with pytest.raises(Exception, match="ne se fusionnent pas"):
        services.actor_merge(kept=org, merged=person, take=set())
