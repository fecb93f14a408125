"""Ingestion: files uploaded (many at once, or a ZIP) or given to `hemicycle ingest`,
processed by a background task (inline in tests), per-file errors, content addressing,
resuming an interrupted batch."""

import io
import json
import zipfile

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from hemicycle.council import text
from hemicycle.council.models import Document, IngestionBatch, IngestionItem, Report
from hemicycle.council.search import report_search
from hemicycle.council.services.ingestion import ingestion_batch_create, ingestion_batch_run

from .conftest import DATA

pytestmark = pytest.mark.django_db

REPORT_TXT = ("RAPPORT N° DVD/2026/131\nDIRECTION DE LA VOIRIE DÉPARTEMENTALE\n"
              "OBJET : Véloroute de la Deûle entre Haubourdin et Lille\n\n"
              "La véloroute sera financée à hauteur de 2 150 000 € par le Département, avec "
              "la Métropole européenne de Lille. Les travaux débuteront le 3 mars 2027 à "
              "Haubourdin.\n\nIl est proposé au Conseil départemental d'approuver la "
              "convention.\n").encode()
OTHER_TXT = ("RAPPORT N° DEF/2026/71\nOBJET : Accueil des mineurs non accompagnés\n\n"
             "Une subvention de 4 780 000 € est attribuée à l'association La Sauvegarde du "
             "Nord pour l'accueil à Villeneuve-d'Ascq.\n").encode()


def encrypted_pdf() -> bytes:
    with pikepdf.open(DATA / "couthenans_CR_reunion_20220121.pdf") as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    return out.getvalue()


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Post files to the upload page; the task enqueued on commit runs (inline)."""
    def post(client, workspace, files, **data):
        url = reverse("council:ingest", args=[workspace.slug])
        uploads = [SimpleUploadedFile(name, content) for name, content in files]
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, {"files": uploads, **data})
    return post


def test_a_staff_member_uploads_two_files_and_gets_two_searchable_reports(upload,
        sam_client, workspace, sitting):
    response = upload(sam_client, workspace, [("velo.txt", REPORT_TXT),
                                              ("mna.txt", OTHER_TXT)],
                      sitting=sitting.pk)
    batch = IngestionBatch.objects.get(workspace=workspace)
    assert response.status_code == 302
    assert response["Location"] == reverse("council:batch-detail",
                                           args=[workspace.slug, batch.code])
    assert batch.status == IngestionBatch.Status.DONE
    assert (batch.files_done, batch.files_total, batch.reports_created, batch.errors) == (
        2, 2, 2, 0)
    report = Report.objects.get(workspace=workspace, number="DVD/2026/131")
    assert report.sitting == sitting
    assert report.title.startswith("Véloroute de la Deûle")
    assert report.summary
    assert "2150000" in [a["value"] for a in report.entities["amounts"]]
    assert {p["name"] for p in report.entities["places"]} >= {"Haubourdin", "Lille"}
    assert [h.object.number for h in report_search(workspace, "veloroute").hits
            if h.kind == "report"] == ["DVD/2026/131"]
    page = sam_client.get(response["Location"])
    assert "Import terminé" in page.content.decode()
    fragment = sam_client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert fragment.content.decode().lstrip().startswith('<div id="progress"')


def test_the_same_bytes_again_change_nothing(upload, sam_client, workspace):
    upload(sam_client, workspace, [("velo.txt", REPORT_TXT)])
    upload(sam_client, workspace, [("copie-du-meme.txt", REPORT_TXT)])
    assert Document.objects.filter(workspace=workspace).count() == 1
    assert Report.objects.filter(workspace=workspace).count() == 1
    second = IngestionBatch.objects.filter(workspace=workspace).order_by("created_at").last()
    assert second.items.get().status == IngestionItem.Status.DUPLICATE
    document = Document.objects.get(workspace=workspace)
    assert document.file.name.endswith(f"{document.sha256}.txt")


def test_bad_files_get_clear_errors_and_the_others_go_on(upload, sam_client, workspace):
    corrupted = (DATA / "couthenans_CR_reunion_20220121.pdf").read_bytes()
    corrupted = corrupted[:20] + bytes(len(corrupted) - 20)
    upload(sam_client, workspace, [
        ("vide.pdf", b""), ("chiffre.pdf", encrypted_pdf()), ("abime.pdf", corrupted),
        ("rapport.docx", REPORT_TXT), ("bon.txt", OTHER_TXT)])
    batch = IngestionBatch.objects.get(workspace=workspace)
    errors = {item.filename: (item.error_code, item.error)
              for item in batch.items.filter(status=IngestionItem.Status.ERROR)}
    assert errors == {
        "vide.pdf": ("empty", "fichier vide"),
        "chiffre.pdf": ("encrypted", "PDF chiffré : impossible d'en lire le texte"),
        "abime.pdf": ("corrupted", "PDF endommagé : impossible de l'ouvrir"),
        "rapport.docx": ("mislabelled", errors["rapport.docx"][1]),
    }
    assert "n'est pas un document Word" in errors["rapport.docx"][1]
    assert batch.errors == 4 and batch.files_done == 5
    assert Report.objects.filter(workspace=workspace, number="DEF/2026/71").exists()
    assert Document.objects.filter(workspace=workspace).count() == 1  # nothing half-written
    page = sam_client.get(reverse("council:batch-detail", args=[workspace.slug, batch.code]))
    assert "PDF chiffré : impossible d&#x27;en lire le texte" in page.content.decode()


def test_a_zip_is_opened_and_its_files_imported(upload, sam_client, workspace):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("seance/velo.txt", REPORT_TXT)
        zipped.writestr("seance/mna.txt", OTHER_TXT)
        zipped.writestr("__MACOSX/._velo.txt", b"junk")
    upload(sam_client, workspace, [("seance.zip", archive.getvalue())])
    batch = IngestionBatch.objects.get(workspace=workspace)
    assert sorted(batch.items.values_list("filename", flat=True)) == ["mna.txt", "velo.txt"]
    assert batch.reports_created == 2


def test_a_scan_without_ocr_is_flagged(upload, sam_client, workspace, monkeypatch):
    import pypdfium2 as pdfium

    monkeypatch.setattr(text, "ocr_available", lambda: False)
    page = pdfium.PdfDocument((DATA / "departement_nord_bundle.pdf").read_bytes())[0]
    image = page.render(scale=1).to_pil().convert("L")
    scan = io.BytesIO()
    image.save(scan, format="PDF", resolution=72)
    upload(sam_client, workspace, [("scan.pdf", scan.getvalue())])
    document = Document.objects.get(workspace=workspace)
    assert document.status == Document.Status.NO_TEXT
    item = IngestionItem.objects.get(workspace=workspace)
    assert any("Scan : pas de texte" in warning for warning in item.warnings)


def test_a_bundle_is_split_into_its_reports(upload, sam_client, workspace, sitting):
    truth = json.loads((DATA / "departement_nord_bundle.json").read_text())
    upload(sam_client, workspace, [("recueil.pdf",
                                    (DATA / "departement_nord_bundle.pdf").read_bytes())],
           sitting=sitting.pk)
    document = Document.objects.get(workspace=workspace)
    assert document.role == Document.Role.BUNDLE
    reports = list(sitting.reports.order_by("rank"))
    assert [r.number for r in reports] == [r["number"] for r in truth["reports"]]
    assert [r.page_start for r in reports] == [r["page"] for r in truth["reports"]]
    assert all(r.source_document == document for r in reports)


def test_an_interrupted_batch_is_resumed_where_it_stopped(workspace, sitting, monkeypatch):
    from hemicycle.council.services import ingestion

    batch = ingestion_batch_create(workspace=workspace, sitting=sitting,
                                   files=[("velo.txt", REPORT_TXT), ("mna.txt", OTHER_TXT)])
    real = ingestion.ingestion_item_process
    calls = []

    def crash_on_second(item):
        calls.append(item.filename)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the worker is stopped mid-batch
        real(item)

    monkeypatch.setattr(ingestion, "ingestion_item_process", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        ingestion_batch_run(batch)
    batch.refresh_from_db()
    assert batch.status == IngestionBatch.Status.RUNNING and batch.files_done == 1
    monkeypatch.setattr(ingestion, "ingestion_item_process", real)
    ingestion_batch_run(batch)
    batch.refresh_from_db()
    assert batch.status == IngestionBatch.Status.DONE and batch.files_done == 2
    assert Report.objects.filter(workspace=workspace).count() == 2


def test_the_resume_button_restarts_pending_files(sam_client, workspace,
                                                 django_capture_on_commit_callbacks):
    batch = ingestion_batch_create(workspace=workspace, files=[("velo.txt", REPORT_TXT)])
    with django_capture_on_commit_callbacks(execute=True):
        response = sam_client.post(reverse("council:batch-resume",
                                           args=[workspace.slug, batch.code]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == IngestionBatch.Status.DONE and batch.reports_created == 1


def test_the_ingest_command_shows_progress_and_fails_on_a_bad_file(workspace, sitting,
                                                                   tmp_path, capsys):
    (tmp_path / "velo.txt").write_bytes(REPORT_TXT)
    (tmp_path / "vide.pdf").write_bytes(b"")
    with pytest.raises(SystemExit) as exit_:
        call_command("ingest", str(tmp_path), "--workspace", workspace.slug,
                     "--sitting", str(sitting.code))
    assert exit_.value.code == 1
    captured = capsys.readouterr()
    assert "[###############---------------] 1/2 fichiers" in captured.out
    assert "1 rapport(s) créé(s), 1 erreur(s)" in captured.out
    assert "ERREUR vide.pdf : fichier vide" in captured.err
    assert sitting.reports.count() == 1


def test_the_ingest_command_succeeds_on_good_files(workspace, tmp_path, capsys):
    (tmp_path / "velo.txt").write_bytes(REPORT_TXT)
    call_command("ingest", str(tmp_path / "velo.txt"), "--workspace", workspace.slug)
    assert "1/1 fichier(s)" in capsys.readouterr().out


def test_an_observer_cannot_upload_and_an_outsider_gets_404(upload, bob_client, charlie_client,
                                                            workspace):
    assert upload(bob_client, workspace, [("velo.txt", REPORT_TXT)]).status_code == 403
    assert upload(charlie_client, workspace, [("velo.txt", REPORT_TXT)]).status_code == 404
    assert not IngestionBatch.objects.exists()


def test_documents_download_only_inside_their_workspace(upload, sam_client, charlie_client,
                                                        bob_client, workspace):
    upload(sam_client, workspace, [("velo.txt", REPORT_TXT)])
    document = Document.objects.get(workspace=workspace)
    url = reverse("council:document-download", args=[workspace.slug, document.code])
    response = bob_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == REPORT_TXT
    assert 'filename="velo.txt"' in response["Content-Disposition"]
    assert charlie_client.get(url).status_code == 404
    own = reverse("council:document-download", args=["autre-groupe", document.code])
    assert charlie_client.get(own).status_code == 404
