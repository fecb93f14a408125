"""Calls for projects (AIL, participatory budgets), applications, juries and allocations.

A ``Campaign`` opens a call; associations send ``Application``s from a public form; a
jury of ``College``s (appointed or drawn by ``Draw`` from ``Volunteer``s) is made of
``Juror``s who write one ``Review`` per application; an ``Allocation`` runs a rule of
``budgeting.py`` on the reviews, and the chosen one is the decision.

Every domain row, child rows included (criteria, attachments, volunteers, reviews),
is a ``WorkspaceModel``: it carries its parent's workspace, so that every query can be
scoped to the workspace. Only ``Attempt`` (a rate-limit counter per IP for the public
form, like ``accounts.LoginFailure``) belongs to no workspace.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemicycle.accounts.models import WorkspaceModel


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A private link's token and the hash we keep (a database leak gives no usable link)."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


class Campaign(WorkspaceModel):
    class Kind(models.TextChoices):
        LOCAL_GRANTS = "local_grants", _("Subventions locales (AIL)")
        PARTICIPATORY_BUDGET = "participatory_budget", _("Budget participatif")

    class Rule(models.TextChoices):
        GREEDY_SCORE = "greedy_score", _("Classement par note pondérée (glouton)")
        GREEDY_VOTES = "greedy_votes", _("Classement par soutiens (glouton)")
        MES_APPROVALS = "mes_approvals", _("Parts égales sur les soutiens, complétion Add1")
        MES_SCORES = "mes_scores", _("Parts égales sur les notes, complétion Add1")

    title = models.CharField(_("titre"), max_length=200)
    public_slug = models.SlugField(
        _("adresse publique"), max_length=80, unique=True,
        help_text=_("Par exemple ail-lille-3-2026 : la page publique est "
                    "/appels/ail-lille-3-2026/."),
    )
    kind = models.CharField(_("type"), max_length=24, choices=Kind.choices,
                            default=Kind.LOCAL_GRANTS)
    year = models.PositiveSmallIntegerField(_("année"))
    description = models.TextField(_("présentation"), blank=True)
    cantons = models.ManyToManyField("territory.Canton", blank=True, related_name="+",
                                     verbose_name=_("cantons"))
    communes = models.ManyToManyField("territory.Commune", blank=True, related_name="+",
                                      verbose_name=_("communes"))
    envelope = models.PositiveIntegerField(_("enveloppe (€)"))
    opens_on = models.DateField(_("ouverture des candidatures"))
    closes_on = models.DateField(_("clôture des candidatures"))
    jury_on = models.DateField(_("réunion du jury"), null=True, blank=True)
    decision_on = models.DateField(_("décision"), null=True, blank=True)
    decision_body = models.CharField(_("instance de décision"), max_length=200, blank=True,
                                     help_text=_("Par exemple : commission permanente."))
    # Eligibility rules, checked automatically on every application.
    legal_forms = models.CharField(
        _("formes juridiques acceptées"), max_length=300, blank=True,
        help_text=_("Séparées par des virgules, par exemple : Association loi 1901, "
                    "Fondation. Vide : toutes."))
    require_identifier = models.BooleanField(_("numéro RNA ou SIREN/SIRET exigé"), default=True)
    seat_in_territory = models.BooleanField(_("siège dans le territoire exigé"), default=True)
    min_amount = models.PositiveIntegerField(_("montant minimum (€)"), null=True, blank=True)
    max_amount = models.PositiveIntegerField(_("montant maximum (€)"), null=True, blank=True)
    one_per_structure = models.BooleanField(_("une candidature par structure"), default=True)
    recent_funding_months = models.PositiveSmallIntegerField(
        _("pas financé dans les N derniers mois"), null=True, blank=True)
    score_scale = models.PositiveSmallIntegerField(_("notes de 0 à"), default=5)
    rule = models.CharField(_("règle de décision"), max_length=20, choices=Rule.choices,
                            default=Rule.GREEDY_SCORE)
    partial_min_share = models.PositiveSmallIntegerField(
        _("financement partiel du suivant (part minimale, %)"), null=True, blank=True)
    anonymous_review = models.BooleanField(
        _("dossiers anonymisés pour les juré·e·s"), default=False)
    published = models.BooleanField(_("page publique des résultats en ligne"), default=False)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("appel à projets")
        verbose_name_plural = _("appels à projets")

    def __str__(self) -> str:
        return self.title

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    def is_closed(self, today=None) -> bool:
        return (today or timezone.localdate()) > self.closes_on

    def legal_form_list(self) -> list[str]:
        return [f.strip() for f in self.legal_forms.split(",") if f.strip()]


class Criterion(WorkspaceModel):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="criteria")
    label = models.CharField(_("critère"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("poids"), default=1)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.label} ({self.campaign})"


class Application(WorkspaceModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Déposée")
        MISSING = "missing", _("Pièce manquante")
        ELIGIBLE = "eligible", _("Recevable")
        INELIGIBLE = "ineligible", _("Irrecevable")
        GRANTED = "granted", _("Financée")
        REFUSED = "refused", _("Non retenue")
        WITHDRAWN = "withdrawn", _("Retirée")

    class Source(models.TextChoices):
        ONLINE = "online", _("En ligne")
        PAPER = "paper", _("Papier")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE,
                                 related_name="applications")
    number = models.PositiveIntegerField(_("numéro"))
    status = models.CharField(_("état"), max_length=12, choices=Status.choices,
                              default=Status.SUBMITTED)
    source = models.CharField(_("origine"), max_length=8, choices=Source.choices,
                              default=Source.ONLINE)
    # The structure
    structure_name = models.CharField(_("nom de la structure"), max_length=200)
    legal_form = models.CharField(_("forme juridique"), max_length=80, blank=True)
    identifier = models.CharField(_("numéro RNA, SIREN ou SIRET"), max_length=20, blank=True)
    address = models.CharField(_("adresse du siège"), max_length=250, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    commune = models.ForeignKey("territory.Commune", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("commune"))
    canton = models.ForeignKey("territory.Canton", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("canton"))
    # The contact person (personal data: see privacy.py)
    contact_name = models.CharField(_("personne à contacter"), max_length=150)
    contact_email = models.EmailField(_("e-mail"))
    contact_phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    # The project
    title = models.CharField(_("titre du projet"), max_length=200)
    description = models.TextField(_("description"))
    category = models.CharField(_("thème"), max_length=80, blank=True)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    people_reached = models.PositiveIntegerField(_("personnes touchées"), null=True, blank=True)
    total_budget = models.PositiveIntegerField(_("budget total (€)"))
    amount_requested = models.PositiveIntegerField(_("montant demandé (€)"))
    other_funding = models.TextField(_("autres financements"), blank=True)
    # Instruction
    checks = models.JSONField(default=list, blank=True)  # [{"rule", "ok", "message"}]
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("doublon possible de"))
    decision_reason = models.TextField(_("motif"), blank=True)
    granted_amount = models.PositiveIntegerField(_("montant accordé (€)"), null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    audit_exclude = WorkspaceModel.audit_exclude | {"token_hash", "checks"}

    class Meta:
        ordering = ["campaign", "number"]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"],
                                               name="one_number_per_campaign")]
        verbose_name = _("candidature")

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    @property
    def reference(self) -> str:
        return f"{self.campaign.year}-{self.number:03d}"

    @property
    def is_open_to_jury(self) -> bool:
        return self.status in (self.Status.ELIGIBLE, self.Status.GRANTED, self.Status.REFUSED)


class Attachment(WorkspaceModel):
    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="attachments")
    file = models.FileField(upload_to="juries/attachments/%Y/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class College(WorkspaceModel):
    class Method(models.TextChoices):
        APPOINTED = "appointed", _("Désigné")
        DRAWN = "drawn", _("Tiré au sort")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="colleges")
    name = models.CharField(_("nom du collège"), max_length=120)
    seats = models.PositiveSmallIntegerField(_("sièges"))
    method = models.CharField(_("désignation"), max_length=10, choices=Method.choices,
                              default=Method.APPOINTED)
    # Quotas in the categories.csv format: [[feature, value, min, max], …]. The features
    # and their values are what the volunteer form asks.
    quotas = models.JSONField(_("quotas"), default=list, blank=True)
    one_per_household = models.BooleanField(_("une personne par foyer"), default=True)
    volunteers_open = models.BooleanField(_("inscriptions des volontaires ouvertes"),
                                          default=False)

    class Meta:
        ordering = ["campaign", "id"]
        verbose_name = _("collège")

    def __str__(self) -> str:
        return f"{self.name} ({self.campaign})"

    def features(self) -> dict[str, list[str]]:
        """{feature: [values]} in the order of the quotas."""
        found: dict[str, list[str]] = {}
        for feature, value, _lo, _hi in self.quotas:
            found.setdefault(feature, []).append(value)
        return found


class Volunteer(WorkspaceModel):
    """A person who volunteered for a drawn college. Personal data, purged after the
    campaign (services.volunteers_purge): the pseudonym and features stay, for the
    published draw report."""

    class Status(models.TextChoices):
        POOL = "pool", _("Dans le vivier")
        SELECTED = "selected", _("Tiré·e au sort")
        RESERVE = "reserve", _("Liste complémentaire")
        DECLINED = "declined", _("Désisté·e")

    college = models.ForeignKey(College, on_delete=models.CASCADE, related_name="volunteers")
    pseudonym = models.CharField(max_length=12)
    first_name = models.CharField(_("prénom"), max_length=120)
    last_name = models.CharField(_("nom"), max_length=120)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    address = models.CharField(_("adresse"), max_length=250)
    postal_code = models.CharField(_("code postal"), max_length=5)
    features = models.JSONField(default=dict)
    consent_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.POOL)
    purged_at = models.DateTimeField(null=True, blank=True)

    # The trail must not keep what the purge erases: only the pseudonym, the college,
    # the features and the status are recorded.
    audit_exclude = WorkspaceModel.audit_exclude | {
        "first_name", "last_name", "email", "phone", "address", "postal_code", "consent_at"}

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["college", "pseudonym"],
                                               name="one_pseudonym_per_college")]

    def __str__(self) -> str:
        return self.pseudonym

    @property
    def household(self) -> str:
        """Same normalised address and postal code → same household."""
        key = " ".join(self.address.lower().replace(",", " ").split())
        return hashlib.sha256(f"{key}|{self.postal_code}".encode()).hexdigest()[:12]


class Draw(WorkspaceModel):
    """One sortition of a college: frozen inputs, the lottery and the panel."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminé")
        FAILED = "failed", _("Impossible")

    college = models.ForeignKey(College, on_delete=models.CASCADE, related_name="draws")
    algorithm = models.CharField(_("algorithme"), max_length=10, default="leximin")
    seed = models.CharField(_("graine publique"), max_length=200)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    # Frozen inputs: [[pseudonym, {feature: value}, household|null], …] in pool order.
    pool = models.JSONField(default=list)
    quotas = models.JSONField(default=list)
    size = models.PositiveSmallIntegerField()
    pool_digest = models.CharField(max_length=64, blank=True)
    version = models.CharField(max_length=80, blank=True)
    probabilities = models.JSONField(default=dict, blank=True)
    # While LEXIMIN runs: the share of the pool's types whose probability is fixed, 0–100.
    progress = models.PositiveSmallIntegerField(default=0)
    panel = models.JSONField(default=list, blank=True)
    reserve = models.JSONField(default=list, blank=True)
    replacements = models.JSONField(default=list, blank=True)  # [[out, in, at], …]
    infeasibility = models.JSONField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                 related_name="+")

    audit_exclude = WorkspaceModel.audit_exclude | {"pool", "probabilities"}

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("tirage au sort")

    def __str__(self) -> str:
        return f"Tirage {self.college.name} · {self.seed}"


class Juror(WorkspaceModel):
    """A jury member. Each has an account: a membership of the workspace, with the
    ``juror`` role scoped to the campaign ({"campaign": "<code>"}) for people from
    outside, or their own role for members (élus of an appointed college). The scoring
    pages check the seat on the server; a deactivated juror loses them."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="jurors")
    college = models.ForeignKey(College, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="jurors", verbose_name=_("collège"))
    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("e-mail"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="jury_seats")
    active = models.BooleanField(_("actif·ve"), default=True)
    link_sent_at = models.DateTimeField(null=True, blank=True)

    audit_exclude = WorkspaceModel.audit_exclude | {"link_sent_at"}

    class Meta:
        ordering = ["campaign", "name"]
        verbose_name = _("juré·e")

    def __str__(self) -> str:
        return f"{self.name} (juré·e)"


class Review(WorkspaceModel):
    """One juror's scores on one application, support ("je soutiens") and conflict of
    interest (then no scores: the juror is kept out of that application)."""

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="reviews")
    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="reviews")
    scores = models.JSONField(default=dict)  # {criterion id (str): value}
    approved = models.BooleanField(default=False)
    conflict = models.BooleanField(default=False)
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["juror", "application"],
                                               name="one_review_per_juror")]

    def __str__(self) -> str:
        return f"{self.juror} · {self.application}"


class Allocation(WorkspaceModel):
    """A run of an allocation rule on a campaign's reviews, kept whole for the record;
    the one marked ``adopted`` is the decision. Overrides need a justification."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="allocations")
    rule = models.CharField(_("règle"), max_length=20, choices=Campaign.Rule.choices)
    partial_min_share = models.PositiveSmallIntegerField(null=True, blank=True)
    # MES only: "add1", or "add1-greedy" (then greedy on what is left of the envelope).
    completion = models.CharField(max_length=12, default="add1", blank=True)
    forced = models.JSONField(default=list, blank=True)  # application numbers
    excluded = models.JSONField(default=list, blank=True)
    justification = models.TextField(_("justification"), blank=True)
    result = models.JSONField(default=dict)  # {"selected", "partial", "explanations", …}
    version = models.CharField(max_length=40, blank=True)
    adopted = models.BooleanField(_("retenue"), default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                           related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("répartition")

    def __str__(self) -> str:
        return f"Répartition {self.get_rule_display()} · {self.campaign}"


class Attempt(models.Model):
    """One public form submission, to rate-limit per IP (shared by all worker processes)."""

    ip = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.ip} {self.at:%Y-%m-%d %H:%M}"
