"""Background jobs: they load rows by id and call a service."""

from django_tasks import task

from hemicycle.council.models import IngestionBatch


@task()
def ingestion_batch_run_task(batch_id: int) -> int:
    """Process a batch's pending files. Returns how many files are done."""
    from hemicycle.council.services.ingestion import ingestion_batch_run

    batch = IngestionBatch.objects.select_related("workspace__assembly", "sitting").filter(
        pk=batch_id).first()
    if batch is None:
        return 0
    return ingestion_batch_run(batch).files_done


@task()
def assignment_notify_task(report_id: int, user_id: int, by_id: int | None = None) -> bool:
    from hemicycle.council.services.followup import assignment_notify

    return assignment_notify(report_id=report_id, user_id=user_id, by_id=by_id)


@task()
def comment_mention_notify_task(comment_id: int, user_ids: list[int]) -> int:
    from hemicycle.council.services.followup import comment_mention_notify

    return comment_mention_notify(comment_id=comment_id, user_ids=user_ids)


@task()
def council_digest_send_task(workspace_id: int, user_id: int) -> int:
    """One user's digest of their new inbox items (after an ingestion, or daily)."""
    from hemicycle.council.services.watch import council_digest_send

    return council_digest_send(workspace_id=workspace_id, user_id=user_id)


@task()
def council_daily_digest_task() -> dict:
    """The daily digest for everyone (what `hemicycle send_council_digest` does)."""
    from hemicycle.council.services.watch import council_digest_send_all

    return council_digest_send_all()


@task()
def deadline_reminders_send_task() -> dict:
    """The daily deadline reminders (what `hemicycle send_deadline_reminders` does)."""
    from hemicycle.council.services.deadlines import deadline_reminders_send

    return deadline_reminders_send()
