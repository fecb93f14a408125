"""Newsletters and press: mailing lists, subscribers with their proof of consent,
campaigns (a newsletter, a press release's mailing), one delivery row per recipient,
press releases and press conferences.

Subscribers, deliveries and suppressions are plain models, not ``WorkspaceModel``: they
are personal data of the public, numerous, and written in bulk; keeping them out of the
automatic audit trail means an erasure leaves no address behind. Services record one
summary event instead (an import, a send, an erasure).
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemicycle.accounts.models import Workspace, WorkspaceModel
from hemicycle.newsletters import conf


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class MailingList(WorkspaceModel):
    """A list people subscribe to (the group's newsletter, a canton's letter…)."""

    name = models.CharField(_("nom"), max_length=150)
    description = models.TextField(_("présentation"), blank=True)
    # The consent text shown on the public form; every change makes a new ConsentText
    # version, and each subscriber keeps the version they agreed to.
    consent_text = models.TextField(_("texte de consentement"))
    is_open = models.BooleanField(
        _("formulaire public ouvert"), default=True,
        help_text=_("Décochez pour fermer les inscriptions en ligne."))
    archived = models.BooleanField(_("archivée"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("liste de diffusion")
        verbose_name_plural = _("listes de diffusion")

    def __str__(self) -> str:
        return self.name

    def current_consent(self) -> "ConsentText | None":
        return self.consent_versions.order_by("-version").first()


class ConsentText(models.Model):
    """One version of a list's consent text, exactly as the form showed it."""

    mailing_list = models.ForeignKey(
        MailingList, on_delete=models.CASCADE, related_name="consent_versions")
    version = models.PositiveIntegerField()
    text = models.TextField()
    digest = models.CharField(max_length=64)  # sha256 of the text: the proof it is unchanged
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["mailing_list", "version"], name="one_consent_version_number")]
        ordering = ["mailing_list", "version"]

    def __str__(self) -> str:
        return f"v{self.version}"


class Subscriber(models.Model):
    """One address on one list, with the proof of its double opt-in."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente de confirmation")
        SUBSCRIBED = "subscribed", _("inscrit·e")
        UNSUBSCRIBED = "unsubscribed", _("désinscrit·e")
        BOUNCED = "bounced", _("adresse en erreur")
        BLOCKLISTED = "blocklisted", _("liste noire")

    class Source(models.TextChoices):
        FORM = "form", _("formulaire public")
        IMPORT = "import", _("import")
        DEMO = "demo", _("démo")

    mailing_list = models.ForeignKey(
        MailingList, on_delete=models.CASCADE, related_name="subscribers")
    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("nom"), max_length=150, blank=True)
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.PENDING)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FORM)
    # Proof of consent: the form's text version, when, from where, with what browser;
    # then the same for the click on the confirmation link.
    consent = models.ForeignKey(
        ConsentText, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(null=True, blank=True)
    requested_ip = models.GenericIPAddressField(null=True, blank=True)
    requested_user_agent = models.CharField(max_length=300, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_ip = models.GenericIPAddressField(null=True, blank=True)
    confirmed_user_agent = models.CharField(max_length=300, blank=True)
    # Only a hash of the confirmation token is stored.
    confirm_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["mailing_list", "email"], name="one_subscriber_per_address")]
        # The daily purge of expired unconfirmed requests (status + age).
        indexes = [models.Index(fields=["status", "requested_at"],
                                name="subscriber_status_requested")]
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def confirm_expires_at(self):
        """When an unconfirmed request lapses: its link stops working and the daily
        purge deletes it (services.subscription_purge_unconfirmed)."""
        start = self.requested_at or self.created_at
        return start + timedelta(days=conf.CONFIRM_DAYS) if start else None


class Suppression(models.Model):
    """An address the workspace never writes to again: blocklisted, hard-bounced, or
    unsubscribed from a message sent to an audience (not a list)."""

    class Reason(models.TextChoices):
        BLOCKLISTED = "blocklisted", _("liste noire")
        BOUNCED = "bounced", _("adresse en erreur")
        UNSUBSCRIBED = "unsubscribed", _("désinscription")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["workspace", "email"], name="one_suppression_per_address")]

    def __str__(self) -> str:
        return f"{self.email} ({self.reason})"


class SubscribeAttempt(models.Model):
    """One post of the public form, to rate-limit by IP."""

    ip = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.ip} {self.at:%Y-%m-%d %H:%M}"


class Campaign(WorkspaceModel):
    """One mailing: a newsletter to a list and/or an audience, or a press release."""

    class Kind(models.TextChoices):
        NEWSLETTER = "newsletter", _("lettre d'information")
        PRESS = "press", _("communiqué de presse")
        INVITATION = "invitation", _("invitation presse")

    class Status(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        SCHEDULED = "scheduled", _("programmée")
        SENDING = "sending", _("envoi en cours")
        SENT = "sent", _("envoyée")
        CANCELLED = "cancelled", _("annulée")

    class Layout(models.TextChoices):
        BANNER = "banner", _("Bandeau aux couleurs du groupe")
        SOBER = "sober", _("Sobre (texte)")

    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.NEWSLETTER)
    subject = models.CharField(_("objet"), max_length=200)
    preheader = models.CharField(
        _("texte d'aperçu"), max_length=200, blank=True,
        help_text=_("La phrase que les messageries affichent après l'objet."))
    body = models.TextField(
        _("contenu"),
        help_text=_("Paragraphes séparés par une ligne vide ; « ## » pour un intertitre, "
                    "« - » pour une liste, **gras**, et les liens https://… tels quels."))
    layout = models.CharField(
        _("modèle"), max_length=10, choices=Layout.choices, default=Layout.BANNER)
    mailing_list = models.ForeignKey(
        MailingList, null=True, blank=True, on_delete=models.PROTECT,
        related_name="campaigns", verbose_name=_("liste"))
    # An audience from core/audiences.py ("<source key>|<audience code>"), e.g. a segment
    # of the actors directory, or the press list.
    audience = models.CharField(_("public"), max_length=200, blank=True)
    extra_addresses = models.TextField(
        _("adresses supplémentaires"), blank=True,
        help_text=_("Une adresse par ligne, par exemple des journalistes hors annuaire."))
    press_release = models.ForeignKey(
        "PressRelease", null=True, blank=True, on_delete=models.PROTECT,
        related_name="campaigns")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    scheduled_at = models.DateTimeField(_("envoi programmé le"), null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+")
    # The send worker holding the campaign ("host:pid:nonce") and its last heartbeat: one
    # worker at a time sends a campaign (see sending.py).
    worker = models.CharField(max_length=120, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # Sent campaigns are shown on the public archive unless this is unchecked.
    in_archive = models.BooleanField(_("dans les archives publiques"), default=True)
    # Audience measurement, off unless asked for (see tracking.py).
    track_opens = models.BooleanField(
        _("mesurer les ouvertures"), default=False,
        help_text=_("Mesure d'ouverture : un pixel invisible, propre à chaque destinataire, "
                    "est chargé depuis le site quand le message est affiché."))
    track_clicks = models.BooleanField(
        _("mesurer les clics"), default=False,
        help_text=_("Mesure des clics : les liens du message passent par le site, qui compte "
                    "le clic puis redirige vers l'adresse prévue."))

    audit_exclude = WorkspaceModel.audit_exclude | {"worker", "heartbeat_at"}

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("campagne")

    def __str__(self) -> str:
        return self.subject

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED)


class Delivery(models.Model):
    """One recipient of one campaign. The send loop walks these rows; their state is
    committed around each SMTP transaction (see sending.py for the crash rules)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("en file")
        SENDING = "sending", _("en cours")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("échec")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliveries")
    email = models.EmailField()
    name = models.CharField(max_length=150, blank=True)
    subscriber = models.ForeignKey(
        Subscriber, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    origin = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # Whether a crash left the outcome unknown (resolved as sent: at most once).
    uncertain = models.BooleanField(default=False)
    # First display of the message, when the campaign measures opens (no IP is kept).
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["campaign", "email"], name="one_delivery_per_address")]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self) -> str:
        return self.email


class CampaignLink(models.Model):
    """A link of a campaign that measures clicks: the message points to the site with
    this row's id, and the site redirects to ``url``, never to anything else."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(max_length=2000)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["campaign", "url"], name="one_link_per_campaign_url")]
        ordering = ["campaign", "position"]

    def __str__(self) -> str:
        return self.url


class LinkClick(models.Model):
    """The clicks of one recipient on one link: one row, a count (no IP is kept)."""

    link = models.ForeignKey(CampaignLink, on_delete=models.CASCADE, related_name="clicks")
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField(default=1)
    first_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["link", "delivery"], name="one_click_row_per_recipient_link")]

    def __str__(self) -> str:
        return f"{self.link_id}/{self.delivery_id}"


class PressRelease(WorkspaceModel):
    """A press release, written here; its PDF is generated when it is sent or downloaded."""

    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"), help_text=Campaign._meta.get_field("body").help_text)
    embargo_until = models.DateTimeField(
        _("sous embargo jusqu'au"), null=True, blank=True,
        help_text=_("Laissez vide pour une diffusion immédiate."))
    contact = models.CharField(
        _("contact presse"), max_length=200, blank=True,
        help_text=_("Nom, téléphone, e-mail."))
    published_url = models.CharField(max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("communiqué de presse")
        verbose_name_plural = _("communiqués de presse")

    def __str__(self) -> str:
        return self.title


class PressConference(WorkspaceModel):
    """A press conference: when, where, who was invited (a campaign) and who came."""

    title = models.CharField(_("objet"), max_length=200)
    starts_at = models.DateTimeField(_("date et heure"))
    place = models.CharField(_("lieu"), max_length=200)
    description = models.TextField(_("présentation"), blank=True)
    press_release = models.ForeignKey(
        PressRelease, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="conferences", verbose_name=_("communiqué lié"))
    invitation = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Who came, one per line ("Nom — média"), as noted by the staff after the event.
    attendees = models.TextField(_("présent·e·s"), blank=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("conférence de presse")
        verbose_name_plural = _("conférences de presse")

    def __str__(self) -> str:
        return self.title

    def attendee_list(self) -> list[str]:
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]
