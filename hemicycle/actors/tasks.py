from django_tasks import task

from hemicycle.actors.models import ImportBatch


@task()
def import_batch_run_task(batch_id: int, skip_dissolved: bool = True) -> dict:
    """Run an import off the request; the page polls the batch for its progress."""
    batch = ImportBatch.objects.select_related("workspace").filter(
        pk=batch_id, status__in=[ImportBatch.Status.PENDING, ImportBatch.Status.QUEUED]).first()
    if batch is None:
        return {}
    from hemicycle.actors.services import import_batch_run

    return import_batch_run(batch=batch, skip_dissolved=skip_dissolved).as_counts()


@task()
def import_batch_undo_task(batch_id: int) -> dict:
    """Undo an import off the request, chunk by chunk; the page polls its progress."""
    from hemicycle.accounts.models import User
    from hemicycle.actors.services import import_batch_undo, import_batch_undo_state
    from hemicycle.audit.context import acting_as

    batch = ImportBatch.objects.select_related("workspace").filter(
        pk=batch_id, status=ImportBatch.Status.DONE).first()
    state = import_batch_undo_state(batch) if batch else None
    if not state:
        return {}
    by = User.objects.filter(pk=state.get("by")).first() if state.get("by") else None
    with acting_as(by, "" if by else "annulation d'import"):
        return {"deleted": import_batch_undo(batch=batch)}
