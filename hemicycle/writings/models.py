"""The group's own work on the council's reports: analysis notes, the group's position
(its vote, with an explanation and individual dissent), its writings (speeches, oral
questions, amendments, motions, press releases) with their versions, and the recap of a
sitting published for the public.

The council's structure and its decisions (Body, Sitting, Report and its vote counts)
belong to the ``council`` app; this app only reads them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hemicycle.accounts.models import WorkspaceModel, hex_color
from hemicycle.council.models import Vote
from hemicycle.writings import markup


class Note(WorkspaceModel):
    """The staff's analysis of one report for the élu·e·s (one per report)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        READY = "ready", _("Prête")

    report = models.ForeignKey("council.Report", on_delete=models.CASCADE,
                               related_name="notes", verbose_name=_("rapport"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("auteur·rice"))
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    body = models.TextField(_("texte"), blank=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["report"],
                                               name="writings_one_note_per_report")]
        verbose_name = _("note d'analyse")
        verbose_name_plural = _("notes d'analyse")

    def __str__(self) -> str:
        return _("Note sur %(report)s") % {"report": self.report}


class Position(WorkspaceModel):
    """The group's vote on a report: proposed by the staff, decided by an élu·e or an
    admin, with the explanation of vote. The council's own result is on the report."""

    report = models.ForeignKey("council.Report", on_delete=models.CASCADE,
                               related_name="group_positions", verbose_name=_("rapport"))
    proposed_vote = models.CharField(_("vote proposé"), max_length=20, choices=Vote.choices,
                                     blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("proposé par"))
    vote = models.CharField(_("vote décidé"), max_length=20, choices=Vote.choices, blank=True)
    rationale = models.TextField(_("motifs (interne)"), blank=True)
    explanation = models.TextField(_("explication de vote"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("décidé par"))
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    # Who speaks for the group on this report, in the sitting (élu·e·s of the workspace;
    # position_set_speakers checks it and writes the change to the audit trail).
    speakers = models.ManyToManyField("elected.ElectedMember", blank=True, related_name="+",
                                      verbose_name=_("orateur·rice·s"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report"],
                                               name="writings_one_position_per_report")]
        verbose_name = _("position du groupe")
        verbose_name_plural = _("positions du groupe")

    def __str__(self) -> str:
        vote = self.get_vote_display() or _("à décider")
        return _("Position sur %(report)s : %(vote)s") % {"report": self.report, "vote": vote}


class Dissent(WorkspaceModel):
    """An élu·e of the group who votes otherwise than the group on one report."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="dissents")
    member = models.ForeignKey("elected.ElectedMember", on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("élu·e"))
    vote = models.CharField(_("vote"), max_length=20, choices=Vote.choices)
    reason = models.CharField(_("raison"), max_length=300, blank=True)

    class Meta:
        ordering = ["member__last_name"]
        constraints = [models.UniqueConstraint(fields=["position", "member"],
                                               name="writings_one_dissent_per_member")]

    def __str__(self) -> str:
        return f"{self.member} : {self.get_vote_display()}"


class Writing(WorkspaceModel):
    """A text of the group: one model for every kind, with the fields of amendments."""

    class Kind(models.TextChoices):
        SPEECH = "speech", _("Intervention")
        ORAL_QUESTION = "oral_question", _("Question orale")
        AMENDMENT = "amendment", _("Amendement")
        MOTION = "motion", _("Vœu / motion")
        ANALYSIS_NOTE = "analysis_note", _("Note d’analyse")
        PRESS_RELEASE = "press_release", _("Communiqué de presse")
        MINUTES = "minutes", _("Compte rendu de réunion de groupe")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        REVIEW = "review", _("À relire")
        FINAL = "final", _("Validé")
        FILED = "filed", _("Déposé")

    class AmendmentStatus(models.TextChoices):
        """What the council made of a filed amendment."""

        NONE = "", _("Pas encore examiné")
        ADOPTED = "adopted", _("Adopté")
        REJECTED = "rejected", _("Rejeté")
        WITHDRAWN = "withdrawn", _("Retiré")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=300)
    body = models.TextField(_("texte"), blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("auteur·rice"))
    speaker = models.ForeignKey("elected.ElectedMember", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("élu·e"))
    report = models.ForeignKey("council.Report", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="group_writings",
                               verbose_name=_("rapport"))
    sitting = models.ForeignKey("council.Sitting", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="group_writings",
                                verbose_name=_("séance"))
    # Amendments: the paragraph aimed at and its text, the wording proposed, what became
    # of it (the statement of reasons, l'exposé des motifs, is the body).
    paragraph = models.CharField(_("alinéa visé"), max_length=200, blank=True,
                                 help_text=_("Par exemple : article 2, alinéa 3."))
    original_text = models.TextField(_("texte d'origine"), blank=True)
    proposed_text = models.TextField(_("texte proposé"), blank=True)
    amendment_status = models.CharField(_("sort de l'amendement"), max_length=10,
                                        choices=AmendmentStatus.choices, blank=True)
    # Filing (dépôt) with the assembly's services: a validated writing is filed once, at a
    # recorded date; a filed writing is an official record and its text no longer changes.
    filed_at = models.DateTimeField(_("déposé le"), null=True, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("déposé par"))
    # Minutes of the group's meeting: its date and who attended (élu·e·s and staff); the
    # agenda items and their decisions are MinutesItem rows.
    meeting_date = models.DateField(_("date de la réunion"), null=True, blank=True)
    attendee_members = models.ManyToManyField("elected.ElectedMember", blank=True,
                                              related_name="+",
                                              verbose_name=_("élu·e·s présent·e·s"))
    attendee_staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                            related_name="+",
                                            verbose_name=_("équipe présente"))

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("écrit")
        verbose_name_plural = _("écrits")

    def __str__(self) -> str:
        return self.title

    # The workflow: draft ⇄ to review ⇄ validated → filed (and no way back from filed).
    TRANSITIONS = {
        Status.DRAFT: (Status.REVIEW, Status.FINAL),
        Status.REVIEW: (Status.DRAFT, Status.FINAL),
        Status.FINAL: (Status.DRAFT, Status.REVIEW, Status.FILED),
        Status.FILED: (),
    }

    def next_statuses(self) -> list[tuple[str, str]]:
        allowed = self.TRANSITIONS.get(self.status, ())
        return [(value, label) for value, label in self.Status.choices if value in allowed]

    @property
    def is_filed(self) -> bool:
        return self.status == self.Status.FILED

    @property
    def word_count(self) -> int:
        return markup.word_count(self.body)

    @property
    def speaking_seconds(self) -> int:
        return markup.speaking_seconds(self.word_count)

    @property
    def speaking_time(self) -> str:
        """"2 min 15 s": the estimated speaking time, as the page shows it."""
        minutes, seconds = divmod(self.speaking_seconds, 60)
        return _("%(min)d min %(sec)02d s") % {"min": minutes, "sec": seconds}


class MinutesItem(WorkspaceModel):
    """One item of the agenda of a group meeting, with what was said and decided; often
    a report of the coming sitting."""

    writing = models.ForeignKey(Writing, on_delete=models.CASCADE, related_name="items")
    rank = models.PositiveIntegerField(_("rang"), default=1)
    report = models.ForeignKey("council.Report", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("rapport"))
    title = models.CharField(_("point"), max_length=300, blank=True)
    discussion = models.TextField(_("échanges"), blank=True)
    decision = models.TextField(_("décision"), blank=True)

    class Meta:
        ordering = ["writing", "rank"]
        verbose_name = _("point de l’ordre du jour")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.title:
            return self.title
        if self.report is not None:
            return f"{self.report.number} — {self.report.title}" if self.report.number \
                else self.report.title
        return "—"


class WritingVersion(WorkspaceModel):
    """A writing as it was saved: every save keeps one, numbered from 1."""

    writing = models.ForeignKey(Writing, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    paragraph = models.CharField(_("alinéa visé"), max_length=200, blank=True)
    original_text = models.TextField(blank=True)
    proposed_text = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Writing.Status.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")

    audit_exclude = WorkspaceModel.audit_exclude | {"body", "original_text", "proposed_text"}

    class Meta:
        ordering = ["writing", "-number"]
        constraints = [models.UniqueConstraint(fields=["writing", "number"],
                                               name="writings_unique_version_number")]

    def __str__(self) -> str:
        return f"{self.writing} — v{self.number}"


class Recap(WorkspaceModel):
    """The recap of a held sitting, written from the decisions and the group's work,
    edited, then published on a public page."""

    sitting = models.ForeignKey("council.Sitting", on_delete=models.CASCADE,
                                related_name="group_recaps", verbose_name=_("séance"))
    title = models.CharField(_("titre"), max_length=300)
    body = models.TextField(_("texte"), blank=True)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sitting"],
                                               name="writings_one_recap_per_sitting")]
        verbose_name = _("récapitulatif de séance")

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Letterhead(WorkspaceModel):
    """The workspace's document template: the letterhead and the default signature of
    every exported writing, note, vote sheet and recap (one per workspace; empty fields
    fall back on the workspace's name and colours)."""

    group_name = models.CharField(_("nom du groupe"), max_length=200, blank=True)
    address = models.TextField(_("adresse"), blank=True,
                               help_text=_("Une ligne par ligne de l’en-tête."))
    footer = models.CharField(_("pied de page"), max_length=300, blank=True,
                              help_text=_("Par exemple : courriel et téléphone du groupe."))
    # The logo's bytes, checked by writings.logos (PNG or JPEG, at most 1 MB): kept in
    # the database with the rest of the template, so that it follows backups.
    logo = models.BinaryField(_("logo"), blank=True, default=b"")
    logo_type = models.CharField(max_length=20, blank=True)
    primary_color = models.CharField(_("couleur principale"), max_length=7, blank=True,
                                     validators=[hex_color])
    secondary_color = models.CharField(_("couleur secondaire"), max_length=7, blank=True,
                                       validators=[hex_color])
    signature_name = models.CharField(_("signature par défaut : nom"), max_length=200,
                                      blank=True)
    signature_title = models.CharField(_("signature par défaut : qualité"), max_length=300,
                                       blank=True)

    audit_exclude = WorkspaceModel.audit_exclude | {"logo"}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace"],
                                               name="writings_one_letterhead_per_workspace")]
        verbose_name = _("modèle de documents")

    def __str__(self) -> str:
        return self.group_name or str(self.workspace)


class Signature(WorkspaceModel):
    """How an élu·e signs the writings they carry (their name and title)."""

    member = models.ForeignKey("elected.ElectedMember", on_delete=models.CASCADE,
                               related_name="+", verbose_name=_("élu·e"))
    name = models.CharField(_("nom"), max_length=200, blank=True)
    title = models.CharField(_("qualité"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member"],
                                               name="writings_one_signature_per_member")]
        verbose_name = _("signature")

    def __str__(self) -> str:
        return self.name or str(self.member)


class DraftProposal(WorkspaceModel):
    """A draft asked of the optional language model for a report's note or a writing:
    the exact messages sent, then the proposal (or the error). Nothing is overwritten:
    the user inserts the proposal into their text, or not."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En cours")
        DONE = "done", _("Prête")
        FAILED = "failed", _("Échec")

    report = models.ForeignKey("council.Report", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")  # its note
    writing = models.ForeignKey(Writing, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="draft_proposals")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    model_name = models.CharField(max_length=200, blank=True)
    messages = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    result = models.TextField(blank=True)
    error = models.CharField(max_length=500, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    audit_exclude = WorkspaceModel.audit_exclude | {"messages", "result"}

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("proposition de brouillon")

    def __str__(self) -> str:
        target = self.writing if self.writing_id else self.report
        return _("Brouillon proposé pour %(target)s") % {"target": target}
