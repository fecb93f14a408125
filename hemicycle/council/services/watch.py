"""Watch rules, the "À traiter" inbox, and the e-mails that tell people about it: one
digest per user after each ingestion batch (and a daily one for what is left). The
e-mails of an assignment and of a mention are in followup.py."""

from __future__ import annotations

import logging
import smtplib
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hemicycle.accounts.models import Membership, User, Workspace
from hemicycle.council import searchsyntax
from hemicycle.council.models import (
    InboxItem,
    IngestionBatch,
    IngestionItem,
    Report,
    Watchlist,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def watchlist_save(*, workspace: Workspace, user: User, watchlist: Watchlist | None = None,
                   **fields) -> Watchlist:
    watchlist = watchlist or Watchlist(workspace=workspace, user=user)
    for name, value in fields.items():
        setattr(watchlist, name, value)
    if not (watchlist.query.strip() or watchlist.policy_area or watchlist.place
            or watchlist.min_amount is not None):
        raise ValidationError(_("Donnez au moins un critère : une recherche, un domaine, un "
                                "lieu ou un montant."))
    if watchlist.query.strip() and searchsyntax.parse(watchlist.query).is_empty:
        raise ValidationError(_("La recherche doit contenir au moins un mot (pas seulement "
                                "des exclusions)."))
    watchlist.save()
    return watchlist


def _place_matches(report: Report, place: str) -> bool:
    wanted = searchsyntax.fold(place.strip())
    for entry in report.entities.get("places", []):
        if wanted in (entry.get("code", ""), searchsyntax.fold(entry.get("name", ""))):
            return True
    return False


def _max_amount(report: Report) -> Decimal | None:
    try:
        value = report.entities.get("max_amount")
        return Decimal(value) if value else None
    except (InvalidOperation, TypeError):
        return None


def watchlist_matches(watchlist: Watchlist, reports: list[Report]) -> list[Report]:
    """The reports that meet every criterion of the rule."""
    from hemicycle.council.search import report_ids_matching

    kept = [r for r in reports if r.workspace_id == watchlist.workspace_id]
    if watchlist.policy_area:
        area = searchsyntax.fold(watchlist.policy_area)
        kept = [r for r in kept if area in searchsyntax.fold(r.policy_area)]
    if watchlist.place:
        kept = [r for r in kept if _place_matches(r, watchlist.place)]
    if watchlist.min_amount is not None:
        kept = [r for r in kept if (_max_amount(r) or 0) >= watchlist.min_amount]
    if watchlist.query.strip() and kept:
        ids = report_ids_matching(watchlist.workspace, watchlist.query, [r.id for r in kept])
        kept = [r for r in kept if r.id in ids]
    return kept


def inbox_add(*, user: User, report: Report, reason: str = "",
              watchlist: Watchlist | None = None) -> tuple[InboxItem, bool]:
    item, created = InboxItem.objects.get_or_create(
        user=user, report=report, defaults={"workspace_id": report.workspace_id,
                                            "watchlist": watchlist, "reason": reason[:300]})
    if not created and item.done_at is not None and reason:
        item.done_at, item.reason = None, reason[:300]  # back in the inbox
        item.save(update_fields=["done_at", "reason", "updated_at"])
    return item, created


def watch_reports_match(workspace: Workspace, reports: list[Report]) -> dict[int, int]:
    """Run every active rule of the workspace on these reports; fill inboxes. Returns the
    number of new inbox items per user id."""
    added: dict[int, int] = {}
    members = Membership.objects.filter(workspace=workspace).values("user_id")
    rules = Watchlist.objects.filter(workspace=workspace, active=True, user__in=members)
    for rule in rules.select_related("user", "workspace"):
        for report in watchlist_matches(rule, reports):
            _item, created = inbox_add(user=rule.user, report=report, watchlist=rule,
                                       reason=_("Veille « %(name)s »") % {"name": rule.name})
            if created:
                added[rule.user_id] = added.get(rule.user_id, 0) + 1
    return added


def watch_batch_match(batch: IngestionBatch) -> dict[int, int]:
    """After an ingestion: the batch's reports through the watch rules, then one digest
    per user who got something."""
    from hemicycle.council.tasks import council_digest_send_task

    documents = batch.items.filter(status=IngestionItem.Status.DONE).values("document_id")
    reports = list(Report.objects.filter(workspace=batch.workspace,
                                         source_document__in=documents))
    added = watch_reports_match(batch.workspace, reports)
    for user_id in added:
        transaction.on_commit(lambda user_id=user_id: council_digest_send_task.enqueue(
            workspace_id=batch.workspace_id, user_id=user_id))
    return added


@transaction.atomic
def inbox_item_done(*, item: InboxItem) -> InboxItem:
    item.done_at = timezone.now()
    item.save(update_fields=["done_at", "updated_at"])
    return item


def _url(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def council_digest_send(*, workspace_id: int, user_id: int) -> int:
    """Mail a user the inbox items they have not been told about yet; returns how many
    (0: nothing to say, or the mail server failed and they stay for the next digest)."""
    items = list(InboxItem.objects.filter(
        workspace_id=workspace_id, user_id=user_id, notified_at=None, done_at=None,
        user__is_active=True).select_related("report__sitting", "workspace", "user")
        .order_by("report__sitting__starts_at", "report__rank"))
    if not items:
        return 0
    user, workspace = items[0].user, items[0].workspace
    for item in items:
        item.url = _url("council:report-detail", workspace.slug, item.report.code)
    with translation.override(user.language or "fr"):
        context = {"user": user, "workspace": workspace, "items": items,
                   "inbox_url": _url("council:inbox", workspace.slug),
                   "site_name": settings.SITE_NAME}
        subject = _("%(count)d rapport(s) à traiter — %(workspace)s") % {
            "count": len(items), "workspace": workspace.short_name}
        body = render_to_string("council/email/digest.txt", context)
    try:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[user.email])
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("council digest for user %s: not sent: %s", user_id, error)
        return 0
    InboxItem.objects.filter(pk__in=[item.pk for item in items]).update(
        notified_at=timezone.now())
    return len(items)


def council_digest_send_all() -> dict[str, int]:
    """The daily digest: every user with inbox items they were not told about."""
    pairs = (InboxItem.objects.filter(notified_at=None, done_at=None)
             .values_list("workspace_id", "user_id").distinct())
    sent = {"users": 0, "items": 0}
    for workspace_id, user_id in sorted(set(pairs)):
        count = council_digest_send(workspace_id=workspace_id, user_id=user_id)
        if count:
            sent["users"] += 1
            sent["items"] += count
    return sent
