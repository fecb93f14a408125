"""Lists, import, blocklist, erasure, GDPR export, the dashboard panel and the demo."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hemicycle.core.audiences import audience_recipients
from hemicycle.core.demo import demo_build
from hemicycle.core.privacy import personal_data_export
from hemicycle.newsletters import services
from hemicycle.newsletters.models import (
    Campaign,
    Delivery,
    MailingList,
    PressRelease,
    Subscriber,
    Suppression,
)
from hemicycle.newsletters.tests.conftest import add_subscribers

pytestmark = pytest.mark.django_db


def test_a_staff_member_creates_a_list_and_its_consent_text_is_versioned(sam_client, workspace):
    response = sam_client.post(reverse("newsletters:list-create", args=[workspace.slug]), {
        "name": "Lettre de Lille-3", "description": "", "is_open": "on",
        "consent_text": "J'accepte de recevoir la lettre."})
    assert response.status_code == 302
    mailing_list = MailingList.objects.get()
    sam_client.post(reverse("newsletters:list-edit", args=[workspace.slug, mailing_list.code]), {
        "name": "Lettre de Lille-3", "description": "", "is_open": "on",
        "consent_text": "J'accepte de recevoir la lettre mensuelle."})
    assert [(v.version, v.text) for v in mailing_list.consent_versions.all()] == [
        (1, "J'accepte de recevoir la lettre."), (2, "J'accepte de recevoir la lettre mensuelle.")]
    page = sam_client.get(reverse("newsletters:list-detail",
                                  args=[workspace.slug, mailing_list.code]))
    assert page.status_code == 200 and "lettre mensuelle" in page.content.decode()
    assert '<option value="blocklisted">' in page.content.decode()


def test_an_import_adds_new_addresses_and_keeps_unsubscribed_and_blocklisted_out(
        sam_client, workspace, mailing_list):
    gone = add_subscribers(mailing_list, ["parti@example.org", "deja@example.org"])[0]
    gone.status = Subscriber.Status.UNSUBSCRIBED
    gone.save()
    services.blocklist_add(workspace=workspace, emails=["noir@example.org"])
    csv = ("email;nom\nNouvelle@Example.org;Nouvelle Personne\nparti@example.org;Parti\n"
           "noir@example.org;Noir\ndeja@example.org;Déjà\npas-une-adresse;X\n").encode()
    response = sam_client.post(
        reverse("newsletters:list-import", args=[workspace.slug, mailing_list.code]),
        {"file": SimpleUploadedFile("abonnes.csv", csv, "text/csv"), "consent_confirmed": "on"})
    assert response.status_code == 200
    assert response.context["report"] == {"added": 1, "already": 1, "kept_out": 2, "invalid": 1}
    statuses = dict(mailing_list.subscribers.values_list("email", "status"))
    assert statuses == {"nouvelle@example.org": "subscribed", "parti@example.org": "unsubscribed",
                        "deja@example.org": "subscribed"}


def test_an_import_needs_the_consent_confirmation(sam_client, workspace, mailing_list):
    response = sam_client.post(
        reverse("newsletters:list-import", args=[workspace.slug, mailing_list.code]),
        {"file": SimpleUploadedFile("a.csv", b"a@example.org\n", "text/csv")})
    assert "Sans leur accord" in response.content.decode()
    assert not mailing_list.subscribers.exists()


def test_the_blocklist_marks_subscribers_of_every_list_and_can_be_lifted(
        sam_client, workspace, mailing_list):
    add_subscribers(mailing_list, ["noir@example.org"])
    url = reverse("newsletters:addresses", args=[workspace.slug])
    sam_client.post(url, {"action": "block", "block-emails": "Noir@example.org\n"})
    assert Subscriber.objects.get().status == Subscriber.Status.BLOCKLISTED
    bad = sam_client.post(url, {"action": "block", "block-emails": "pas-une-adresse"})
    assert "Adresses invalides" in bad.content.decode()
    sam_client.post(url, {"action": "unblock", "email": "noir@example.org"})
    assert not Suppression.objects.exists()
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_an_observer_cannot_change_the_blocklist(bob_client, workspace):
    url = reverse("newsletters:addresses", args=[workspace.slug])
    assert bob_client.get(url).status_code == 200
    response = bob_client.post(url, {"action": "block", "block-emails": "x@example.org"})
    assert response.status_code == 403
    assert not Suppression.objects.exists()


def test_erasure_removes_the_address_everywhere_but_keeps_the_counts(
        sam_client, workspace, mailing_list):
    (subscriber,) = add_subscribers(mailing_list, ["nadia@example.org"])
    campaign = Campaign.objects.create(workspace=workspace, subject="S", body="B",
                                       mailing_list=mailing_list, status=Campaign.Status.SENT)
    Delivery.objects.create(campaign=campaign, email="nadia@example.org", subscriber=subscriber,
                            status=Delivery.Status.SENT)
    sam_client.post(reverse("newsletters:addresses", args=[workspace.slug]),
                    {"action": "erase", "erase-email": "Nadia@example.org"})
    assert not Subscriber.objects.exists()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SENT and "nadia" not in delivery.email


def test_the_gdpr_export_gives_a_users_subscriptions_with_their_proof(alice, mailing_list):
    add_subscribers(mailing_list, [alice.email])
    (entry,) = personal_data_export(alice)["newsletter_subscriptions"]
    assert entry["list"] == mailing_list.name and entry["status"] == "subscribed"
    assert entry["consent_text"] == mailing_list.consent_text


def test_the_demo_makes_a_list_with_proven_subscribers_a_sent_issue_a_draft_and_press(db):
    first = demo_build(territory=False)
    workspace = first.workspace
    mailing_list = MailingList.objects.get(workspace=workspace)
    subscribers = mailing_list.subscribers.all()
    assert subscribers.count() == 5
    assert all(s.consent and s.confirmed_at and s.requested_ip and s.confirmed_user_agent
               for s in subscribers)
    assert Campaign.objects.filter(workspace=workspace, status="sent").count() == 1
    draft = Campaign.objects.get(workspace=workspace, status="draft")
    # Ready to go to the list and to the directory's Lille-3 segment (consenting people).
    source_key, _sep, code = draft.audience.partition("|")
    assert source_key == "actors.directory"
    assert audience_recipients(workspace, source_key, code, "newsletter")
    assert PressRelease.objects.filter(workspace=workspace).count() == 1
    again = demo_build(territory=False)
    assert again.counts["newsletters.subscribers"] == 0
    assert Campaign.objects.filter(workspace=workspace).count() == 2


def test_the_dashboard_shows_the_newsletters_panel(workspace, mailing_list, sam_client):
    add_subscribers(mailing_list, ["nadia@example.org"])
    page = sam_client.get(reverse("core:dashboard", args=[workspace.slug]))
    body = page.content.decode()
    assert 'data-testid="panel-newsletters"' in body and mailing_list.name in body
