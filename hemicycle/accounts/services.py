"""Workflows on users, workspaces, memberships and invitations."""

import logging
import secrets
import smtplib
from datetime import timedelta

import pyotp
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hemicycle.accounts.models import Invitation, LoginFailure, Membership, User, Workspace
from hemicycle.accounts.roles import Role

logger = logging.getLogger(__name__)

# --- login rate limiting ---------------------------------------------------------------


def login_is_blocked(*, email: str, ip: str | None) -> bool:
    """Too many recent failures for this e-mail, or from this IP (x3: offices share IPs)."""
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
    recent = LoginFailure.objects.filter(at__gte=since)
    limit = settings.LOGIN_MAX_FAILURES
    if recent.filter(email=email.lower()).count() >= limit:
        return True
    return bool(ip) and recent.filter(ip=ip).count() >= 3 * limit


def login_failure_record(*, email: str, ip: str | None) -> None:
    LoginFailure.objects.create(email=email.lower()[:254], ip=ip)
    # Keep the table small: failures older than a day serve no purpose.
    LoginFailure.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()


def login_failures_clear(*, email: str) -> None:
    LoginFailure.objects.filter(email=email.lower()).delete()


# --- two-factor (TOTP) -----------------------------------------------------------------


def totp_start(*, user: User) -> str:
    """Begin enrolment: a new secret, not active until a code is confirmed."""
    user.totp_secret = pyotp.random_base32()
    user.totp_confirmed_at = None
    user.save(update_fields=["totp_secret", "totp_confirmed_at"])
    return user.totp_secret


def totp_uri(*, user: User) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(
        name=user.email, issuer_name=settings.SITE_NAME
    )


def totp_verify(*, user: User, code: str) -> bool:
    if not user.totp_secret:
        return False
    code = "".join(ch for ch in code if ch.isdigit())
    return pyotp.TOTP(user.totp_secret).verify(code, valid_window=1)


def totp_confirm(*, user: User, code: str) -> bool:
    if not totp_verify(user=user, code=code):
        return False
    user.totp_confirmed_at = timezone.now()
    user.save(update_fields=["totp_confirmed_at"])
    return True


def totp_disable(*, user: User) -> None:
    user.totp_secret = ""
    user.totp_confirmed_at = None
    user.save(update_fields=["totp_secret", "totp_confirmed_at"])


# --- workspaces and memberships --------------------------------------------------------


def workspaces_for(user: User):
    return (
        Workspace.objects.filter(accounts_membership_set__user=user)
        .select_related("assembly")
        .order_by("name")
    )


def membership_change_role(*, membership: Membership, role: str, title: str) -> Membership:
    if membership.role == Role.ADMIN and role != Role.ADMIN:
        _ensure_another_admin(membership)
    membership.role = role
    membership.title = title
    membership.full_clean()
    membership.save()
    return membership


def membership_remove(*, membership: Membership) -> None:
    if membership.role == Role.ADMIN:
        _ensure_another_admin(membership)
    membership.delete()


def _ensure_another_admin(membership: Membership) -> None:
    others = Membership.objects.filter(workspace=membership.workspace, role=Role.ADMIN).exclude(
        pk=membership.pk
    )
    if not others.exists():
        raise ValidationError(_("Un espace garde toujours au moins un·e administrateur·rice."))


# --- invitations -----------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *, workspace: Workspace, email: str, role: str, title: str = "", by: User
) -> Invitation:
    """Create an invitation; its e-mail leaves in the background (invitation_send_task)."""
    email = email.strip().lower()
    if Membership.objects.filter(workspace=workspace, user__email=email).exists():
        raise ValidationError(_("Cette personne est déjà membre de l'espace."))
    # A new invitation replaces any pending one for the same address.
    Invitation.objects.filter(
        workspace=workspace, email=email, accepted_at=None, revoked_at=None
    ).update(revoked_at=timezone.now())
    invitation = Invitation.objects.create(
        workspace=workspace,
        email=email,
        role=role,
        title=title,
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
    )
    invitation_enqueue(invitation=invitation)
    return invitation


def invitation_enqueue(*, invitation: Invitation) -> None:
    from hemicycle.accounts.tasks import invitation_send_task

    transaction.on_commit(lambda: invitation_send_task.enqueue(invitation_id=invitation.pk))


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("accounts:invitation-accept", args=[token])


def invitation_send(*, invitation: Invitation) -> str | None:
    """Make a fresh token and mail the link. Returns the token, or None when the mail
    server failed: the error is kept on the invitation for the admin to see and retry."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = Invitation.hash_token(token)
    invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_DAYS)
    context = {
        "invitation": invitation,
        "url": invitation_url(token),
        "site_name": settings.SITE_NAME,
        "days": settings.INVITATION_DAYS,
    }
    try:
        send_mail(
            subject=_("Invitation à rejoindre %(workspace)s sur %(site)s")
            % {"workspace": invitation.workspace.name, "site": settings.SITE_NAME},
            message=render_to_string("accounts/email/invitation.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("invitation %s: mail not sent: %s", invitation.pk, error)
        invitation.send_error = str(error)[:300] or error.__class__.__name__
        invitation.save(update_fields=["send_error", "updated_at"])
        return None
    invitation.sent_at, invitation.send_error = timezone.now(), ""
    invitation.save(update_fields=["token_hash", "expires_at", "sent_at", "send_error",
                                   "updated_at"])
    return token


def invitation_from_token(token: str) -> Invitation | None:
    if not token:
        return None
    invitation = Invitation.objects.select_related("workspace").filter(
        token_hash=Invitation.hash_token(token)
    ).first()
    return invitation if invitation and invitation.is_pending else None


def invitation_resend(*, invitation: Invitation) -> None:
    invitation.send_error = ""
    invitation.save(update_fields=["send_error", "updated_at"])
    invitation_enqueue(invitation=invitation)


def invitation_revoke(*, invitation: Invitation) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user: User | None = None, full_name: str = "", password: str = ""
) -> User:
    """Join the workspace: as an existing user, or by creating the account."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_pending:
        raise ValidationError(_("Cette invitation n'est plus valable."))
    if user is None:
        user = User.objects.filter(email__iexact=locked.email).first()
        if user is not None:
            raise ValidationError(_("Un compte existe déjà pour cette adresse : connectez-vous."))
        user = User.objects.create_user(locked.email, password, full_name=full_name)
    Membership.objects.get_or_create(
        workspace=locked.workspace, user=user,
        defaults={"role": locked.role, "title": locked.title},
    )
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    return user


def pending_invitations(workspace: Workspace):
    return Invitation.objects.filter(workspace=workspace).filter(
        Q(accepted_at=None) & Q(revoked_at=None) & Q(expires_at__gt=timezone.now())
    )


@transaction.atomic
def workspace_create(
    *, assembly, name: str, short_name: str, slug: str, admin_email: str, by: User | None = None
) -> tuple[Workspace, Invitation | None]:
    """A new group's workspace and its first admin: the existing account if there is
    one (made admin at once), else an invitation mailed to that address."""
    workspace = Workspace(assembly=assembly, name=name, short_name=short_name, slug=slug)
    workspace.full_clean(exclude=["logo"])
    workspace.save()
    user = User.objects.filter(email__iexact=admin_email.strip()).first()
    if user is not None:
        Membership.objects.create(workspace=workspace, user=user, role=Role.ADMIN)
        return workspace, None
    invitation = invitation_create(workspace=workspace, email=admin_email, role=Role.ADMIN,
                                   by=by)
    return workspace, invitation
