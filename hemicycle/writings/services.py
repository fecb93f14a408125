"""Workflows of the group's work on reports: notes, positions, writings and recaps.

The audit trail records every change of these rows by itself (model signals); the
services keep the rules: who may decide a vote, one version per saved writing, nothing
half-written (each is one transaction).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hemicycle.accounts.models import Membership, User, Workspace
from hemicycle.accounts.roles import Role
from hemicycle.audit.models import AuditEvent
from hemicycle.audit.services import audit_record
from hemicycle.core.sharing import ShareRequest, share_draft
from hemicycle.council import entities, synthesis
from hemicycle.council.models import Report, Sitting, Vote
from hemicycle.elected.models import ElectedMember
from hemicycle.writings import logos, markup
from hemicycle.writings.models import (
    Dissent,
    Letterhead,
    MinutesItem,
    Note,
    Position,
    Recap,
    Signature,
    Writing,
    WritingVersion,
)

# --- notes ----------------------------------------------------------------------------------


def note_prefill(report: Report) -> str:
    """The first draft of a note: the automatic synthesis (an extractive summary) and a
    table of key figures (amounts, places, beneficiaries), from the report's text."""
    parts = [f"# {report.title}"]
    text = report.text.strip()
    if not text:
        parts.append(report.summary.strip()
                     or _("Le texte du rapport n’est pas encore disponible."))
        return "\n\n".join(parts) + "\n"
    sentences = synthesis.summary(text, n=4)
    if sentences:
        parts.append("## " + _("Synthèse automatique"))
        parts.append("\n".join(f"- {' '.join(s.split())}" for s in sentences))
    figures = synthesis.key_figures(entities.extract_entities(text, gazetteer=_gazetteer(
        report.workspace.assembly_id)))
    rows = figures.rows()
    if rows:
        parts.append("## " + _("Chiffres clés"))
        header = f"| {_('Quoi')} | {_('Valeur')} | {_('Contexte')} |\n|---|---|---|"
        parts.append(header + "\n" + "\n".join(
            f"| {markup.table_cell(label)} | {markup.table_cell(value)} | "
            f"{markup.table_cell(context)[:160]} |" for label, value, context in rows[:25]))
    parts.append("## " + _("Analyse"))
    parts.append(_("À compléter : enjeux pour le territoire, points de vigilance, vote proposé."))
    return "\n\n".join(parts) + "\n"


def _gazetteer(assembly_id: int) -> entities.Gazetteer:
    """The communes and cantons of the assembly's département (empty for other kinds);
    a few hundred rows, built when a note is prefilled."""
    from hemicycle.territory.models import Assembly, Canton, Commune

    assembly = Assembly.objects.get(pk=assembly_id)
    if assembly.departement_id is None:
        return entities.Gazetteer([])
    places = [entities.Place(c.name, "commune", c.insee_code)
              for c in Commune.objects.filter(departement_id=assembly.departement_id)]
    places += [entities.Place(c.name, "canton", c.code)
               for c in Canton.objects.filter(departement_id=assembly.departement_id)]
    return entities.Gazetteer(places)


@transaction.atomic
def note_save(*, report: Report, by: User, body: str, status: str) -> Note:
    """Create the report's note, or update it (its author stays the first writer)."""
    note = Note.objects.select_for_update().filter(report=report).first()
    if note is None:
        note = Note(workspace=report.workspace, report=report, author=by)
    note.body, note.status = body, status
    note.full_clean()
    note.save()
    return note


# --- positions ------------------------------------------------------------------------------


def position_can_decide(membership: Membership) -> bool:
    """The group's vote is decided by its élu·e·s (or an admin on their behalf); the
    staff propose."""
    return membership.role in (Role.ADMIN, Role.ELECTED)


def _position(report: Report) -> Position:
    position = Position.objects.select_for_update().filter(report=report).first()
    return position or Position(workspace=report.workspace, report=report)


@transaction.atomic
def position_propose(*, report: Report, by: User, proposed_vote: str,
                     rationale: str = "") -> Position:
    position = _position(report)
    position.proposed_vote, position.rationale = proposed_vote, rationale
    position.proposed_by = by
    position.full_clean()
    position.save()
    return position


@transaction.atomic
def position_decide(*, report: Report, by: User, vote: str, explanation: str = "") -> Position:
    """Record the group's decided vote (empty: back to undecided) and its explanation."""
    position = _position(report)
    position.vote, position.explanation = vote, explanation
    position.decided_by = by if vote else None
    position.decided_at = timezone.now() if vote else None
    position.full_clean()
    position.save()
    return position


@transaction.atomic
def dissent_set(*, report: Report, member: ElectedMember, vote: str, reason: str = "") -> Dissent:
    if member.workspace_id != report.workspace_id:
        raise ValidationError(_("Cet·te élu·e n’appartient pas à cet espace."))
    if vote not in Vote.values:
        raise ValidationError(_("Vote inconnu."))
    position = _position(report)
    if position.pk is None:
        position.save()
    dissent, _created = Dissent.objects.update_or_create(
        position=position, member=member,
        defaults={"workspace": report.workspace, "vote": vote, "reason": reason})
    return dissent


def dissent_remove(*, dissent: Dissent) -> None:
    dissent.delete()


@transaction.atomic
def position_set_speakers(*, report: Report, speakers: list[ElectedMember]) -> Position:
    """Who speaks for the group on this report (replaces the list; empty clears it)."""
    if any(member.workspace_id != report.workspace_id for member in speakers):
        raise ValidationError(_("Cet·te élu·e n’appartient pas à cet espace."))
    position = _position(report)
    if position.pk is None:
        position.save()
    before = sorted(str(m) for m in position.speakers.all())
    position.speakers.set(speakers)
    after = sorted(str(m) for m in speakers)
    if before != after:  # many-to-many changes escape the model signals of the audit trail
        audit_record(action=AuditEvent.Action.UPDATE, obj=position,
                     changes={"speakers": [", ".join(before), ", ".join(after)]})
    return position


# --- writings -------------------------------------------------------------------------------

VERSIONED = ("title", "body", "paragraph", "original_text", "proposed_text", "status")


def _version(writing: Writing, by: User | None) -> WritingVersion:
    last = writing.versions.order_by("-number").first()
    values = {name: getattr(writing, name) for name in VERSIONED}
    if last and all(getattr(last, name) == value for name, value in values.items()):
        return last  # nothing changed: no new version
    return WritingVersion.objects.create(
        workspace=writing.workspace, writing=writing, number=(last.number + 1 if last else 1),
        author=by, **values)


MINUTES_M2M = ("attendee_members", "attendee_staff")


@transaction.atomic
def writing_create(*, workspace: Workspace, by: User, kind: str, title: str, body: str = "",
                   items: list[dict] | None = None, **fields) -> Writing:
    """A new writing and its first version. Minutes take their attendees
    (``attendee_members``, ``attendee_staff``) and agenda ``items`` (dicts of MinutesItem
    fields: report, title, discussion, decision)."""
    m2m = {name: fields.pop(name) for name in MINUTES_M2M if name in fields}
    writing = Writing(workspace=workspace, author=by, kind=kind, title=title, body=body,
                      **fields)
    _check_links(writing)
    writing.full_clean()
    writing.save()
    _save_minutes(writing, m2m, items)
    _version(writing, by)
    return writing


@transaction.atomic
def writing_update(*, writing: Writing, by: User, items: list[dict] | None = None,
                   **fields) -> Writing:
    if writing.is_filed:
        raise ValidationError(_("Un écrit déposé ne se modifie plus : c’est le texte "
                                "officiellement transmis."))
    m2m = {name: fields.pop(name) for name in MINUTES_M2M if name in fields}
    for name, value in fields.items():
        setattr(writing, name, value)
    _check_links(writing)
    writing.full_clean()
    writing.save()
    _save_minutes(writing, m2m, items)
    _version(writing, by)
    return writing


def _save_minutes(writing: Writing, m2m: dict, items: list[dict] | None) -> None:
    """Attendees and agenda items of minutes (other kinds have none: cleared)."""
    is_minutes = writing.kind == Writing.Kind.MINUTES
    for name in MINUTES_M2M:
        if name in m2m or not is_minutes:
            people = list(m2m.get(name) or []) if is_minutes else []
            if name == "attendee_members":
                wrong = [m for m in people if m.workspace_id != writing.workspace_id]
            else:
                wrong = [u for u in people if not Membership.objects.filter(
                    workspace=writing.workspace, user=u).exists()]
            if wrong:
                raise ValidationError({name: _("Choix invalide.")})
            getattr(writing, name).set(people)
    if items is None and is_minutes:
        return
    writing.items.all().delete()
    for rank, item in enumerate(items if is_minutes else [], start=1):
        report = item.get("report")
        if report is not None and report.workspace_id != writing.workspace_id:
            raise ValidationError(_("Ce rapport n’appartient pas à cet espace."))
        MinutesItem.objects.create(
            workspace=writing.workspace, writing=writing, rank=rank, report=report,
            title=item.get("title", ""), discussion=item.get("discussion", ""),
            decision=item.get("decision", ""))


@transaction.atomic
def writing_set_status(*, writing: Writing, by: User, status: str) -> Writing:
    """Move the writing along its workflow; filing records who filed it and when."""
    writing = Writing.objects.select_for_update().get(pk=writing.pk)
    if status not in Writing.Status.values:
        raise ValidationError(_("Statut inconnu."))
    if status == writing.status:
        return writing
    if status not in dict(writing.next_statuses()):
        if writing.is_filed:
            raise ValidationError(_("Un écrit déposé ne change plus de statut."))
        if status == Writing.Status.FILED:
            raise ValidationError(_("Seul un écrit validé peut être déposé."))
        raise ValidationError(_("Ce changement de statut n’est pas possible."))
    writing.status = status
    if status == Writing.Status.FILED:
        writing.filed_at, writing.filed_by = timezone.now(), by
    writing.full_clean()
    writing.save()
    _version(writing, by)
    return writing


@transaction.atomic
def writing_set_outcome(*, writing: Writing, outcome: str) -> Writing:
    """What the council made of a filed amendment (adopted, rejected, withdrawn)."""
    if writing.kind != Writing.Kind.AMENDMENT or not writing.is_filed:
        raise ValidationError(_("Seul un amendement déposé a un sort."))
    if outcome not in Writing.AmendmentStatus.values:
        raise ValidationError(_("Sort inconnu."))
    writing.amendment_status = outcome
    writing.save()
    return writing


def _check_links(writing: Writing) -> None:
    """Linked rows must belong to the writing's workspace (forms already filter them)."""
    for name in ("report", "sitting", "speaker"):
        linked = getattr(writing, name)
        if linked is not None and linked.workspace_id != writing.workspace_id:
            raise ValidationError({name: _("Choix invalide.")})
    if writing.report is not None and writing.sitting is None:
        writing.sitting = writing.report.sitting


# --- recap ----------------------------------------------------------------------------------


def recap_draft_text(sitting: Sitting) -> str:
    """The recap's first draft: per report, the council's outcome, the group's vote, its
    explanation and the first lines of its speeches (with the speaker)."""
    from hemicycle.writings.queries import sitting_reports

    lines = [_("Séance du %(date)s — %(body)s.") % {
        "date": timezone.localtime(sitting.starts_at).strftime("%d/%m/%Y"), "body": sitting.body}]
    attendance = _group_attendance(sitting)
    if attendance:
        lines.append(attendance)
    for report in sitting_reports(sitting):
        heading = f"{report.number} — {report.title}" if report.number else report.title
        lines.append(f"## {heading}")
        facts = []
        if report.decision:
            facts.append(_("Décision du conseil : **%(decision)s**") % {
                "decision": report.get_decision_display()} + _counts(report))
        position = report.position
        if position and position.vote:
            facts.append(_("Vote du groupe : **%(vote)s**") % {"vote": position.get_vote_display()})
            for dissent in position.dissents.all():
                facts.append(_("%(member)s : %(vote)s") % {
                    "member": dissent.member, "vote": dissent.get_vote_display()})
        lines.append("\n".join(f"- {fact}" for fact in facts)
                     or _("Pas de vote du groupe enregistré."))
        speakers = list(position.speakers.all()) if position else []
        if speakers:
            lines.append(_("Orateur·rice·s du groupe : %(names)s") % {
                "names": ", ".join(str(m) for m in speakers)})
        if position and position.explanation.strip():
            lines.append("> " + " ".join(markup.plain(position.explanation).split()))
        for speech in report.group_writings.filter(
                kind=Writing.Kind.SPEECH, status=Writing.Status.FINAL).select_related("speaker"):
            speaker = str(speech.speaker) if speech.speaker else _("Le groupe")
            lines.append(f"**{speaker}** : « {_excerpt(speech.body)} »")
    return "\n\n".join(lines) + "\n"


def _group_attendance(sitting: Sitting) -> str:
    """"Présent·es pour le groupe : …; procuration : …", when the attendance is known."""
    lines = sitting.attendances.filter(member__in_group=True).select_related("member")
    present = [str(line.member) for line in lines if line.state == "present"]
    proxies = [_("%(member)s (procuration à %(holder)s)") % {
        "member": line.member, "holder": line.proxy_holder}
        for line in lines if line.state == "proxy"]
    away = [str(line.member) for line in lines if line.state in ("excused", "absent")]
    parts = []
    if present:
        parts.append(_("Présent·es pour le groupe : %(names)s.") % {"names": ", ".join(present)})
    if proxies:
        parts.append(_("Représenté·es : %(names)s.") % {"names": ", ".join(proxies)})
    if away:
        parts.append(_("Absent·es : %(names)s.") % {"names": ", ".join(away)})
    return " ".join(parts)


def _counts(report: Report) -> str:
    counts = [(report.votes_for, _("pour")), (report.votes_against, _("contre")),
              (report.votes_abstain, _("abstention(s)")),
              (report.votes_not_voting, _("NPPV"))]
    shown = [f"{n} {label}" for n, label in counts if n is not None]
    return f" ({', '.join(shown)})" if shown else ""


def _excerpt(text: str, words: int = 60) -> str:
    plain = markup.plain(text).split()
    return " ".join(plain[:words]) + (" …" if len(plain) > words else "")


@transaction.atomic
def recap_get_or_create(*, sitting: Sitting, by: User) -> Recap:
    recap = Recap.objects.filter(sitting=sitting).first()
    if recap is None:
        recap = Recap.objects.create(
            workspace=sitting.workspace, sitting=sitting, body=recap_draft_text(sitting),
            title=_("Récap de la séance du %(date)s") % {
                "date": timezone.localtime(sitting.starts_at).strftime("%d/%m/%Y")})
    return recap


@transaction.atomic
def recap_update(*, recap: Recap, title: str, body: str) -> Recap:
    recap.title, recap.body = title, body
    recap.full_clean()
    recap.save()
    return recap


def recap_regenerate(*, recap: Recap) -> Recap:
    return recap_update(recap=recap, title=recap.title, body=recap_draft_text(recap.sitting))


def recap_publish(*, recap: Recap, by: User) -> Recap:
    if recap.sitting.status not in (Sitting.Status.HELD, Sitting.Status.MINUTES_PUBLISHED):
        raise ValidationError(_("Seule une séance tenue peut avoir un récapitulatif publié."))
    recap.published_at, recap.published_by = timezone.now(), by
    recap.save()
    return recap


def recap_unpublish(*, recap: Recap) -> Recap:
    recap.published_at = recap.published_by = None
    recap.save()
    return recap


def recap_share(*, recap: Recap, by: User, link: str = "") -> str:
    """A draft post for the website from the recap; returns where to edit it."""
    return share_draft(ShareRequest(
        workspace=recap.workspace, by=by, title=recap.title, body=markup.plain(recap.body),
        html=markup.to_html(recap.body), link=link if recap.is_published else "",
        source=f"writings.recap:{recap.code}"))


EXCERPT_MAX = 1000


def speech_share_body(writing: Writing, excerpt: str) -> str:
    """« excerpt » — the speaker, and the report or sitting the speech was made on."""
    speaker = str(writing.speaker) if writing.speaker else writing.workspace.name
    report = writing.report
    sitting = writing.sitting or (report.sitting if report else None)
    context = []
    if report:
        context.append(_("sur le rapport %(report)s") % {
            "report": report.number or f"« {report.title[:80]} »"})
    if sitting:
        context.append(str(sitting))
    line = f"— {speaker}" + (f", {', '.join(context)}" if context else "")
    return f"« {excerpt} »\n{line}"


def speech_share(*, writing: Writing, by: User, excerpt: str) -> str:
    """A draft social post with an excerpt of a speech (and a quote card of it, drawn by
    the publishing module); returns where to edit the draft."""
    excerpt = excerpt.strip()
    if writing.kind != Writing.Kind.SPEECH:
        raise ValidationError(_("Seule une intervention se partage en extrait."))
    if not excerpt:
        raise ValidationError(_("L’extrait est vide : choisissez une phrase de l’intervention."))
    if len(excerpt) > EXCERPT_MAX:
        raise ValidationError(_("L’extrait est trop long (%(length)d caractères, "
                                "%(limit)d au plus).") % {"length": len(excerpt),
                                                           "limit": EXCERPT_MAX})
    return share_draft(ShareRequest(
        workspace=writing.workspace, by=by,
        title=(_("Extrait : %(title)s") % {"title": writing.title})[:200],
        body=speech_share_body(writing, excerpt), quote=excerpt,
        speaker=str(writing.speaker) if writing.speaker else "",
        source=f"writings.writing:{writing.code}"))


# --- document templates ---------------------------------------------------------------


@transaction.atomic
def template_save(*, workspace: Workspace, letterhead: dict, logo: bytes | None = None,
                  remove_logo: bool = False, signatures: list[dict]) -> Letterhead:
    """The settings page in one transaction: the letterhead and the signatures."""
    saved = letterhead_save(workspace=workspace, logo=logo, remove_logo=remove_logo,
                            **letterhead)
    signatures_save(workspace=workspace, rows=signatures)
    return saved


@transaction.atomic
def letterhead_save(*, workspace: Workspace, logo: bytes | None = None,
                    remove_logo: bool = False, **fields) -> Letterhead:
    """Save the workspace's template. ``logo``: new bytes (checked here again: only a PNG
    or JPEG decoded by Pillow); ``remove_logo``: back to no logo."""
    letterhead = (Letterhead.objects.select_for_update().filter(workspace=workspace).first()
                  or Letterhead(workspace=workspace))
    for name, value in fields.items():
        setattr(letterhead, name, value)
    if logo:
        try:
            letterhead.logo_type = logos.logo_check(logo)
        except logos.LogoError as error:
            raise ValidationError({"logo": logo_error_message(str(error))}) from error
        letterhead.logo = logo
    elif remove_logo:
        letterhead.logo, letterhead.logo_type = b"", ""
    letterhead.full_clean()
    letterhead.save()
    return letterhead


def logo_error_message(code: str) -> str:
    return {
        "empty": _("Le fichier est vide."),
        "too_heavy": _("Le logo dépasse 1 Mo."),
        "format": _("Le logo doit être une image PNG ou JPEG."),
        "too_large": _("Le logo dépasse 4000 pixels de côté."),
    }.get(code, _("Ce fichier n’est pas une image PNG ou JPEG lisible."))


@transaction.atomic
def signatures_save(*, workspace: Workspace, rows: list[dict]) -> None:
    """One signature per élu·e: rows of {member, name, title}; empty rows delete it."""
    for row in rows:
        member = row["member"]
        if member.workspace_id != workspace.id:
            raise ValidationError(_("Cet·te élu·e n’appartient pas à cet espace."))
        name, title = row.get("name", "").strip(), row.get("title", "").strip()
        if name or title:
            Signature.objects.update_or_create(
                member=member, defaults={"workspace": workspace, "name": name, "title": title})
        else:
            Signature.objects.filter(member=member).delete()
