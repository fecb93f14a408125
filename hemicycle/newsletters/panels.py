"""The newsletters on the dashboard: subscribers, the last campaigns."""

from django.db.models import Count, Q
from django.http import HttpRequest

from hemicycle.newsletters.models import Campaign, MailingList, PressRelease
from hemicycle.newsletters.sending import campaign_counts


def newsletters(request: HttpRequest) -> dict | None:
    workspace = request.workspace
    lists = list(MailingList.objects.filter(workspace=workspace, archived=False).annotate(
        subscribed=Count("subscribers", filter=Q(subscribers__status="subscribed"))))
    recent = list(Campaign.objects.filter(workspace=workspace).exclude(
        status=Campaign.Status.CANCELLED)[:3])
    if not lists and not recent:
        return None
    return {
        "lists": lists,
        "campaigns": [(campaign, campaign_counts(campaign)) for campaign in recent],
        "releases": PressRelease.objects.filter(workspace=workspace)[:3],
    }
