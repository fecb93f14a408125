"""`hemicycle import_elected FILE --workspace SLUG [--dry-run]`."""

import io

import pytest
from django.core.management import CommandError, call_command

from hemicycle.audit.models import AuditEvent
from hemicycle.elected.models import ElectedMember
from hemicycle.elected.tests.conftest import NORD, NORMANDIE

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_elected", *args, stdout=out)
    return out.getvalue()


def test_the_command_imports_and_prints_the_report(workspace, nord_cantons):
    output = run(str(NORD), "--workspace", workspace.slug)
    assert "Ajouts (82)" in output and "82 ajout(s)" in output
    assert ElectedMember.objects.filter(workspace=workspace).count() == 82
    event = AuditEvent.objects.get(verb="elected.import")
    assert event.actor_label == "commande import_elected" and event.actor is None
    output = run(str(NORD), "--workspace", workspace.slug)
    assert "Inchangé·e·s : 82" in output


def test_the_command_simulates_with_dry_run(workspace, nord_cantons):
    output = run(str(NORD), "--workspace", workspace.slug, "--dry-run")
    assert output.strip().splitlines()[-1].startswith("Simulation")
    assert not ElectedMember.objects.exists()


def test_the_command_fails_on_a_malformed_file(workspace, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(NORD.read_bytes().replace(b"05/04/1956", b"hier"))
    with pytest.raises(CommandError, match="Ligne 2 : « hier » n'est pas une date"):
        run(str(bad), "--workspace", workspace.slug)
    assert not ElectedMember.objects.exists()


def test_the_command_fails_on_a_missing_file_a_wrong_assembly_or_an_unknown_workspace(
        workspace, tmp_path):
    with pytest.raises(CommandError, match="Impossible de lire le fichier"):
        run(str(tmp_path / "absent.csv"), "--workspace", workspace.slug)
    with pytest.raises(CommandError, match="régionaux"):
        run(str(NORMANDIE), "--workspace", workspace.slug)
    with pytest.raises(CommandError, match="Espace inconnu"):
        run(str(NORD), "--workspace", "nope")
