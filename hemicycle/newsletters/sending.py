"""The send loop: one campaign, one delivery row per recipient, never twice, nobody skipped.

How a crash is survived
-----------------------
- ``campaign_launch`` freezes the recipients as ``Delivery`` rows (``queued``) in one
  transaction; later changes to the list do not touch a campaign being sent.
- One worker at a time holds a campaign (a lease: ``worker`` + ``heartbeat_at``). A new
  worker takes it over when the lease is older than ``LEASE_SECONDS`` or when its holder
  is a process of this host that no longer exists (a crash, a ``kill -9``).
- Over SMTP (Django's configured backend, one persistent connection) each message is
  one transaction: MAIL FROM, RCPT TO, DATA and the whole message *except* the final
  ``<CRLF>.<CRLF>``. Only then is the row marked ``sending`` and committed; then the
  terminator is written and the reply read. The server accepts nothing before the
  terminator, and a broken connection makes it drop the transaction.
- So after a crash a ``queued`` row was certainly not delivered (it is sent), and a
  ``sending`` row was handed over or within one ``write()`` of it: it is resolved as
  **sent** (``uncertain`` is set). The choice is **at most once**: a subscriber never
  gets the same letter twice; the price is a window of one system call per crash where
  a message could be lost (at-least-once would instead risk a duplicate in the window
  between the server's "250" and our commit, which is much longer). Each message also
  carries its own Message-ID (``<campaign.delivery@domain>``), which bounces are matched
  with and which lets receivers drop any duplicate.
- ``sent`` marks are written in batches (a ``sending`` row counts as sent anyway), so
  the loop costs one commit per message. That commit only has to survive the worker's
  crash, not the database server's: the loop's connection relaxes durability
  (SQLite ``synchronous=NORMAL`` in WAL mode, PostgreSQL ``synchronous_commit=off``),
  which is safe when the worker dies and turns a sub-second window of commits into
  possible duplicates only if the database host itself loses power.
- Other backends (console, in-memory in tests) have no such control: the row is marked
  ``sending`` before the call and ``sent`` after.

Rate limits: ``NEWSLETTER_RATE_PER_SECOND`` paces the loop; ``NEWSLETTER_RATE_PER_HOUR``
stops it when the last hour's count is reached, and the task is enqueued again for when
the window has room.
"""

import logging
import os
import re
import secrets
import smtplib
import socket
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr

from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from hemicycle.audit.services import audit_record
from hemicycle.newsletters import conf
from hemicycle.newsletters.composing import (
    MessageTemplate,
    campaign_compose,
    message_build,
    message_id,
    smtp_quote,
)
from hemicycle.newsletters.models import Campaign, Delivery

logger = logging.getLogger(__name__)

BATCH = 200
MESSAGE_ID = re.compile(r"<([0-9a-f]{32})\.(\d+)@")
# Consecutive connection errors before the loop gives up and retries later.
MAX_CONNECTION_ERRORS = 3
RETRY_AFTER = timedelta(minutes=2)


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    finished: bool = False
    retry_at: object = None  # a datetime when the loop stopped for a limit or an error


def delivery_from_message_id(value: str) -> Delivery | None:
    match = MESSAGE_ID.search(value or "")
    if not match:
        return None
    return Delivery.objects.select_related("campaign__workspace").filter(
        pk=int(match.group(2)), campaign__code=match.group(1)).first()


def campaign_counts(campaign: Campaign) -> dict[str, int]:
    rows = campaign.deliveries.aggregate(
        total=Count("id"),
        queued=Count("id", filter=Q(status=Delivery.Status.QUEUED)),
        delivered=Count("id", filter=Q(status__in=[Delivery.Status.SENT,
                                                   Delivery.Status.SENDING],
                                       bounced_at=None)),
        failed=Count("id", filter=Q(status=Delivery.Status.FAILED)),
        bounced=Count("id", filter=~Q(bounced_at=None)),
        unsubscribed=Count("id", filter=~Q(unsubscribed_at=None)),
    )
    rows["done"] = rows["total"] - rows["queued"]
    rows["percent"] = round(100 * rows["done"] / rows["total"]) if rows["total"] else 0
    return rows


# --- launching -------------------------------------------------------------------------


@transaction.atomic
def campaign_launch(*, campaign: Campaign, by=None) -> int:
    """Freeze the recipients and mark the campaign as sending. Returns how many."""
    from hemicycle.newsletters.services import campaign_recipients

    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status not in (Campaign.Status.DRAFT, Campaign.Status.SCHEDULED):
        return campaign.deliveries.count()
    recipients = campaign_recipients(campaign)
    subscriber_ids = {}
    for recipient in recipients:
        if recipient.origin.startswith("subscriber:"):
            subscriber_ids[recipient.email] = int(recipient.origin.partition(":")[2])
    Delivery.objects.bulk_create(
        [Delivery(campaign=campaign, email=r.email.strip().lower(), name=r.name[:150],
                  origin=r.origin[:200], subscriber_id=subscriber_ids.get(r.email))
         for r in recipients],
        batch_size=1000, ignore_conflicts=True)
    campaign.status = Campaign.Status.SENDING
    campaign.started_at = timezone.now()
    campaign.save(update_fields=["status", "started_at"])
    audit_record(action="other", obj=campaign, actor=by, verb="newsletters.send",
                 message=f"{len(recipients)}")
    return len(recipients)


# --- the lease -------------------------------------------------------------------------


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _holder_is_dead(worker: str) -> bool:
    host, _sep, rest = worker.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _lease_take(campaign: Campaign, me: str) -> bool:
    stale = timezone.now() - timedelta(seconds=conf.LEASE_SECONDS)
    holder = Campaign.objects.filter(pk=campaign.pk).values_list("worker", flat=True).first()
    free = Q(worker="") | Q(heartbeat_at__lt=stale) | Q(heartbeat_at=None)
    if holder and _holder_is_dead(holder):
        free |= Q(worker=holder)
    return bool(Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SENDING)
                .filter(free).update(worker=me, heartbeat_at=timezone.now()))


def _lease_renew(campaign: Campaign, me: str) -> bool:
    return bool(Campaign.objects.filter(pk=campaign.pk, worker=me).update(
        heartbeat_at=timezone.now()))


def _lease_release(campaign: Campaign, me: str) -> None:
    Campaign.objects.filter(pk=campaign.pk, worker=me).update(worker="", heartbeat_at=None)


def deliveries_recover(campaign: Campaign) -> int:
    """Rows a crashed worker left in ``sending`` were handed to the server: sent."""
    return campaign.deliveries.filter(status=Delivery.Status.SENDING).update(
        status=Delivery.Status.SENT, uncertain=True)


# --- one message over SMTP, with the commit just before the terminator ------------------


class Refused(Exception):
    """The server refused this one message (a 5xx/4xx on RCPT or DATA)."""


def _smtp_send(connection: smtplib.SMTP, *, sender: str, to: str, data: bytes,
               mark: Callable[[], None]) -> None:
    """One SMTP transaction; ``data`` is already dot-stuffed with CRLF line ends."""
    if not getattr(connection, "_hemicycle_nodelay", False):
        connection.ehlo_or_helo_if_needed()
        # The message goes in two writes (body, then the terminator after the commit):
        # without TCP_NODELAY, Nagle would hold the second until the server's delayed ACK.
        connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        connection._hemicycle_nodelay = True
    code, reply = connection.mail(sender)
    if code != 250:
        connection.rset()
        raise Refused(f"{code} {reply.decode(errors='replace')}")
    code, reply = connection.rcpt(to)
    if code not in (250, 251):
        connection.rset()
        raise Refused(f"{code} {reply.decode(errors='replace')}")
    code, reply = connection.docmd("DATA")
    if code != 354:
        connection.rset()
        raise Refused(f"{code} {reply.decode(errors='replace')}")
    connection.send(data)
    mark()  # committed: from here on the message counts as sent
    connection.send(b".\r\n")
    code, reply = connection.getreply()
    if code != 250:
        raise Refused(f"{code} {reply.decode(errors='replace')}")


# --- the loop --------------------------------------------------------------------------


class _Pacer:
    def __init__(self, per_second: float) -> None:
        self.interval = 1 / per_second if per_second > 0 else 0
        self.next = time.monotonic()

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if self.next > now:
            time.sleep(self.next - now)
        self.next = max(self.next, now) + self.interval


def _hour_budget() -> tuple[int | None, object]:
    """How many more messages the hourly limit allows now, and when room comes back."""
    limit = conf.rate_per_hour()
    if limit <= 0:
        return None, None
    since = timezone.now() - timedelta(hours=1)
    recent = Delivery.objects.filter(sent_at__gte=since)
    used = recent.count()
    oldest = recent.order_by("sent_at").values_list("sent_at", flat=True).first()
    return max(0, limit - used), (oldest + timedelta(hours=1)) if oldest else None


def campaign_send(*, campaign: Campaign, max_messages: int | None = None) -> SendReport:
    """Send what is left of a campaign. Safe to call again at any time, from any process."""
    report = SendReport()
    me = _worker_name()
    if not _lease_take(campaign, me):
        return report
    try:
        deliveries_recover(campaign)
        _send_loop(campaign, me, report, max_messages)
        # A message whose connection broke after its hand-over: sent, at most once.
        deliveries_recover(campaign)
    finally:
        _lease_release(campaign, me)
    if not campaign.deliveries.filter(status=Delivery.Status.QUEUED).exists():
        Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SENDING).update(
            status=Campaign.Status.SENT, sent_at=timezone.now())
        report.finished = True
    return report


@contextmanager
def _crash_safe_commits():
    """Commits that survive the worker's death without waiting for the disk (see above)."""
    vendor = connection.vendor
    statements = {"sqlite": ("PRAGMA synchronous=NORMAL", "PRAGMA synchronous=FULL"),
                  "postgresql": ("SET synchronous_commit = off", "RESET synchronous_commit")}
    relax, restore = statements.get(vendor, ("", ""))
    if relax and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(relax)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(restore)
    else:
        yield


def _send_loop(campaign: Campaign, me: str, report: SendReport, max_messages) -> None:
    with _crash_safe_commits():
        _send_loop_inner(campaign, me, report, max_messages)


def _send_loop_inner(campaign: Campaign, me: str, report: SendReport, max_messages) -> None:
    composed = campaign_compose(campaign)
    template = None
    backend = get_connection(fail_silently=False)
    over_smtp = isinstance(backend, SmtpBackend)
    sender = conf.bounce_address() or parseaddr(composed.from_email)[1]
    pacer = _Pacer(conf.rate_per_second())
    errors = 0
    pending_sent: list[int] = []
    try:
        backend.open()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("newsletter %s: mail server unavailable: %s", campaign.code, error)
        report.retry_at = timezone.now() + RETRY_AFTER
        return
    try:
        while max_messages is None or report.sent + report.failed < max_messages:
            budget, room_at = _hour_budget()
            if budget == 0:
                report.retry_at = room_at
                return
            size = min(BATCH, budget) if budget is not None else BATCH
            rows = list(campaign.deliveries.filter(status=Delivery.Status.QUEUED)
                        .order_by("pk").values_list("pk", "email", "name")[:size])
            if not rows or not _lease_renew(campaign, me):
                return
            template = MessageTemplate(composed)  # per batch: a fresh Date header
            for pk, email, name in rows:
                if max_messages is not None and report.sent + report.failed >= max_messages:
                    return
                pacer.wait()
                msgid = message_id(campaign, pk)
                try:
                    if over_smtp:
                        if backend.connection is None:
                            backend.open()
                        _smtp_send(backend.connection, sender=sender, to=email,
                                   data=_message_bytes(composed, template, email, name, pk,
                                                       msgid),
                                   mark=lambda pk=pk: _mark_sending(pk))
                    else:
                        _mark_sending(pk)
                        backend.send_messages([message_build(
                            composed, to_email=email, to_name=name, delivery_pk=pk,
                            msgid=msgid)])
                except Refused as refusal:
                    _mark_failed(pk, str(refusal))
                    report.failed += 1
                    continue
                except (smtplib.SMTPException, OSError) as error:
                    # The connection broke: this row is still queued unless it was marked.
                    logger.warning("newsletter %s: %s", campaign.code, error)
                    errors += 1
                    _reconnect(backend)
                    if errors >= MAX_CONNECTION_ERRORS:
                        report.retry_at = timezone.now() + RETRY_AFTER
                        return
                    break
                errors = 0
                report.sent += 1
                pending_sent.append(pk)
                if len(pending_sent) >= 100:
                    _flush_sent(pending_sent)
    finally:
        _flush_sent(pending_sent)
        backend.close()


def _message_bytes(composed, template, email: str, name: str, pk: int, msgid: str) -> bytes:
    if template is not None and template.usable:
        return template.render(email=email, name=name, delivery_pk=pk, msgid=msgid)
    message = message_build(composed, to_email=email, to_name=name, delivery_pk=pk, msgid=msgid)
    return smtp_quote(message.message().as_bytes(linesep="\r\n"))


def _reconnect(backend) -> None:
    try:
        backend.close()
    except Exception:  # noqa: BLE001 - the connection is gone anyway
        backend.connection = None
    backend.connection = None


_MARK_SENDING = None


def _mark_sending(pk: int) -> None:
    """The one commit per message, so plain SQL (the ORM's query building would cost
    more than the update itself)."""
    global _MARK_SENDING
    if _MARK_SENDING is None:
        table = connection.ops.quote_name(Delivery._meta.db_table)
        _MARK_SENDING = f"UPDATE {table} SET status = %s, sent_at = %s WHERE id = %s"
    with connection.cursor() as cursor:
        cursor.execute(_MARK_SENDING, [Delivery.Status.SENDING, timezone.now(), pk])


def _mark_failed(pk: int, error: str) -> None:
    Delivery.objects.filter(pk=pk).update(status=Delivery.Status.FAILED, error=error[:300])


def _flush_sent(pks: list[int]) -> None:
    if pks:
        Delivery.objects.filter(pk__in=pks, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.SENT)
        pks.clear()
