"""Background jobs: they load rows by id and call a service."""

from django_tasks import task

from hemicycle.juries.models import Application, Draw, Juror


@task()
def application_link_send_task(application_id: int) -> bool:
    """The confirmation mail with the applicant's private link."""
    from hemicycle.juries.services.applications import application_link_send

    application = Application.objects.select_related("campaign").filter(
        pk=application_id).first()
    return application is not None and application_link_send(application=application) is not None


@task()
def application_missing_send_task(application_id: int, message: str) -> bool:
    from hemicycle.juries.services.applications import application_missing_send

    application = Application.objects.select_related("campaign").filter(
        pk=application_id).first()
    return application is not None and application_missing_send(
        application=application, message=message)


@task()
def application_notify_task(application_id: int) -> bool:
    from hemicycle.juries.services.results import application_notify_send

    application = Application.objects.select_related("campaign").filter(
        pk=application_id).first()
    return application is not None and application_notify_send(application=application)


@task()
def juror_link_send_task(juror_id: int) -> bool:
    from hemicycle.juries.services.scoring import juror_link_send

    juror = Juror.objects.select_related("campaign", "workspace", "user").filter(
        pk=juror_id, active=True).first()
    return juror is not None and juror_link_send(juror=juror)


@task()
def draw_run_task(draw_id: int) -> str:
    """A large pool's draw (small ones run during the request)."""
    from hemicycle.juries.services.draws import draw_run

    draw = Draw.objects.select_related("college").filter(
        pk=draw_id, status=Draw.Status.PENDING).first()
    return draw_run(draw=draw).status if draw else "skipped"
