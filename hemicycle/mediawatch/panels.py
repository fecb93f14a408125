"""Today's clippings on the dashboard."""

from django.http import HttpRequest

from hemicycle.mediawatch.queries import today_clippings

PANEL_SIZE = 6


def today(request: HttpRequest) -> dict:
    clippings = today_clippings(request.workspace)
    return {
        "clippings": list(clippings[:PANEL_SIZE]),
        "count": clippings.count(),
        "unread": clippings.filter(read_at__isnull=True).count(),
        "alerts": clippings.filter(alerts__isnull=False).distinct().count(),
    }


def personal_data(user) -> list:
    """The daily digests this user subscribed to (GDPR access)."""
    from hemicycle.mediawatch.models import DigestSubscription

    return [{"workspace": s.workspace.name, "since": s.created_at.isoformat(),
             "time": s.send_at.strftime("%H:%M"), "time_zone": s.time_zone}
            for s in DigestSubscription.objects.filter(user=user).select_related("workspace")]
