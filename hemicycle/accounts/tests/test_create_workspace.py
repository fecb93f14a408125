import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from hemicycle.accounts.models import Invitation, Membership, Workspace


def create(*extra, **options):
    args = ["create_workspace", "--assembly", "departement:59", "--name", "Groupe test",
            "--short-name", "Test", "--slug", "groupe-test", *extra]
    call_command(*args, **options)


def test_a_workspace_is_created_with_an_invitation_for_a_new_admin(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        create("--admin", "sg@example.org")
    workspace = Workspace.objects.get(slug="groupe-test")
    assert workspace.assembly.name == "Conseil départemental du Nord"
    assert Invitation.objects.get(workspace=workspace).role == "admin"
    assert "Hémicycle vous invite" in mail.outbox[0].body


def test_an_existing_user_becomes_admin_at_once(alice):
    create("--admin", alice.email)
    workspace = Workspace.objects.get(slug="groupe-test")
    assert Membership.objects.get(workspace=workspace, user=alice).role == "admin"


def test_a_taken_slug_or_an_unknown_assembly_is_a_clear_error(workspace):
    with pytest.raises(CommandError, match="slug"):
        call_command("create_workspace", "--assembly", "departement:59", "--name", "X",
                     "--short-name", "X", "--slug", workspace.slug, "--admin", "a@example.org")
    with pytest.raises(CommandError, match="load_territory"):
        create("--admin", "a@example.org", "--assembly", "departement:999")
    with pytest.raises(CommandError, match="KIND:CODE"):
        create("--admin", "a@example.org", "--assembly", "planet:3")
