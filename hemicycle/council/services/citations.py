"""Reports linked to what other modules know (the actors directory's organisations):
found after each ingestion, and rebuilt for a whole workspace on demand (after a large
import into the directory, say)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from hemicycle.accounts.models import Workspace
from hemicycle.core.known_names import known_name_url, known_names
from hemicycle.council.citations import CitationFinder
from hemicycle.council.models import Citation, Report

CHUNK = 500


def citation_finder(workspace: Workspace) -> CitationFinder:
    return CitationFinder(known_names(workspace))


def citations_record(reports: Iterable[Report], finder: CitationFinder | None = None) -> int:
    """Find the known names in each report again (title and text); returns how many
    citations were recorded."""
    reports = list(reports)
    if not reports:
        return 0
    finder = finder or citation_finder(reports[0].workspace)
    rows = []
    for report in reports:
        for found in finder.find(f"{report.title}\n{report.text}"):
            rows.append(Citation(workspace_id=report.workspace_id, report=report,
                                 reference=found.reference, name=found.name[:250],
                                 count=found.count))
    with transaction.atomic():
        Citation.objects.filter(report__in=reports).delete()
        Citation.objects.bulk_create(rows)
    return len(rows)


def citations_rebuild(workspace: Workspace, *, progress=None) -> int:
    """Every report of the workspace, in chunks (each its own transaction)."""
    finder = citation_finder(workspace)
    ids = list(Report.objects.filter(workspace=workspace).order_by("pk")
               .values_list("pk", flat=True))
    total = 0
    for start in range(0, len(ids), CHUNK):
        chunk = Report.objects.filter(pk__in=ids[start:start + CHUNK]).only(
            "pk", "workspace", "title", "text")
        total += citations_record(chunk, finder)
        if progress:
            progress(min(start + CHUNK, len(ids)), len(ids))
    return total


def citations_of_report(report: Report, workspace_slug: str) -> list[tuple[Citation, str]]:
    """The report's citations with the URL of each cited page (gone ones left out)."""
    result = []
    for citation in report.citations.all():
        url = known_name_url(workspace_slug, citation.reference)
        if url:
            result.append((citation, url))
    return result


def reports_citing(workspace: Workspace, reference: str):
    return (Report.objects.filter(workspace=workspace, citations__reference=reference)
            .select_related("sitting", "sitting__body")
            .order_by("-sitting__starts_at", "-created_at").distinct())
