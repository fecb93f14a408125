"""The staff instructs applications: automatic checks, duplicates, decisions with a
reason, missing-document requests by e-mail, paper applications and CSV import."""

import pytest
from django.urls import reverse

from hemicycle.audit.models import AuditEvent
from hemicycle.juries.models import Application
from hemicycle.juries.services import applications as services
from hemicycle.juries.tests.conftest import APPLICATION, make_application

pytestmark = pytest.mark.django_db


def submit(campaign, **extra) -> Application:
    data = {**APPLICATION, "people_reached": 300, "total_budget": 14200,
            "amount_requested": 8500, **extra}
    commune = data.pop("commune_name")
    return services.application_submit(campaign=campaign, data=data, commune_name=commune)


def failed(application) -> set[str]:
    return {c["rule"] for c in application.checks if not c["ok"]}


def test_the_automatic_checks_catch_each_rule(campaign):
    assert failed(submit(campaign)) == set()
    outside = submit(campaign, structure_name="Club de Dunkerque", identifier="W595099999",
                     postal_code="59140", commune_name="Dunkerque", title="Autre")
    assert failed(outside) == {"territory"}
    small = submit(campaign, identifier="", structure_name="Sans numéro", amount_requested=300,
                   title="Petit")
    assert failed(small) == {"identifier", "min_amount"}


def test_a_second_request_of_a_structure_is_flagged_and_seen_as_a_duplicate(campaign):
    first = submit(campaign)
    second = submit(campaign, title="Jardin partagé !")
    assert "one_per_structure" in failed(second)
    assert second.duplicate_of == first
    other = submit(campaign, structure_name="Vélo Solidaire", identifier="W595012302",
                   contact_email="velo@example.org", title="Atelier vélo")
    assert other.duplicate_of is None


def test_a_staff_member_decides_with_a_reason(sam_client, workspace, campaign):
    application = make_application(campaign, 1, 5000, status="submitted")
    url = reverse("juries:application-detail", args=[workspace.slug, application.code])
    response = sam_client.post(url, {"action": "decide", "status": "ineligible", "reason": ""})
    assert "Indiquez le motif" in response.content.decode()
    sam_client.post(url, {"action": "decide", "status": "ineligible",
                          "reason": "Siège hors du canton."})
    application.refresh_from_db()
    assert application.status == "ineligible"
    assert application.decision_reason == "Siège hors du canton."
    assert AuditEvent.objects.filter(verb="juries.application_decide").exists()


def test_an_observer_cannot_decide(bob_client, workspace, campaign):
    application = make_application(campaign, 1, 5000, status="submitted")
    url = reverse("juries:application-detail", args=[workspace.slug, application.code])
    assert bob_client.get(url).status_code == 200
    assert bob_client.post(url, {"action": "decide", "status": "eligible"}).status_code == 403


def test_a_missing_document_request_mails_a_fresh_link(
        sam_client, workspace, campaign, inbox, django_capture_on_commit_callbacks):
    application = make_application(campaign, 1, 5000, status="submitted")
    url = reverse("juries:application-detail", args=[workspace.slug, application.code])
    with django_capture_on_commit_callbacks(execute=True):
        sam_client.post(url, {"action": "missing", "message": "Le budget prévisionnel signé."})
    application.refresh_from_db()
    assert application.status == "missing"
    body = inbox.messages[0].get_body(preferencelist=("plain",)).get_content()
    assert "Le budget prévisionnel signé." in body
    [link] = inbox.links()
    assert services.application_from_token(link.rstrip("/").rsplit("/", 1)[1]) == application


def test_a_paper_application_is_typed_in_by_the_staff(sam_client, workspace, campaign):
    url = reverse("juries:application-create", args=[workspace.slug, campaign.code])
    response = sam_client.post(url, APPLICATION)
    application = Application.objects.get()
    assert response.status_code == 302
    assert application.source == "paper" and application.token_hash == ""


CSV_OK = (
    "structure_name;identifier;address;postal_code;commune;contact_name;contact_email;title;"
    "description;total_budget;amount_requested\n"
    "Repair Café Lille-Sud;W595012303;3 rue de Wazemmes;59000;Lille;Paul Caron;"
    "paul@example.org;Repair café;Réparer ensemble;5100;3 400 €\n"
    "Toit Partagé;W595012311;8 rue Solférino;59000;Lille;Léa Sow;lea@example.org;"
    "Accueil de jour;Un lieu;62000;14500\n"
)


def test_paper_applications_are_imported_from_csv(sam_client, workspace, campaign):
    url = reverse("juries:application-import", args=[workspace.slug, campaign.code])
    from django.core.files.uploadedfile import SimpleUploadedFile

    sam_client.post(url, {"file": SimpleUploadedFile("dossiers.csv", CSV_OK.encode())})
    assert list(Application.objects.values_list("structure_name", "amount_requested")) == [
        ("Repair Café Lille-Sud", 3400), ("Toit Partagé", 14500)]


def test_a_bad_line_imports_nothing(sam_client, workspace, campaign):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = CSV_OK + "Sans contact;;;59000;Lille;X;pas-un-mail;T;D;100;50\n"
    url = reverse("juries:application-import", args=[workspace.slug, campaign.code])
    response = sam_client.post(url, {"file": SimpleUploadedFile("d.csv", bad.encode())})
    assert "ligne 4" in response.content.decode()
    assert not Application.objects.exists()


def test_attachments_are_served_only_through_the_workspace(
        sam_client, charlie_client, workspace, other_workspace, campaign):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = services.application_submit(
        campaign=campaign, commune_name="Lille",
        data={**APPLICATION, "total_budget": 14200, "amount_requested": 8500,
              "people_reached": None},
        files=[SimpleUploadedFile("rib.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32)])
    piece = application.attachments.get()
    url = reverse("juries:application-attachment", args=[workspace.slug, application.code])
    response = sam_client.get(url, {"piece": piece.pk})
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert charlie_client.get(url, {"piece": piece.pk}).status_code == 404
    other = reverse("juries:application-attachment", args=[other_workspace.slug,
                                                           application.code])
    assert charlie_client.get(other, {"piece": piece.pk}).status_code == 404


def test_only_the_accepted_legal_forms_pass(campaign, client):
    campaign.legal_forms = "Association loi 1901, Fondation"
    campaign.save()
    assert failed(submit(campaign)) == set()
    other = submit(campaign, legal_form="SARL", structure_name="Société X",
                   identifier="732829320", title="Autre")
    assert failed(other) == {"legal_form"}
    page = client.get(reverse("juries:campaign-apply", args=[campaign.public_slug]))
    assert '<option value="Fondation">' in page.content.decode()
