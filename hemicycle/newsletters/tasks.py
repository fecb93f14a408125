"""Background work of the newsletters, for the task worker (`hemicycle db_worker`).

Besides the confirmation mail and the send, one self-renewing task with no cron:
`subscription_purge_task` deletes the unconfirmed requests whose link has expired, then
enqueues itself again (`run_after`) for when the next one lapses, at most a day later.
Only one ever waits (`schedule_once` checks before enqueueing); the first one is
enqueued by a request from the public form, or by `hemicycle newsletters_purge --schedule`.
"""

import datetime

from django.db.models import Min
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks import default_task_backend, task, task_backends

from hemicycle.newsletters import conf
from hemicycle.newsletters.models import Campaign, Subscriber

PURGE_MIN = datetime.timedelta(hours=1)
PURGE_MAX = datetime.timedelta(days=1)
PURGE_MARGIN = datetime.timedelta(minutes=1)  # run just after the request lapses


def schedule_once(task_, run_after: datetime.datetime) -> bool:
    """Enqueue ``task_`` to run at ``run_after`` unless one already waits. False when
    the backend cannot defer (the immediate backend of tests) or one is waiting.
    (The same as mediawatch's, kept here so that neither app depends on the other.)"""
    backend = task_backends[task_.backend]
    if not backend.supports_defer:
        return False
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if isinstance(backend, DatabaseBackend) and DBTaskResult.objects.filter(
            status="READY", task_path=task_.module_path).exists():
        return False
    task_.using(run_after=run_after).enqueue()
    return True


def next_purge_time(now: datetime.datetime | None = None) -> datetime.datetime:
    """Just after the oldest pending request lapses, between an hour and a day from now."""
    now = now or timezone.now()
    oldest = Subscriber.objects.filter(
        status=Subscriber.Status.PENDING, confirmed_at=None).aggregate(
        at=Min(Coalesce("requested_at", "created_at")))["at"]
    if oldest is None:
        return now + PURGE_MAX
    lapse = oldest + datetime.timedelta(days=conf.CONFIRM_DAYS) + PURGE_MARGIN
    return min(max(lapse, now + PURGE_MIN), now + PURGE_MAX)


def subscription_purge_schedule() -> bool:
    """Make sure one purge task waits (a no-op when one does, or when the task backend
    cannot defer tasks, as in tests)."""
    return schedule_once(subscription_purge_task, next_purge_time())


@task()
def subscription_purge_task() -> dict:
    """Delete the expired unconfirmed requests of every workspace; then the next run."""
    from hemicycle.audit.context import acting_as
    from hemicycle.newsletters.services import subscription_purge_unconfirmed

    with acting_as(None, "tâche de purge des demandes non confirmées"):
        report = subscription_purge_unconfirmed()
    subscription_purge_schedule()
    return report


@task()
def subscription_confirmation_send_task(subscriber_id: int) -> bool:
    """Mail the double opt-in link (the token is made here: it never sits in the queue)."""
    from hemicycle.newsletters.services import subscription_confirmation_send

    subscriber = Subscriber.objects.select_related("mailing_list__workspace").filter(
        pk=subscriber_id).first()
    if subscriber is None or subscriber.status == Subscriber.Status.BLOCKLISTED:
        return False
    subscription_confirmation_send(subscriber=subscriber)
    return True


@task()
def campaign_send_task(campaign_id: int) -> dict:
    """Launch (when its time has come) and send a campaign; enqueue itself again when
    the hourly limit or the mail server asks to wait."""
    from hemicycle.newsletters.sending import campaign_launch, campaign_send

    campaign = Campaign.objects.select_related("workspace").filter(pk=campaign_id).first()
    if campaign is None:
        return {"sent": 0}
    if campaign.status == Campaign.Status.SCHEDULED:
        if campaign.scheduled_at and campaign.scheduled_at > timezone.now():
            return {"sent": 0}  # rescheduled later: another task is waiting for it
        campaign_launch(campaign=campaign)
        campaign.refresh_from_db()
    if campaign.status != Campaign.Status.SENDING:
        return {"sent": 0}
    report = campaign_send(campaign=campaign)
    if report.retry_at and not report.finished:
        campaign_send_later(campaign_id, report.retry_at)
    return {"sent": report.sent, "failed": report.failed, "finished": report.finished}


def campaign_send_later(campaign_id: int, when) -> None:
    """Enqueue the send for ``when``. A backend that cannot defer (the immediate one of
    the tests) gets nothing: `hemicycle send_newsletters` picks due campaigns up."""
    if when is None:
        campaign_send_task.enqueue(campaign_id=campaign_id)
    elif default_task_backend.supports_defer:
        campaign_send_task.using(run_after=when).enqueue(campaign_id=campaign_id)
