"""The send loop: one campaign, one delivery row per recipient, never twice, nobody skipped.

How a crash is survived
-----------------------
- ``campaign_launch`` freezes the recipients as ``Delivery`` rows (``queued``) in one
  transaction; later changes to the list do not touch a campaign being sent.
- One worker at a time holds a campaign (a lease: ``worker`` + ``heartbeat_at``). A new
  worker takes it over when the lease is older than ``LEASE_SECONDS`` or when its holder
  is a process of this host that no longer exists (a crash, a ``kill -9``).
- The worker claims rows by batches: one UPDATE marks up to ``BATCH`` rows ``sending``.
  It sends them over one SMTP connection and records ``sent`` in one UPDATE per group of
  ``FLUSH_EVERY`` messages. Per message the database is not touched at all.
- What proves, per recipient, that a message left is the worker's **hand-over journal**:
  an append-only file (``NEWSLETTER_JOURNAL_DIR/<campaign>.journal``) whose first line
  names the worker and which gets one line per delivery. Each message is one SMTP
  transaction: MAIL FROM, RCPT TO, DATA and the whole message *except* the final
  ``<CRLF>.<CRLF>``; then the delivery's line is written to the journal (one ``write()``
  to the page cache: it survives the process's death, like the commit it replaces);
  then the terminator is written and the reply read. The server accepts nothing before
  the terminator, and a broken connection (the dead process's socket is closed) makes
  it drop the transaction.
- After a crash the next worker reads the dead holder's journal before sending anything:
  a ``sending`` row in the journal was handed over or within one ``write()`` of it: it
  is resolved as **sent** (``uncertain`` is set); a ``sending`` row not in the journal
  never got its terminator: it goes back to ``queued`` and is sent. So: never twice,
  nobody skipped, except that a crash exactly between the journal line and the
  terminator's ``write()`` loses that one message (the choice is **at most once**:
  at-least-once would instead risk a duplicate in the window between the server's
  "250" and our record, which is much longer).
- When the journal cannot prove anything (the dead holder ran on another host whose
  journal directory is not shared, or the file is gone), every ``sending`` row of the
  dead worker is resolved as **sent** with ``uncertain`` set: at most one batch
  (``BATCH`` rows) may be skipped, never doubled. Share ``NEWSLETTER_JOURNAL_DIR``
  between hosts, or run one sender host, to avoid it.
- Each message also carries its own Message-ID (``<campaign.delivery@domain>``), which
  bounces are matched with and which lets receivers drop any duplicate.
- The batched commits only have to survive the worker's crash, not the database
  server's: the loop's connection relaxes durability (SQLite ``synchronous=NORMAL`` in
  WAL mode, PostgreSQL ``synchronous_commit=off``).
- Other backends (console, in-memory in tests) have no terminator to hold back: the
  journal line is written just before the backend's call.

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
from pathlib import Path

from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hemicycle.audit.services import audit_record
from hemicycle.newsletters import conf
from hemicycle.newsletters.composing import (
    MessageTemplate,
    campaign_compose,
    mail_domain,
    message_build,
    message_id,
    smtp_quote,
)
from hemicycle.newsletters.models import Campaign, Delivery

logger = logging.getLogger(__name__)

BATCH = 200
# Confirmed messages are recorded as sent by groups of this many (one UPDATE).
FLUSH_EVERY = 100
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


def _lease_take(campaign: Campaign, me: str) -> tuple[bool, str]:
    """Take the campaign if it is free; also returns the previous holder ("" if none)."""
    stale = timezone.now() - timedelta(seconds=conf.LEASE_SECONDS)
    holder = Campaign.objects.filter(pk=campaign.pk).values_list("worker", flat=True).first()
    free = Q(worker="") | Q(heartbeat_at__lt=stale) | Q(heartbeat_at=None)
    if holder and _holder_is_dead(holder):
        free |= Q(worker=holder)
    taken = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SENDING).filter(
        free).filter(worker=holder or "").update(worker=me, heartbeat_at=timezone.now())
    return bool(taken), holder or ""


def _lease_renew(campaign: Campaign, me: str) -> bool:
    return bool(Campaign.objects.filter(pk=campaign.pk, worker=me).update(
        heartbeat_at=timezone.now()))


def _lease_release(campaign: Campaign, me: str) -> None:
    Campaign.objects.filter(pk=campaign.pk, worker=me).update(worker="", heartbeat_at=None)


# --- the hand-over journal --------------------------------------------------------------


def journal_path(campaign: Campaign) -> Path:
    return conf.journal_dir() / f"{campaign.code.hex}.journal"


class Journal:
    """The worker's append-only record of the deliveries it handed to the server."""

    def __init__(self, path: Path, worker: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
        os.write(self.fd, f"{worker}\n".encode())

    def record(self, pk: int) -> None:
        os.write(self.fd, b"%d\n" % pk)

    def close(self, *, remove: bool) -> None:
        os.close(self.fd)
        if remove:
            self.path.unlink(missing_ok=True)


def journal_read(path: Path, worker: str) -> set[int] | None:
    """The deliveries ``worker`` recorded as handed over, or None when its journal is not
    here (another host, removed) and so proves nothing."""
    try:
        lines = path.read_bytes().split(b"\n")
    except FileNotFoundError:
        return None
    if not worker or lines[0].decode(errors="replace") != worker:
        return None
    # The last element is what follows the last newline: empty, or a line cut short,
    # which was never complete, so its terminator was never written either.
    return {int(line) for line in lines[1:-1] if line.isdigit()}


def deliveries_recover(campaign: Campaign, handed: set[int] | None) -> int:
    """Resolve the rows a worker left in ``sending``: those its journal shows as handed
    over are sent (``uncertain``), the others go back to the queue. Without a journal
    (``handed`` is None) nothing proves a row did not leave: all count as sent."""
    sending = list(campaign.deliveries.filter(status=Delivery.Status.SENDING)
                   .values_list("pk", flat=True))
    if not sending:
        return 0
    left = sending if handed is None else [pk for pk in sending if pk in handed]
    back = [] if handed is None else [pk for pk in sending if pk not in handed]
    for chunk in _chunks(left):
        Delivery.objects.filter(pk__in=chunk, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.SENT, uncertain=True)
    for chunk in _chunks(back):
        Delivery.objects.filter(pk__in=chunk, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.QUEUED, sent_at=None)
    return len(left)


def _chunks(pks: list[int], size: int = 500):
    for start in range(0, len(pks), size):
        yield pks[start:start + size]


# --- one message over SMTP, with the commit just before the terminator ------------------


class Refused(Exception):
    """The server refused this one message (a 5xx/4xx on RCPT or DATA)."""


# Linux: hold the message in the socket until the terminator follows, so that both go in
# one segment (one wake-up of the server) while the journal line is written in between.
# If the process dies there, the kernel sends the held bytes and closes the connection:
# still no terminator.
_MSG_MORE = getattr(socket, "MSG_MORE", 0)


def _smtp_send(connection: smtplib.SMTP, *, mail_from: str, to: str, data: bytes,
               mark: Callable[[], None]) -> None:
    """One SMTP transaction; ``data`` is already dot-stuffed with CRLF line ends.

    MAIL and RCPT are written directly (smtplib's ``mail()``/``rcpt()`` parse the
    addresses again for every message); ``to`` comes from a validated row and is checked
    for anything that could break the command line."""
    if not to.isascii() or any(c in to for c in "\r\n<> "):
        raise Refused(_("adresse invalide pour SMTP : %(to)s") % {"to": to[:100]})
    if not getattr(connection, "_hemicycle_nodelay", False):
        connection.ehlo_or_helo_if_needed()
        # The message goes in two writes (body, then the terminator after the journal):
        # without TCP_NODELAY, Nagle would hold the second until the server's delayed ACK.
        connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        connection._hemicycle_nodelay = True
    connection.putcmd("mail", mail_from)
    code, reply = connection.getreply()
    if code != 250:
        connection.rset()
        raise Refused(f"{code} {reply.decode(errors='replace')}")
    connection.putcmd("rcpt", f"TO:<{to}>")
    code, reply = connection.getreply()
    if code not in (250, 251):
        connection.rset()
        raise Refused(f"{code} {reply.decode(errors='replace')}")
    code, reply = connection.docmd("DATA")
    if code != 354:
        connection.rset()
        raise Refused(f"{code} {reply.decode(errors='replace')}")
    sock = connection.sock
    if sock is None:
        raise smtplib.SMTPServerDisconnected("connection closed")
    sock.sendall(data, _MSG_MORE)
    mark()  # journaled: from here on the message counts as sent
    sock.sendall(b".\r\n")
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
    taken, previous = _lease_take(campaign, me)
    if not taken:
        return report
    path = journal_path(campaign)
    try:
        # What a crashed holder left half-done, decided by its journal (see above).
        deliveries_recover(campaign, journal_read(path, previous))
        journal = Journal(path, me)
        try:
            _send_loop(campaign, me, report, max_messages, journal)
        finally:
            # A message whose connection broke after its hand-over: sent, at most once;
            # claimed rows not tried yet: back to the queue.
            deliveries_recover(campaign, journal_read(path, me))
            journal.close(remove=True)
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


def _send_loop(campaign: Campaign, me: str, report: SendReport, max_messages,
               journal: Journal) -> None:
    with _crash_safe_commits():
        _send_loop_inner(campaign, me, report, max_messages, journal)


def _send_loop_inner(campaign: Campaign, me: str, report: SendReport, max_messages,
                     journal: Journal) -> None:
    composed = campaign_compose(campaign, tracking=True)
    backend = get_connection(fail_silently=False)
    over_smtp = isinstance(backend, SmtpBackend)
    sender = conf.bounce_address() or parseaddr(composed.from_email)[1]
    mail_from = f"FROM:{smtplib.quoteaddr(sender)}"
    domain = mail_domain()
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
        while True:
            size = BATCH
            if max_messages is not None:
                size = min(size, max_messages - report.sent - report.failed)
            budget, room_at = _hour_budget()
            if budget == 0:
                report.retry_at = room_at
                return
            if budget is not None:
                size = min(size, budget)
            if size <= 0 or not _lease_renew(campaign, me):
                return
            rows = list(campaign.deliveries.filter(status=Delivery.Status.QUEUED)
                        .order_by("pk").values_list("pk", "email", "name")[:size])
            if not rows:
                return
            _claim([pk for pk, _email, _name in rows])
            template = MessageTemplate(composed)  # per batch: a fresh Date header
            for pk, email, name in rows:
                pacer.wait()
                msgid = message_id(campaign, pk, domain)
                try:
                    if over_smtp:
                        if backend.connection is None:
                            backend.open()
                        _smtp_send(backend.connection, mail_from=mail_from, to=email,
                                   data=_message_bytes(composed, template, email, name, pk,
                                                       msgid),
                                   mark=lambda pk=pk: journal.record(pk))
                    else:
                        journal.record(pk)
                        backend.send_messages([message_build(
                            composed, to_email=email, to_name=name, delivery_pk=pk,
                            msgid=msgid)])
                except Refused as refusal:
                    _mark_failed(pk, str(refusal))
                    report.failed += 1
                    continue
                except (smtplib.SMTPException, OSError) as error:
                    # The connection broke: settle this batch from the journal (this row
                    # and the ones not tried go back to the queue unless handed over).
                    logger.warning("newsletter %s: %s", campaign.code, error)
                    errors += 1
                    _flush_sent(pending_sent)
                    deliveries_recover(campaign, journal_read(journal.path, me))
                    _reconnect(backend)
                    if errors >= MAX_CONNECTION_ERRORS:
                        report.retry_at = timezone.now() + RETRY_AFTER
                        return
                    break
                errors = 0
                report.sent += 1
                pending_sent.append(pk)
                if len(pending_sent) >= FLUSH_EVERY:
                    _flush_sent(pending_sent)
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


def _claim(pks: list[int]) -> None:
    """One UPDATE for a batch: these rows are now this worker's (``sending``)."""
    Delivery.objects.filter(pk__in=pks, status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.SENDING, sent_at=timezone.now())


def _mark_failed(pk: int, error: str) -> None:
    Delivery.objects.filter(pk=pk).update(status=Delivery.Status.FAILED, error=error[:300])


def _flush_sent(pks: list[int]) -> None:
    if pks:
        Delivery.objects.filter(pk__in=pks, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.SENT)
        pks.clear()
