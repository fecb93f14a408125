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


@task()
def press_page_refresh_task(workspace_id: int) -> str:
    """The website's press page, after a press release was sent. A failure is kept on
    the page (shown on its screen) and the next release or the button tries again."""
    from hemicycle.accounts.models import Workspace
    from hemicycle.publishing.clients.base import PublishError

    workspace = Workspace.objects.filter(pk=workspace_id).first()
    if workspace is None:
        return "skipped"
    try:
        page = services.press_page_refresh(workspace=workspace)
    except PublishError:
        return "failed"
    return "refreshed" if page else "no website"
