"""Filing: draft → to review → validated → filed, with the filing date; a filed writing
no longer changes (but an amendment gets its outcome); the list filters by status."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hemicycle.writings import services
from hemicycle.writings.models import Writing


def url(name, obj=None, slug="ecolo-nord"):
    return reverse(f"writings:{name}", args=[slug, obj.code] if obj else [slug])


@pytest.fixture
def amendment(sam, report) -> Writing:
    return services.writing_create(
        workspace=report.workspace, by=sam, kind="amendment", title="Amendement AIL",
        report=report, original_text="87 458 €", proposed_text="95 000 €", body="Motifs.")


def test_a_validated_amendment_is_filed_with_its_date_and_by_whom(sam_client, sam, amendment):
    sam_client.post(url("writing-status", amendment), {"status": "final"})
    response = sam_client.post(url("writing-status", amendment), {"status": "filed"})
    assert response.status_code == 302
    amendment.refresh_from_db()
    assert amendment.status == "filed" and amendment.filed_by == sam
    assert amendment.filed_at is not None
    page = sam_client.get(url("writing-detail", amendment)).content.decode()
    assert amendment.filed_at.astimezone().strftime("%d/%m/%Y") in page
    assert list(amendment.versions.values_list("status", flat=True).order_by("number")) == [
        "draft", "final", "filed"]


def test_a_draft_cannot_be_filed(sam_client, amendment):
    response = sam_client.post(url("writing-status", amendment), {"status": "filed"},
                               follow=True)
    assert "Seul un écrit validé peut être déposé." in response.content.decode()
    amendment.refresh_from_db()
    assert amendment.status == "draft" and amendment.filed_at is None


def test_a_filed_writing_neither_changes_status_nor_text(sam_client, sam, amendment):
    services.writing_set_status(writing=amendment, by=sam, status="final")
    services.writing_set_status(writing=amendment, by=sam, status="filed")
    response = sam_client.post(url("writing-status", amendment), {"status": "draft"},
                               follow=True)
    assert "Un écrit déposé ne change plus de statut." in response.content.decode()
    edit = sam_client.get(url("writing-edit", amendment), follow=True)
    assert "Un écrit déposé ne se modifie plus" in edit.content.decode()
    sam_client.post(url("writing-edit", amendment), {
        "kind": "amendment", "title": "Changé", "report": amendment.report.pk,
        "proposed_text": "100 000 €"})
    amendment.refresh_from_db()
    assert amendment.status == "filed" and amendment.title == "Amendement AIL"
    with pytest.raises(ValidationError):
        services.writing_update(writing=amendment, by=sam, title="Changé")


def test_a_filed_amendment_gets_its_outcome(sam_client, sam, amendment):
    assert sam_client.post(url("writing-outcome", amendment),
                           {"outcome": "adopted"}).status_code == 302
    amendment.refresh_from_db()
    assert amendment.amendment_status == ""  # not filed yet: no outcome
    services.writing_set_status(writing=amendment, by=sam, status="final")
    services.writing_set_status(writing=amendment, by=sam, status="filed")
    sam_client.post(url("writing-outcome", amendment), {"outcome": "adopted"})
    amendment.refresh_from_db()
    assert amendment.amendment_status == "adopted"
    assert "Adopté" in sam_client.get(url("writing-detail", amendment)).content.decode()


def test_the_detail_page_offers_only_the_possible_next_statuses(sam_client, sam, amendment):
    page = sam_client.get(url("writing-detail", amendment)).content.decode()
    assert 'value="review"' in page and 'value="filed"' not in page
    services.writing_set_status(writing=amendment, by=sam, status="final")
    page = sam_client.get(url("writing-detail", amendment)).content.decode()
    assert 'value="filed"' in page


def test_the_list_filters_by_status(sam_client, sam, workspace, amendment):
    services.writing_create(workspace=workspace, by=sam, kind="speech", title="Brouillon AIL")
    services.writing_set_status(writing=amendment, by=sam, status="final")
    services.writing_set_status(writing=amendment, by=sam, status="filed")
    filed = sam_client.get(url("writing-index") + "?statut=filed").content.decode()
    assert "Amendement AIL" in filed and "Brouillon AIL" not in filed
    drafts = sam_client.get(url("writing-index") + "?statut=draft").content.decode()
    assert "Brouillon AIL" in drafts and "Amendement AIL" not in drafts
    assert '<option value="filed" selected>Déposé</option>' in filed


def test_the_export_shows_the_filing_date(sam_client, sam, amendment):
    from hemicycle.writings.tests.test_exports import docx_text

    services.writing_set_status(writing=amendment, by=sam, status="final")
    services.writing_set_status(writing=amendment, by=sam, status="filed")
    assert "Déposé le" in docx_text(sam_client.get(url("writing-docx", amendment)).content)


def test_an_observer_cannot_file(bob_client, sam, amendment):
    services.writing_set_status(writing=amendment, by=sam, status="final")
    assert bob_client.post(url("writing-status", amendment),
                           {"status": "filed"}).status_code == 403


def test_the_writing_page_shows_the_filing_deadline_of_its_sitting(sam_client, sam, amendment):
    body = amendment.report.sitting.body
    body.amendment_deadline_days = 2
    body.save()
    page = sam_client.get(url("writing-detail", amendment)).content.decode()
    assert "Date limite de dépôt" in page
    services.writing_set_status(writing=amendment, by=sam, status="final")
    services.writing_set_status(writing=amendment, by=sam, status="filed")
    page = sam_client.get(url("writing-detail", amendment)).content.decode()
    assert "déposé à temps" in page  # the sitting is a week away


def test_without_a_deadline_for_the_body_nothing_is_shown(sam_client, amendment):
    page = sam_client.get(url("writing-detail", amendment)).content.decode()
    assert "Date limite de dépôt" not in page
