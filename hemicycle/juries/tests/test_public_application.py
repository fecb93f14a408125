"""An association applies without an account, gets its private link by e-mail (real
SMTP on loopback), edits until the deadline, and only reads after."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hemicycle.juries.models import Application, Attempt
from hemicycle.juries.services import applications as services
from hemicycle.juries.tests.conftest import APPLICATION

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def apply(client: Client, campaign, **extra):
    data = {**APPLICATION, **extra}
    return client.post(reverse("juries:campaign-apply", args=[campaign.public_slug]), data)


def test_an_association_applies_and_gets_a_private_link_by_email(
        client, campaign, inbox, django_capture_on_commit_callbacks):
    statutes = SimpleUploadedFile("statuts.pdf", PDF, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = apply(client, campaign, attachments=[statutes])
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.commune.name == "Lille" and application.canton.code == "59025"
    assert application.attachments.get().content_type == "application/pdf"
    assert all(check["ok"] for check in application.checks), application.checks
    [link] = inbox.links()
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert application.token_hash and token not in application.token_hash
    page = Client().get(link)
    assert page.status_code == 200 and "Jardin partagé" in page.content.decode()
    response = Client().post(link, {**APPLICATION, "title": "Jardin partagé et compost"})
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.title == "Jardin partagé et compost"


def test_after_the_deadline_the_private_link_only_reads(client, campaign):
    application = services.application_submit(campaign=campaign, data={
        **APPLICATION, "people_reached": 300, "total_budget": 14200, "amount_requested": 8500},
        commune_name="Lille")
    token = services.application_link_send(application=application)
    campaign.opens_on -= datetime.timedelta(days=90)
    campaign.closes_on = campaign.opens_on + datetime.timedelta(days=10)
    campaign.save()
    url = reverse("juries:application-private", args=[token])
    body = client.get(url).content.decode()
    assert "plus modifiable" in body and "<form method=\"post\" enctype" not in body
    client.post(url, {**APPLICATION, "title": "Autre chose"})
    application.refresh_from_db()
    assert application.title == "Jardin partagé"


def test_a_wrong_token_is_a_404(client):
    assert client.get(reverse("juries:application-private", args=["nope"])).status_code == 404


def test_invalid_identifier_and_amounts_are_refused_in_french(client, campaign):
    response = apply(client, campaign, identifier="W59", amount_requested="20000",
                     total_budget="10000", postal_code="59")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Numéro invalide" in body and "ne peut dépasser le budget total" in body
    assert "code postal à 5 chiffres" in body
    assert not Application.objects.exists()


def test_a_disguised_executable_is_refused(client, campaign):
    fake = SimpleUploadedFile("devis.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    body = apply(client, campaign, attachments=[fake]).content.decode()
    assert "ni un PDF ni une image" in body
    assert not Application.objects.exists()


def test_the_honeypot_swallows_robots(client, campaign):
    response = apply(client, campaign, website="http://spam.example")
    assert response.status_code == 302
    assert not Application.objects.exists()


def test_submissions_are_rate_limited_per_ip(client, campaign, settings):
    for _n in range(services.SUBMISSIONS_PER_HOUR):
        Attempt.objects.create(ip="127.0.0.1")
    response = apply(client, campaign)
    assert response.status_code == 429
    assert not Application.objects.exists()


def test_submitted_html_is_escaped_everywhere_it_is_shown(client, campaign, sam_client, workspace):
    apply(client, campaign, title="<script>alert(1)</script>")
    application = Application.objects.get()
    for page in (
        sam_client.get(reverse("juries:application-detail", args=[workspace.slug,
                                                                  application.code])),
        sam_client.get(reverse("juries:campaign-detail", args=[workspace.slug, campaign.code])),
    ):
        body = page.content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_the_form_is_closed_outside_the_dates(client, workspace):
    from hemicycle.juries.tests.conftest import make_campaign

    closed = make_campaign(workspace, slug="ferme", open_=False)
    response = apply(client, closed)
    assert response.status_code == 200 and "Les candidatures sont ouvertes du" in \
        response.content.decode()
    assert not Application.objects.exists()


def test_the_public_form_needs_the_csrf_token(campaign):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("juries:campaign-apply", args=[campaign.public_slug]),
                           APPLICATION)
    assert response.status_code == 403
