"""Background work of the media watch, for the task worker (`hemicycle db_worker`).

Two self-renewing tasks, with no cron: `mediawatch_poll_task` polls every due source,
then enqueues itself again with `run_after` set to the next due time;
`mediawatch_digest_task` sends the digests that are due (each subscriber chooses the
time) and comes back for the next one (at most DIGEST_MAX later, so that a changed
time is taken into account).
Only one of each ever waits (`schedule_once` checks before enqueueing).
"""

import datetime

from django.db.models import Min
from django.utils import timezone
from django_tasks import task, task_backends

from hemicycle.mediawatch.models import Source

POLL_MIN = datetime.timedelta(minutes=1)
POLL_MAX = datetime.timedelta(minutes=15)  # a new source waits at most this long
DIGEST_MIN = datetime.timedelta(minutes=1)
DIGEST_MAX = datetime.timedelta(minutes=15)


def schedule_once(task_, run_after: datetime.datetime) -> bool:
    """Enqueue ``task_`` to run at ``run_after`` unless one already waits. False when
    the backend cannot defer (the immediate backend of tests) or one is waiting."""
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


def next_poll_time() -> datetime.datetime:
    now = timezone.now()
    earliest = Source.objects.filter(active=True).aggregate(at=Min("next_poll_at"))["at"]
    if earliest is None:
        return now + POLL_MAX
    return min(max(earliest, now + POLL_MIN), now + POLL_MAX)


def next_digest_time(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next time a subscriber's digest is due, between one and fifteen minutes
    from now."""
    from django.db.models import F

    from hemicycle.mediawatch.models import DigestSubscription
    from hemicycle.mediawatch.services.digest import subscription_next_time

    now = now or timezone.now()
    subscriptions = DigestSubscription.objects.filter(
        user__is_active=True, user__memberships__workspace=F("workspace")).distinct()
    times = [subscription_next_time(s, now) for s in subscriptions]
    if not times:
        return now + DIGEST_MAX
    return min(max(min(times), now + DIGEST_MIN), now + DIGEST_MAX)


@task()
def mediawatch_poll_task() -> dict:
    from hemicycle.mediawatch import services

    reports = services.sources_poll(sources=services.sources_due())
    services.poll_schedule()
    return {"sources": len(reports), "new": sum(r.new for r in reports),
            "errors": sum(r.status == "error" for r in reports)}


@task()
def mediawatch_source_poll_task(source_id: int) -> dict:
    """"Poll now" from a source's page (active or not)."""
    from hemicycle.mediawatch import services

    source = Source.objects.select_related("workspace").filter(pk=source_id).first()
    if source is None:
        return {}
    report = services.source_poll(source=source)
    return {"status": report.status, "new": report.new, "duplicates": report.duplicates}


@task()
def mediawatch_digest_task() -> int:
    """Today's digest of every workspace with subscribers; then tomorrow's run."""
    from hemicycle.mediawatch import services

    sent = services.digests_send()
    services.digest_schedule()
    return sent
