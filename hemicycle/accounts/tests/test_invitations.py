from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from hemicycle.accounts import services
from hemicycle.accounts.models import Invitation, Membership, User


def invite(client, workspace, email="new@example.org", role="staff"):
    return client.post(f"/w/{workspace.slug}/membres/inviter/", {"email": email, "role": role})


def test_an_admin_invites_by_email_and_the_invitee_sets_a_password(
    alice_client, client, workspace, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(alice_client, workspace)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/invitation/" in line)
    path = link.split("127.0.0.1:8000")[1]
    page = client.get(path)
    assert "Rejoindre" in page.content.decode()
    secret = "un-long-mot-de-passe"
    response = client.post(
        path, {"full_name": "Nina Nouvelle", "password1": secret, "password2": secret}
    )
    assert response.url == f"/w/{workspace.slug}/"
    user = User.objects.get(email="new@example.org")
    assert Membership.objects.get(user=user, workspace=workspace).role == "staff"
    assert client.get(path).status_code == 404  # a link serves once


def test_an_observer_cannot_invite(bob_client, workspace):
    assert invite(bob_client, workspace).status_code == 403
    assert not Invitation.objects.exists()


def test_an_outsider_cannot_invite(charlie_client, workspace):
    assert invite(charlie_client, workspace).status_code == 404


def test_inviting_an_existing_member_is_refused_with_a_message(alice_client, workspace, bob):
    response = invite(alice_client, workspace, email=bob.email)
    assert response.status_code == 200
    assert "déjà membre" in response.content.decode()


def test_a_new_invitation_replaces_the_pending_one(alice, workspace):
    first = services.invitation_create(workspace=workspace, email="x@example.org",
                                       role="staff", by=alice)
    services.invitation_create(workspace=workspace, email="x@example.org", role="elected",
                               by=alice)
    first.refresh_from_db()
    assert not first.is_pending
    assert services.pending_invitations(workspace).get().role == "elected"


def test_the_token_is_not_stored_in_clear(alice, workspace):
    invitation = services.invitation_create(
        workspace=workspace, email="x@example.org", role="staff", by=alice)
    token = services.invitation_send(invitation=invitation)
    assert token not in invitation.token_hash
    assert services.invitation_from_token(token) == invitation
    assert services.invitation_from_token("forged") is None


def test_a_revoked_invitation_cannot_be_accepted(alice, workspace):
    invitation = services.invitation_create(
        workspace=workspace, email="x@example.org", role="staff", by=alice)
    token = services.invitation_send(invitation=invitation)
    services.invitation_revoke(invitation=invitation)
    assert services.invitation_from_token(token) is None
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, full_name="X", password="p" * 12)


def test_an_existing_user_accepts_while_logged_in(alice, charlie, charlie_client, workspace):
    invitation = services.invitation_create(
        workspace=workspace, email=charlie.email, role="observer", by=alice)
    token = services.invitation_send(invitation=invitation)
    response = charlie_client.post(f"/invitation/{token}/")
    assert response.url == f"/w/{workspace.slug}/"
    assert charlie_client.get(f"/w/{workspace.slug}/").status_code == 200


def test_a_resend_makes_a_new_link_and_kills_the_old_one(alice, workspace):
    invitation = services.invitation_create(
        workspace=workspace, email="x@example.org", role="staff", by=alice)
    old = services.invitation_send(invitation=invitation)
    new = services.invitation_send(invitation=invitation)
    assert services.invitation_from_token(old) is None
    assert services.invitation_from_token(new) == invitation


@override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                   EMAIL_HOST="127.0.0.1", EMAIL_PORT=1, EMAIL_USE_TLS=False, EMAIL_TIMEOUT=2)
def test_a_failing_mail_server_keeps_the_invitation_and_says_so(
    alice_client, workspace, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(alice_client, workspace)
    assert response.status_code == 302  # the admin's request did not fail
    invitation = Invitation.objects.get(email="new@example.org")
    assert invitation.send_error and not invitation.sent_at
    page = alice_client.get(f"/w/{workspace.slug}/membres/").content.decode()
    assert "Échec de l’envoi" in page
    assert "Renvoyer" in page


def test_the_admin_resends_after_a_failure(alice_client, alice, workspace,
                                           django_capture_on_commit_callbacks):
    invitation = Invitation.objects.create(
        workspace=workspace, email="x@example.org", role="staff", invited_by=alice,
        expires_at=timezone.now() + timedelta(days=3), send_error="Connection refused")
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(f"/w/{workspace.slug}/membres/invitations/{invitation.code}/renvoyer/")
    invitation.refresh_from_db()
    assert invitation.sent_at and not invitation.send_error
    assert len(mail.outbox) == 1
