from django.utils import timezone
from django_tasks import default_task_backend, task

from hemicycle.newsletters.models import Campaign, Subscriber


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
