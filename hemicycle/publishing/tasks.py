"""Background tasks: thin, they load rows by id and call a service.

The worker (``hemicycle db_worker``) runs ``publication_publish_task``; scheduled posts
and retries are picked up by ``hemicycle publish_due`` (a cron job every minute, or
``hemicycle publish_due --loop`` beside the worker).
"""

from django_tasks import task

from hemicycle.publishing import services


@task()
def publication_publish_task(publication_id: int) -> str:
    publication = services.publication_publish(publication_id)
    return publication.status if publication else "skipped"
