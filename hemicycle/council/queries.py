"""Reads that several views share."""

from django.db.models import Count, QuerySet
from django.utils import timezone

from hemicycle.accounts.models import User, Workspace
from hemicycle.council.models import Body, InboxItem, Report, Sitting


def sittings_of(workspace: Workspace) -> QuerySet[Sitting]:
    return (Sitting.objects.filter(workspace=workspace).select_related("body")
            .annotate(report_count=Count("reports")))


def sittings_upcoming(workspace: Workspace, limit: int = 5) -> QuerySet[Sitting]:
    return sittings_of(workspace).filter(starts_at__gte=timezone.now()).order_by(
        "starts_at")[:limit]


def bodies_of(workspace: Workspace) -> QuerySet[Body]:
    return Body.objects.filter(workspace=workspace).prefetch_related("members")


def reports_assigned_to(workspace: Workspace, user: User) -> QuerySet[Report]:
    return (Report.objects.filter(workspace=workspace, assignees=user)
            .exclude(follow_status="position_decided")
            .select_related("sitting__body").order_by("due_date", "sitting__starts_at"))


def inbox_of(workspace: Workspace, user: User, done: bool = False) -> QuerySet[InboxItem]:
    items = InboxItem.objects.filter(workspace=workspace, user=user,
                                     done_at__isnull=not done)
    return items.select_related("report__sitting__body", "watchlist", "comment").order_by(
        "-created_at")
