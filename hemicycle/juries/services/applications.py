"""Applications: public submission, automatic checks, instruction by the staff, paper
applications (entry and CSV import), private links and e-mails to applicants."""

import csv
import io
import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from hemicycle.juries import identifiers
from hemicycle.juries.models import Application, Attachment, Attempt, Campaign, new_token
from hemicycle.juries.models import hash_token as _hash
from hemicycle.juries.services.trail import trail
from hemicycle.lib.text import normalize_name
from hemicycle.territory.models import Canton, Commune
from hemicycle.territory.queries import commune_cantons_of, communes_by_postal_code

logger = logging.getLogger(__name__)

# Public forms: at most this many submissions per IP and hour (offices and libraries
# share an IP: generous, but it stops a script).
SUBMISSIONS_PER_HOUR = getattr(settings, "JURIES_SUBMISSIONS_PER_HOUR", 20)
MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024

PROJECT_FIELDS = ["structure_name", "legal_form", "identifier", "address", "postal_code",
                  "contact_name", "contact_email", "contact_phone", "title", "description",
                  "category", "place", "people_reached", "total_budget", "amount_requested",
                  "other_funding"]


# --- anti-abuse ------------------------------------------------------------------------


def attempt_is_blocked(*, ip: str | None) -> bool:
    since = timezone.now() - timedelta(hours=1)
    return bool(ip) and Attempt.objects.filter(ip=ip, at__gte=since).count() >= \
        SUBMISSIONS_PER_HOUR


def attempt_record(*, ip: str | None) -> None:
    Attempt.objects.create(ip=ip)
    Attempt.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()


# --- territory -------------------------------------------------------------------------


def locate(postal_code: str, commune_name: str) -> Commune | None:
    """The commune of an address: by postal code, then by name when several share it."""
    candidates = list(communes_by_postal_code(postal_code or ""))
    if len(candidates) == 1:
        return candidates[0]
    key = normalize_name(commune_name or "")
    for commune in candidates:
        if commune.search_name == key:
            return commune
    return None


def canton_for(campaign: Campaign, commune: Commune | None) -> Canton | None:
    """The campaign's canton the commune lies in, else the canton of most of it."""
    if commune is None:
        return None
    links = commune_cantons_of(commune)
    mine = set(campaign.cantons.values_list("id", flat=True))
    for link in links:
        if link.canton_id in mine:
            return link.canton
    return links[0].canton if links else None


def in_territory(campaign: Campaign, application: Application) -> bool | None:
    """None when the campaign has no territory or the address could not be placed."""
    cantons = set(campaign.cantons.values_list("id", flat=True))
    communes = set(campaign.communes.values_list("id", flat=True))
    if not cantons and not communes:
        return None
    if application.commune_id is None:
        return False
    if application.commune_id in communes:
        return True
    linked = set(application.commune.communecanton_set.values_list("canton_id", flat=True))
    return bool(linked & cantons)


# --- automatic checks ------------------------------------------------------------------


def application_checks(application: Application) -> list[dict]:
    """The campaign's eligibility rules on this application: [{rule, ok, message}]."""
    campaign, checks = application.campaign, []

    def add(rule: str, ok: bool, message: str) -> None:
        checks.append({"rule": rule, "ok": ok, "message": message})

    forms = campaign.legal_form_list()
    if forms:
        ok = normalize_name(application.legal_form) in {normalize_name(f) for f in forms}
        add("legal_form", ok, _("Forme juridique acceptée.") if ok else
            _("Forme juridique non acceptée (acceptées : %(forms)s).")
            % {"forms": ", ".join(forms)})
    kind = identifiers.kind_of(application.identifier)
    if campaign.require_identifier:
        add("identifier", kind is not None,
            _("Numéro %(kind)s valide.") % {"kind": (kind or "").upper()} if kind else
            _("Numéro RNA (W + 9 caractères) ou SIREN/SIRET absent ou invalide."))
    if campaign.seat_in_territory:
        inside = in_territory(campaign, application)
        if inside is not None:
            add("territory", inside, _("Siège dans le territoire de l'appel.") if inside else
                _("Siège hors du territoire de l'appel (ou adresse non reconnue)."))
    amount = application.amount_requested
    if campaign.min_amount is not None:
        add("min_amount", amount >= campaign.min_amount,
            _("Montant demandé d'au moins %(n)s €.") % {"n": campaign.min_amount})
    if campaign.max_amount is not None:
        add("max_amount", amount <= campaign.max_amount,
            _("Montant demandé d'au plus %(n)s €.") % {"n": campaign.max_amount})
    add("budget", amount <= application.total_budget,
        _("Le montant demandé ne dépasse pas le budget total du projet."))
    if campaign.one_per_structure:
        others = _same_structure(application).filter(campaign=campaign)
        add("one_per_structure", not others.exists(),
            _("Une seule candidature de cette structure.") if not others.exists() else
            _("Autre candidature de la même structure : %(refs)s.")
            % {"refs": ", ".join(a.reference for a in others)})
    if campaign.recent_funding_months:
        since = timezone.localdate() - timedelta(days=round(campaign.recent_funding_months * 30.44))
        funded = _same_structure(application).filter(
            status=Application.Status.GRANTED, campaign__decision_on__gte=since,
        ).exclude(campaign=campaign)
        add("recent_funding", not funded.exists(),
            _("Pas de financement dans les %(n)d derniers mois.")
            % {"n": campaign.recent_funding_months} if not funded.exists() else
            _("Déjà financée dans les %(n)d derniers mois.")
            % {"n": campaign.recent_funding_months})
    return checks


def _same_structure(application: Application):
    """Other live applications of the same structure (same identifier's SIREN/RNA)."""
    qs = Application.objects.filter(workspace=application.workspace).exclude(
        pk=application.pk).exclude(status=Application.Status.WITHDRAWN).select_related("campaign")
    ident = identifiers.clean(application.identifier)
    if identifiers.kind_of(ident) in ("siren", "siret"):
        return qs.filter(identifier__startswith=ident[:9])
    if ident:
        return qs.filter(identifier=ident)
    return qs.none()


def duplicate_find(application: Application) -> Application | None:
    """An earlier application of the campaign that looks like the same request: same
    identifier, or near-identical structure name (accents, case, punctuation aside)
    with a similar title, or the same contact and a similar title."""
    name = normalize_name(application.structure_name)
    title = normalize_name(application.title)
    earlier = application.campaign.applications.exclude(pk=application.pk).exclude(
        status=Application.Status.WITHDRAWN).filter(number__lt=application.number)
    ident = identifiers.clean(application.identifier)
    for other in earlier:
        same_title = fuzz.token_set_ratio(title, normalize_name(other.title)) >= 85
        if ident and identifiers.clean(other.identifier) == ident and same_title:
            return other
        if fuzz.ratio(name, normalize_name(other.structure_name)) >= 90 and same_title:
            return other
        if other.contact_email.lower() == application.contact_email.lower() and same_title:
            return other
    return None


def _refresh(application: Application) -> None:
    application.checks = application_checks(application)
    application.duplicate_of = duplicate_find(application)


# --- submission ------------------------------------------------------------------------


def _place(application: Application, commune_name: str) -> None:
    application.identifier = identifiers.clean(application.identifier)
    application.commune = locate(application.postal_code, commune_name)
    application.canton = canton_for(application.campaign, application.commune)


def _attach(application: Application, files) -> None:
    for upload in files:
        content = upload.read()
        content_type, extension = identifiers.sniff(content[:16])
        stem = (upload.name.rsplit(".", 1)[0] or "piece")[:80]
        attachment = Attachment(workspace=application.workspace, application=application,
                                name=f"{stem}.{extension}", content_type=content_type,
                                size=len(content))
        attachment.file.save(f"{application.code}-{stem}.{extension}", ContentFile(content),
                             save=False)
        attachment.save()


@transaction.atomic
def application_submit(*, campaign: Campaign, data: dict, commune_name: str = "",
                       files=(), source: str = Application.Source.ONLINE, by=None
                       ) -> Application:
    """Record an application (online or paper) and check it; online ones get their
    private link by e-mail (application_link_send_task)."""
    if source == Application.Source.ONLINE and not campaign.is_open():
        raise ValidationError(_("Les candidatures ne sont pas ouvertes."))
    # The number: one more than the campaign's highest (the campaign row is locked).
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    number = (campaign.applications.aggregate(n=Max("number"))["n"] or 0) + 1
    application = Application(workspace=campaign.workspace, campaign=campaign, number=number,
                              source=source, **{k: data.get(k) for k in PROJECT_FIELDS
                                                if k in data})
    for name in ("legal_form", "identifier", "address", "postal_code", "contact_phone",
                 "category", "place", "other_funding"):
        setattr(application, name, getattr(application, name) or "")
    _place(application, commune_name)
    _refresh(application)
    application.full_clean()
    application.save()
    _attach(application, files)
    if source == Application.Source.ONLINE:
        application_link_enqueue(application=application)
    else:
        trail("application_paper", obj=application, by=by,
                     message=_("Dossier papier saisi."))
    return application


def application_is_editable(application: Application) -> bool:
    """The applicant may change it until the deadline, unless the staff has decided."""
    return not application.campaign.is_closed() and application.status in (
        Application.Status.SUBMITTED, Application.Status.MISSING)


@transaction.atomic
def application_update(*, application: Application, data: dict, commune_name: str = "",
                       files=()) -> Application:
    if not application_is_editable(application):
        raise ValidationError(_("La date limite est passée : le dossier n'est plus modifiable."))
    for name in PROJECT_FIELDS:
        if name in data:
            value = data[name]
            # Blank text fields are "" (never None); numbers may be None.
            if value is None and name not in ("people_reached", "total_budget",
                                              "amount_requested"):
                value = ""
            setattr(application, name, value)
    _place(application, commune_name)
    _refresh(application)
    if application.status == Application.Status.MISSING and files:
        application.status = Application.Status.SUBMITTED
    application.full_clean()
    application.save()
    _attach(application, files)
    return application


def application_from_token(token: str) -> Application | None:
    if not token:
        return None
    return Application.objects.select_related("campaign", "commune", "canton").filter(
        token_hash=_hash(token)).first()


# --- e-mails ---------------------------------------------------------------------------


def application_link_enqueue(*, application: Application) -> None:
    from hemicycle.juries.tasks import application_link_send_task

    transaction.on_commit(lambda: application_link_send_task.enqueue(
        application_id=application.pk))


def application_url(token: str) -> str:
    return settings.SITE_URL + reverse("juries:application-private", args=[token])


def mail(*, to: str, subject: str, template: str, context: dict) -> bool:
    """Send one plain-text mail; False (logged) when the mail server fails."""
    try:
        send_mail(subject=subject, message=render_to_string(template, {
            "site_name": settings.SITE_NAME, **context}),
                  from_email=None, recipient_list=[to])
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("juries mail to %s not sent: %s", to, error)
        return False
    return True


def application_link_send(*, application: Application) -> str | None:
    """A fresh private link (the hash is kept, the token only mailed). Returns the token."""
    token, token_hash = new_token()
    sent = mail(to=application.contact_email,
                subject=_("Votre candidature %(ref)s — %(campaign)s")
                % {"ref": application.reference, "campaign": application.campaign.title},
                template="juries/email/application_link.txt",
                context={"application": application, "url": application_url(token)})
    if not sent:
        return None
    Application.objects.filter(pk=application.pk).update(token_hash=token_hash)
    return token


# --- instruction -----------------------------------------------------------------------

DECISIONS = (Application.Status.ELIGIBLE, Application.Status.INELIGIBLE,
             Application.Status.SUBMITTED, Application.Status.WITHDRAWN)


@transaction.atomic
def application_decide(*, application: Application, status: str, reason: str, by
                       ) -> Application:
    """The staff's eligibility decision. Refusing or withdrawing needs a reason."""
    if status not in DECISIONS:
        raise ValidationError(_("Décision inconnue."))
    if status in (Application.Status.INELIGIBLE, Application.Status.WITHDRAWN) and \
            not reason.strip():
        raise ValidationError(_("Indiquez le motif de la décision."))
    application.status, application.decision_reason = status, reason.strip()
    application.save(update_fields=["status", "decision_reason", "updated_at"])
    trail("application_decide", obj=application, by=by,
                 message=f"{application.get_status_display()} : {reason.strip()}")
    return application


@transaction.atomic
def application_request_document(*, application: Application, message: str, by) -> None:
    """Ask the applicant for a missing document, with a fresh private link to add it."""
    if not message.strip():
        raise ValidationError(_("Précisez la pièce demandée."))
    application.status = Application.Status.MISSING
    application.save(update_fields=["status", "updated_at"])
    trail("application_missing", obj=application, by=by,
                 message=message.strip())
    from hemicycle.juries.tasks import application_missing_send_task

    transaction.on_commit(lambda: application_missing_send_task.enqueue(
        application_id=application.pk, message=message.strip()))


def application_missing_send(*, application: Application, message: str) -> bool:
    token, token_hash = new_token()
    sent = mail(to=application.contact_email,
                subject=_("Pièce manquante — candidature %(ref)s") % {
                    "ref": application.reference},
                template="juries/email/application_missing.txt",
                context={"application": application, "message": message,
                         "url": application_url(token)})
    if sent:
        Application.objects.filter(pk=application.pk).update(token_hash=token_hash)
    return sent


# --- paper applications: CSV import -----------------------------------------------------

CSV_COLUMNS = ["structure_name", "identifier", "legal_form", "address", "postal_code",
               "commune", "contact_name", "contact_email", "contact_phone", "title",
               "description", "category", "place", "people_reached", "total_budget",
               "amount_requested", "other_funding"]


def applications_import(*, campaign: Campaign, content: bytes, by) -> tuple[int, list[str]]:
    """Import paper applications from a CSV (comma or semicolon, UTF-8), all or nothing.
    Returns (count, errors by line)."""
    text = content.decode("utf-8-sig", errors="replace")
    dialect = csv.Sniffer().sniff(text[:2000], delimiters=",;") if text.strip() else csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    missing = [c for c in ("structure_name", "contact_name", "contact_email", "title",
                           "description", "total_budget", "amount_requested")
               if c not in (reader.fieldnames or [])]
    if missing:
        return 0, [_("Colonnes manquantes : %(cols)s") % {"cols": ", ".join(missing)}]
    rows, errors = list(reader), []
    try:
        with transaction.atomic():
            for line, row in enumerate(rows, start=2):
                data = {k: (row.get(k) or "").strip() for k in CSV_COLUMNS}
                for name in ("people_reached", "total_budget", "amount_requested"):
                    data[name] = _integer(data[name])
                try:
                    application_submit(campaign=campaign, data=data,
                                       commune_name=data.pop("commune"),
                                       source=Application.Source.PAPER, by=by)
                except ValidationError as error:
                    errors.append(_("ligne %(n)d : %(e)s") % {"n": line, "e": "; ".join(
                        error.messages)})
            if errors:
                raise ValidationError(errors)
    except ValidationError:
        return 0, errors
    return len(rows), []


def _integer(text: str) -> int | None:
    digits = text.replace("\u202f", "").replace(" ", "").replace("€", "").split(",")[0]
    return int(digits) if digits.isdigit() else None
