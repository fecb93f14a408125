"""Lists, subscribers and their consent, suppressions, bounces, erasure.

Campaigns are in campaigns.py, the send loop in sending.py, the press in press.py.
"""

import contextlib
import csv
import io
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Min, Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hemicycle.accounts.models import Workspace
from hemicycle.audit.services import audit_record
from hemicycle.core.audiences import (
    Recipient,
    audience_list,
    audience_recipients,
    audience_unsubscribe,
)
from hemicycle.newsletters import conf
from hemicycle.newsletters.dsn import dsn_parse
from hemicycle.newsletters.models import (
    Campaign,
    ConsentText,
    Delivery,
    MailingList,
    SubscribeAttempt,
    Subscriber,
    Suppression,
    token_hash,
)

logger = logging.getLogger(__name__)

MAX_IMPORT_BYTES = 5 * 1024 * 1024


def email_normalize(email: str) -> str:
    return email.strip().lower()


# --- lists and their consent texts -----------------------------------------------------


def _consent_version(mailing_list: MailingList) -> ConsentText:
    current = mailing_list.current_consent()
    text = mailing_list.consent_text.strip()
    if current and current.text == text:
        return current
    return ConsentText.objects.create(
        mailing_list=mailing_list, version=(current.version + 1) if current else 1,
        text=text, digest=token_hash(text))


@transaction.atomic
def mailing_list_create(*, workspace, name: str, consent_text: str, description: str = "",
                        is_open: bool = True) -> MailingList:
    mailing_list = MailingList.objects.create(
        workspace=workspace, name=name, description=description,
        consent_text=consent_text.strip(), is_open=is_open)
    _consent_version(mailing_list)
    return mailing_list


@transaction.atomic
def mailing_list_update(*, mailing_list: MailingList, **fields) -> MailingList:
    """Save the list; a changed consent text becomes a new version (the old ones stay,
    as the proof of what earlier subscribers agreed to)."""
    for name, value in fields.items():
        setattr(mailing_list, name, value)
    mailing_list.consent_text = mailing_list.consent_text.strip()
    mailing_list.save()
    _consent_version(mailing_list)
    return mailing_list


def mailing_list_counts(mailing_list: MailingList) -> dict[str, int]:
    counts = dict.fromkeys(Subscriber.Status.values, 0)
    for row in mailing_list.subscribers.values("status").order_by().annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts


# --- public subscription with double opt-in -------------------------------------------


def subscribe_is_rate_limited(*, ip: str | None) -> bool:
    since = timezone.now() - timedelta(seconds=conf.SUBSCRIBE_WINDOW_SECONDS)
    return bool(ip) and SubscribeAttempt.objects.filter(
        ip=ip, at__gte=since).count() >= conf.SUBSCRIBE_MAX_PER_IP


def subscribe_attempt_record(*, ip: str | None) -> None:
    SubscribeAttempt.objects.create(ip=ip)
    SubscribeAttempt.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()


def is_suppressed(workspace, email: str, reasons=None) -> bool:
    queryset = Suppression.objects.filter(workspace=workspace, email=email_normalize(email))
    if reasons:
        queryset = queryset.filter(reason__in=reasons)
    return queryset.exists()


@transaction.atomic
def subscription_request(*, mailing_list: MailingList, email: str, name: str,
                         consent: ConsentText, ip: str | None,
                         user_agent: str) -> Subscriber | None:
    """Record a request from the public form and mail the confirmation link. Answers the
    same whatever the address's state (no way to learn who is subscribed)."""
    email = email_normalize(email)
    if is_suppressed(mailing_list.workspace, email, [Suppression.Reason.BLOCKLISTED]):
        return None
    subscriber, _created = Subscriber.objects.get_or_create(
        mailing_list=mailing_list, email=email, defaults={"name": name[:150]})
    if subscriber.status in (Subscriber.Status.SUBSCRIBED, Subscriber.Status.BLOCKLISTED):
        return None
    subscriber.name = name[:150] or subscriber.name
    subscriber.consent = consent
    subscriber.source = Subscriber.Source.FORM
    subscriber.requested_at = timezone.now()
    subscriber.requested_ip = ip
    subscriber.requested_user_agent = user_agent[:300]
    subscriber.save()
    from hemicycle.newsletters.tasks import (
        subscription_confirmation_send_task,
        subscription_purge_schedule,
    )

    transaction.on_commit(
        lambda: subscription_confirmation_send_task.enqueue(subscriber_id=subscriber.pk))
    # Whoever never confirms is forgotten: make sure the purge is on its way.
    transaction.on_commit(subscription_purge_schedule)
    return subscriber


def subscription_confirmation_send(*, subscriber: Subscriber) -> None:
    """Make a new token (only its hash is kept) and mail the link."""
    token = secrets.token_urlsafe(32)
    Subscriber.objects.filter(pk=subscriber.pk).update(confirm_token_hash=token_hash(token))
    mailing_list = subscriber.mailing_list
    link = settings.SITE_URL + reverse("newsletters:subscription-confirm", args=[token])
    context = {"mailing_list": mailing_list, "link": link,
               "workspace": mailing_list.workspace, "days": conf.CONFIRM_DAYS}
    message = EmailMultiAlternatives(
        subject=_("Confirmez votre inscription : %(list)s") % {"list": mailing_list.name},
        body=render_to_string("newsletters/email/confirm.txt", context),
        to=[subscriber.email])
    message.send()


@transaction.atomic
def subscription_confirm(*, token: str, ip: str | None, user_agent: str) -> Subscriber | None:
    if not token:
        return None
    subscriber = Subscriber.objects.select_for_update().select_related(
        "mailing_list").filter(confirm_token_hash=token_hash(token)).first()
    if subscriber is None or subscriber.status == Subscriber.Status.BLOCKLISTED:
        return None
    expired = subscriber.requested_at and (
        subscriber.requested_at < timezone.now() - timedelta(days=conf.CONFIRM_DAYS))
    if expired or is_suppressed(subscriber.mailing_list.workspace, subscriber.email,
                                [Suppression.Reason.BLOCKLISTED]):
        return None
    subscriber.status = Subscriber.Status.SUBSCRIBED
    subscriber.confirmed_at = timezone.now()
    subscriber.confirmed_ip = ip
    subscriber.confirmed_user_agent = user_agent[:300]
    subscriber.confirm_token_hash = ""
    subscriber.unsubscribed_at = None
    subscriber.save()
    # An earlier unsubscribe from an audience message is withdrawn by this new consent.
    Suppression.objects.filter(workspace=subscriber.mailing_list.workspace,
                               email=subscriber.email,
                               reason=Suppression.Reason.UNSUBSCRIBED).delete()
    return subscriber


# --- unconfirmed requests: kept CONFIRM_DAYS, then deleted --------------------------------


def subscription_unconfirmed_expired(workspace=None, now=None):
    """The requests never confirmed whose link has expired (CONFIRM_DAYS after the
    request). Only the PENDING state: confirmed, unsubscribed, bounced and blocklisted
    rows are kept on purpose (an unsubscribe or a blocklist entry must outlive them)."""
    cutoff = (now or timezone.now()) - timedelta(days=conf.CONFIRM_DAYS)
    queryset = Subscriber.objects.filter(
        status=Subscriber.Status.PENDING, confirmed_at=None).filter(
        Q(requested_at__lt=cutoff) | Q(requested_at=None, created_at__lt=cutoff))
    if workspace is not None:
        queryset = queryset.filter(mailing_list__workspace=workspace)
    return queryset


def subscription_pending_next_expiry(mailing_list: MailingList):
    """When the oldest pending request of the list lapses (None without any)."""
    oldest = mailing_list.subscribers.filter(
        status=Subscriber.Status.PENDING, confirmed_at=None).aggregate(
        at=Min(Coalesce("requested_at", "created_at")))["at"]
    return oldest + timedelta(days=conf.CONFIRM_DAYS) if oldest else None


@transaction.atomic
def subscription_purge_unconfirmed(workspace=None, now=None, *, dry_run: bool = False,
                                   by=None) -> dict[str, int]:
    """Delete the expired unconfirmed requests (of one workspace, or of all), as the
    register of processing promises. Each row is one address on one list: the same
    address's rows on other lists are not touched. One audit event per workspace, with
    counts only. ``dry_run`` counts without deleting."""
    expired = subscription_unconfirmed_expired(workspace, now)
    rows = list(expired.values_list("pk", "mailing_list_id", "mailing_list__workspace_id"))
    report = {"purged": len(rows), "lists": len({r[1] for r in rows}),
              "workspaces": len({r[2] for r in rows})}
    if dry_run or not rows:
        return report
    for start in range(0, len(rows), 500):
        expired.filter(pk__in=[r[0] for r in rows[start:start + 500]]).delete()
    per_workspace: dict[int, int] = {}
    for _pk, _list, workspace_id in rows:
        per_workspace[workspace_id] = per_workspace.get(workspace_id, 0) + 1
    for ws in Workspace.objects.filter(pk__in=per_workspace):
        audit_record(action="other", workspace=ws, actor=by, verb="newsletters.purge",
                     message=_("%(n)s demande(s) d'inscription non confirmée(s) sous "
                               "%(days)s jours supprimée(s).")
                     % {"n": per_workspace[ws.pk], "days": conf.CONFIRM_DAYS})
    return report


# --- unsubscribes, blocklist -----------------------------------------------------------


@transaction.atomic
def delivery_unsubscribe(*, delivery: Delivery) -> None:
    """The one-click unsubscribe of a message: off the list it came from, or, for a
    message sent to an audience, off every later mailing of the workspace."""
    now = timezone.now()
    if delivery.unsubscribed_at is None:
        Delivery.objects.filter(pk=delivery.pk).update(unsubscribed_at=now)
    subscriber = delivery.subscriber
    if subscriber is not None:
        if subscriber.status == Subscriber.Status.SUBSCRIBED:
            subscriber.status = Subscriber.Status.UNSUBSCRIBED
            subscriber.unsubscribed_at = now
            subscriber.save(update_fields=["status", "unsubscribed_at"])
        return
    Suppression.objects.get_or_create(
        workspace=delivery.campaign.workspace, email=email_normalize(delivery.email),
        defaults={"reason": Suppression.Reason.UNSUBSCRIBED})
    if delivery.origin:  # the module the address came from records it too (actors)
        audience_unsubscribe(delivery.campaign.workspace, delivery.origin)


@transaction.atomic
def blocklist_add(*, workspace, emails: list[str], by=None) -> int:
    added = 0
    for email in {email_normalize(e) for e in emails if e.strip()}:
        validate_email(email)
        _obj, created = Suppression.objects.update_or_create(
            workspace=workspace, email=email,
            defaults={"reason": Suppression.Reason.BLOCKLISTED})
        added += created
        Subscriber.objects.filter(mailing_list__workspace=workspace, email=email).update(
            status=Subscriber.Status.BLOCKLISTED)
    audit_record(action="other", workspace=workspace, actor=by, verb="newsletters.blocklist",
                 message=_("%(n)s adresse(s) ajoutée(s) à la liste noire.") % {"n": added})
    return added


@transaction.atomic
def blocklist_remove(*, workspace, email: str) -> None:
    Suppression.objects.filter(workspace=workspace, email=email_normalize(email),
                               reason=Suppression.Reason.BLOCKLISTED).delete()
    # Back to unsubscribed: only a new double opt-in makes them subscribers again.
    Subscriber.objects.filter(mailing_list__workspace=workspace, email=email_normalize(email),
                              status=Subscriber.Status.BLOCKLISTED).update(
        status=Subscriber.Status.UNSUBSCRIBED)


# --- import ------------------------------------------------------------------------------


def _import_rows(content: bytes) -> list[tuple[str, str]]:
    text = content.decode("utf-8-sig", errors="replace")
    sample = text[:2048]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    for row in csv.reader(io.StringIO(text), dialect):
        cells = [cell.strip() for cell in row]
        email = next((cell for cell in cells if "@" in cell), "")
        name = next((cell for cell in cells if cell and "@" not in cell), "")
        if email or name:
            rows.append((email, name))
    return rows


@transaction.atomic
def subscriber_import(*, mailing_list: MailingList, content: bytes, by=None) -> dict[str, int]:
    """Add the addresses of a CSV file (a column with e-mails, optionally a name) as
    subscribers. Whoever unsubscribed, bounced or is on the blocklist stays so."""
    if len(content) > MAX_IMPORT_BYTES:
        raise ValidationError(_("Fichier trop volumineux (5 Mo au plus)."))
    report = {"added": 0, "already": 0, "kept_out": 0, "invalid": 0}
    workspace = mailing_list.workspace
    suppressed = set(Suppression.objects.filter(workspace=workspace).values_list(
        "email", flat=True))
    existing = dict(mailing_list.subscribers.values_list("email", "status"))
    now = timezone.now()
    for email, name in _import_rows(content):
        email = email_normalize(email)
        try:
            validate_email(email)
        except ValidationError:
            if email or name.lower() not in ("nom", "name", "e-mail", "email"):
                report["invalid"] += 1
            continue
        if email in existing:
            report["already" if existing[email] == Subscriber.Status.SUBSCRIBED
                   else "kept_out"] += 1
            continue
        if email in suppressed:
            report["kept_out"] += 1
            continue
        Subscriber.objects.create(
            mailing_list=mailing_list, email=email, name=name[:150],
            status=Subscriber.Status.SUBSCRIBED, source=Subscriber.Source.IMPORT,
            requested_at=now, confirmed_at=now)
        existing[email] = Subscriber.Status.SUBSCRIBED
        report["added"] += 1
    audit_record(action="other", obj=mailing_list, actor=by, verb="newsletters.import",
                 message=_("Import : %(added)s ajouté·e·s, %(already)s déjà inscrit·e·s, "
                           "%(kept_out)s laissé·e·s hors liste (désinscrit·e·s, erreurs, "
                           "liste noire), %(invalid)s invalides.") % report)
    return report


# --- recipients ------------------------------------------------------------------------


def audience_choices(workspace, purpose: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a form: (source label, [(value, label)])."""
    groups = []
    for source, audiences in audience_list(workspace, purpose):
        options = [(f"{source.key}|{a.code}",
                     f"{a.label} ({a.count})" if a.count is not None else a.label)
                   for a in audiences]
        if options:
            groups.append((str(source.label), options))
    return groups


def campaign_recipients(campaign: Campaign) -> list[Recipient]:
    """Everyone the campaign goes to, each address once, none that is suppressed."""
    workspace = campaign.workspace
    found: list[Recipient] = []
    if campaign.mailing_list_id:
        for sub in campaign.mailing_list.subscribers.filter(
                status=Subscriber.Status.SUBSCRIBED).order_by("pk"):
            found.append(Recipient(sub.email, sub.name, f"subscriber:{sub.pk}"))
    if campaign.audience:
        source_key, _sep, code = campaign.audience.partition("|")
        purpose = "newsletter" if campaign.kind == Campaign.Kind.NEWSLETTER else "press"
        found += audience_recipients(workspace, source_key, code, purpose)
    for line in campaign.extra_addresses.splitlines():
        if line.strip():
            found.append(Recipient(email_normalize(line), "", "manual"))
    suppressed = set(Suppression.objects.filter(workspace=workspace).values_list(
        "email", flat=True))
    seen, unique = set(), []
    for recipient in found:
        email = email_normalize(recipient.email)
        if email and email not in seen and email not in suppressed:
            seen.add(email)
            unique.append(recipient)
    return unique


# --- bounces -----------------------------------------------------------------------------


@transaction.atomic
def bounces_apply(*, raw: bytes, workspace=None) -> int:
    """Apply the hard bounces a DSN reports: the delivery, the subscriber and the
    workspace's suppressions. With ``workspace`` (an uploaded file) a report without our
    Message-ID is matched by address in that workspace; without it (a shared mailbox),
    only by Message-ID. Returns how many addresses were newly marked: applying the same
    report again changes nothing and returns 0."""
    from hemicycle.newsletters.sending import delivery_from_message_id

    marked = 0
    now = timezone.now()
    for bounce in dsn_parse(raw):
        if not bounce.is_permanent:
            continue
        delivery = delivery_from_message_id(bounce.message_id)
        if delivery is not None and workspace is not None and (
                delivery.campaign.workspace_id != workspace.pk):
            delivery = None
        target = delivery.campaign.workspace if delivery else workspace
        if target is None:
            continue
        if delivery is not None:
            changed = Delivery.objects.filter(pk=delivery.pk, bounced_at=None).update(
                bounced_at=now)
        else:
            changed = Delivery.objects.filter(campaign__workspace=target, email=bounce.recipient,
                                              bounced_at=None).update(bounced_at=now)
        changed += Subscriber.objects.filter(
            mailing_list__workspace=target, email=bounce.recipient,
            status__in=[Subscriber.Status.SUBSCRIBED, Subscriber.Status.PENDING],
        ).update(status=Subscriber.Status.BOUNCED, bounced_at=now)
        _suppression, created = Suppression.objects.get_or_create(
            workspace=target, email=bounce.recipient,
            defaults={"reason": Suppression.Reason.BOUNCED})
        if changed or created:
            marked += 1
    return marked


class BounceMailboxError(Exception):
    """The bounce mailbox cannot be read (unreachable, login refused, no such folder)."""


def bounces_fetch_imap() -> dict[str, int]:
    """Read the bounce mailbox (IMAP): every unseen message is fetched without marking
    it; a delivery report (DSN) is applied, then flagged seen and deleted (the deleted
    ones are expunged at the end); any other message (a human reply) is only flagged
    seen and left for a person to read. Applying is idempotent, so a run interrupted
    between the two steps applies nothing twice when the message is read again.
    Raises BounceMailboxError with a plain French reason when the mailbox cannot be read."""
    import imaplib

    config = conf.imap()
    if not config["host"]:
        return {"read": 0, "reports": 0, "marked": 0}
    client_class = imaplib.IMAP4_SSL if config["ssl"] else imaplib.IMAP4
    where = f"{config['host']}:{config['port']}"
    read = reports = marked = 0
    try:
        client = client_class(config["host"], config["port"], timeout=30)
    except OSError as error:
        raise BounceMailboxError(_("Boîte des retours injoignable (%(where)s) : %(error)s")
                                 % {"where": where, "error": error}) from error
    try:
        try:
            client.login(config["user"], config["password"])
        except imaplib.IMAP4.error as error:
            raise BounceMailboxError(
                _("La boîte des retours (%(where)s) refuse la connexion de « %(user)s » : "
                  "vérifiez l'identifiant et le mot de passe (%(error)s).")
                % {"where": where, "user": config["user"], "error": _imap_text(error)}
            ) from error
        status, data = client.select(config["folder"])
        if status != "OK":
            raise BounceMailboxError(_("Dossier « %(folder)s » introuvable : %(error)s") % {
                "folder": config["folder"], "error": _imap_text(data)})
        _status, data = client.uid("SEARCH", None, "UNSEEN", "UNDELETED")
        for uid in (data[0] or b"").split():
            _status, parts = client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((p[1] for p in parts if isinstance(p, tuple)), b"")
            read += 1
            if dsn_parse(raw):
                reports += 1
                marked += bounces_apply(raw=raw)
                client.uid("STORE", uid, "+FLAGS", "(\\Seen \\Deleted)")
            else:
                client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
        if reports:
            client.expunge()
        client.logout()
    except (imaplib.IMAP4.error, OSError) as error:
        raise BounceMailboxError(_("Lecture de la boîte des retours interrompue : %(error)s")
                                 % {"error": _imap_text(error)}) from error
    finally:
        with contextlib.suppress(OSError, ValueError):
            client.shutdown()
    return {"read": read, "reports": reports, "marked": marked}


def _imap_text(value) -> str:
    if isinstance(value, list):
        value = b" ".join(v for v in value if isinstance(v, bytes))
    if isinstance(value, Exception):
        value = value.args[0] if value.args else str(value)
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


# --- GDPR ------------------------------------------------------------------------------


def subscriber_personal_data(user) -> list:
    """The subscriptions under this user's e-mail address, with their proof of consent."""
    return [
        {"workspace": s.mailing_list.workspace.name, "list": s.mailing_list.name,
         "email": s.email, "name": s.name, "status": s.status, "source": s.source,
         "consent_text": s.consent.text if s.consent else None,
         "requested_at": s.requested_at.isoformat() if s.requested_at else None,
         "requested_ip": s.requested_ip,
         "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
         "confirmed_ip": s.confirmed_ip}
        for s in Subscriber.objects.filter(email=email_normalize(user.email)).select_related(
            "mailing_list__workspace", "consent")
    ]


@transaction.atomic
def subscriber_erase(*, workspace, email: str, by=None) -> int:
    """Erase an address from the workspace (GDPR): subscriptions and suppressions are
    deleted, deliveries keep their counts but lose the address. Returns rows touched."""
    email = email_normalize(email)
    count, _by_model = Subscriber.objects.filter(
        mailing_list__workspace=workspace, email=email).delete()
    Suppression.objects.filter(workspace=workspace, email=email).delete()
    for delivery in Delivery.objects.filter(campaign__workspace=workspace, email=email):
        delivery.email = f"efface-{delivery.pk}@invalid"
        delivery.name = ""
        delivery.save(update_fields=["email", "name"])
        count += 1
    audit_record(action="other", workspace=workspace, actor=by, verb="newsletters.erase",
                 message=_("Une adresse effacée des listes (RGPD)."))
    return count
