"""The group's élu·e·s on the dashboard."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from hemicycle.elected.queries import assembly_map, group_members


def group(request: HttpRequest) -> dict:
    workspace = request.workspace
    return {
        "members": group_members(workspace),
        "map": assembly_map(workspace, title=_("Les circonscriptions du groupe")),
        "can_write": request.membership.can("write"),
    }


def personal_data(user) -> list:
    """The élu·e records linked to this user's account (GDPR access)."""
    from hemicycle.elected.models import ElectedMember

    return [
        {"workspace": m.workspace.name, "first_name": m.first_name, "last_name": m.last_name,
         "canton": m.canton.name if m.canton else None, "functions": m.functions,
         "email": m.email, "phone": m.phone, "notes": m.notes}
        for m in ElectedMember.objects.filter(user=user).select_related("workspace", "canton")
    ]
