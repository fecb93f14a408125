"""The actors module on the dashboard, and in a user's GDPR export."""

from django.http import HttpRequest
from django.utils import timezone

from hemicycle.actors.queries import overdue_follow_ups


def follow_ups(request: HttpRequest) -> dict | None:
    return {"overdue": list(overdue_follow_ups(request.workspace, timezone.localdate()))}


def personal_data(user) -> list:
    """The interactions a user took part in, and the actors they follow (GDPR access)."""
    from hemicycle.actors.models import Actor, Interaction

    return [
        *({"interaction": i.title, "date": i.date.isoformat(), "workspace": i.workspace.name}
          for i in Interaction.objects.filter(staff=user).select_related("workspace")),
        *({"follows": a.name, "workspace": a.workspace.name}
          for a in Actor.objects.filter(follower=user).select_related("workspace")[:1000]),
    ]
