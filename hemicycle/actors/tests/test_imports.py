import io
import os
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from hemicycle.actors import services
from hemicycle.actors.models import Actor, DuplicateCandidate, ImportBatch
from hemicycle.actors.tests.conftest import url
from hemicycle.actors.tests.rna_files import HEADER, row, write_rna

pytestmark = pytest.mark.django_db

LILLE = ("59350", "59000", "LILLE")
MONS = ("59410", "59370", "MONS EN BAROEUL")


def rna_file(tmp_path, rows, name="rna_waldec_20250101_dpt_59.csv", encoding="cp1252"):
    path = tmp_path / name
    write_rna(path, rows, encoding=encoding)
    return path


def sample_rows():
    rng = random.Random(7)
    return [
        row(1, rng, name="AMICALE DU VELO DE FIVES", place=LILLE),
        row(2, rng, name="THEATRE DES QUARTIERS", place=MONS),
        row(3, rng, name="CLUB DISSOUS", place=LILLE, dissolved=True),
        row(4, rng, name="ASSOCIATION AMICALE DU VELO FIVES", place=LILLE),  # near-duplicate
    ]


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_actors", *args, stdout=out)
    return out.getvalue()


def test_the_command_imports_an_rna_file_and_geocodes_it(tmp_path, workspace):
    out = run(str(rna_file(tmp_path, sample_rows())), "--workspace", workspace.slug,
              "--format", "rna")
    assert "créés : 3" in out and "ignorés : 1" in out and "doublons possibles : 1" in out
    velo = Actor.objects.get(rna_id="W590000001")
    assert velo.commune.insee_code == "59350" and velo.kind == "association"
    assert velo.cantons.count() > 1  # Lille is split between cantons: all are kept
    mons = Actor.objects.get(rna_id="W590000002")
    assert [c.code for c in mons.cantons.all()] == ["59025"]
    assert DuplicateCandidate.objects.get().second.rna_id == "W590000004"


def test_a_re_import_updates_instead_of_duplicating(tmp_path, workspace):
    rows = sample_rows()
    run(str(rna_file(tmp_path, rows)), "--workspace", workspace.slug)
    rows[1][HEADER.index("titre")] = "THEATRE DES QUARTIERS DE MONS"
    rows[2][HEADER.index("position")] = "A"  # still dissolved by its date: stays out
    out = run(str(rna_file(tmp_path, rows, "again.csv")), "--workspace", workspace.slug)
    assert "créés : 0" in out and "mis à jour : 1" in out and "inchangés : 2" in out
    assert Actor.objects.count() == 3
    assert Actor.objects.get(rna_id="W590000002").name == "Theatre des Quartiers de Mons"


def test_a_dry_run_writes_nothing(tmp_path, workspace):
    out = run(str(rna_file(tmp_path, sample_rows())), "--workspace", workspace.slug, "--dry-run")
    assert out.startswith("Simulation") and "créés : 3" in out
    assert not Actor.objects.exists() and not DuplicateCandidate.objects.exists()


def test_dissolved_associations_can_be_kept_and_marked(tmp_path, workspace):
    run(str(rna_file(tmp_path, sample_rows())), "--workspace", workspace.slug,
        "--keep-dissolved")
    assert Actor.objects.get(rna_id="W590000003").dissolved_on.year == 2023


def test_an_unreadable_file_fails_the_command(tmp_path, workspace):
    missing = tmp_path / "absent.csv"
    with pytest.raises(CommandError):
        run(str(missing), "--workspace", workspace.slug)
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(CommandError):
        run(str(binary), "--workspace", workspace.slug)


def test_the_dashed_command_name_works_too(tmp_path, workspace):
    out = io.StringIO()
    call_command("import-actors", str(rna_file(tmp_path, sample_rows()[:1])),
                 "--workspace", workspace.slug, stdout=out)
    assert "créés : 1" in out.getvalue()


def test_undo_deletes_created_actors_and_restores_updated_ones(tmp_path, workspace):
    rows = sample_rows()
    first, _report = services.actors_import_file(
        workspace=workspace, path=str(rna_file(tmp_path, rows)), fmt="rna")
    rows[1][HEADER.index("titre")] = "THEATRE RENOMME"
    rows.append(row(5, random.Random(1), name="NOUVELLE ASSO", place=MONS))
    second, _report = services.actors_import_file(
        workspace=workspace, path=str(rna_file(tmp_path, rows, "b.csv")), fmt="rna")
    assert Actor.objects.count() == 4
    services.import_batch_undo(batch=second)
    assert Actor.objects.count() == 3
    assert Actor.objects.get(rna_id="W590000002").name == "Theatre des Quartiers"
    assert ImportBatch.objects.get(pk=second.pk).status == ImportBatch.Status.UNDONE


SPREADSHEET = ("Structure;Courriel;CP;Ville;Téléphone;SIREN\n"
               "Recyclerie du Nord;contact@recyclerie.example.org;59000;Lille;0320;732829320\n"
               "Sans e-mail valide;pas-un-email;59370;Mons-en-Barœul;;\n"
               "Épicerie solidaire;epicerie@example.org;59500;Douai;;123\n")


def test_a_spreadsheet_goes_through_mapping_preview_and_import(
        alice_client, workspace, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("annuaire.csv", SPREADSHEET.encode("cp1252"))
    response = alice_client.post(url("import-list", workspace), {"format": "csv",
                                                                 "file": upload})
    batch = ImportBatch.objects.get()
    assert response["Location"].endswith(f"{batch.code}/")
    page = alice_client.get(url("import-detail", workspace, batch.code)).content.decode()
    assert "Colonnes de annuaire.csv" in page and "Recyclerie du Nord" in page  # guessed
    mapping = {"col0": "name", "col1": "email", "col2": "postal_code", "col3": "city",
               "col4": "phone", "col5": "siren"}
    preview = alice_client.post(url("import-detail", workspace, batch.code),
                                {**mapping, "action": "preview"}).content.decode()
    assert "e-mail invalide" in preview and "SIREN invalide" in preview
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(url("import-detail", workspace, batch.code),
                          {**mapping, "action": "start"})
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE  # tasks run at once in tests
    assert batch.counts["created"] == 1 and batch.counts["errors"] == 2
    actor = Actor.objects.get()
    assert actor.siren == "732829320" and actor.commune.insee_code == "59350"
    errors = alice_client.get(url("import-detail", workspace, batch.code), {"erreurs": "csv"})
    assert "ligne;erreur" in errors.content.decode() and "3;e-mail invalide" in \
        errors.content.decode()


def test_an_rna_upload_runs_in_the_background_with_progress(
        alice_client, workspace, tmp_path, django_capture_on_commit_callbacks):
    path = rna_file(tmp_path, sample_rows())
    upload = SimpleUploadedFile("rna.csv", path.read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(url("import-list", workspace),
                                     {"format": "rna", "file": upload, "dry_run": "on"})
    batch = ImportBatch.objects.get()
    assert batch.dry_run and batch.status == ImportBatch.Status.DONE and batch.percent == 100
    partial = alice_client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "import-progress" in partial and "<html" not in partial
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(response["Location"], {"action": "again"})
    assert Actor.objects.count() == 3


def test_a_file_that_is_not_a_spreadsheet_is_refused(alice_client, workspace):
    upload = SimpleUploadedFile("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    response = alice_client.post(url("import-list", workspace), {"format": "csv", "file": upload})
    assert response.status_code == 200 and "Fichier illisible" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_an_observer_cannot_import(bob_client, workspace):
    assert bob_client.get(url("import-list", workspace)).status_code == 403


def test_an_xlsx_directory_is_imported_with_guessed_columns(tmp_path, workspace):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Nom", "E-mail", "Code postal", "Ville", "Type", "Étiquettes"])
    book.active.append(["Épicerie solidaire de Fives", "epicerie@example.org", 59000, "Lille",
                        "Association", "AIL 2024, Partenaire"])
    book.active.append(["Hugo Deroo", "hugo@example.org", "59370", "Mons-en-Barœul",
                        "Personne", ""])
    path = tmp_path / "annuaire-municipal.xlsx"
    book.save(path)
    _batch, report = services.actors_import_file(workspace=workspace, path=str(path), fmt="csv")
    assert report.created == 2 and not report.errors
    shop = Actor.objects.get(email="epicerie@example.org")
    assert shop.kind == "association" and shop.postal_code == "59000"
    assert sorted(t.name for t in shop.tags.all()) == ["AIL 2024", "Partenaire"]
    person = Actor.objects.get(email="hugo@example.org")
    assert person.type == "person" and person.commune.insee_code == "59410"


def _imported(workspace) -> tuple[list, list]:
    actors = sorted(Actor.objects.filter(workspace=workspace).values_list(
        "rna_id", "name", "street", "commune_id", "canton_id", "search_text", "created_on",
        "dissolved_on"))
    pairs = sorted(DuplicateCandidate.objects.filter(workspace=workspace).values_list(
        "first__rna_id", "second__rna_id", "score"))
    return actors, pairs


def test_a_large_rna_file_read_in_a_second_process_gives_the_same_actors(
        tmp_path, workspace, monkeypatch):
    from hemicycle.actors.services import imports
    from hemicycle.actors.tests.rna_files import generated_rows

    path = rna_file(tmp_path, generated_rows(1500))
    sequential = services.actors_import_file(workspace=workspace, path=str(path), fmt="rna")[1]
    expected = _imported(workspace)
    assert sequential.created > 1000 and expected[1]  # near-duplicates were paired
    Actor.objects.filter(workspace=workspace).delete()

    calls, forked_map = [], imports.forked_map

    def spy(rows, func, **kwargs):
        calls.append(os.getpid())
        return forked_map(rows, func, **kwargs)

    monkeypatch.setattr(imports, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(imports, "CHUNK", 400)  # several chunks, pairs across them
    monkeypatch.setattr(imports.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(imports, "forked_map", spy)
    parallel = services.actors_import_file(workspace=workspace, path=str(path), fmt="rna")[1]
    assert calls  # the forked reader was used
    assert parallel.as_counts() == sequential.as_counts()
    assert _imported(workspace) == expected


def test_an_error_while_reading_in_the_second_process_fails_the_import_cleanly(
        tmp_path, workspace, monkeypatch):
    from hemicycle.actors.services import imports
    from hemicycle.actors.tests.rna_files import generated_rows

    path = rna_file(tmp_path, generated_rows(900))
    checked = imports._row_error

    def fails_at_row_700(record):
        if record.get("rna_id") == "W590000700":
            raise ValueError("row 700 cannot be read")
        return checked(record)

    monkeypatch.setattr(imports, "_row_error", fails_at_row_700)
    monkeypatch.setattr(imports, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(imports.os, "cpu_count", lambda: 2)
    with pytest.raises(ValueError, match="row 700"):
        services.actors_import_file(workspace=workspace, path=str(path), fmt="rna")
    batch = ImportBatch.objects.get(workspace=workspace)
    assert batch.status == ImportBatch.Status.FAILED and batch.message == "ValueError"
    assert not Actor.objects.filter(workspace=workspace).exists()  # nothing half-written
