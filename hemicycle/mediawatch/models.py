"""Media watch: sources polled for articles, clippings (one per article, whatever the
number of sources it appeared in), keyword rules and the alerts they raise.

A clipping seen in several sources is one ``Clipping`` with one ``Sighting`` per source.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemicycle.accounts.models import WorkspaceModel

MAX_BACKOFF = datetime.timedelta(hours=24)


class Source(WorkspaceModel):
    class Kind(models.TextChoices):
        FEED = "feed", _("Flux RSS ou Atom")
        PAGE = "page", _("Page web sans flux")

    name = models.CharField(_("nom"), max_length=150)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.FEED)
    url = models.URLField(_("adresse"), max_length=1000)
    link_pattern = models.CharField(
        _("motif des liens d'articles"), max_length=200, blank=True,
        help_text=_("Pour une page sans flux : un morceau d'adresse que les liens "
                    "d'articles contiennent (par exemple « /actualites/ »). Vide : les "
                    "liens du même site plus profonds que la page."),
    )
    active = models.BooleanField(
        _("relevée automatiquement"), default=True,
        help_text=_("Décochée : la source n'est relevée qu'à la demande."),
    )
    interval_minutes = models.PositiveIntegerField(_("intervalle (minutes)"), default=60)
    # HTTP validators of the last 200 answer, sent back as If-None-Match / If-Modified-Since.
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_polled_at = models.DateTimeField(_("dernier relevé"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("dernier relevé réussi"), null=True, blank=True)
    last_status = models.CharField(_("dernier résultat"), max_length=300, blank=True)
    error_message = models.CharField(_("erreur"), max_length=300, blank=True)
    error_count = models.PositiveIntegerField(_("erreurs consécutives"), default=0)
    is_demo = models.BooleanField(default=False, editable=False)

    audit_exclude = WorkspaceModel.audit_exclude | {
        "etag", "last_modified", "next_poll_at", "last_polled_at", "last_success_at",
        "last_status", "error_message", "error_count"}

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")

    def __str__(self) -> str:
        return self.name

    def backoff(self) -> datetime.timedelta:
        """The wait before the next try: the interval, doubled for each failure in a row."""
        interval = datetime.timedelta(minutes=max(self.interval_minutes, 5))
        return min(interval * (2 ** min(self.error_count, 10)), max(interval, MAX_BACKOFF))

    @property
    def is_due(self) -> bool:
        return self.next_poll_at is None or self.next_poll_at <= timezone.now()


class Topic(WorkspaceModel):
    name = models.CharField(_("thème"), max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name = _("thème")
        constraints = [models.UniqueConstraint(fields=["workspace", "name"],
                                               name="mediawatch_topic_unique_name")]

    def __str__(self) -> str:
        return self.name


class Clipping(WorkspaceModel):
    class Tone(models.TextChoices):
        POSITIVE = "positive", _("Favorable")
        NEUTRAL = "neutral", _("Neutre")
        NEGATIVE = "negative", _("Défavorable")

    url = models.URLField(_("adresse"), max_length=1000)
    url_key = models.CharField(max_length=1000, editable=False)
    title = models.CharField(_("titre"), max_length=500)
    summary = models.TextField(_("résumé"), blank=True)
    text = models.TextField(_("texte"), blank=True)
    author = models.CharField(_("auteur"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    content_hash = models.CharField(max_length=64, db_index=True, editable=False)
    signature = models.BinaryField(null=True, editable=False)
    # The text's numbers, space-separated: near duplicates must agree on them (dedup.py).
    numbers = models.CharField(max_length=500, blank=True, editable=False)
    # Normalised words padded with spaces, for accent-insensitive search in the database.
    search_text = models.TextField(blank=True, editable=False)
    read_at = models.DateTimeField(_("lu le"), null=True, blank=True)
    tone = models.CharField(_("tonalité"), max_length=10, choices=Tone.choices, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="clippings",
                                    verbose_name=_("thèmes"))
    # What the article is about, in the other modules: people and organisations of the
    # directory, reports of the council. Same workspace only (services/clippings.py).
    actors = models.ManyToManyField("actors.Actor", blank=True, related_name="clippings",
                                    verbose_name=_("acteurs liés"))
    reports = models.ManyToManyField("council.Report", blank=True, related_name="clippings",
                                     verbose_name=_("rapports liés"))

    # Machine-filled fields stay out of the audit trail (the text can be long).
    audit_exclude = WorkspaceModel.audit_exclude | {
        "signature", "numbers", "search_text", "url_key", "content_hash", "read_at", "text",
        "summary"}

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("article")
        constraints = [models.UniqueConstraint(fields=["workspace", "url_key"],
                                               name="mediawatch_clipping_unique_url")]
        indexes = [models.Index(fields=["workspace", "created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def when(self) -> datetime.datetime:
        return self.published_at or self.created_at


class Sighting(WorkspaceModel):
    """One appearance of a clipping in one source, under its own address and title."""

    class Match(models.TextChoices):
        FIRST = "first", _("Première parution")
        URL = "url", _("Même adresse")
        CONTENT = "content", _("Même contenu")
        NEAR = "near", _("Texte presque identique")

    clipping = models.ForeignKey(Clipping, on_delete=models.CASCADE, related_name="sightings")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="sightings")
    url = models.URLField(_("adresse"), max_length=1000)
    url_key = models.CharField(max_length=1000, editable=False)
    title = models.CharField(_("titre"), max_length=500)
    match = models.CharField(_("rapprochement"), max_length=10, choices=Match.choices)
    similarity = models.FloatField(null=True, blank=True)

    # Filed by the poller, many a day: the audit line keeps the address and title only
    # (labelling the two foreign keys would cost two queries a row).
    audit_exclude = WorkspaceModel.audit_exclude | {"clipping", "source", "url_key",
                                                    "similarity"}

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("parution")
        constraints = [models.UniqueConstraint(fields=["source", "url_key"],
                                               name="mediawatch_sighting_once_per_source")]

    def __str__(self) -> str:
        return self.title


class KeywordRule(WorkspaceModel):
    class Preset(models.TextChoices):
        MANUAL = "", _("Manuelle")
        ELECTED = "elected", _("Élu·e·s du groupe")
        COMMUNES = "communes", _("Communes de l'assemblée")

    name = models.CharField(_("nom"), max_length=120)
    query = models.TextField(
        _("recherche"),
        help_text=_('Mots, "expression exacte", OU, -exclusion, préfixe* ; sans '
                    "tenir compte des accents ni des majuscules."),
    )
    active = models.BooleanField(_("active"), default=True)
    preset = models.CharField(max_length=20, choices=Preset.choices, blank=True,
                              editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("règle d'alerte")
        verbose_name_plural = _("règles d'alerte")

    def __str__(self) -> str:
        return self.name


class Alert(WorkspaceModel):
    rule = models.ForeignKey(KeywordRule, on_delete=models.CASCADE, related_name="alerts")
    clipping = models.ForeignKey(Clipping, on_delete=models.CASCADE, related_name="alerts")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("alerte")
        constraints = [models.UniqueConstraint(fields=["rule", "clipping"],
                                               name="mediawatch_alert_once")]

    def __str__(self) -> str:
        return f"{self.rule} — {self.clipping}"


DEFAULT_DIGEST_TIME = datetime.time(7, 0)
DEFAULT_DIGEST_ZONE = "Europe/Paris"


class DigestSubscription(WorkspaceModel):
    """A member who receives the daily digest of this workspace, at the time they chose
    (in their time zone; by default 07:00 in Paris)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    send_at = models.TimeField(_("heure d'envoi"), default=DEFAULT_DIGEST_TIME)
    time_zone = models.CharField(_("fuseau horaire"), max_length=60,
                                 default=DEFAULT_DIGEST_ZONE)
    # The subscriber's local day of the last digest (claimed by a conditional UPDATE:
    # never two the same day) and when it went out (the next one starts there).
    last_sent_on = models.DateField(null=True, blank=True, editable=False)
    last_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    audit_exclude = WorkspaceModel.audit_exclude | {"last_sent_on", "last_sent_at"}

    class Meta:
        verbose_name = _("abonnement au résumé quotidien")
        constraints = [models.UniqueConstraint(fields=["workspace", "user"],
                                               name="mediawatch_digest_once_per_user")]

    def __str__(self) -> str:
        return str(self.user)


class Digest(WorkspaceModel):
    """The daily digest of one day: claimed once, so that it never goes out twice."""

    day = models.DateField(_("jour"))
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    clipping_count = models.PositiveIntegerField(default=0)
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("résumé quotidien")
        constraints = [models.UniqueConstraint(fields=["workspace", "day"],
                                               name="mediawatch_digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}"
