"""The workspace's team on the dashboard."""

from django.http import HttpRequest

from hemicycle.accounts.models import Membership
from hemicycle.accounts.services import pending_invitations


def team(request: HttpRequest) -> dict:
    memberships = Membership.objects.filter(workspace=request.workspace).select_related("user")
    return {
        "memberships": memberships,
        "pending": pending_invitations(request.workspace).count()
        if request.membership.can("manage") else 0,
    }
