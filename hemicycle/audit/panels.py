"""The latest changes on the dashboard."""

from django.http import HttpRequest

from hemicycle.audit.models import AuditEvent


def recent_activity(request: HttpRequest) -> dict:
    events = AuditEvent.objects.filter(workspace=request.workspace).select_related(
        "content_type")[:8]
    return {"events": events}
