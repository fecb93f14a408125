"""Imports: communes split between cantons (a point decides, else a person chooses) and
the undo of a batch as a background task, chunk by chunk, resumable."""

import io
import random

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from hemicycle.actors import services
from hemicycle.actors.models import Actor, ImportBatch, ImportChange
from hemicycle.actors.services import imports as import_services
from hemicycle.actors.tests.conftest import url
from hemicycle.actors.tests.rna_files import HEADER, row, write_rna
from hemicycle.territory.models import Commune, CommuneCanton
from hemicycle.territory.queries import canton_for_point

pytestmark = pytest.mark.django_db

LILLE = ("59350", "59000", "LILLE")
MONS = ("59410", "59370", "MONS EN BAROEUL")


def rna_rows(count_lille=3, count_mons=1):
    rng = random.Random(3)
    rows = [row(n, rng, name=f"CLUB NUMERO {n} DE LILLE", place=LILLE)
            for n in range(1, count_lille + 1)]
    rows += [row(100 + n, rng, name=f"CHORALE {n} DE MONS", place=MONS)
             for n in range(1, count_mons + 1)]
    return rows


def import_rna(tmp_path, workspace, rows, name="rna.csv"):
    path = tmp_path / name
    write_rna(path, rows, encoding="utf-8")
    return services.actors_import_file(workspace=workspace, path=str(path), fmt="rna")


def lille_cantons() -> set[int]:
    return set(CommuneCanton.objects.filter(commune__insee_code="59350").values_list(
        "canton_id", flat=True))


def points_in_two_lille_cantons() -> list[tuple[float, float, int]]:
    """Two points of Lille, each in a different canton of Lille."""
    lille = Commune.objects.get(insee_code="59350")
    found: dict[int, tuple[float, float, int]] = {}
    for i in range(-12, 13):
        for j in range(-12, 13):
            lat, lon = lille.latitude + i * 0.003, lille.longitude + j * 0.004
            canton = canton_for_point(lat, lon)
            if canton and canton.pk in lille_cantons():
                found.setdefault(canton.pk, (lat, lon, canton.pk))
            if len(found) == 2:
                return list(found.values())
    raise AssertionError("no two cantons of Lille around its centre")


def test_a_row_of_a_split_commune_without_a_point_keeps_every_canton_and_is_counted(
        tmp_path, workspace):
    path = tmp_path / "rna.csv"
    write_rna(path, rna_rows(), encoding="utf-8")
    out = io.StringIO()
    call_command("import_actors", str(path), "--workspace", workspace.slug, stdout=out)
    assert "cantons à préciser : 3" in out.getvalue()
    club = Actor.objects.get(rna_id="W590000001")
    assert set(club.cantons.values_list("pk", flat=True)) == lille_cantons()
    assert len(lille_cantons()) > 1 and club.canton_id is None
    batch = ImportBatch.objects.get()
    assert batch.counts["undecided"] == 3  # Mons-en-Barœul has one canton: decided


def test_the_coordinates_of_a_row_choose_the_canton_that_contains_them(tmp_path, workspace):
    (lat1, lon1, canton1), (lat2, lon2, canton2) = points_in_two_lille_cantons()
    path = tmp_path / "annuaire.csv"
    path.write_text("Nom;Code INSEE;Latitude;Longitude\n"
                    f"Jardin partagé des Postes;59350;{lat1};{lon1}\n"
                    f"Recyclerie de Fives;59350;{str(lat2).replace('.', ',')};{lon2}\n"
                    "Sans position;59350;;\n", encoding="utf-8")
    _batch, report = services.actors_import_file(workspace=workspace, path=str(path),
                                                 fmt="csv")
    assert report.created == 3 and report.undecided == 1
    jardin = Actor.objects.get(name="Jardin partagé des Postes")
    recyclerie = Actor.objects.get(name="Recyclerie de Fives")
    assert list(jardin.cantons.values_list("pk", flat=True)) == [canton1]
    assert jardin.canton_id == canton1 and recyclerie.canton_id == canton2
    assert not jardin.approximate_position


def test_the_import_page_lists_the_cantons_to_choose_and_saves_them_in_bulk(
        alice_client, tmp_path, workspace):
    batch, _report = import_rna(tmp_path, workspace, rna_rows())
    page = alice_client.get(url("import-detail", workspace, batch.code)).content.decode()
    assert "Cantons à préciser" in page and "Club Numero 1 de Lille" in page
    assert "Chorale 1 de Mons" not in page  # one canton: nothing to choose
    first, second = sorted(lille_cantons())[:2]
    club1 = Actor.objects.get(rna_id="W590000001")
    club2 = Actor.objects.get(rna_id="W590000002")
    assert f'name="canton-{club1.code}"' in page and f'value="{first}"' in page
    alice_client.post(url("import-detail", workspace, batch.code), {
        "action": "cantons", f"canton-{club1.code}": first, f"canton-{club2.code}": second,
        f"canton-{Actor.objects.get(rna_id='W590000003').code}": ""})
    club1.refresh_from_db()
    club2.refresh_from_db()
    assert club1.canton_id == first and list(club1.cantons.values_list("pk", flat=True)) == [
        first]
    assert club2.canton_id == second
    total, left = services.import_cantons_undecided(batch=batch)
    assert total == 1 and left[0].rna_id == "W590000003"


def test_a_canton_outside_the_commune_is_refused_and_nothing_is_written(
        alice_client, tmp_path, workspace):
    batch, _report = import_rna(tmp_path, workspace, rna_rows())
    douai_canton = CommuneCanton.objects.filter(commune__insee_code="59178").exclude(
        canton_id__in=lille_cantons()).first().canton_id
    club1 = Actor.objects.get(rna_id="W590000001")
    club2 = Actor.objects.get(rna_id="W590000002")
    choices = {str(club1.code): str(sorted(lille_cantons())[0]), str(club2.code): douai_canton}
    with pytest.raises(ValidationError):
        services.import_cantons_choose(batch=batch, choices=choices)
    response = alice_client.post(url("import-detail", workspace, batch.code), {
        "action": "cantons", **{f"canton-{k}": v for k, v in choices.items()}}, follow=True)
    assert "Canton impossible" in response.content.decode()
    club1.refresh_from_db()
    assert club1.canton_id is None and club1.cantons.count() == len(lille_cantons())


def test_an_observer_cannot_choose_cantons(bob_client, tmp_path, workspace):
    batch, _report = import_rna(tmp_path, workspace, rna_rows())
    club = Actor.objects.get(rna_id="W590000001")
    response = bob_client.post(url("import-detail", workspace, batch.code), {
        "action": "cantons", f"canton-{club.code}": sorted(lille_cantons())[0]})
    assert response.status_code in (403, 404)
    assert Actor.objects.get(pk=club.pk).canton_id is None


def test_undoing_from_the_page_runs_as_a_task_in_chunks(
        alice_client, tmp_path, workspace, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(import_services, "UNDO_CHUNK", 2)
    rows = rna_rows(count_lille=4, count_mons=3)
    import_rna(tmp_path, workspace, rows[:1], name="first.csv")
    rows[0][HEADER.index("titre")] = "CLUB RENOMME"
    batch, _report = import_rna(tmp_path, workspace, rows, name="second.csv")
    assert Actor.objects.count() == 7 and ImportChange.objects.count() == 1
    steps = []
    real_step = import_services._undo_step
    monkeypatch.setattr(import_services, "_undo_step",
                        lambda b, state, done, deleted=0: (steps.append(done),
                                                           real_step(b, state, done, deleted)))
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(url("import-detail", workspace, batch.code),
                                     {"action": "undo"}, follow=True)
    assert "Annulation de l" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UNDONE
    assert steps == [2, 2, 2, 1]  # six created actors by twos, then the restored one
    assert batch.counts["undo"]["deleted"] == 6 and batch.counts["undo"]["done"] == 7
    assert list(Actor.objects.values_list("name", flat=True)) == ["Club Numero 1 de Lille"]
    assert not ImportChange.objects.exists()


def test_an_interrupted_undo_leaves_whole_chunks_and_resumes(tmp_path, workspace,
                                                              monkeypatch):
    monkeypatch.setattr(import_services, "UNDO_CHUNK", 2)
    batch, _report = import_rna(tmp_path, workspace, rna_rows(count_lille=3, count_mons=2))
    services.import_batch_undo_start(batch=batch)
    real_step = import_services._undo_step

    def crash_on_second_chunk(b, state, done, deleted=0):
        if state["done"]:
            raise RuntimeError("worker stopped")
        real_step(b, state, done, deleted)

    monkeypatch.setattr(import_services, "_undo_step", crash_on_second_chunk)
    with pytest.raises(RuntimeError):
        services.import_batch_undo(batch=batch)
    batch.refresh_from_db()
    # The first chunk is gone with its progress; the second was rolled back whole.
    assert batch.status == ImportBatch.Status.DONE
    assert batch.counts["undo"]["done"] == 2 and Actor.objects.count() == 3
    with pytest.raises(ValidationError):  # still "running" a moment ago: no second task
        services.import_batch_undo_start(batch=batch)
    monkeypatch.setattr(import_services, "_undo_step", real_step)
    assert services.import_batch_undo(batch=batch) == 5
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UNDONE and not Actor.objects.exists()


def test_the_progress_partial_shows_an_undo_under_way(alice_client, tmp_path, workspace):
    batch, _report = import_rna(tmp_path, workspace, rna_rows())
    services.import_batch_undo_start(batch=batch)
    partial = alice_client.get(url("import-detail", workspace, batch.code),
                               HTTP_HX_REQUEST="true").content.decode()
    assert "Annulation en cours : 0 fiches traitées sur 4" in partial
    assert "hx-trigger" in partial and "<html" not in partial
