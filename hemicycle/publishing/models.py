"""The website and social networks: channels, posts, per-channel publications, quote cards.

A ``Post`` is what the team writes once; each selected ``Channel`` gets a ``Publication``
row holding that channel's text and, once sent, its result (remote id and URL, attempts,
the last error in plain French). The remote id is what makes re-publishing update the
same WordPress post and what stops anything from being published twice.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemicycle.accounts.models import WorkspaceModel
from hemicycle.publishing import crypto, limits


class Channel(WorkspaceModel):
    """A website or social account the group publishes to. Secrets are encrypted."""

    class Kind(models.TextChoices):
        WORDPRESS = "wordpress", _("Site WordPress")
        MASTODON = "mastodon", _("Mastodon")
        BLUESKY = "bluesky", _("Bluesky")
        FACEBOOK = "facebook", _("Page Facebook")
        INSTAGRAM = "instagram", _("Instagram (compte professionnel)")
        X = "x", _("X")

    name = models.CharField(_("nom"), max_length=120)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    base_url = models.URLField(_("adresse du service"), max_length=300, blank=True)
    account = models.CharField(
        _("compte"), max_length=200, blank=True,
        help_text=_("Identifiant WordPress, identifiant Bluesky, identifiant de la page…"),
    )
    # Fernet token of a JSON dict of secrets ({"secret": …}); never shown back in forms.
    credentials = models.TextField(blank=True, editable=False)
    # Bluesky's session (access and refresh tokens), reused between publications.
    session = models.TextField(blank=True, editable=False)
    options = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    # Demo channels hold made-up credentials: they are never contacted until changed.
    is_placeholder = models.BooleanField(default=False, editable=False)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_check_error = models.CharField(max_length=500, blank=True)

    audit_exclude = WorkspaceModel.audit_exclude | {"credentials", "session"}

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("canal de publication")
        verbose_name_plural = _("canaux de publication")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def secrets(self) -> dict:
        return crypto.decrypt_json(self.credentials)

    def set_secrets(self, values: dict) -> None:
        self.credentials = crypto.encrypt_json(values)

    @property
    def limit(self) -> int | None:
        return limits.LIMITS.get(self.kind)


class Post(WorkspaceModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        TO_VALIDATE = "to_validate", _("À valider")
        VALIDATED = "validated", _("Validé")
        SCHEDULED = "scheduled", _("Programmé")
        PUBLISHED = "published", _("Publié")
        FAILED = "failed", _("Échec")

    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte commun"), blank=True)
    html = models.TextField(_("contenu pour le site"), blank=True)
    link = models.URLField(_("lien"), max_length=500, blank=True)
    scheduled_at = models.DateTimeField(_("date de publication"), null=True, blank=True)
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    failure_reason = models.TextField(_("raison de l’échec"), blank=True)
    source = models.CharField(_("origine"), max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    validated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-scheduled_at", "-created_at"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return self.title


class PostImage(WorkspaceModel):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to="publishing/images/%Y/%m/")
    alt_text = models.CharField(
        _("texte alternatif"), max_length=1000,
        help_text=_("Ce que montre l’image, pour les personnes qui ne la voient pas."),
    )
    quote_card = models.ForeignKey(
        "QuoteCard", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("image")

    def __str__(self) -> str:
        return self.alt_text[:60]


class Publication(WorkspaceModel):
    """One post on one channel: its text, and what happened when it was sent."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        QUEUED = "queued", _("Dans la file")
        RUNNING = "running", _("En cours")
        RETRYING = "retrying", _("Nouvel essai prévu")
        PUBLISHED = "published", _("Publiée")
        FAILED = "failed", _("Échec")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="publications")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="publications")
    text = models.TextField(_("texte"), blank=True)
    text_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    # Used by publish_due: the next time this row may be tried.
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    remote_id = models.CharField(max_length=200, blank=True)
    remote_url = models.URLField(max_length=500, blank=True)
    # What the client asks to keep (WordPress: the uploaded media ids, not sent twice).
    remote_data = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Sent as Mastodon's Idempotency-Key and used as Bluesky's record key: the same
    # publication retried is recognised by the server, never posted twice.
    idempotency_key = models.CharField(max_length=64, blank=True, editable=False)

    audit_exclude = WorkspaceModel.audit_exclude | {"text_hash", "next_attempt_at"}

    class Meta:
        ordering = ["channel__kind", "channel__name"]
        constraints = [
            models.UniqueConstraint(fields=["post", "channel"], name="one_publication_per_channel")
        ]
        verbose_name = _("publication sur un canal")
        verbose_name_plural = _("publications sur les canaux")

    def __str__(self) -> str:
        return f"{self.post} → {self.channel}"

    def set_text(self, text: str) -> None:
        self.text = text
        self.text_hash = text_hash(text)

    @property
    def length(self) -> int:
        return limits.measure(self.channel.kind, self.text)

    @property
    def over_limit(self) -> bool:
        limit = self.channel.limit
        return limit is not None and self.length > limit


def text_hash(text: str) -> str:
    """A fingerprint for duplicate warnings: case, spacing and punctuation ignored."""
    key = limits.normalize_for_duplicates(text)
    return hashlib.sha256(key.encode()).hexdigest() if key else ""


class QuoteCard(WorkspaceModel):
    class Format(models.TextChoices):
        SQUARE = "1080x1080", _("Carré 1080 × 1080")
        PORTRAIT = "1080x1350", _("Portrait 1080 × 1350")
        LANDSCAPE = "1200x675", _("Paysage 1200 × 675")

    quote = models.TextField(_("citation"), max_length=400)
    speaker_name = models.CharField(_("nom de la personne citée"), max_length=120)
    speaker_title = models.CharField(_("fonction"), max_length=160, blank=True)
    photo = models.ImageField(_("photo"), upload_to="publishing/photos/", blank=True)
    format = models.CharField(
        _("format"), max_length=12, choices=Format.choices, default=Format.SQUARE
    )
    image = models.ImageField(upload_to="publishing/cards/", blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("visuel citation")
        verbose_name_plural = _("visuels citation")

    def __str__(self) -> str:
        return f"« {self.quote[:50]} » — {self.speaker_name}"

    @property
    def size(self) -> tuple[int, int]:
        width, height = self.format.split("x")
        return int(width), int(height)


class PressPage(WorkspaceModel):
    """The "Communiqués de presse" page of the website (a WordPress page, not a post):
    made once, then updated. ``media`` holds each release's PDF uploaded to the site,
    {release code: {"id", "url", "version"}}, so that a PDF is uploaded again only when
    the release changed."""

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, related_name="press_page")
    remote_id = models.CharField(max_length=200, blank=True)
    remote_url = models.URLField(max_length=500, blank=True)
    media = models.JSONField(default=dict, blank=True)
    release_count = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(_("mise à jour le"), null=True, blank=True)
    last_error = models.TextField(blank=True)
    # Taken by one refresh at a time (a conditional UPDATE); another request meanwhile
    # sets ``stale`` and the running refresh goes round once more.
    locked_at = models.DateTimeField(null=True, blank=True, editable=False)
    stale = models.BooleanField(default=False, editable=False)

    audit_exclude = WorkspaceModel.audit_exclude | {"media", "locked_at", "stale"}

    class Meta:
        verbose_name = _("page presse du site")

    def __str__(self) -> str:
        return str(_("Page presse sur %(channel)s") % {"channel": self.channel.name})
