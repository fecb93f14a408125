"""The daily digest e-mail: the clippings filed since the subscriber's previous digest,
alerts first, at the time each subscriber chose (07:00 in Paris by default).

Each subscription is claimed for its local day by a conditional UPDATE, so that nobody
gets two digests the same day whatever runs it (the task, the command, a retry). The
``Digest`` row of a workspace's day keeps the figures (first sending, clippings, people).
"""

import datetime
import logging
import smtplib
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count, F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemicycle.accounts.models import Membership, User, Workspace
from hemicycle.mediawatch.models import (
    DEFAULT_DIGEST_TIME,
    DEFAULT_DIGEST_ZONE,
    Clipping,
    Digest,
    DigestSubscription,
)

logger = logging.getLogger(__name__)

# The time zones offered: metropolitan France and the overseas départements and
# collectivités where groups of elected officials sit.
DIGEST_ZONES = [
    ("Europe/Paris", gettext_lazy("France métropolitaine, Corse")),
    ("America/Guadeloupe", gettext_lazy("Guadeloupe, Martinique, Saint-Martin")),
    ("America/Cayenne", gettext_lazy("Guyane")),
    ("Indian/Reunion", gettext_lazy("La Réunion")),
    ("Indian/Mayotte", gettext_lazy("Mayotte")),
    ("America/Miquelon", gettext_lazy("Saint-Pierre-et-Miquelon")),
    ("Pacific/Noumea", gettext_lazy("Nouvelle-Calédonie")),
    ("Pacific/Tahiti", gettext_lazy("Polynésie française")),
    ("Pacific/Wallis", gettext_lazy("Wallis-et-Futuna")),
]


def digest_subscribe(*, workspace: Workspace, user: User, subscribed: bool,
                     send_at: datetime.time | None = None,
                     time_zone: str | None = None) -> DigestSubscription | None:
    """Subscribe (or change the time of) or unsubscribe the user."""
    if not subscribed:
        DigestSubscription.objects.filter(workspace=workspace, user=user).delete()
        return None
    if time_zone is not None and time_zone not in dict(DIGEST_ZONES):
        raise ValidationError(_("Fuseau horaire inconnu."))
    subscription, _created = DigestSubscription.objects.get_or_create(
        workspace=workspace, user=user,
        defaults={"send_at": send_at or DEFAULT_DIGEST_TIME,
                  "time_zone": time_zone or DEFAULT_DIGEST_ZONE})
    if send_at is not None or time_zone is not None:
        subscription.send_at = send_at or subscription.send_at
        subscription.time_zone = time_zone or subscription.time_zone
        subscription.save(update_fields=["send_at", "time_zone", "updated_at"])
    transaction.on_commit(digest_schedule)
    return subscription


def _zone(subscription: DigestSubscription) -> ZoneInfo:
    try:
        return ZoneInfo(subscription.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_DIGEST_ZONE)


def subscription_local_day(subscription: DigestSubscription,
                           now: datetime.datetime) -> datetime.date:
    return now.astimezone(_zone(subscription)).date()


def subscription_is_due(subscription: DigestSubscription, now: datetime.datetime) -> bool:
    """Its time has come today (in its zone) and today's digest has not gone out."""
    local = now.astimezone(_zone(subscription))
    return (local.time() >= subscription.send_at
            and subscription.last_sent_on != local.date())


def subscription_next_time(subscription: DigestSubscription,
                           now: datetime.datetime) -> datetime.datetime:
    """When its next digest is due (now or earlier when it is already due)."""
    zone = _zone(subscription)
    local = now.astimezone(zone)
    today = datetime.datetime.combine(local.date(), subscription.send_at, tzinfo=zone)
    if subscription.last_sent_on == local.date():
        return datetime.datetime.combine(local.date() + datetime.timedelta(days=1),
                                         subscription.send_at, tzinfo=zone)
    return today


def digest_subscriptions(workspace: Workspace):
    """Subscriptions of users who are still active members of the workspace."""
    members = Membership.objects.filter(workspace=workspace).values_list("user_id", flat=True)
    return (DigestSubscription.objects.filter(workspace=workspace, user_id__in=members,
                                              user__is_active=True)
            .select_related("user").order_by("user__email"))


def digest_recipients(workspace: Workspace) -> list[User]:
    """Subscribed users who are still active members of the workspace."""
    return [s.user for s in digest_subscriptions(workspace)]


def digest_clippings(workspace: Workspace, since: datetime.datetime, until: datetime.datetime):
    clippings = Clipping.objects.filter(workspace=workspace, created_at__gte=since,
                                        created_at__lt=until)
    return list(clippings.annotate(alert_count=Count("alerts", distinct=True),
                                   sighting_count=Count("sightings", distinct=True))
                .prefetch_related("alerts__rule", "sightings__source")
                .order_by("-alert_count", "-created_at"))


def digest_send(*, workspace: Workspace, now: datetime.datetime | None = None,
                everyone: bool = False) -> Digest | None:
    """Send the digest to the workspace's subscribers whose time has come (``everyone``:
    all those not served today, whatever their time: the command). Each gets the
    clippings filed since their previous digest (a day for a first one, at most a week),
    once a day. Returns the day's digest, or None when nobody was due."""
    now = now or timezone.now()
    due = [s for s in digest_subscriptions(workspace)
           if (everyone and s.last_sent_on != subscription_local_day(s, now))
           or subscription_is_due(s, now)]
    claimed = []
    for subscription in due:  # claim each one: only one process sends it today
        day = subscription_local_day(subscription, now)
        if DigestSubscription.objects.filter(pk=subscription.pk).exclude(
                last_sent_on=day).update(last_sent_on=day):
            claimed.append(subscription)
    if not claimed:
        return None
    by_since: dict[datetime.datetime, list[DigestSubscription]] = {}
    for subscription in claimed:
        since = max(subscription.last_sent_at or now - datetime.timedelta(days=1),
                    now - datetime.timedelta(days=7))
        by_since.setdefault(since, []).append(subscription)
    day = timezone.localdate(now)
    batches = [(digest_clippings(workspace, since, now), subs)
               for since, subs in by_since.items()]
    try:
        _digest_mail(workspace, day, [(clippings, [s.user for s in subs])
                                      for clippings, subs in batches if clippings])
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("digest %s %s: not sent: %s", workspace.slug, day, error)
        for subscription in claimed:  # to be tried again
            DigestSubscription.objects.filter(pk=subscription.pk).update(
                last_sent_on=subscription.last_sent_on)
        raise
    DigestSubscription.objects.filter(pk__in=[s.pk for s in claimed]).update(
        last_sent_at=now)
    digest, _created = Digest.objects.get_or_create(workspace=workspace, day=day)
    reached = sum(len(subs) for clippings, subs in batches if clippings)
    most = max(len(clippings) for clippings, _subs in batches)
    Digest.objects.filter(pk=digest.pk, sent_at__isnull=True).update(sent_at=now)
    Digest.objects.filter(pk=digest.pk).update(
        recipient_count=F("recipient_count") + reached,
        clipping_count=most if most > digest.clipping_count else F("clipping_count"))
    digest.refresh_from_db()
    return digest


def _digest_mail(workspace: Workspace, day: datetime.date,
                 batches: list[tuple[list[Clipping], list[User]]]) -> None:
    """One message per person; those who share a starting point share the clippings."""
    inbox = settings.SITE_URL + reverse("mediawatch:clipping-list", args=[workspace.slug])
    messages = []
    for clippings, recipients in batches:
        alerts = sum(1 for c in clippings if c.alert_count)
        for user in recipients:
            with translation.override(user.language or "fr"):
                context = {"workspace": workspace, "day": day, "clippings": clippings,
                           "alerts": alerts, "inbox": inbox, "site_url": settings.SITE_URL,
                           "site_name": settings.SITE_NAME, "user": user}
                subject = _("Revue de presse du %(day)s — %(workspace)s : %(count)s "
                            "article(s)") % {"day": day.strftime("%d/%m/%Y"),
                                             "workspace": workspace.short_name,
                                             "count": len(clippings)}
                message = EmailMultiAlternatives(
                    subject=subject, to=[user.email],
                    body=render_to_string("mediawatch/email/digest.txt", context))
                message.attach_alternative(
                    render_to_string("mediawatch/email/digest.html", context), "text/html")
            messages.append(message)
    if not messages:
        return
    with get_connection() as connection:
        connection.send_messages(messages)


def digest_schedule() -> bool:
    """Make sure one digest task waits for the next morning (no-op in tests)."""
    from hemicycle.mediawatch.tasks import mediawatch_digest_task, next_digest_time, schedule_once

    return schedule_once(mediawatch_digest_task, next_digest_time())


def digests_send(*, workspace: Workspace | None = None, now: datetime.datetime | None = None,
                 everyone: bool = False) -> int:
    """The digests due now in each workspace that has subscribers (or in one; with
    ``everyone``, to all not served today). Returns in how many workspaces digests went
    out; a failing mail server is logged and retried next run."""
    workspaces = Workspace.objects.filter(
        pk__in=DigestSubscription.objects.values("workspace_id"))
    if workspace is not None:
        workspaces = workspaces.filter(pk=workspace.pk)
    sent = 0
    for ws in workspaces:
        try:
            sent += digest_send(workspace=ws, now=now, everyone=everyone) is not None
        except (smtplib.SMTPException, OSError):
            continue
    return sent
