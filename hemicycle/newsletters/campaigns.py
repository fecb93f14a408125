"""Campaigns: write, preview, test, schedule, send, cancel."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hemicycle.audit.services import audit_record
from hemicycle.newsletters.composing import campaign_compose, message_build
from hemicycle.newsletters.models import Campaign


def _check_target(campaign: Campaign) -> None:
    if not (campaign.mailing_list_id or campaign.audience or campaign.extra_addresses.strip()):
        raise ValidationError(_("Choisissez une liste, un public ou des adresses."))


@transaction.atomic
def campaign_create(*, workspace, by=None, **fields) -> Campaign:
    campaign = Campaign(workspace=workspace, author=by, **fields)
    _check_target(campaign)
    campaign.save()
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, **fields) -> Campaign:
    if not campaign.is_editable:
        raise ValidationError(_("Une campagne envoyée ne se modifie plus."))
    for name, value in fields.items():
        setattr(campaign, name, value)
    _check_target(campaign)
    campaign.save()
    return campaign


def campaign_test_send(*, campaign: Campaign, email: str) -> None:
    """One message to one address, exactly as recipients will get it (its unsubscribe
    link does nothing). Nothing is recorded on the campaign."""
    composed = campaign_compose(campaign, tracking=True)
    composed.subject = _("[Essai] %(subject)s") % {"subject": composed.subject}
    message_build(composed, to_email=email).send()


@transaction.atomic
def campaign_schedule(*, campaign: Campaign, when=None, by=None) -> Campaign:
    """Send now (``when`` empty or past) or at ``when``; the worker does the sending."""
    from hemicycle.newsletters.tasks import campaign_send_later

    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not campaign.is_editable:
        raise ValidationError(_("Cette campagne est déjà partie."))
    _check_target(campaign)
    now = timezone.now()
    campaign.scheduled_at = when if when and when > now else None
    campaign.status = Campaign.Status.SCHEDULED
    campaign.save(update_fields=["scheduled_at", "status"])
    audit_record(action="other", obj=campaign, actor=by, verb="newsletters.schedule",
                 message=campaign.scheduled_at.isoformat() if campaign.scheduled_at else "")
    run_after = campaign.scheduled_at
    pk = campaign.pk
    transaction.on_commit(lambda: campaign_send_later(pk, run_after))
    return campaign


@transaction.atomic
def campaign_cancel(*, campaign: Campaign) -> Campaign:
    """Back to draft, if it has not started."""
    updated = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SCHEDULED).update(
        status=Campaign.Status.DRAFT, scheduled_at=None)
    if not updated:
        raise ValidationError(_("Cette campagne ne peut plus être annulée."))
    campaign.refresh_from_db()
    return campaign


def campaigns_due() -> list[Campaign]:
    """Scheduled campaigns whose time has come, and sends left unfinished."""
    now = timezone.now()
    return list(Campaign.objects.filter(status=Campaign.Status.SCHEDULED).filter(
        scheduled_at__lte=now) | Campaign.objects.filter(status=Campaign.Status.SCHEDULED,
                                                         scheduled_at=None)
        | Campaign.objects.filter(status=Campaign.Status.SENDING))
