"""Bounce reports applied from an uploaded .eml; press releases with their PDF sent to the
press list over SMTP; press conferences; publishing to the website."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hemicycle.core import sharing
from hemicycle.newsletters.models import Campaign, PressConference, PressRelease, Subscriber
from hemicycle.newsletters.sending import campaign_counts
from hemicycle.newsletters.tests.conftest import add_subscribers, html_part, text_part
from hemicycle.newsletters.tests.test_campaign_send import create_and_send

pytestmark = pytest.mark.django_db


def dsn_for(message) -> bytes:
    recipient = message["To"].addresses[0].addr_spec
    return f"""From: MAILER-DAEMON@mx.example.net
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

Delivery failed.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; {recipient}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--B
Content-Type: text/rfc822-headers

To: {recipient}
Message-ID: {message["Message-ID"].strip()}

--B--
""".encode()


def test_an_uploaded_bounce_marks_the_address_and_the_next_campaign_skips_it(
        inbox, sam_client, workspace, mailing_list, django_capture_on_commit_callbacks):
    add_subscribers(mailing_list, ["nadia@example.org", "parti@example.org"])
    campaign = create_and_send(sam_client, workspace, django_capture_on_commit_callbacks,
                               mailing_list=mailing_list.pk)
    report = dsn_for(inbox.to("parti@example.org"))
    response = sam_client.post(reverse("newsletters:addresses", args=[workspace.slug]), {
        "action": "bounce",
        "bounce-file": SimpleUploadedFile("retour.eml", report, "message/rfc822")})
    assert response.status_code == 302
    assert Subscriber.objects.get(email="parti@example.org").status == "bounced"
    counts = campaign_counts(campaign)
    assert (counts["delivered"], counts["bounced"]) == (1, 1)
    inbox.envelopes.clear()
    create_and_send(sam_client, workspace, django_capture_on_commit_callbacks,
                    mailing_list=mailing_list.pk, subject="Suivante")
    assert [rcpts for _s, rcpts in inbox.envelopes] == [["nadia@example.org"]]


def test_the_fetch_bounces_command_reads_eml_files(
        inbox, tmp_path, sam_client, workspace, mailing_list, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    add_subscribers(mailing_list, ["parti@example.org"])
    create_and_send(sam_client, workspace, django_capture_on_commit_callbacks,
                    mailing_list=mailing_list.pk)
    path = tmp_path / "bounce.eml"
    path.write_bytes(dsn_for(inbox.messages[0]))
    call_command("fetch_bounces", str(path))
    assert Subscriber.objects.get(email="parti@example.org").status == "bounced"


RELEASE = {"title": "Pour des jurys citoyens dans chaque canton",
           "body": "Les élu·e·s demandent des **jurys citoyens**.\n\n- transparence\n- équité",
           "embargo_until": "", "contact": "Yanis, 03 20 00 00 00"}


def test_a_press_release_goes_to_the_press_list_and_extra_addresses_with_its_pdf(
        inbox, sam_client, workspace, audience_source, django_capture_on_commit_callbacks):
    response = sam_client.post(reverse("newsletters:release-create", args=[workspace.slug]),
                               RELEASE)
    assert response.status_code == 302
    release = PressRelease.objects.get()
    pdf = sam_client.get(reverse("newsletters:release-pdf", args=[workspace.slug, release.code]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    response = sam_client.post(reverse("newsletters:release-mailing",
                                       args=[workspace.slug, release.code]))
    campaign = Campaign.objects.get(press_release=release)
    assert response.url == reverse("newsletters:campaign-detail",
                                   args=[workspace.slug, campaign.code])
    assert campaign.kind == Campaign.Kind.PRESS and campaign.audience == "test.people|press"
    edit = {"subject": campaign.subject, "preheader": "", "body": campaign.body,
            "layout": "sober", "mailing_list": "", "audience": campaign.audience,
            "extra_addresses": "Pigiste@Example.net\n"}
    assert sam_client.post(reverse("newsletters:campaign-edit",
                                   args=[workspace.slug, campaign.code]), edit).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        sam_client.post(reverse("newsletters:campaign-send", args=[workspace.slug, campaign.code]))
    assert sorted(r for _s, rcpts in inbox.envelopes for r in rcpts) == [
        "julie.roussel@france3.example", "pigiste@example.net", "redaction@lavoixdunord.example"]
    for message in inbox.messages:
        assert message.get_content_type() == "multipart/mixed"
        assert "jurys citoyens" in text_part(message) and "Yanis" in html_part(message)
        (attachment,) = list(message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_filename().startswith("communique-pour-des-jurys")
        assert attachment.get_content().startswith(b"%PDF")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_an_embargoed_release_says_so_and_cannot_be_published_before(
        sam_client, workspace, monkeypatch):
    monkeypatch.setattr(sharing, "_HANDLER", [lambda request: "/brouillon/"])
    response = sam_client.post(reverse("newsletters:release-create", args=[workspace.slug]),
                               {**RELEASE, "embargo_until": "2099-01-01T10:00"})
    release = PressRelease.objects.get()
    sam_client.post(reverse("newsletters:release-mailing", args=[workspace.slug, release.code]))
    assert Campaign.objects.get().subject.startswith("[SOUS EMBARGO jusqu")
    response = sam_client.post(reverse("newsletters:release-publish",
                                       args=[workspace.slug, release.code]), follow=True)
    assert "sous embargo" in response.content.decode()
    release.refresh_from_db()
    assert release.published_url == ""


def test_publish_on_the_website_makes_a_draft_through_the_sharing_hook(
        sam_client, workspace, monkeypatch):
    shared = []

    def handler(request):
        shared.append(request)
        return "/w/ecolo-nord/brouillon-test/"

    monkeypatch.setattr(sharing, "_HANDLER", [handler])
    release = PressRelease.objects.create(workspace=workspace, title="Titre", body="**Corps**")
    response = sam_client.post(reverse("newsletters:release-publish",
                                       args=[workspace.slug, release.code]))
    assert response.status_code == 302 and response.url == "/w/ecolo-nord/brouillon-test/"
    (request,) = shared
    assert request.title == "Titre" and "<strong>Corps</strong>" in request.html
    assert request.source == f"newsletters.pressrelease:{release.code}"


def test_a_press_conference_invites_the_press_list_and_records_who_came(
        inbox, sam_client, workspace, audience_source, django_capture_on_commit_callbacks):
    response = sam_client.post(reverse("newsletters:conference-create", args=[workspace.slug]), {
        "title": "Bilan du jury citoyen", "starts_at": "2026-12-04T10:30",
        "place": "Hôtel du Département, Lille", "description": "", "press_release": "",
        "attendees": ""})
    assert response.status_code == 302
    conference = PressConference.objects.get()
    response = sam_client.post(reverse("newsletters:conference-invite",
                                       args=[workspace.slug, conference.code]))
    conference.refresh_from_db()
    invitation = conference.invitation
    assert invitation.kind == Campaign.Kind.INVITATION and "Hôtel du Département" in invitation.body
    with django_capture_on_commit_callbacks(execute=True):
        sam_client.post(reverse("newsletters:campaign-send",
                                args=[workspace.slug, invitation.code]))
    assert len(inbox.messages) == 2
    assert "Bilan du jury citoyen" in inbox.messages[0]["Subject"]
    edit_url = reverse("newsletters:conference-edit", args=[workspace.slug, conference.code])
    sam_client.post(edit_url, {
        "title": conference.title, "starts_at": "2026-12-04T10:30", "place": conference.place,
        "description": "", "press_release": "",
        "attendees": "Julie Roussel — France 3\nMarc Petit — La Voix du Nord"})
    page = sam_client.get(reverse("newsletters:conference-detail",
                                  args=[workspace.slug, conference.code]))
    body = page.content.decode()
    assert "Julie Roussel — France 3" in body and "Rédaction La Voix du Nord" in body


def test_a_press_release_drafted_among_the_writings_opens_prefilled_for_the_press(
        sam_client, workspace, other_workspace):
    from hemicycle.writings.models import Writing

    writing = Writing.objects.create(
        workspace=workspace, kind=Writing.Kind.PRESS_RELEASE, title="Non à la fermeture du collège",
        body="Le groupe demande le maintien du collège de Fives.")
    detail = sam_client.get(reverse("writings:writing-detail", args=[workspace.slug, writing.code]))
    assert 'data-testid="to-press"' in detail.content.decode()
    url = reverse("newsletters:release-create", args=[workspace.slug])
    page = sam_client.get(url, {"ecrit": str(writing.code)}).content.decode()
    assert "Non à la fermeture du collège" in page and "collège de Fives" in page
    # Another workspace's writing, or a code that is not one, prefills nothing.
    elsewhere = Writing.objects.create(
        workspace=other_workspace, kind=Writing.Kind.PRESS_RELEASE, title="Secret d'ailleurs")
    assert "Secret d'ailleurs" not in sam_client.get(
        url, {"ecrit": str(elsewhere.code)}).content.decode()
    assert sam_client.get(url, {"ecrit": "pas-un-code"}).status_code == 200
