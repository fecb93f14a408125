"""The council's demo data: bodies, sittings and reports of the Nord, idempotent; the
reports come from PDF bundles through the ingestion."""

import pypdfium2 as pdfium
import pytest

from hemicycle.core.demo import demo_build
from hemicycle.council.demo import REPORTS, sitting_bundle
from hemicycle.council.models import (
    Body,
    Document,
    InboxItem,
    IngestionBatch,
    Report,
    Sitting,
    Watchlist,
)
from hemicycle.council.search import report_search

pytestmark = pytest.mark.django_db


def test_the_demo_ingests_a_plenary_and_a_standing_committee_from_pdf_bundles():
    demo = demo_build(territory=False)
    workspace = demo.workspace
    assert Body.objects.filter(workspace=workspace).count() == 5
    assert Sitting.objects.filter(workspace=workspace).count() == 4
    bundles = Document.objects.filter(workspace=workspace, role=Document.Role.BUNDLE,
                                      kind="pdf")
    kinds = {document.sitting.body.kind for document in bundles}
    assert {Body.Kind.PLENARY, Body.Kind.STANDING_COMMITTEE} <= kinds
    assert IngestionBatch.objects.filter(workspace=workspace,
                                         status=IngestionBatch.Status.DONE).count() == 3
    reports = Report.objects.filter(workspace=workspace)
    assert reports.count() == len(REPORTS) == 16
    # Every report was split out of its sitting's bundle, with its pages, title and number.
    for report in reports.select_related("source_document", "sitting"):
        assert report.source_document.sitting == report.sitting
        assert report.page_start and report.page_end >= report.page_start
        assert report.text.startswith(f"RAPPORT N° {report.number}")
        assert report.summary
    first = reports.get(number="DAT/2026/81")
    assert first.title.startswith("Aide départementale aux villages et bourgs (ADVB)")
    assert first.decision == "adopted" and first.votes_for == 78
    assert first.direction == "Direction de l'Aménagement du territoire"
    # Every report's direction and examining commission were read from the bundle: in
    # full, or from the code of its number ("Direction : DAT"), the commission as a
    # heading or as "Examiné en commission … le …".
    for _, number, _, direction, _, commission, *_ in REPORTS:
        report = reports.get(number=number)
        assert (report.direction, report.commission.name) == (direction, commission)
    # Its entities come from the PDF: amounts, communes, beneficiaries of the table.
    assert "487458" in [amount["value"] for amount in first.entities["amounts"]]
    assert {"Fourmies", "Trélon"} <= {place["name"] for place in first.entities["places"]}
    assert any(b["name"].startswith("Commune de Fourmies")
               for b in first.entities["beneficiaries"])
    assert Watchlist.objects.filter(workspace=workspace).count() == 2
    assert InboxItem.objects.filter(workspace=workspace, report__number="DVD/2026/131").exists()
    assert demo.counts["council.reports"] == 16
    found = report_search(workspace, "véloroute")
    assert [hit.object.number for hit in found.hits if hit.kind == "report"] == [
        "DVD/2026/131"]
    assert {hit.kind for hit in found.hits} >= {"report", "document"}  # and its bundle

    again = demo_build(territory=False)
    assert again.counts["council.reports"] == 0
    assert Report.objects.filter(workspace=workspace).count() == 16
    assert Sitting.objects.filter(workspace=workspace).count() == 4
    assert IngestionBatch.objects.filter(workspace=workspace).count() == 3


def test_a_sitting_bundle_is_a_text_pdf_with_a_report_per_page_or_more():
    demo = demo_build(territory=False)
    sitting = Sitting.objects.get(workspace=demo.workspace,
                                  title="Commission permanente de décembre")
    rows = [row for row in REPORTS if row[0] == "cp-next"]
    pdf = pdfium.PdfDocument(sitting_bundle(sitting, rows))
    assert len(pdf) == 1 + len(rows)
    page = pdf[2].get_textpage().get_text_range()
    assert "RAPPORT N° DVD/2026/131" in page and "€" in page
