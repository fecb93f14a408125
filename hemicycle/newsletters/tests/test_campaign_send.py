"""Campaigns sent through a real SMTP server on loopback: every message is checked."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from hemicycle.newsletters.models import Campaign, Delivery, Subscriber, Suppression
from hemicycle.newsletters.tests.conftest import (
    add_subscribers,
    html_part,
    links,
    path_of,
    text_part,
)

pytestmark = pytest.mark.django_db

BODY = ("## Nos propositions\n\nLe **budget 2027** en détail : https://example.org/budget"
        "\n\n- collèges\n- cantines")


def create_and_send(client, workspace, capture, **fields):
    data = {"subject": "La lettre de novembre", "preheader": "Budget 2027", "body": BODY,
            "layout": "banner", "mailing_list": "", "audience": "", "extra_addresses": "",
            "in_archive": "on", **fields}
    response = client.post(reverse("newsletters:campaign-create", args=[workspace.slug]), data)
    assert response.status_code == 302, response.context["form"].errors
    campaign = Campaign.objects.latest("created_at")
    with capture(execute=True):
        sent = client.post(reverse("newsletters:campaign-send",
                                   args=[workspace.slug, campaign.code]), {"when": ""})
    assert sent.status_code == 302
    campaign.refresh_from_db()
    return campaign


def test_a_campaign_reaches_the_list_and_a_segment_once_each_with_both_parts_and_unsubscribe(
        inbox, sam_client, workspace, mailing_list, audience_source,
        django_capture_on_commit_callbacks):
    add_subscribers(mailing_list, ["nadia@example.org", "thomas@example.org",
                                   "lea.martin@example.org"])
    gone = add_subscribers(mailing_list, ["parti@example.org"])[0]
    gone.status = Subscriber.Status.UNSUBSCRIBED
    gone.save()
    Subscriber.objects.create(mailing_list=mailing_list, email="attente@example.org")
    Suppression.objects.create(workspace=workspace, email="karim.haddad@example.org",
                               reason=Suppression.Reason.BLOCKLISTED)

    campaign = create_and_send(sam_client, workspace, django_capture_on_commit_callbacks,
                               mailing_list=mailing_list.pk,
                               audience="test.people|newsletter")

    # The list's subscribers, the segment's person (once, though on both), not the others.
    received = sorted(rcpt for _sender, rcpts in inbox.envelopes for rcpt in rcpts)
    assert received == ["lea.martin@example.org", "nadia@example.org", "thomas@example.org"]
    assert campaign.status == Campaign.Status.SENT
    message_ids = set()
    for message in inbox.messages:
        assert message["Subject"] == "La lettre de novembre"
        assert message["From"].addresses[0].display_name == workspace.short_name
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert mailing_list.code.hex in message["List-Id"]
        assert re.fullmatch(rf"<{campaign.code.hex}\.\d+@[\w.-]+>", message["Message-ID"])
        message_ids.add(message["Message-ID"])
        assert message.get_content_type() == "multipart/alternative"
        text, html = text_part(message), html_part(message)
        assert "Nos propositions" in text and "budget 2027" in text and "**" not in text
        assert "<strong>budget 2027</strong>" in html and workspace.primary_color in html
        header_link = message["List-Unsubscribe"].strip().strip("<>")
        assert header_link.startswith("http") and header_link in text and header_link in html
        assert any("/lettres/archives/" in link for link in links(text))
    assert len(message_ids) == 3

    # Following the link in the text: a page, then the button.
    client = Client()
    link = message_link(inbox.to("nadia@example.org"))
    assert client.get(path_of(link)).status_code == 200
    assert client.post(path_of(link)).status_code == 200
    assert Subscriber.objects.get(email="nadia@example.org").status == "unsubscribed"

    # RFC 8058 one-click: a POST from the mail client, no cookie, no CSRF token.
    one_click = Client(enforce_csrf_checks=True)
    link = inbox.to("thomas@example.org")["List-Unsubscribe"].strip().strip("<>")
    response = one_click.post(path_of(link), "List-Unsubscribe=One-Click",
                              content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert Subscriber.objects.get(email="thomas@example.org").status == "unsubscribed"

    detail = sam_client.get(reverse("newsletters:campaign-detail",
                                    args=[workspace.slug, campaign.code]))
    counts = detail.context["counts"]
    assert (counts["total"], counts["delivered"], counts["unsubscribed"]) == (3, 3, 2)

    # The next campaign goes to whoever is left.
    inbox.envelopes.clear()
    create_and_send(sam_client, workspace, django_capture_on_commit_callbacks,
                    mailing_list=mailing_list.pk, subject="La lettre de décembre")
    assert [rcpts for _s, rcpts in inbox.envelopes] == [["lea.martin@example.org"]]


def message_link(message) -> str:
    return next(link for link in links(text_part(message)) if "/desinscription/" in link)


def test_an_unsubscribe_from_a_segment_message_stops_later_mailings_to_that_segment(
        inbox, sam_client, workspace, audience_source, django_capture_on_commit_callbacks):
    create_and_send(sam_client, workspace, django_capture_on_commit_callbacks,
                    audience="test.people|newsletter")
    link = message_link(inbox.to("lea.martin@example.org"))
    Client().post(path_of(link))
    assert Suppression.objects.filter(email="lea.martin@example.org",
                                      reason=Suppression.Reason.UNSUBSCRIBED).exists()
    inbox.envelopes.clear()
    create_and_send(sam_client, workspace, django_capture_on_commit_callbacks,
                    audience="test.people|newsletter", subject="Encore")
    assert [rcpts for _s, rcpts in inbox.envelopes] == [["karim.haddad@example.org"]]


def test_an_unsubscribe_from_an_audience_message_is_told_to_the_source(
        inbox, sam_client, workspace, audience_source, django_capture_on_commit_callbacks):
    told = []
    # The fixture's source is made for this test alone: give it the optional callback.
    object.__setattr__(audience_source, "unsubscribe",
                       lambda ws, origin: told.append((ws.pk, origin)))
    create_and_send(sam_client, workspace, django_capture_on_commit_callbacks,
                    audience="test.people|newsletter")
    Client().post(path_of(message_link(inbox.to("lea.martin@example.org"))))
    assert told == [(workspace.pk, "test.person:1")]


def test_a_sent_campaign_is_in_the_public_archive_and_a_draft_is_not(
        inbox, sam_client, workspace, mailing_list, django_capture_on_commit_callbacks):
    add_subscribers(mailing_list, ["nadia@example.org"])
    campaign = create_and_send(sam_client, workspace, django_capture_on_commit_callbacks,
                               mailing_list=mailing_list.pk)
    draft = Campaign.objects.create(workspace=workspace, subject="Brouillon secret",
                                    body="x", mailing_list=mailing_list)
    anonymous = Client()
    listing = anonymous.get(reverse("newsletters:archive-list", args=[mailing_list.code]))
    assert "La lettre de novembre" in listing.content.decode()
    assert "Brouillon secret" not in listing.content.decode()
    page = anonymous.get(reverse("newsletters:archive-detail", args=[campaign.code]))
    assert page.status_code == 200 and "budget 2027" in page.content.decode()
    assert anonymous.get(reverse("newsletters:archive-detail",
                                 args=[draft.code])).status_code == 404


def test_a_test_send_goes_to_one_address_and_records_nothing(
        inbox, sam_client, workspace, mailing_list):
    add_subscribers(mailing_list, ["nadia@example.org"])
    campaign = Campaign.objects.create(workspace=workspace, subject="Essai", body=BODY,
                                       mailing_list=mailing_list)
    response = sam_client.post(reverse("newsletters:campaign-test",
                                       args=[workspace.slug, campaign.code]),
                               {"email": "sam@example.org"})
    assert response.status_code == 302
    assert [rcpts for _s, rcpts in inbox.envelopes] == [["sam@example.org"]]
    message = inbox.messages[0]
    assert message["Subject"] == "[Essai] Essai"
    assert text_part(message) and html_part(message)
    assert not campaign.deliveries.exists()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_the_preview_shows_the_html_and_the_text(sam_client, workspace, mailing_list):
    campaign = Campaign.objects.create(workspace=workspace, subject="Aperçu", body=BODY,
                                       mailing_list=mailing_list)
    url = reverse("newsletters:campaign-preview", args=[workspace.slug, campaign.code])
    assert "<strong>budget 2027</strong>" in sam_client.get(url).content.decode()
    text = sam_client.get(url + "?format=texte")
    assert text["Content-Type"].startswith("text/plain") and "budget 2027" in text.content.decode()


def test_a_campaign_without_any_recipient_is_refused_with_a_french_error(sam_client, workspace):
    response = sam_client.post(reverse("newsletters:campaign-create", args=[workspace.slug]), {
        "subject": "Sans public", "body": "x", "layout": "banner"})
    assert response.status_code == 200
    assert "Choisissez une liste, un public ou des adresses." in response.content.decode()
    assert not Campaign.objects.exists()


def test_a_scheduled_campaign_waits_for_its_time_then_the_command_sends_it(
        inbox, sam_client, workspace, mailing_list, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    add_subscribers(mailing_list, ["nadia@example.org"])
    campaign = Campaign.objects.create(workspace=workspace, subject="Plus tard", body=BODY,
                                       mailing_list=mailing_list)
    later = timezone.localtime() + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        sam_client.post(reverse("newsletters:campaign-send", args=[workspace.slug, campaign.code]),
                        {"when": later.strftime("%Y-%m-%dT%H:%M")})
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SCHEDULED and campaign.scheduled_at
    call_command("send_newsletters")
    assert inbox.messages == []
    Campaign.objects.filter(pk=campaign.pk).update(
        scheduled_at=timezone.now() - timedelta(minutes=1))
    call_command("send_newsletters")
    assert [rcpts for _s, rcpts in inbox.envelopes] == [["nadia@example.org"]]
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT


def test_a_scheduled_campaign_can_be_cancelled_back_to_draft(
        sam_client, workspace, mailing_list):
    campaign = Campaign.objects.create(workspace=workspace, subject="Annulée", body=BODY,
                                       mailing_list=mailing_list,
                                       status=Campaign.Status.SCHEDULED)
    sam_client.post(reverse("newsletters:campaign-cancel", args=[workspace.slug, campaign.code]))
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_a_refused_recipient_is_marked_failed_and_the_others_are_sent(
        inbox, sam_client, workspace, mailing_list, django_capture_on_commit_callbacks):
    add_subscribers(mailing_list, ["nadia@example.org", "inconnu@example.org",
                                   "thomas@example.org"])
    inbox.refuse.add("inconnu@example.org")
    campaign = create_and_send(sam_client, workspace, django_capture_on_commit_callbacks,
                               mailing_list=mailing_list.pk)
    assert sorted(r for _s, rcpts in inbox.envelopes for r in rcpts) == [
        "nadia@example.org", "thomas@example.org"]
    failed = campaign.deliveries.get(status=Delivery.Status.FAILED)
    assert failed.email == "inconnu@example.org" and "550" in failed.error
    assert campaign.status == Campaign.Status.SENT


def test_an_observer_cannot_write_and_an_outsider_sees_nothing(
        bob_client, charlie_client, workspace, mailing_list):
    campaign = Campaign.objects.create(workspace=workspace, subject="Interne", body=BODY,
                                       mailing_list=mailing_list)
    assert bob_client.get(reverse("newsletters:campaign-detail",
                                  args=[workspace.slug, campaign.code])).status_code == 200
    assert bob_client.get(reverse("newsletters:campaign-create",
                                  args=[workspace.slug])).status_code == 403
    assert bob_client.post(reverse("newsletters:campaign-send",
                                   args=[workspace.slug, campaign.code])).status_code == 403
    assert charlie_client.get(reverse("newsletters:campaign-detail",
                                      args=[workspace.slug, campaign.code])).status_code == 404
    assert charlie_client.get(reverse("newsletters:list-detail",
                                      args=["autre-groupe", mailing_list.code])).status_code == 404


def test_the_progress_panel_refreshes_itself_alone_while_sending(
        sam_client, workspace, mailing_list):
    campaign = Campaign.objects.create(workspace=workspace, subject="En cours", body=BODY,
                                       mailing_list=mailing_list,
                                       status=Campaign.Status.SENDING)
    url = reverse("newsletters:campaign-detail", args=[workspace.slug, campaign.code])
    fragment = sam_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<section class="card" id="progress"')
    assert 'hx-trigger="every 2s"' in fragment and "<html" not in fragment
