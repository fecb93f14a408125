"""The RNE import: idempotent, all or nothing, with a report of what changed."""

import io

import pytest
from django.utils import timezone

from hemicycle.audit.models import AuditEvent
from hemicycle.elected.models import ElectedMember
from hemicycle.elected.services import elected_import_rne
from hemicycle.elected.tests.conftest import NORD, NORMANDIE

pytestmark = pytest.mark.django_db


def modified_nord(nord_bytes: bytes) -> bytes:
    """Siegler loses his vice-presidency; Beauchamp (first row) is no longer listed."""
    lines = nord_bytes.decode().splitlines(keepends=True)
    assert lines[1].startswith("59,Nord,5901,Aniche,BEAUCHAMP")
    kept = [lines[0], *lines[2:]]
    return "".join(kept).replace(
        "5ème Vice-président du conseil départemental,01/07/2021", ",").encode()


def test_import_creates_the_82_members_of_the_nord(workspace, nord_cantons):
    report = elected_import_rne(workspace=workspace, file=NORD)
    assert report.errors == [] and report.warnings == []
    assert len(report.created) == 82
    members = ElectedMember.objects.filter(workspace=workspace)
    assert members.count() == 82
    gréaume = members.get(last_name="Gréaume")
    assert gréaume.canton.code == "59003" and gréaume.gender == "F"
    assert gréaume.rne_key == "greaume|michelle|1967-10-30"
    assert not members.filter(in_group=True).exists()


def test_reimport_changes_nothing(workspace, nord_cantons):
    elected_import_rne(workspace=workspace, file=NORD)
    events = AuditEvent.objects.count()
    report = elected_import_rne(workspace=workspace, file=NORD)
    assert len(report.unchanged) == 82
    assert report.created == report.updated == report.ended == []
    assert ElectedMember.objects.filter(workspace=workspace).count() == 82
    # only the summary event: no row was saved
    assert AuditEvent.objects.count() == events + 1


def test_a_modified_file_reports_exactly_its_update_and_its_ended_mandate(
        workspace, nord_cantons, nord_bytes):
    elected_import_rne(workspace=workspace, file=NORD)
    report = elected_import_rne(workspace=workspace, file=io.BytesIO(modified_nord(nord_bytes)))
    assert report.errors == [] and report.created == []
    assert len(report.unchanged) == 80
    assert [update.member for update in report.updated] == ["Nicolas Siegler — Cambrai"]
    changes = [(c.field, c.old, c.new) for c in report.updated[0].changes]
    assert changes == [
        ("fonctions", "5ème Vice-président du conseil départemental", "∅"),
        ("début de la fonction", "01/07/2021", "∅"),
    ]
    assert report.ended == ["Charles Beauchamp — Aniche"]
    beauchamp = ElectedMember.objects.get(workspace=workspace, last_name="Beauchamp")
    assert beauchamp.mandate_end == timezone.localdate()


def test_the_audit_trail_records_the_update_old_to_new(workspace, nord_cantons, nord_bytes):
    elected_import_rne(workspace=workspace, file=NORD)
    elected_import_rne(workspace=workspace, file=io.BytesIO(modified_nord(nord_bytes)))
    siegler = ElectedMember.objects.get(workspace=workspace, last_name="Siegler")
    event = AuditEvent.objects.filter(object_id=str(siegler.pk),
                                      action=AuditEvent.Action.UPDATE).get()
    assert event.changes["functions"] == ["5ème Vice-président du conseil départemental", ""]
    summary = AuditEvent.objects.filter(verb="elected.import", workspace=workspace).first()
    assert "1 mise(s) à jour" in summary.message and "1 fin(s) de mandat" in summary.message


def test_the_import_never_touches_the_groups_own_data(workspace, nord_cantons, alice):
    elected_import_rne(workspace=workspace, file=NORD)
    jamelin = ElectedMember.objects.get(workspace=workspace, last_name="Jamelin")
    ElectedMember.objects.filter(pk=jamelin.pk).update(
        in_group=True, user=alice, email="s.j@example.org", phone="0600000000",
        notes="Nos notes", commissions="Finances", functions="Président du groupe")
    report = elected_import_rne(workspace=workspace, file=NORD)
    jamelin.refresh_from_db()
    assert (jamelin.in_group, jamelin.user, jamelin.email, jamelin.phone, jamelin.notes,
            jamelin.commissions) == (True, alice, "s.j@example.org", "0600000000", "Nos notes",
                                     "Finances")
    # the functions are the RNE's: put back as published
    assert jamelin.functions == ""
    assert [u.member for u in report.updated] == ["Simon Jamelin — Lille-3"]


def test_a_member_reappearing_in_the_file_is_current_again(workspace, nord_cantons, nord_bytes):
    elected_import_rne(workspace=workspace, file=io.BytesIO(modified_nord(nord_bytes)))
    ElectedMember.objects.filter(workspace=workspace).update(mandate_end=None)
    elected_import_rne(workspace=workspace, file=NORD)
    assert ElectedMember.objects.filter(workspace=workspace, mandate_end=None).count() == 82


def test_a_member_typed_by_hand_is_adopted_not_duplicated(workspace, nord_cantons):
    ElectedMember.objects.create(workspace=workspace, last_name="JAMELIN", first_name="simon",
                                 in_group=True)
    report = elected_import_rne(workspace=workspace, file=NORD)
    assert len(report.created) == 81 and len(report.updated) == 1
    assert ElectedMember.objects.filter(workspace=workspace).count() == 82
    assert ElectedMember.objects.get(workspace=workspace, last_name="JAMELIN").in_group


def test_demo_members_are_never_ended_by_an_import(workspace, nord_cantons):
    from hemicycle.elected.demo import demo_elected

    demo_elected(workspace)
    report = elected_import_rne(workspace=workspace, file=NORD)
    assert report.ended == []
    assert ElectedMember.objects.filter(workspace=workspace, mandate_end=None).count() == 88


def test_dry_run_writes_nothing_and_reports_the_same(workspace, nord_cantons):
    events = AuditEvent.objects.count()
    report = elected_import_rne(workspace=workspace, file=NORD, dry_run=True)
    assert report.dry_run and len(report.created) == 82
    assert not ElectedMember.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_canton_missing_from_the_territory_gives_a_warning_not_a_failure(
        workspace, nord_cantons, nord_bytes):
    unknown = nord_bytes.replace(b"59,Nord,5901,Aniche", b"59,Nord,5999,Nulle-Part")
    report = elected_import_rne(workspace=workspace, file=io.BytesIO(unknown))
    assert report.errors == []
    assert len(report.created) == 82
    assert len(report.warnings) == 1
    assert report.warnings[0].startswith("1 canton(s) absent(s) du référentiel territorial "
                                         "(59099 Nulle-Part)")
    assert ElectedMember.objects.filter(canton=None).count() == 2


def test_normandie_members_are_mapped_to_their_sections(other_workspace, normandie_sections):
    report = elected_import_rne(workspace=other_workspace, file=NORMANDIE)
    assert report.errors == [] and report.warnings == []
    assert len(report.created) == 102
    members = ElectedMember.objects.filter(workspace=other_workspace)
    assert members.filter(section__code="76").count() == 36
    assert members.get(last_name="L'Orphelin").section.name == "Calvados"


def test_a_file_of_another_assembly_is_refused(workspace):
    report = elected_import_rne(workspace=workspace, file=NORMANDIE)
    assert report.errors and "conseiller·e·s régionaux·ales" in report.errors[0]
    assert not ElectedMember.objects.exists()


def test_only_the_rows_of_the_workspaces_assembly_are_imported(workspace, nord_bytes):
    other = nord_bytes.decode().splitlines()[1].replace("59,Nord,5901", "62,Pas-de-Calais,6201")
    report = elected_import_rne(workspace=workspace, file=io.BytesIO(
        nord_bytes + (other.replace("BEAUCHAMP", "AUTRE") + "\n").encode()))
    assert len(report.created) == 82 and report.skipped == 1


def test_members_of_another_workspace_are_left_alone(workspace, other_workspace, nord_cantons):
    ElectedMember.objects.create(workspace=other_workspace, last_name="X", first_name="Y",
                                 rne_key="x|y|2000-01-01")
    elected_import_rne(workspace=workspace, file=NORD)
    assert ElectedMember.objects.get(workspace=other_workspace).mandate_end is None


@pytest.mark.parametrize("content, expected", [
    (b"", "Le fichier est vide."),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "n'est pas un fichier CSV"),
    (b"nom;prenom\nDupont;Jean\n", "Colonnes manquantes"),
    (NORD.read_bytes().replace(b"05/04/1956", b"1956-13-45"), "Ligne 2 :"),
])
def test_a_malformed_file_gives_a_clear_error_and_writes_nothing(workspace, content, expected):
    events = AuditEvent.objects.count()
    report = elected_import_rne(workspace=workspace, file=io.BytesIO(content))
    assert any(expected in error for error in report.errors), report.errors
    assert not ElectedMember.objects.exists()
    assert AuditEvent.objects.count() == events


def test_one_bad_line_refuses_the_whole_file(workspace, nord_cantons, nord_bytes):
    broken = nord_bytes.replace(b"06/12/1980", b"06/12/80")  # Siegler, line 19
    report = elected_import_rne(workspace=workspace, file=io.BytesIO(broken))
    assert report.errors == [
        "Ligne 19 : « 06/12/80 » n'est pas une date (colonne « Date de naissance », "
        "attendu JJ/MM/AAAA)."]
    assert not ElectedMember.objects.exists()


def test_a_file_full_of_errors_lists_the_first_fifty(workspace, nord_bytes):
    broken = nord_bytes.replace(b"/2021,", b"/21,")
    report = elected_import_rne(workspace=workspace, file=io.BytesIO(broken))
    assert len(report.errors) == 51 and report.errors[-1] == "… et 30 autres erreurs."


def test_an_unreadable_path_is_an_error(workspace, tmp_path):
    report = elected_import_rne(workspace=workspace, file=tmp_path / "absent.csv")
    assert report.errors and "Impossible de lire le fichier" in report.errors[0]
