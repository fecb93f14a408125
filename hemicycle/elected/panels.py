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
