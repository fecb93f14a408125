"""The exported DOCX opens in LibreOffice: converted to PDF headless, it has pages and the
writing's text. Runs where LibreOffice is installed (scripts/test-prerequisites installs
``libreoffice-writer-nogui`` as root); elsewhere it is skipped and says why."""

import shutil
import subprocess

import pypdfium2
import pytest
from django.urls import reverse

from hemicycle.writings import services

from .test_exports import pdf_text

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                       "apt-get install libreoffice-writer-nogui, or run "
                       "scripts/test-prerequisites as root"),
]


def to_pdf(docx: bytes, directory) -> bytes:
    """``soffice --headless --convert-to pdf``, with a profile of its own (two runs at once
    would otherwise share, and lock, the user's)."""
    source = directory / "writing.docx"
    source.write_bytes(docx)
    profile = (directory / "profile").as_uri()
    completed = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(directory), str(source)],
        capture_output=True, text=True, timeout=180, check=False)
    target = directory / "writing.pdf"
    assert completed.returncode == 0 and target.exists(), completed.stderr or completed.stdout
    return target.read_bytes()


def docx_of(client, writing) -> bytes:
    response = client.get(reverse("writings:writing-docx",
                                  args=[writing.workspace.slug, writing.code]))
    assert response.status_code == 200
    return response.content


def test_libreoffice_converts_an_exported_amendment_to_a_pdf_with_its_text(
        sam_client, sam, report, tmp_path):
    writing = services.writing_create(
        workspace=report.workspace, by=sam, kind="amendment", title="Amendement n° 1 — AIL",
        report=report, original_text="une enveloppe de 87 458 €",
        proposed_text="une enveloppe de 95 000 €",
        body="Exposé des motifs : la **hausse** des coûts de l'énergie.")
    pdf = to_pdf(docx_of(sam_client, writing), tmp_path)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Amendement n° 1 — AIL" in text
    assert "95 000 €" in text and "87 458" in text  # the proposed text and the diff
    assert "Groupe écologiste du Nord" in text  # the letterhead


def test_libreoffice_converts_an_exported_speech(sam_client, sam, report, member, tmp_path):
    writing = services.writing_create(
        workspace=report.workspace, by=sam, kind="speech", title="Intervention sur les AIL",
        report=report, speaker=member, body="Madame la Présidente, chers collègues.\n\n"
        + "Les villages et bourgs du Nord attendent ces crédits. " * 80)
    pdf = to_pdf(docx_of(sam_client, writing), tmp_path)
    document = pypdfium2.PdfDocument(pdf)
    try:
        assert len(document) >= 1
    finally:
        document.close()
    text = pdf_text(pdf)
    assert "Intervention sur les AIL" in text and "Madame la Présidente" in text
