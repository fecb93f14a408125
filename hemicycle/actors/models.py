"""Local actors: the organisations and people the group works with, how they relate,
every contact with them, and what the GDPR asks us to keep about them.

One table, ``Actor``, holds organisations and people (``type``), so that the list, the
filters, the map, segments, imports and merges have one code path and stay fast at
200,000 rows; ``Organisation`` and ``Person`` are proxies over it. ``last_contact_on``,
``next_follow_up_on``, ``consent_status`` and ``search_text`` are kept in step by the
services (``actor_refresh_contacts``, ``consent_record``) and by ``save()``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemicycle.accounts.models import WorkspaceModel
from hemicycle.actors import identifiers
from hemicycle.lib.text import normalize_name


def validate_rna(value: str) -> None:
    if value and not identifiers.is_rna(value):
        raise ValidationError(_("Un numéro RNA est un W suivi de 9 chiffres (W595012345)."))


def validate_siren(value: str) -> None:
    if value and not identifiers.is_siren(value):
        raise ValidationError(_("Numéro SIREN invalide (9 chiffres, clé de contrôle)."))


def validate_siret(value: str) -> None:
    if value and not identifiers.is_siret(value):
        raise ValidationError(_("Numéro SIRET invalide (14 chiffres, clé de contrôle)."))


class Theme(WorkspaceModel):
    """A theme of the workspace's own hierarchy: "Écologie › Mobilité"."""

    name = models.CharField(_("nom"), max_length=100)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children",
        verbose_name=_("thème parent"),
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(
            fields=["workspace", "parent", "name"], name="unique_theme_name")]
        verbose_name = _("thème")

    def __str__(self) -> str:
        return f"{self.parent} › {self.name}" if self.parent_id else self.name

    def descendant_ids(self) -> set[int]:
        """This theme and every theme below it (filtering by "Écologie" finds "Mobilité")."""
        ids, frontier = {self.pk}, {self.pk}
        while frontier:
            frontier = set(Theme.objects.filter(parent__in=frontier).values_list(
                "pk", flat=True)) - ids
            ids |= frontier
        return ids


class Tag(WorkspaceModel):
    name = models.CharField(_("nom"), max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="unique_tag")]
        verbose_name = _("étiquette")

    def __str__(self) -> str:
        return self.name


class Actor(WorkspaceModel):
    class Type(models.TextChoices):
        ORGANISATION = "organisation", _("Structure")
        PERSON = "person", _("Personne")

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Association")
        COLLECTIVE = "collective", _("Collectif")
        INSTITUTION = "institution", _("Institution, collectivité")
        PUBLIC_SERVICE = "public_service", _("Service public")
        BUSINESS = "business", _("Entreprise, ESS")
        MEDIA = "media", _("Média")
        UNION = "union", _("Syndicat")
        PARTY = "party", _("Groupe politique local")
        SCHOOL = "school", _("Établissement scolaire")
        OTHER = "other", _("Autre")

    class LawfulBasis(models.TextChoices):
        CONSENT = "consent", _("Consentement")
        LEGITIMATE = "legitimate_interest", _(
            "Intérêt légitime (représentant·e d'une structure, dans ce rôle)")
        PUBLIC_TASK = "public_task", _("Mission d'intérêt public")
        CONTRACT = "contract", _("Contrat")

    class Consent(models.TextChoices):
        NONE = "none", _("Aucun")
        GIVEN = "given", _("Donné")
        WITHDRAWN = "withdrawn", _("Retiré")

    type = models.CharField(_("type"), max_length=12, choices=Type.choices,
                            default=Type.ORGANISATION)
    kind = models.CharField(_("catégorie"), max_length=20, choices=Kind.choices, blank=True)
    # An organisation's name; a person's "First Last", kept from the two fields below.
    name = models.CharField(_("nom"), max_length=250)
    first_name = models.CharField(_("prénom"), max_length=120, blank=True)
    last_name = models.CharField(_("nom de famille"), max_length=120, blank=True)
    description = models.TextField(_("objet, présentation"), blank=True)

    street = models.CharField(_("adresse"), max_length=250, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("ville"), max_length=120, blank=True)
    # Indexed with the workspace (Meta.indexes), as every look-up has both.
    commune = models.ForeignKey(
        "territory.Commune", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("commune"), db_index=False,
    )
    # The canton(s): one when known, all those of a commune split between several
    # (Lille: six) until someone chooses or coordinates decide.
    cantons = models.ManyToManyField("territory.Canton", blank=True, related_name="+",
                                     verbose_name=_("cantons"))
    # The canton when there is exactly one (kept from ``cantons`` by actor_canton_sync):
    # the map's choropleth groups the actors on it (one narrow index scan) and reads the
    # link table only for the few actors of split communes.
    canton = models.ForeignKey("territory.Canton", null=True, blank=True, editable=False,
                               on_delete=models.SET_NULL, related_name="+", db_index=False)
    # True when the actor has several cantons that are not simply all those of its
    # commune (chosen by hand): the map reads the links only for these few; the others
    # of a split commune count in each canton of their commune (kept by actor_canton_sync).
    cantons_chosen = models.BooleanField(default=False, editable=False)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # True when the point is the commune's, not the actor's own address.
    approximate_position = models.BooleanField(_("position approximative"), default=True)

    email = models.EmailField(_("e-mail"), blank=True)
    email2 = models.EmailField(_("autre e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    website = models.URLField(_("site web"), blank=True)
    social = models.CharField(_("réseaux sociaux"), max_length=300, blank=True,
                              help_text=_("Comptes séparés par des espaces : @asso@mastodon…"))

    rna_id = models.CharField(_("numéro RNA"), max_length=10, blank=True,
                              validators=[validate_rna], db_index=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, validators=[validate_siren],
                             db_index=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    created_on = models.DateField(_("date de création"), null=True, blank=True)
    dissolved_on = models.DateField(_("date de dissolution"), null=True, blank=True)

    themes = models.ManyToManyField(Theme, blank=True, related_name="actors",
                                    verbose_name=_("thèmes"))
    tags = models.ManyToManyField(Tag, blank=True, related_name="actors",
                                  verbose_name=_("étiquettes"))
    notes = models.TextField(_("notes"), blank=True)
    # Few index-less FKs: each index slows the 200,000-row import down; these filters
    # always come with the workspace and scan its rows quickly.
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("suivi par"), db_index=False,
    )

    # GDPR (people): why we may hold the data, where it comes from, do-not-contact.
    lawful_basis = models.CharField(_("base légale"), max_length=24,
                                    choices=LawfulBasis.choices, blank=True)
    data_source = models.CharField(_("source des données"), max_length=200, blank=True)
    no_email = models.BooleanField(_("ne pas contacter par e-mail"), default=False)
    no_phone = models.BooleanField(_("ne pas contacter par téléphone"), default=False)
    no_post = models.BooleanField(_("ne pas contacter par courrier"), default=False)
    consent_status = models.CharField(_("consentement"), max_length=10,
                                      choices=Consent.choices, default=Consent.NONE)
    erased_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True)
    # Retention: listed, then warned (this date), then anonymised (services/privacy.py).
    retention_warned_at = models.DateTimeField(_("averti·e (conservation) le"), null=True,
                                               blank=True)

    # Kept by services: the latest interaction and the earliest open follow-up.
    last_contact_on = models.DateField(_("dernier contact"), null=True, blank=True)
    next_follow_up_on = models.DateField(_("prochaine relance"), null=True, blank=True)
    # Set when merged into another actor (reversible, see Merge): hidden from lists.
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("fusionné dans"),
                                    db_index=False)
    import_batch = models.ForeignKey("ImportBatch", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     db_index=False)
    # "maison du velo lille w595012345 …": accent-insensitive search, kept by save().
    search_text = models.CharField(max_length=400, blank=True, editable=False)

    audit_exclude = WorkspaceModel.audit_exclude | {"search_text", "import_batch", "canton",
                                                    "cantons_chosen"}

    class Meta:
        ordering = ["name"]
        indexes = [
            # Every list, count and map starts with "workspace = ? AND merged_into IS NULL".
            # This index holds every filtered column, in the order the map groups on
            # (commune, canton): the counts, the search (LIKE '%word%' reads every row
            # anyway) and the map's one GROUP BY scan it alone, never the wide table, with
            # no sort (SQLite: a covering index); the commune filter seeks in it.
            models.Index(fields=["workspace", "merged_into", "commune", "canton", "latitude",
                                 "last_contact_on", "cantons_chosen", "kind", "type",
                                 "consent_status", "follower", "email", "search_text"],
                         name="actor_live_area"),
            # The list's first page, read in name order without a sort; the filters on the
            # columns after the name (the search words too) are checked in the index, and
            # only the 50 actors shown are read from the table.
            models.Index(fields=["workspace", "merged_into", "name", "commune", "canton",
                                 "latitude", "last_contact_on", "follower", "consent_status",
                                 "kind", "type", "email", "search_text"],
                         name="actor_live_list_search"),
            models.Index(fields=["workspace", "last_contact_on"], name="actor_last_contact"),
            models.Index(fields=["workspace", "next_follow_up_on"], name="actor_follow_up"),
        ]
        verbose_name = _("acteur")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.fill_derived()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "name"}
        super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        """The person's display name and the search key (also called before bulk_create)."""
        if self.type == self.Type.PERSON and (self.first_name or self.last_name):
            self.name = f"{self.first_name} {self.last_name}".strip()
        self.search_text = search_key(self.name, self.city, self.rna_id, self.siren,
                                      self.email)

    @property
    def is_person(self) -> bool:
        return self.type == self.Type.PERSON

    @property
    def label(self) -> str:
        return self.get_kind_display() if self.kind else self.get_type_display()


def search_key(*parts: str) -> str:
    return normalize_name(" ".join(p for p in parts if p))[:400]


class OrganisationManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(type=Actor.Type.ORGANISATION)


class PersonManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(type=Actor.Type.PERSON)


class Organisation(Actor):
    objects = OrganisationManager()

    class Meta:
        proxy = True
        verbose_name = _("structure")

    def save(self, *args, **kwargs) -> None:
        self.type = Actor.Type.ORGANISATION
        super().save(*args, **kwargs)


class Person(Actor):
    objects = PersonManager()

    class Meta:
        proxy = True
        verbose_name = _("personne")

    def save(self, *args, **kwargs) -> None:
        self.type = Actor.Type.PERSON
        super().save(*args, **kwargs)


class Relation(WorkspaceModel):
    """Person → organisation (a role) or organisation → organisation (membership)."""

    class Kind(models.TextChoices):
        PRESIDENT = "president", _("Président·e")
        BOARD = "board", _("Membre du bureau")
        EMPLOYEE = "employee", _("Salarié·e")
        VOLUNTEER = "volunteer", _("Bénévole")
        ELECTED = "elected", _("Élu·e")
        CONTACT = "contact", _("Contact")
        MEMBER_OF = "member_of", _("Membre de")
        FEDERATION = "federation", _("Fédération, tête de réseau de")
        PARTNER = "partner", _("Partenaire de")

    source = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="relations_out",
                               verbose_name=_("acteur"))
    target = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="relations_in",
                               verbose_name=_("structure"))
    kind = models.CharField(_("relation"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("intitulé"), max_length=120, blank=True,
                             help_text=_("Précision : trésorière, chargé de mission…"))
    start_on = models.DateField(_("depuis le"), null=True, blank=True)
    end_on = models.DateField(_("jusqu'au"), null=True, blank=True)

    class Meta:
        ordering = ["-start_on", "id"]
        verbose_name = _("relation")

    def __str__(self) -> str:
        return f"{self.source} – {self.get_kind_display()} – {self.target}"


class Interaction(WorkspaceModel):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("Rendez-vous")
        FIELD_VISIT = "field_visit", _("Sortie terrain")
        CALL = "call", _("Appel")
        EMAIL = "email", _("E-mail")
        LETTER = "letter", _("Courrier")
        EVENT = "event", _("Événement")

    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("objet"), max_length=200)
    notes = models.TextField(_("compte rendu"), blank=True)
    actors = models.ManyToManyField(Actor, related_name="interactions",
                                    verbose_name=_("acteurs"))
    elected = models.ManyToManyField("elected.ElectedMember", blank=True, related_name="+",
                                     verbose_name=_("élu·e·s présent·e·s"))
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                   verbose_name=_("équipe présente"))
    follow_up_on = models.DateField(_("à relancer le"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("relance faite"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["workspace", "follow_up_on"], name="interaction_fu")]
        verbose_name = _("échange")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.title}"


class ConsentRecord(WorkspaceModel):
    """Proof of a consent given (or withdrawn) by a person: for which use, when, how."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("finalité"), max_length=60, default="newsletter")
    given = models.BooleanField(_("consentement donné"), default=True)
    at = models.DateTimeField(_("date"))
    ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    text_version = models.CharField(_("version du texte affiché"), max_length=60, blank=True)
    source = models.CharField(_("recueilli via"), max_length=120, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("preuve de consentement")

    def __str__(self) -> str:
        return f"{self.purpose} {self.at:%d/%m/%Y}"


class Segment(WorkspaceModel):
    """A saved filter of the directory, which the communication module can mail."""

    name = models.CharField(_("nom"), max_length=120)
    filters = models.JSONField(_("filtres"), default=dict)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["name"]
        verbose_name = _("segment")

    def __str__(self) -> str:
        return self.name


class ImportBatch(WorkspaceModel):
    class Format(models.TextChoices):
        RNA = "rna", _("Répertoire national des associations")
        CSV = "csv", _("Tableur (CSV ou XLSX)")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        QUEUED = "queued", _("En file d'attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminé")
        FAILED = "failed", _("Échec")
        UNDONE = "undone", _("Annulé")

    format = models.CharField(_("format"), max_length=6, choices=Format.choices)
    filename = models.CharField(_("fichier"), max_length=250)
    path = models.CharField(max_length=500, blank=True)  # the uploaded file, until done
    mapping = models.JSONField(default=dict, blank=True)
    dry_run = models.BooleanField(_("simulation"), default=False)
    status = models.CharField(_("état"), max_length=8, choices=Status.choices,
                              default=Status.PENDING)
    total_bytes = models.PositiveBigIntegerField(default=0)
    done_bytes = models.PositiveBigIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    # Per-row errors: [[line, message], …] (at most MAX_ERRORS), downloadable as CSV.
    errors = models.JSONField(default=list, blank=True)
    message = models.CharField(max_length=300, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")

    audit_exclude = WorkspaceModel.audit_exclude | {"done_bytes", "errors", "path"}

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        if self.status in (self.Status.DONE, self.Status.UNDONE):
            return 100
        return int(100 * self.done_bytes / self.total_bytes) if self.total_bytes else 0


class ImportChange(models.Model):
    """An actor that an import updated, with its values before: undoing the batch puts
    them back (created actors carry ``Actor.import_batch`` and are deleted)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    before = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.batch} – {self.actor}"


class DuplicateCandidate(WorkspaceModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("À examiner")
        MERGED = "merged", _("Fusionnés")
        DISMISSED = "dismissed", _("Pas un doublon")

    first = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("ressemblance"))
    reason = models.CharField(_("motif"), max_length=120)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="unique_pair")]
        verbose_name = _("doublon possible")

    def __str__(self) -> str:
        return f"{self.first} / {self.second}"


class Merge(WorkspaceModel):
    """One actor merged into another: what moved and the kept actor's values before,
    so that the merge can be undone."""

    kept = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    merged = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    before = models.JSONField(default=dict)  # the kept actor's fields that changed
    moved = models.JSONField(default=dict)  # {"relations_out": [ids], "interactions": […]…}
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("fusion")

    def __str__(self) -> str:
        return f"{self.merged} → {self.kept}"


def actor_canton_sync(actor_ids) -> None:
    """Set ``Actor.canton`` from the links (the canton when exactly one, else none) and
    ``Actor.cantons_chosen`` (several cantons, but not all those of the commune)."""
    from hemicycle.territory.models import CommuneCanton

    ids = list(actor_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        linked: dict[int, set[int]] = {}
        for actor_id, canton_id in Actor.cantons.through.objects.filter(
                actor_id__in=chunk).values_list("actor_id", "canton_id"):
            linked.setdefault(actor_id, set()).add(canton_id)
        communes = dict(Actor.objects.filter(pk__in=chunk).values_list("pk", "commune_id"))
        of_commune: dict[int, set[int]] = {}
        for commune_id, canton_id in CommuneCanton.objects.filter(
                commune_id__in={c for c in communes.values() if c}).values_list(
                "commune_id", "canton_id"):
            of_commune.setdefault(commune_id, set()).add(canton_id)
        groups: dict[tuple, list[int]] = {}
        for pk, commune_id in communes.items():
            cantons = linked.get(pk, set())
            key = (next(iter(cantons)) if len(cantons) == 1 else None,
                   len(cantons) > 1 and cantons != of_commune.get(commune_id))
            groups.setdefault(key, []).append(pk)
        for (canton_id, chosen), pks in groups.items():
            Actor.objects.filter(pk__in=pks).update(canton_id=canton_id, cantons_chosen=chosen)


def _cantons_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        actor_canton_sync([instance.pk])
    elif pk_set:
        actor_canton_sync(pk_set)


models.signals.m2m_changed.connect(_cantons_changed, sender=Actor.cantons.through,
                                   dispatch_uid="actor_cantons_changed")
