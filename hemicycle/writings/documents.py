"""What each exported file contains: a note, a writing, a sitting's vote sheet, a recap."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hemicycle.council.models import Report, Sitting
from hemicycle.writings.exports import ExportDoc, Part
from hemicycle.writings.models import Note, Recap, Writing
from hemicycle.writings.queries import signature_of, sitting_reports


def _when(value) -> str:
    return date_format(timezone.localtime(value), "j F Y") if value else ""


def _report_facts(report: Report) -> list[tuple[str, str]]:
    facts = [(_("Rapport"), report.number or "—")]
    if report.sitting_id:
        facts.append((_("Séance"), f"{report.sitting} — {_when(report.sitting.starts_at)}"))
    if report.rapporteur:
        facts.append((_("Rapporteur·e"), report.rapporteur))
    if report.direction:
        facts.append((_("Direction"), report.direction))
    return facts


def note_document(note: Note) -> ExportDoc:
    report = note.report
    return ExportDoc(
        workspace=note.workspace, title=_("Note d’analyse — %(title)s") % {"title": report.title},
        subtitle=_("%(status)s · %(author)s · mise à jour le %(date)s") % {
            "status": note.get_status_display(), "author": note.author or "—",
            "date": _when(note.updated_at)},
        facts=_report_facts(report), parts=[Part("markup", text=note.body)])


def writing_document(writing: Writing) -> ExportDoc:
    facts = [(_("Type"), writing.get_kind_display()), (_("Statut"), writing.get_status_display())]
    if writing.speaker:
        facts.append((_("Élu·e"), str(writing.speaker)))
    if writing.report:
        facts.append((_("Rapport"), str(writing.report)))
    if writing.kind == Writing.Kind.AMENDMENT and writing.paragraph:
        facts.append((_("Alinéa visé"), writing.paragraph))
    elif writing.sitting:
        facts.append((_("Séance"), str(writing.sitting)))
    if writing.kind == Writing.Kind.SPEECH:
        facts.append((_("Durée estimée"), _("%(time)s (%(words)d mots)") % {
            "time": writing.speaking_time, "words": writing.word_count}))
    if writing.filed_at:
        facts.append((_("Déposé le"), _when(writing.filed_at)))
    if writing.amendment_status:
        facts.append((_("Sort"), writing.get_amendment_status_display()))
    parts = []
    if writing.kind == Writing.Kind.MINUTES:
        facts, parts = _minutes(writing, facts)
    if writing.kind == Writing.Kind.AMENDMENT:
        parts += [Part("heading", text=_("Texte d’origine")),
                  Part("markup", text=writing.original_text),
                  Part("heading", text=_("Texte proposé")),
                  Part("markup", text=writing.proposed_text),
                  Part("heading", text=_("Modifications")),
                  Part("diff", old=writing.original_text, new=writing.proposed_text),
                  Part("heading", text=_("Exposé des motifs"))]
    parts.append(Part("markup", text=writing.body))
    return ExportDoc(workspace=writing.workspace, title=writing.title,
                     subtitle=f"{writing.get_kind_display()} — {_when(writing.updated_at)}",
                     facts=facts, parts=parts, signature=signature_of(writing))


def _minutes(writing: Writing, facts: list[tuple[str, str]]) -> tuple[list, list[Part]]:
    """Date and attendees as facts; each agenda item as a heading, what was said, and
    the decision; the free text (the body) comes after, as for the other kinds."""
    if writing.meeting_date:
        facts.append((_("Date de la réunion"), date_format(writing.meeting_date, "l j F Y")))
    facts.append((_("Élu·e·s présent·e·s"),
                  ", ".join(str(m) for m in writing.attendee_members.all()) or "—"))
    facts.append((_("Équipe présente"),
                  ", ".join(str(u) for u in writing.attendee_staff.all()) or "—"))
    parts = [Part("heading", text=_("Ordre du jour et décisions"))]
    for index, item in enumerate(writing.items.select_related("report"), start=1):
        parts.append(Part("subheading", text=f"{index}. {item.label}"))
        if item.discussion:
            parts.append(Part("markup", text=item.discussion))
        parts.append(Part("markup", text="**" + _("Décision :") + "** "
                          + (" ".join(item.decision.split()) or "—")))
    if writing.body.strip():
        parts.append(Part("heading", text=_("Remarques")))
    return facts, parts


def vote_sheet_rows(sitting: Sitting) -> list[list[str]]:
    rows = []
    for report in sitting_reports(sitting):
        position = report.position
        dissents = ", ".join(f"{d.member} ({d.get_vote_display()})"
                             for d in position.dissents.all()) if position else ""
        rows.append([
            str(report.rank or ""), report.number, report.title,
            position.get_proposed_vote_display() if position else "",
            position.get_vote_display() if position else "",
            ", ".join(str(m) for m in position.speakers.all()) if position else "",
            dissents,
            report.get_decision_display() if report.decision else "",
        ])
    return rows


def vote_sheet_document(sitting: Sitting) -> ExportDoc:
    header = [_("Rang"), _("Numéro"), _("Rapport"), _("Vote proposé"), _("Vote du groupe"),
              _("Orateur·rice·s"), _("Dissidences"), _("Décision du conseil")]
    return ExportDoc(
        workspace=sitting.workspace,
        title=_("Feuille de vote — %(sitting)s") % {"sitting": sitting},
        subtitle=f"{sitting.body} — {_when(sitting.starts_at)}"
                 + (f" — {sitting.place}" if sitting.place else ""),
        parts=[Part("table", header=header, rows=vote_sheet_rows(sitting))], landscape=True)


def recap_document(recap: Recap) -> ExportDoc:
    return ExportDoc(workspace=recap.workspace, title=recap.title,
                     subtitle=f"{recap.sitting.body} — {_when(recap.sitting.starts_at)}",
                     parts=[Part("markup", text=recap.body)])

