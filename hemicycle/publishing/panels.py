"""The editorial calendar on the dashboard: what goes out next, and what failed."""

from django.http import HttpRequest
from django.utils import timezone

from hemicycle.publishing.models import Post, Publication


def upcoming(request: HttpRequest) -> dict | None:
    workspace = request.workspace
    scheduled = Post.objects.filter(
        workspace=workspace, status=Post.Status.SCHEDULED,
        scheduled_at__gte=timezone.now() - timezone.timedelta(hours=1),
    ).order_by("scheduled_at").prefetch_related("publications__channel")[:5]
    failed = Publication.objects.filter(
        workspace=workspace, status=Publication.Status.FAILED,
    ).select_related("post", "channel").order_by("-updated_at")[:5]
    to_validate = Post.objects.filter(workspace=workspace, status=Post.Status.TO_VALIDATE).count()
    return {"scheduled": scheduled, "failed": failed, "to_validate": to_validate}
