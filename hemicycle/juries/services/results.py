"""Results: the decision list (CSV, XLSX, DOCX), open data, notifications to applicants,
the multi-year history per canton, and sharing the results as a draft post."""

import csv
import io
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hemicycle.core.sharing import ShareRequest, share_draft
from hemicycle.juries.budgeting import money
from hemicycle.juries.models import Allocation, Application, Campaign, Juror
from hemicycle.juries.services.allocation import adopted
from hemicycle.juries.services.scoring import scores_table
from hemicycle.juries.services.trail import trail

DECISION_HEADERS = [_("Bénéficiaire"), _("RNA / SIREN"), _("Commune"), _("Projet"),
                    _("Montant accordé (€)")]


def decision_rows(campaign: Campaign) -> list[list]:
    granted = campaign.applications.filter(status=Application.Status.GRANTED).select_related(
        "commune").order_by("structure_name")
    return [[a.structure_name, a.identifier, a.commune.name if a.commune else "", a.title,
             a.granted_amount or 0] for a in granted]


def decisions_csv(campaign: Campaign) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([str(h) for h in DECISION_HEADERS])
    writer.writerows(decision_rows(campaign))
    return out.getvalue()


def decisions_xlsx(campaign: Campaign) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Décisions")[:31]
    sheet.append([str(h) for h in DECISION_HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rows = decision_rows(campaign)
    for row in rows:
        sheet.append(row)
    sheet.append(["", "", "", _("Total"), sum(r[4] for r in rows)])
    for column, width in zip("ABCDE", (40, 14, 24, 50, 18), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def decisions_docx(campaign: Campaign) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(campaign.title, level=1)
    document.add_paragraph(_("Liste des bénéficiaires proposée à la décision de : %(body)s.")
                           % {"body": campaign.decision_body or "—"})
    rows = decision_rows(campaign)
    table = document.add_table(rows=1, cols=len(DECISION_HEADERS))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, DECISION_HEADERS, strict=True):
        cell.text = str(header)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = f"{value:,} €".replace(",", "\u202f") if isinstance(value, int) \
                else str(value)
    total = sum(r[4] for r in rows)
    document.add_paragraph(_("Total : %(total)s € sur une enveloppe de %(env)s €.") % {
        "total": f"{total:,}".replace(",", "\u202f"),
        "env": f"{campaign.envelope:,}".replace(",", "\u202f")})
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def open_data_csv(campaign: Campaign) -> str:
    """Every application put to the jury, without personal data: structure, project,
    amounts, mean score, decision."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["reference", "structure", "identifiant", "commune_insee", "commune",
                     "theme", "projet", "montant_demande", "note_moyenne", "soutiens",
                     "decision", "montant_accorde"])
    for row in scores_table(campaign):
        a = row["application"]
        writer.writerow([a.reference, a.structure_name, a.identifier,
                         a.commune.insee_code if a.commune else "",
                         a.commune.name if a.commune else "", a.category, a.title,
                         a.amount_requested,
                         f"{row['mean']:.2f}" if row["mean"] is not None else "",
                         row["approvals"], a.status, a.granted_amount or 0])
    return out.getvalue()


@transaction.atomic
def applications_notify(*, campaign: Campaign, by) -> int:
    """Mail each decided applicant (granted with the amount, refused with the reason),
    once. Returns how many mails were queued."""
    from hemicycle.juries.tasks import application_notify_task

    decided = campaign.applications.filter(
        status__in=[Application.Status.GRANTED, Application.Status.REFUSED,
                    Application.Status.INELIGIBLE], notified_at=None)
    ids = list(decided.values_list("pk", flat=True))
    decided.update(notified_at=timezone.now())
    for pk in ids:
        transaction.on_commit(lambda pk=pk: application_notify_task.enqueue(application_id=pk))
    if ids:
        trail("notify", obj=campaign, by=by,
                     message=_("%(n)d candidat·e·s notifié·e·s.") % {"n": len(ids)})
    return len(ids)


def application_notify_send(*, application: Application) -> bool:
    from hemicycle.juries.services.applications import mail

    return mail(to=application.contact_email,
                subject=_("Décision sur votre candidature %(ref)s") % {
                    "ref": application.reference},
                template="juries/email/application_decision.txt",
                context={"application": application})


def campaign_results_final(campaign: Campaign) -> Allocation | None:
    """The adopted allocation when the results are final: a decision taken (an allocation
    adopted) and the public results page online; None otherwise."""
    return adopted(campaign) if campaign.published else None


def campaign_results_method(campaign: Campaign, allocation: Allocation) -> str:
    """The jury's method in one line: who scored, on how many criteria, which rule."""
    colleges = [f"{c.name} ({c.get_method_display().lower()})" for c in campaign.colleges.all()]
    jurors = Juror.objects.filter(workspace=campaign.workspace, campaign=campaign,
                                  active=True).count()
    criteria = campaign.criteria.count()
    jury = ngettext("un jury de %(n)d membre", "un jury de %(n)d membres", jurors) % {
        "n": jurors} if jurors else _("le jury")
    line = _("Méthode : %(jury)s%(colleges)s a noté les dossiers sur %(criteria)s ; "
             "répartition selon la règle « %(rule)s ».") % {
        "jury": jury, "colleges": f" ({', '.join(colleges)})" if colleges else "",
        "criteria": ngettext("%(n)d critère", "%(n)d critères", criteria) % {"n": criteria},
        "rule": allocation.get_rule_display()}
    if allocation.justification:
        line += " " + _("Décision manuelle justifiée : %(why)s") % {
            "why": " ".join(allocation.justification.split())}
    return line


def campaign_results_share(*, campaign: Campaign, by, link: str = "") -> str:
    """A draft post of the final results (funded projects and amounts, the envelope used,
    the jury's method, a link to the public page); returns where to edit it. Refused
    before the results are final."""
    allocation = campaign_results_final(campaign)
    if allocation is None:
        raise ValidationError(_("Les résultats ne sont pas définitifs : retenez une "
                                "répartition et mettez en ligne la page publique des "
                                "résultats avant de les partager."))
    funded = list(campaign.applications.filter(status=Application.Status.GRANTED)
                  .select_related("commune").order_by("-granted_amount", "number"))
    total = sum(a.granted_amount or 0 for a in funded)
    method = campaign_results_method(campaign, allocation)
    title = _("Résultats — %(campaign)s") % {"campaign": campaign.title}
    lines = [ngettext("%(n)d projet financé pour %(total)s sur une enveloppe de %(envelope)s :",
                      "%(n)d projets financés pour %(total)s sur une enveloppe de "
                      "%(envelope)s :", len(funded)) % {
        "n": len(funded), "total": money(total), "envelope": money(campaign.envelope)}]
    for a in funded:
        where = f", {a.commune.name}" if a.commune else ""
        lines.append(f"- {a.title} ({a.structure_name}{where}) : "
                     f"{money(a.granted_amount or 0)}")
    body = "\n".join([*lines, "", method])
    html = render_to_string("juries/campaign_results_share.html", {
        "campaign": campaign, "funded": funded, "total": total, "method": method,
        "link": link})
    return share_draft(ShareRequest(
        workspace=campaign.workspace, by=by, title=title, body=body, link=link, html=html,
        source=f"juries.campaign:{campaign.code}"))


def canton_history(workspace, canton=None) -> dict:
    """Granted amounts per year, per theme and per commune, for one canton (or all)."""
    granted = Application.objects.filter(workspace=workspace,
                                         status=Application.Status.GRANTED)
    if canton is not None:
        granted = granted.filter(campaign__cantons=canton)
    by_year = {row["campaign__year"]: row["total"] for row in granted.values(
        "campaign__year").annotate(total=Sum("granted_amount")).order_by("campaign__year")}
    by_theme: dict[str, int] = defaultdict(int)
    by_commune: dict[str, int] = defaultdict(int)
    for a in granted.select_related("commune"):
        by_theme[a.category or _("Sans thème")] += a.granted_amount or 0
        by_commune[a.commune.name if a.commune else _("Commune inconnue")] += \
            a.granted_amount or 0
    return {"by_year": by_year, "by_theme": sorted(by_theme.items(), key=lambda x: -x[1]),
            "by_commune": sorted(by_commune.items(), key=lambda x: -x[1])}


def bar_chart(values: dict, *, title: str) -> str:
    """A small accessible SVG bar chart (inline, no JavaScript)."""
    from django.utils.html import escape

    if not values:
        return ""
    width, bar, gap, top = 640, 36, 24, 20
    peak = max(values.values()) or 1
    height = 200
    parts = [f'<svg class="bar-chart" viewBox="0 0 {width} {height + 40}" role="img" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for i, (label, value) in enumerate(values.items()):
        h = round(height * value / peak)
        x = 40 + i * (bar + gap)
        parts.append(f'<rect x="{x}" y="{top + height - h}" width="{bar}" height="{h}"/>')
        parts.append(f'<text x="{x + bar / 2}" y="{top + height + 16}" text-anchor="middle">'
                     f'{escape(label)}</text>')
        parts.append(f'<text x="{x + bar / 2}" y="{top + height - h - 4}" '
                     f'text-anchor="middle" class="value">{value:,}\u00a0€</text>'.replace(
                         ",", "\u202f"))
    parts.append("</svg>")
    return "".join(parts)


def hbar_chart(items: list[tuple[str, int]], *, title: str, limit: int = 12) -> str:
    """Horizontal bars for long labels (themes, communes): the largest first, the rest
    summed in one last bar. Inline SVG, no JavaScript; the table beside it has the figures."""
    from django.utils.html import escape

    items = [(label, value) for label, value in items if value]
    if not items:
        return ""
    if len(items) > limit:
        rest = sum(value for _label, value in items[limit - 1:])
        items = [*items[:limit - 1], (str(_("Autres")), rest)]
    row, label_width, bar_width = 28, 220, 330
    peak = max(value for _label, value in items) or 1
    height = row * len(items) + 8
    parts = [f'<svg class="bar-chart" viewBox="0 0 640 {height}" role="img" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for i, (label, value) in enumerate(items):
        y = 4 + i * row
        w = max(1, round(bar_width * value / peak))
        short = label if len(label) <= 30 else label[:29] + "…"
        parts.append(f'<text x="{label_width - 8}" y="{y + 18}" text-anchor="end">'
                     f'{escape(short)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{w}" height="{row - 8}"/>')
        parts.append(f'<text x="{label_width + w + 6}" y="{y + 18}" class="value">'
                     + f"{value:,}\u00a0€".replace(",", "\u202f") + "</text>")
    parts.append("</svg>")
    return "".join(parts)
