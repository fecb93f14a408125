"""SCDL Délibérations CSV: import a file into a sitting's reports, export reports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hemicycle.council import scdl
from hemicycle.council.models import Report, Sitting
from hemicycle.council.search import search_index_report


@dataclass
class ScdlImport:
    created: int = 0
    updated: int = 0
    problems: list[str] = field(default_factory=list)


@transaction.atomic
def scdl_import(*, sitting: Sitting, data: bytes) -> ScdlImport:
    """Each row becomes a report of the sitting, matched by its number (DELIB_ID) and
    object (real files repeat an id for several objects): an existing one is updated
    (area, vote counts, decision adopted)."""
    from hemicycle.council.services.ingestion import report_analyse
    from hemicycle.council.services.structure import sitting_next_rank

    parsed = scdl.read_csv(data)
    result = ScdlImport(problems=[f"{_('ligne')} {p.line} : {p.message}"
                                  for p in parsed.problems])
    if any(p.line == 1 for p in parsed.problems):
        return result  # missing columns: nothing is written
    rank = sitting_next_rank(sitting)
    for row in parsed.rows:
        number = row.delib_id.strip()[:80]
        title = (row.delib_objet.strip() or number or _("Sans titre"))[:500]
        report = Report.objects.filter(workspace=sitting.workspace, sitting=sitting,
                                       number=number, title=title).first()
        if report is None:
            report = Report(workspace=sitting.workspace, sitting=sitting, number=number,
                            rank=rank)
            rank += 1
            result.created += 1
        else:
            result.updated += 1
        report.title = title
        report.policy_area = row.delib_matiere_nom[:200] or report.policy_area
        report.votes_for, report.votes_against = row.vote_pour, row.vote_contre
        report.votes_abstain = row.vote_abstention
        if row.vote_effectif is not None and row.vote_reel is not None:
            report.votes_not_voting = max(0, row.vote_effectif - row.vote_reel)
        report.decision = Report.Decision.ADOPTED  # SCDL lists adopted deliberations
        if not report.text:
            report.text = row.delib_objet
            report_analyse(report)
        report.save()
        search_index_report(report)
    return result


def scdl_rows(reports: Iterable[Report]) -> list[scdl.Deliberation]:
    rows = []
    for report in reports:
        sitting = report.sitting
        votes = [v for v in (report.votes_for, report.votes_against, report.votes_abstain)
                 if v is not None]
        rows.append(scdl.Deliberation(
            coll_nom=report.workspace.assembly.name,
            delib_id=report.number,
            delib_date=timezone.localdate(sitting.starts_at) if sitting else None,
            delib_matiere_nom=report.policy_area,
            delib_objet=report.title,
            vote_effectif=(sum(votes) + (report.votes_not_voting or 0)) if votes else None,
            vote_reel=sum(votes) if votes else None,
            vote_pour=report.votes_for, vote_contre=report.votes_against,
            vote_abstention=report.votes_abstain,
            extra={"DECISION": report.get_decision_display() if report.decision else ""},
        ))
    return rows


def scdl_export(reports: Iterable[Report]) -> str:
    return scdl.write_csv(scdl_rows(reports), extra_columns=["DECISION"])
