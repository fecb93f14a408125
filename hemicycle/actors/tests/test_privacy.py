import datetime
import json

import pytest
from django.utils import timezone

from hemicycle.actors import services
from hemicycle.actors.audiences import SOURCE, recipients
from hemicycle.actors.models import Actor, Relation
from hemicycle.actors.tests.conftest import url
from hemicycle.audit.models import AuditEvent
from hemicycle.core.audiences import audience_recipients

pytestmark = pytest.mark.django_db


@pytest.fixture
def ines(workspace, make_actor, alice):
    person = make_actor(type=Actor.Type.PERSON, first_name="Inès", last_name="Vandewalle",
                        email="ines@example.org", phone="06 00 00 00 00",
                        data_source="Forum des associations 2024",
                        lawful_basis=Actor.LawfulBasis.LEGITIMATE)
    services.interaction_create(workspace=workspace, kind="meeting", title="Rencontre avec "
                                "Inès Vandewalle", notes="Inès Vandewalle présente le projet.",
                                date=datetime.date(2025, 2, 3), actors=[person], by=alice)
    services.consent_record(actor=person, given=True, ip="192.0.2.7",
                            text_version="lettre-v2", source="formulaire du site")
    return person


def test_a_person_s_data_is_exported_as_json_and_csv(alice_client, workspace, ines):
    response = alice_client.get(url("person-export", workspace, ines.code))
    data = json.loads(response.content)
    assert data["actor"]["email"] == "ines@example.org"
    assert data["interactions"][0]["title"].startswith("Rencontre")
    assert data["consents"][0] == {"purpose": "newsletter", "given": True,
                                   "at": data["consents"][0]["at"], "ip": "192.0.2.7",
                                   "text_version": "lettre-v2", "source": "formulaire du site"}
    csv_text = alice_client.get(url("person-export", workspace, ines.code),
                                {"format": "csv"}).content.decode()
    assert "acteur;email;ines@example.org" in csv_text and "consents[1];ip;192.0.2.7" in csv_text


def test_erasure_anonymises_the_person_and_keeps_anonymous_interactions(
        alice_client, workspace, ines):
    alice_client.post(url("person-erase", workspace, ines.code))
    person = Actor.objects.get(pk=ines.pk)
    assert person.name == services.ANONYMOUS and person.email == "" and person.phone == ""
    assert person.erased_at is not None and person.no_email
    assert not person.consents.exists()
    interaction = person.interactions.get()
    assert "Inès" not in interaction.title + interaction.notes
    assert "Vandewalle" not in json.dumps(list(AuditEvent.objects.values_list(
        "changes", "object_repr", "message")), ensure_ascii=False)


def test_an_observer_cannot_export_or_erase(bob_client, workspace, ines):
    assert bob_client.get(url("person-export", workspace, ines.code)).status_code == 403
    assert bob_client.post(url("person-erase", workspace, ines.code)).status_code == 403


def test_consent_proofs_are_recorded_from_the_page(alice_client, workspace, make_actor):
    person = make_actor(type=Actor.Type.PERSON, first_name="Léa", last_name="Caron")
    alice_client.post(url("consent-add", workspace, person.code), {
        "purpose": "newsletter", "given": "on", "at": "2025-04-01T10:00", "ip": "192.0.2.9",
        "text_version": "v3", "source": "papier signé"})
    person.refresh_from_db()
    assert person.consent_status == "given" and person.consents.get().ip == "192.0.2.9"
    alice_client.post(url("consent-add", workspace, person.code), {
        "purpose": "newsletter", "at": "2025-05-01T10:00"})
    person.refresh_from_db()
    assert person.consent_status == "withdrawn" and person.consents.count() == 2


def test_retention_lists_warns_then_purges(workspace, ines):
    old = timezone.now() - datetime.timedelta(days=5 * 365)
    Actor.objects.filter(pk=ines.pk).update(created_at=old, last_contact_on=old.date())
    assert list(services.retention_due(workspace)) == [Actor.objects.get(pk=ines.pk)]
    assert services.retention_purge(workspace) == 0  # not warned yet
    assert services.retention_warn(workspace) == 1
    Actor.objects.filter(pk=ines.pk).update(
        retention_warned_at=timezone.now() - datetime.timedelta(days=31))
    assert services.retention_purge(workspace) == 1
    assert Actor.objects.get(pk=ines.pk).erased_at is not None
    assert not services.retention_due(workspace).exists()


def test_the_processing_page_lists_the_register(bob_client, workspace):
    body = bob_client.get(url("privacy", workspace)).content.decode()
    assert "Fiche de traitement" in body and "Bases légales" in body


def test_newsletter_audiences_only_hold_consenting_mailable_people(workspace, ines, make_actor):
    make_actor(type=Actor.Type.PERSON, first_name="Sans", last_name="Consentement",
               email="sans@example.org")
    refuses = make_actor(type=Actor.Type.PERSON, first_name="Ne", last_name="Pas",
                         email="np@example.org", no_email=True)
    services.consent_record(actor=refuses, given=True)
    segment = services.segment_save(workspace=workspace, name="Tout le monde", filters={})
    audiences = SOURCE.audiences(workspace, "newsletter")
    assert [(a.label, a.count) for a in audiences] == [("Tout le monde", 1)]
    got = audience_recipients(workspace, SOURCE.key, str(segment.code), "newsletter")
    assert [r.email for r in got] == ["ines@example.org"]
    assert got[0].origin == f"actors.actor:{ines.code}"


def test_press_audience_holds_media_and_their_journalists(workspace, make_actor):
    media = make_actor("La Voix du Quartier", kind=Actor.Kind.MEDIA, email="redac@example.org")
    journalist = make_actor(type=Actor.Type.PERSON, first_name="Hugo", last_name="Deroo",
                            email="hugo@example.org")
    make_actor("Club de foot", email="foot@example.org")
    services.relation_add(source=journalist, target=media, kind=Relation.Kind.EMPLOYEE)
    emails = sorted(r.email for r in recipients(workspace, "press", "press"))
    assert emails == ["hugo@example.org", "redac@example.org"]


def test_an_unsubscribe_from_a_mailing_marks_the_actor_do_not_email(workspace, ines,
                                                                    other_workspace):
    from hemicycle.core.audiences import audience_unsubscribe

    audience_unsubscribe(other_workspace, f"actors.actor:{ines.code}")
    ines.refresh_from_db()
    assert not ines.no_email  # another workspace's unsubscribe touches nothing here
    assert audience_unsubscribe(workspace, f"actors.actor:{ines.code}")
    ines.refresh_from_db()
    assert ines.no_email
    assert not list(recipients(workspace, str(
        services.segment_save(workspace=workspace, name="Tous", filters={}).code), "newsletter"))
