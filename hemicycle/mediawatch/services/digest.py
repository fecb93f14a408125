"""The daily digest e-mail: today's clippings, alerts first, to the members who asked."""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hemicycle.accounts.models import Membership, User, Workspace
from hemicycle.mediawatch.models import Clipping, Digest, DigestSubscription

logger = logging.getLogger(__name__)


def digest_subscribe(*, workspace: Workspace, user: User, subscribed: bool) -> None:
    if subscribed:
        DigestSubscription.objects.get_or_create(workspace=workspace, user=user)
        transaction.on_commit(digest_schedule)
    else:
        DigestSubscription.objects.filter(workspace=workspace, user=user).delete()


def digest_recipients(workspace: Workspace) -> list[User]:
    """Subscribed users who are still active members of the workspace."""
    members = Membership.objects.filter(workspace=workspace).values_list("user_id", flat=True)
    subscribed = DigestSubscription.objects.filter(workspace=workspace, user_id__in=members,
                                                   user__is_active=True)
    return [s.user for s in subscribed.select_related("user").order_by("user__email")]


def digest_clippings(workspace: Workspace, since: datetime.datetime, until: datetime.datetime):
    clippings = Clipping.objects.filter(workspace=workspace, created_at__gte=since,
                                        created_at__lt=until)
    return list(clippings.annotate(alert_count=Count("alerts", distinct=True),
                                   sighting_count=Count("sightings", distinct=True))
                .prefetch_related("alerts__rule", "sightings__source")
                .order_by("-alert_count", "-created_at"))


def digest_send(*, workspace: Workspace, day: datetime.date | None = None) -> Digest | None:
    """Send the digest of ``day`` (today by default) once: a second call the same day
    sends nothing. Covers the clippings filed since the previous digest (at most a
    week). Returns the digest, or None when it was already sent."""
    now = timezone.now()
    day = day or timezone.localdate()
    digest, _created = Digest.objects.get_or_create(workspace=workspace, day=day)
    # Claim it: only one process sends a given day's digest.
    if Digest.objects.filter(pk=digest.pk, sent_at__isnull=True).update(sent_at=now) != 1:
        return None
    previous = (Digest.objects.filter(workspace=workspace, day__lt=day, sent_at__isnull=False)
                .order_by("-day").first())
    since = max(previous.sent_at if previous else now - datetime.timedelta(days=1),
                now - datetime.timedelta(days=7))
    clippings = digest_clippings(workspace, since, now)
    recipients = digest_recipients(workspace) if clippings else []
    try:
        _digest_mail(workspace, day, clippings, recipients)
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("digest %s %s: not sent: %s", workspace.slug, day, error)
        Digest.objects.filter(pk=digest.pk).update(sent_at=None)  # to be tried again
        raise
    Digest.objects.filter(pk=digest.pk).update(
        clipping_count=len(clippings), recipient_count=len(recipients))
    digest.refresh_from_db()
    return digest


def _digest_mail(workspace: Workspace, day: datetime.date, clippings: list[Clipping],
                 recipients: list[User]) -> None:
    if not recipients:
        return
    inbox = settings.SITE_URL + reverse("mediawatch:clipping-list", args=[workspace.slug])
    alerts = sum(1 for c in clippings if c.alert_count)
    messages = []
    for user in recipients:
        with translation.override(user.language or "fr"):
            context = {"workspace": workspace, "day": day, "clippings": clippings,
                       "alerts": alerts, "inbox": inbox, "site_url": settings.SITE_URL,
                       "site_name": settings.SITE_NAME, "user": user}
            subject = _("Revue de presse du %(day)s — %(workspace)s : %(count)s article(s)") % {
                "day": day.strftime("%d/%m/%Y"), "workspace": workspace.short_name,
                "count": len(clippings)}
            message = EmailMultiAlternatives(
                subject=subject, to=[user.email],
                body=render_to_string("mediawatch/email/digest.txt", context))
            message.attach_alternative(
                render_to_string("mediawatch/email/digest.html", context), "text/html")
        messages.append(message)
    with get_connection() as connection:
        connection.send_messages(messages)


def digest_schedule() -> bool:
    """Make sure one digest task waits for the next morning (no-op in tests)."""
    from hemicycle.mediawatch.tasks import mediawatch_digest_task, next_digest_time, schedule_once

    return schedule_once(mediawatch_digest_task, next_digest_time())


def digests_send(*, workspace: Workspace | None = None) -> int:
    """Today's digest of each workspace that has subscribers (or of one). Returns how
    many digests went out; a failing mail server is logged and retried next run."""
    workspaces = Workspace.objects.filter(
        pk__in=DigestSubscription.objects.values("workspace_id"))
    if workspace is not None:
        workspaces = workspaces.filter(pk=workspace.pk)
    sent = 0
    for ws in workspaces:
        try:
            sent += digest_send(workspace=ws) is not None
        except (smtplib.SMTPException, OSError):
            continue
    return sent
