"""What the accounts and the audit trail hold about a user (GDPR access and erasure)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hemicycle.accounts.models import Membership, User
from hemicycle.accounts.roles import Role
from hemicycle.audit.models import AuditEvent
from hemicycle.audit.services import audit_record


def account_data(user: User) -> dict:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "two_factor": user.has_totp,
        "memberships": [
            {"workspace": m.workspace.name, "role": m.role, "title": m.title,
             "since": m.created_at.isoformat()}
            for m in Membership.objects.filter(user=user).select_related("workspace")
        ],
    }


def actions_data(user: User) -> list:
    """The changes this user made (the audit trail names them as the author)."""
    return [
        {"at": e.at.isoformat(), "workspace": e.workspace.name if e.workspace else None,
         "action": e.action, "verb": e.verb, "object": e.object_repr, "changes": e.changes}
        for e in AuditEvent.objects.filter(actor=user).select_related("workspace")[:10000]
    ]


@transaction.atomic
def user_erase(*, user: User) -> None:
    """Delete an account and its memberships (GDPR erasure).

    The audit trail keeps the events this person made, under their name as it was:
    it is the group's accountability record of official work (legitimate interest,
    GDPR art. 17(3)); the link to the deleted account is cut (actor becomes NULL).
    """
    for membership in Membership.objects.filter(user=user, role=Role.ADMIN):
        others = Membership.objects.filter(workspace=membership.workspace, role=Role.ADMIN)
        if not others.exclude(user=user).exists():
            raise ValidationError(_(
                "Vous êtes le·la seul·e administrateur·rice de « %(ws)s » : nommez d’abord "
                "quelqu’un d’autre administrateur·rice.") % {"ws": membership.workspace})
    for membership in Membership.objects.filter(user=user).select_related("workspace"):
        audit_record(action=AuditEvent.Action.OTHER, verb="account.erase",
                     workspace=membership.workspace,
                     message=_("Compte supprimé à la demande de la personne (RGPD)."))
        membership.delete()
    user.delete()
