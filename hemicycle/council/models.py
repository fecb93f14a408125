"""The assembly's structure as the group follows it: bodies, sittings, reports, and the
documents they come from.

Every row belongs to a workspace: two groups of the same council each keep their own
copy of the sittings and reports (their notes, votes and assignments differ). The
council's own decision and vote counts are recorded on the report; the group's own
position and writings live in the `writings` app.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemicycle.accounts.models import WorkspaceModel


class Body(WorkspaceModel):
    """A deliberating body of the assembly: the plenary, the commission permanente, or a
    thematic commission."""

    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Séance plénière")
        STANDING_COMMITTEE = "standing_committee", _("Commission permanente")
        COMMISSION = "commission", _("Commission thématique")

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    policy_area = models.CharField(_("domaine"), max_length=200, blank=True)
    # The group's members who sit in it.
    members = models.ManyToManyField(
        "elected.ElectedMember", blank=True, related_name="council_bodies",
        verbose_name=_("membres du groupe"),
    )
    # Filing deadlines the assembly sets for this body: so many days before the sitting,
    # at a given time (services/deadlines.py; empty: no deadline for that kind).
    amendment_deadline_days = models.PositiveSmallIntegerField(
        _("amendements : jours avant la séance"), null=True, blank=True,
        help_text=_("Par exemple 7 : à déposer au plus tard sept jours avant la séance."))
    oral_question_deadline_days = models.PositiveSmallIntegerField(
        _("questions orales : jours avant la séance"), null=True, blank=True)
    motion_deadline_days = models.PositiveSmallIntegerField(
        _("vœux et motions : jours avant la séance"), null=True, blank=True)
    deadline_time = models.TimeField(_("heure limite de dépôt"), default=datetime.time(12),
                                     help_text=_("Le jour de l'échéance, au plus tard à "
                                                 "cette heure."))

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="council_body_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Sitting(WorkspaceModel):
    class Status(models.TextChoices):
        ANNOUNCED = "announced", _("Annoncée")
        DOCUMENTS_RECEIVED = "documents_received", _("Documents reçus")
        HELD = "held", _("Tenue")
        MINUTES_PUBLISHED = "minutes_published", _("Procès-verbal publié")

    body = models.ForeignKey(Body, on_delete=models.RESTRICT, related_name="sittings",
                             verbose_name=_("instance"))
    title = models.CharField(_("titre"), max_length=250, blank=True)
    starts_at = models.DateTimeField(_("date et heure"))
    place = models.CharField(_("lieu"), max_length=250, blank=True)
    status = models.CharField(_("statut"), max_length=30, choices=Status.choices,
                              default=Status.ANNOUNCED)
    agenda_notes = models.TextField(_("ordre du jour (notes)"), blank=True)
    # The group's own meeting that prepares the sitting: work on its reports is due then.
    group_meeting_at = models.DateTimeField(_("réunion de groupe préparatoire"), null=True,
                                            blank=True)

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title or f"{self.body} — {self.starts_at:%d/%m/%Y}"


class Document(WorkspaceModel):
    """An original file, stored once by its content hash (per workspace): uploading the
    same bytes again finds this row and changes nothing."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        EXTRACTED = "extracted", _("Texte extrait")
        NO_TEXT = "no_text", _("Scan : pas de texte")
        ERROR = "error", _("Erreur")

    class Role(models.TextChoices):
        REPORT = "report", _("Rapport")
        BUNDLE = "bundle", _("Recueil (plusieurs rapports)")
        MINUTES = "minutes", _("Procès-verbal")
        ANNEX = "annex", _("Annexe")
        OTHER = "other", _("Autre")

    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to="council/", max_length=300)
    filename = models.CharField(_("nom du fichier"), max_length=300)
    size = models.PositiveBigIntegerField(default=0)
    kind = models.CharField(_("format"), max_length=20, blank=True)  # pdf, docx, odt, html, text
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.REPORT)
    sitting = models.ForeignKey(Sitting, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="documents", verbose_name=_("séance"))
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices,
                              default=Status.PENDING)
    error = models.TextField(_("erreur"), blank=True)
    page_count = models.PositiveIntegerField(default=0)
    ocr_pages = models.PositiveIntegerField(default=0)
    text = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    audit_exclude = WorkspaceModel.audit_exclude | {"text"}

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "sha256"],
                                    name="council_document_unique_content"),
        ]

    def __str__(self) -> str:
        return self.filename


class FollowStatus(models.TextChoices):
    """Where the group's work on a report stands."""

    TO_ANALYSE = "to_analyse", _("À analyser")
    IN_PROGRESS = "in_progress", _("En cours")
    READY = "ready", _("Prêt")
    POSITION_DECIDED = "position_decided", _("Position arrêtée")


class Report(WorkspaceModel):
    """An agenda item: the executive's proposal and, once voted, the council's decision."""

    class Decision(models.TextChoices):
        PENDING = "", _("À venir")
        ADOPTED = "adopted", _("Adopté")
        REJECTED = "rejected", _("Rejeté")
        WITHDRAWN = "withdrawn", _("Retiré")
        POSTPONED = "postponed", _("Reporté")

    sitting = models.ForeignKey(Sitting, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="reports", verbose_name=_("séance"))
    rank = models.PositiveIntegerField(_("rang"), null=True, blank=True)
    number = models.CharField(_("numéro"), max_length=80, blank=True,
                              help_text=_("Tel que le conseil l'écrit, par exemple DAT/2022/81."))
    title = models.CharField(_("titre"), max_length=500)
    rapporteur = models.CharField(_("rapporteur·e"), max_length=200, blank=True)
    direction = models.CharField(_("direction / service"), max_length=200, blank=True)
    policy_area = models.CharField(_("domaine"), max_length=200, blank=True)
    commission = models.ForeignKey(Body, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="examined_reports",
                                   verbose_name=_("commission saisie"))
    documents = models.ManyToManyField(Document, blank=True, related_name="reports",
                                       verbose_name=_("documents"))
    # Where its text comes from in a bundle (1-based pages), when it was split from one.
    source_document = models.ForeignKey(Document, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    page_start = models.PositiveIntegerField(null=True, blank=True)
    page_end = models.PositiveIntegerField(null=True, blank=True)
    text = models.TextField(_("texte"), blank=True)
    summary = models.TextField(_("synthèse automatique"), blank=True)
    entities = models.JSONField(default=dict, blank=True)  # amounts, dates, places, orgs…
    # The council's decision and vote counts.
    decision = models.CharField(_("décision"), max_length=20, choices=Decision.choices,
                                default=Decision.PENDING, blank=True)
    votes_for = models.PositiveIntegerField(_("pour"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("contre"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("abstention"), null=True, blank=True)
    votes_not_voting = models.PositiveIntegerField(_("ne prend pas part au vote"), null=True,
                                                   blank=True)
    # Other groups' votes where known: {"Groupe X": "for", …} (Vote values).
    other_groups_votes = models.JSONField(default=dict, blank=True)
    # Who follows the report: the lead (référent·e) and everyone assigned to it, the
    # lead included (services.followup keeps the two in step).
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("référent·e"))
    assignees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                       related_name="council_assigned_reports",
                                       verbose_name=_("suivi par"))
    due_date = models.DateField(_("à rendre pour le"), null=True, blank=True)
    follow_status = models.CharField(_("avancement"), max_length=20,
                                     choices=FollowStatus.choices,
                                     default=FollowStatus.TO_ANALYSE)

    audit_exclude = WorkspaceModel.audit_exclude | {"text", "entities", "summary"}

    class Meta:
        ordering = ["sitting", "rank", "number"]
        indexes = [models.Index(fields=["workspace", "number"])]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}" if self.number else self.title


class Vote(models.TextChoices):
    """A vote, the group's or another group's (glossary: pour / contre / abstention / NPPV)."""

    FOR = "for", _("Pour")
    AGAINST = "against", _("Contre")
    ABSTAIN = "abstain", _("Abstention")
    NOT_VOTING = "not_voting", _("Ne prend pas part au vote")


# --- ingestion ------------------------------------------------------------------------------


class IngestionBatch(WorkspaceModel):
    """Files uploaded together (or given to `hemicycle ingest`), processed by a task one
    file at a time; the counters feed the progress bar."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminée")

    sitting = models.ForeignKey(Sitting, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="ingestion_batches", verbose_name=_("séance"))
    role = models.CharField(_("type de documents"), max_length=20, blank=True)  # "" = guess
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    files_total = models.PositiveIntegerField(default=0)
    files_done = models.PositiveIntegerField(default=0)
    pages_done = models.PositiveIntegerField(default=0)
    reports_created = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        return round(100 * self.files_done / self.files_total) if self.files_total else 100


class IngestionItem(WorkspaceModel):
    """One file of a batch. Left "pending" by an interrupted run, it is picked up again."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        DONE = "done", _("Importé")
        DUPLICATE = "duplicate", _("Déjà importé")
        ERROR = "error", _("Erreur")

    batch = models.ForeignKey(IngestionBatch, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    filename = models.CharField(_("fichier"), max_length=300)
    upload = models.FileField(upload_to="council/incoming/", max_length=300, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    error_code = models.CharField(max_length=20, blank=True)
    error = models.TextField(blank=True)
    warnings = models.JSONField(default=list, blank=True)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    pages = models.PositiveIntegerField(default=0)
    reports_created = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["batch", "position"]


class SplitDraft(WorkspaceModel):
    """The split of a bundle being reviewed: kept on the server between the user's edits
    (move a boundary, merge, rename, split) until it is saved into reports."""

    document = models.OneToOneField(Document, on_delete=models.CASCADE,
                                    related_name="split_draft")
    # [{"start", "end", "number", "title", "heading", "method"}], offsets in document.text
    reports = models.JSONField(default=list)
    method = models.CharField(max_length=20, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)


# --- search -----------------------------------------------------------------------------------


class SearchEntry(models.Model):
    """One searchable thing (a report, a document, or another app's thing such as a
    writing) as the search engine sees it: its title and text prepared by
    searchsyntax.prepare (folded, stemmed), and its facets as tokens (search.scope_tokens).

    SQLite: an FTS5 table (``council_search_fts``) over these rows, kept in step by
    triggers. PostgreSQL: a stored ``tsvector`` column with a GIN index (migration 0006).
    """

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE,
                                  related_name="+")
    report = models.OneToOneField(Report, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="search_entry")
    document = models.OneToOneField(Document, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="search_entry")
    # Another app's thing ("writing", "note" and its id): no foreign key, that app keeps
    # its entries in step (writings/search_index.py).
    source = models.CharField(max_length=20, blank=True, default="")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    # "w<workspace id><kind letter>" and the facets' tokens: SQLite's index answers a
    # search and its filters alone.
    scope = models.TextField(blank=True)
    day = models.DateField(null=True, blank=True)  # its sitting's date, for date ranges
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"],
                                    condition=models.Q(source_id__isnull=False),
                                    name="council_searchentry_one_per_source"),
        ]

    def __str__(self) -> str:
        return self.title[:80]


class SearchTerm(models.Model):
    """Every word the search index has seen (SQLite only): a prefix search ``mobil*``
    becomes ``mobilite OR mobilis OR …``, which FTS5 walks lazily and stops at the page,
    where its own prefix search first merges every matching word's list. Never pruned: a
    word no entry has any more matches nothing."""

    term = models.CharField(max_length=100, primary_key=True)

    def __str__(self) -> str:
        return self.term


class SavedSearch(WorkspaceModel):
    """A user's search kept under a name: the words and every facet, as the search form
    sends them, to run again in one click."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="council_saved_searches")
    name = models.CharField(_("nom"), max_length=120)
    params = models.JSONField(default=dict, blank=True)  # {"q": …, "body": …, …}

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def query_string(self) -> str:
        """The search page's parameters: ``?{{ saved.query_string }}`` runs it again."""
        from django.utils.http import urlencode

        return urlencode(self.params)


# --- watch rules and the inbox -------------------------------------------------------------------


class Watchlist(WorkspaceModel):
    """A user's watch rule: new reports that match it land in their "À traiter" inbox."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="council_watchlists")
    name = models.CharField(_("nom"), max_length=120)
    query = models.CharField(_("recherche"), max_length=300, blank=True,
                             help_text=_('Mots, "expression exacte", mot*, -exclu, A OR B.'))
    policy_area = models.CharField(_("domaine"), max_length=200, blank=True)
    place = models.CharField(_("commune ou canton"), max_length=120, blank=True)
    min_amount = models.DecimalField(_("montant au moins égal à (€)"), max_digits=14,
                                     decimal_places=2, null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Comment(WorkspaceModel):
    """A message in a report's discussion thread (Markdown-lite, rendered escaped); the
    members it @mentions are told by the inbox and by e-mail."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("auteur·rice"))
    body = models.TextField(_("commentaire"), max_length=5000)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                      verbose_name=_("mentions"))
    edited_at = models.DateTimeField(_("modifié le"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return _("Commentaire sur %(report)s") % {"report": self.report}


class InboxItem(WorkspaceModel):
    """A report for a user to look at: matched by one of their watch rules, or assigned."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="council_inbox")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="inbox_items")
    watchlist = models.ForeignKey(Watchlist, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="items")
    reason = models.CharField(max_length=300, blank=True)
    # The comment that mentioned the user, when that is why the report is here.
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "report"], name="council_inbox_once"),
        ]


class DeadlineReminder(WorkspaceModel):
    """A reminder of a filing deadline sent to one person for one writing: recorded
    before the e-mail leaves, so that each one goes once (J-3, then J-1). A new deadline
    (the sitting moved) gets its own reminders."""

    writing = models.ForeignKey("writings.Writing", on_delete=models.CASCADE,
                                related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    days_before = models.PositiveSmallIntegerField()
    deadline = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["writing", "user", "days_before", "deadline"],
            name="council_deadline_reminder_once")]


class Attendance(WorkspaceModel):
    """One person's attendance at a sitting: read from the roll call of the minutes, or
    set by hand (a hand-set line is never overwritten by a later extraction)."""

    class State(models.TextChoices):
        PRESENT = "present", _("Présent·e")
        PROXY = "proxy", _("Représenté·e (procuration)")
        EXCUSED = "excused", _("Excusé·e")
        ABSENT = "absent", _("Absent·e")

    class Source(models.TextChoices):
        MINUTES = "minutes", _("Procès-verbal")
        MANUAL = "manual", _("Saisie")

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="attendances")
    name = models.CharField(_("nom"), max_length=200)
    name_key = models.CharField(max_length=200, editable=False)
    state = models.CharField(_("présence"), max_length=10, choices=State.choices)
    proxy_holder = models.CharField(_("procuration à"), max_length=200, blank=True)
    member = models.ForeignKey("elected.ElectedMember", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("élu·e du groupe"))
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    position = models.PositiveIntegerField(default=0)

    audit_exclude = WorkspaceModel.audit_exclude | {"name_key"}

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["sitting", "name_key"],
                                               name="council_attendance_once")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_state_display()})"


class Citation(WorkspaceModel):
    """A report that names something another module knows, such as an organisation of
    the actors directory (``reference`` = "actors.actor:<uuid>"; see core/known_names)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="citations")
    reference = models.CharField(max_length=80)
    name = models.CharField(_("nom"), max_length=250)
    count = models.PositiveIntegerField(_("occurrences"), default=1)

    class Meta:
        ordering = ["-count", "name"]
        constraints = [models.UniqueConstraint(fields=["report", "reference"],
                                               name="council_citation_once")]
        indexes = [models.Index(fields=["workspace", "reference"], name="council_citation_ref")]

    def __str__(self) -> str:
        return self.name
