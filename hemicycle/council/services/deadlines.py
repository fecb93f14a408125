"""Filing deadlines: the assembly sets, per body, how many days before a sitting the
group's amendments, oral questions and motions must be filed. From them: the deadline of
a writing (``writing_deadline``, also shown by the writings app), the deadlines of the
coming sittings (report page, dashboard panel "Échéances"), and the reminders e-mailed
to the authors and to the people following the report, J-3 and J-1, once each
(``hemicycle send_deadline_reminders``, daily)."""

from __future__ import annotations

import datetime
import logging
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemicycle.accounts.models import Membership, User, Workspace
from hemicycle.council.models import Body, DeadlineReminder, Sitting

logger = logging.getLogger(__name__)

# Writing kind (hemicycle.writings' Writing.Kind values) → the Body field of its delay.
DEADLINE_FIELDS = {
    "amendment": "amendment_deadline_days",
    "oral_question": "oral_question_deadline_days",
    "motion": "motion_deadline_days",
}
KIND_LABELS = {
    "amendment": gettext_lazy("Amendements"),
    "oral_question": gettext_lazy("Questions orales"),
    "motion": gettext_lazy("Vœux et motions"),
}
# Reminders go this many days before a deadline; a run that missed the first sends only
# the next one.
REMINDER_DAYS = (3, 1)


def deadline_before(body: Body, kind: str, starts_at: datetime.datetime
                    ) -> datetime.datetime | None:
    """The deadline for filing a writing of this kind for a sitting of this body."""
    days = getattr(body, DEADLINE_FIELDS[kind]) if kind in DEADLINE_FIELDS else None
    if days is None:
        return None
    day = timezone.localdate(starts_at) - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, body.deadline_time))


def writing_sitting(writing) -> Sitting | None:
    """The sitting a writing is for: its own, or its report's."""
    if writing.sitting_id:
        return writing.sitting
    return writing.report.sitting if writing.report_id and writing.report.sitting_id else None


def writing_deadline(writing) -> datetime.datetime | None:
    """When this writing must be filed at the latest (None: no deadline is set for its
    kind by its sitting's body, or it is for no sitting)."""
    sitting = writing_sitting(writing)
    if sitting is None or writing.kind not in DEADLINE_FIELDS:
        return None
    return deadline_before(sitting.body, writing.kind, sitting.starts_at)


def _pending_q() -> Q:
    """Writings not filed yet (draft, under review or validated)."""
    from hemicycle.writings.models import Writing

    pending = ~Q(status="filed") & Q(amendment_status="")
    if any(f.name == "filed_at" for f in Writing._meta.get_fields()):
        pending &= Q(filed_at__isnull=True)
    return pending


def pending_writings(workspace: Workspace | None = None, *, since: datetime.datetime):
    """Writings of a kind with deadlines, not filed, for a sitting from ``since`` on."""
    from hemicycle.writings.models import Writing

    writings = Writing.objects.filter(_pending_q(), kind__in=list(DEADLINE_FIELDS)).filter(
        Q(sitting__starts_at__gte=since)
        | Q(sitting__isnull=True, report__sitting__starts_at__gte=since))
    if workspace is not None:
        writings = writings.filter(workspace=workspace)
    return writings.select_related("sitting__body", "report__sitting__body", "author",
                                   "workspace")


@dataclass
class Deadline:
    sitting: Sitting
    kind: str
    at: datetime.datetime
    writings: list = field(default_factory=list)  # pending writings for it

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def days_left(self) -> int:
        return (timezone.localdate(self.at) - timezone.localdate()).days


def upcoming_deadlines(workspace: Workspace, *, days: int = 45,
                       sitting: Sitting | None = None) -> list[Deadline]:
    """The filing deadlines still to come for the sittings of the next ``days`` days (or
    of one sitting), with the group's writings that must meet them, soonest first."""
    now = timezone.now()
    sittings = Sitting.objects.filter(workspace=workspace, starts_at__gte=now)
    if sitting is not None:
        sittings = sittings.filter(pk=sitting.pk)
    else:
        sittings = sittings.filter(starts_at__lte=now + datetime.timedelta(days=days))
    found: dict[tuple[int, str], Deadline] = {}
    for each in sittings.select_related("body"):
        for kind in DEADLINE_FIELDS:
            at = deadline_before(each.body, kind, each.starts_at)
            if at is not None and at >= now:
                found[(each.pk, kind)] = Deadline(each, kind, at)
    if found:
        writings = pending_writings(workspace, since=now).filter(
            Q(sitting__in=[k[0] for k in found])
            | Q(report__sitting__in=[k[0] for k in found]))
        for writing in writings:
            deadline = found.get((writing_sitting(writing).pk, writing.kind))
            if deadline is not None:
                deadline.writings.append(writing)
    return sorted(found.values(), key=lambda d: (d.at, d.sitting.pk, d.kind))


# --- reminders ---------------------------------------------------------------------------


def _recipients(writing) -> list[User]:
    """The author and the people following its report, if still members of the
    workspace (and able to read it)."""
    people = {}
    if writing.author is not None:
        people[writing.author.pk] = writing.author
    if writing.report_id:
        people.update({u.pk: u for u in writing.report.assignees.all()})
    members = set(Membership.objects.filter(
        workspace_id=writing.workspace_id, user__in=list(people),
        role__in=["admin", "staff", "elected"]).values_list("user_id", flat=True))
    return [u for pk, u in people.items() if pk in members and u.is_active]


def _reminder_step(deadline: datetime.datetime, today: datetime.date) -> int | None:
    """Which reminder is due today (3, 1), if any, for this deadline."""
    days_left = (timezone.localdate(deadline) - today).days
    if days_left < 0:
        return None
    due = [step for step in REMINDER_DAYS if days_left <= step]
    return min(due) if due else None


def _send_reminder(writing, user: User, deadline: datetime.datetime, step: int) -> bool:
    """Claim the reminder (a unique row), then send it; a failed send gives the claim
    back for the next run."""
    try:
        with transaction.atomic():
            reminder = DeadlineReminder.objects.create(
                workspace_id=writing.workspace_id, writing=writing, user=user,
                days_before=step, deadline=deadline)
    except IntegrityError:
        return False  # already sent
    url = settings.SITE_URL.rstrip("/") + reverse(
        "writings:writing-detail", args=[writing.workspace.slug, writing.code])
    with translation.override(user.language or "fr"):
        context = {"writing": writing, "user": user, "deadline": deadline, "step": step,
                   "sitting": writing_sitting(writing), "url": url,
                   "workspace": writing.workspace, "site_name": settings.SITE_NAME}
        subject = _("J-%(step)d : « %(title)s » à déposer avant le %(date)s") % {
            "step": step, "title": writing.title[:80],
            "date": timezone.localtime(deadline).strftime("%d/%m/%Y %H:%M")}
        body = render_to_string("council/email/deadline_reminder.txt", context)
    try:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[user.email])
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("deadline reminder of writing %s to user %s: not sent: %s",
                       writing.pk, user.pk, error)
        reminder.delete()
        return False
    return True


def deadline_reminders_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The daily run: every writing not filed whose deadline is 3 days or 1 day away
    reminds its author and its report's followers, once per step and deadline."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = {"writings": 0, "emails": 0}
    for writing in pending_writings(since=now).prefetch_related("report__assignees"):
        deadline = writing_deadline(writing)
        if deadline is None or deadline < now:
            continue
        step = _reminder_step(deadline, today)
        if step is None:
            continue
        count = sum(_send_reminder(writing, user, deadline, step)
                    for user in _recipients(writing))
        if count:
            sent["writings"] += 1
            sent["emails"] += count
    return sent
