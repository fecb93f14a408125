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
