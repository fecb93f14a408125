"""Full-text search over reports and documents, on SQLite (FTS5) and PostgreSQL (GIN on a
``tsvector``): same prepared text (searchsyntax.prepare), same query, same results.

``search_index_report`` / ``search_index_document`` keep the index in step (the
ingestion and the forms call them); ``report_search`` answers the search box.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from hemicycle.accounts.models import Workspace
from hemicycle.council import searchsyntax
from hemicycle.council.models import Body, Document, Report, SearchEntry, Sitting

SNIPPET_WIDTH = 260


def _report_title(report: Report) -> str:
    return " ".join(part for part in (report.number, report.title) if part)


def scope_of(workspace_id: int, kind: str, sitting=None) -> str:
    """The tokens an entry carries in the index's ``scope`` column: its workspace and kind
    ("w12r" for a report, "w12d" for a document), and its sitting, body and year, so that
    SQLite answers these filters from the full-text index alone."""
    tokens = [f"w{workspace_id}{kind}"]
    if sitting is not None:
        year = timezone.localdate(sitting.starts_at).year
        tokens += [f"s{sitting.pk}", f"b{sitting.body_id}", f"y{year}"]
    return " ".join(tokens)


def search_index_report(report: Report) -> None:
    """(Re)index one report: number and title weigh more than text and summary."""
    title = searchsyntax.prepare(_report_title(report))
    body = searchsyntax.prepare("\n".join((report.text, report.summary, report.rapporteur,
                                           report.direction, report.policy_area)))
    SearchEntry.objects.update_or_create(
        report=report, defaults={"workspace_id": report.workspace_id, "title": title,
                                 "body": body,
                                 "scope": scope_of(report.workspace_id, "r", report.sitting)})


def search_index_document(document: Document) -> None:
    SearchEntry.objects.update_or_create(
        document=document, defaults={
            "workspace_id": document.workspace_id,
            "scope": scope_of(document.workspace_id, "d", document.sitting),
            "title": searchsyntax.prepare(document.filename),
            "body": searchsyntax.prepare(document.text)})


def search_index_sitting(sitting) -> None:
    """A sitting's date or body changed: its reports' and documents' scope tokens too."""
    for report in sitting.reports.select_related("sitting"):
        search_index_report(report)
    for document in sitting.documents.select_related("sitting"):
        search_index_document(document)


def search_rebuild(workspace: Workspace) -> int:
    """Index every report and document of a workspace again (after an upgrade)."""
    count = 0
    for report in Report.objects.filter(workspace=workspace).iterator():
        search_index_report(report)
        count += 1
    for document in Document.objects.filter(workspace=workspace).iterator():
        search_index_document(document)
        count += 1
    return count


# --- searching --------------------------------------------------------------------------------


@dataclass
class Filters:
    body: str = ""  # Body code
    sitting: str = ""  # Sitting code
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    policy_area: str = ""
    decision: str | None = None  # None: any; "" pending
    assigned_to: int | None = None  # user id
    place: str = ""  # a commune or canton code (from the report's entities)

    @property
    def report_only(self) -> bool:
        return bool(self.policy_area or self.decision is not None or self.assigned_to
                    or self.place)


@dataclass
class Hit:
    kind: str  # "report" or "document"
    object: Report | Document
    snippet: str  # HTML, escaped, matches in <mark>
    rank: float


@dataclass
class Results:
    query: searchsyntax.Query
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    error: str = ""


def reports_filtered(workspace: Workspace, filters: Filters) -> QuerySet[Report]:
    reports = Report.objects.filter(workspace=workspace)
    if filters.body:
        reports = reports.filter(sitting__body__code=filters.body)
    if filters.sitting:
        reports = reports.filter(sitting__code=filters.sitting)
    if filters.date_from:
        reports = reports.filter(sitting__starts_at__date__gte=filters.date_from)
    if filters.date_to:
        reports = reports.filter(sitting__starts_at__date__lte=filters.date_to)
    if filters.policy_area:
        reports = reports.filter(policy_area=filters.policy_area)
    if filters.decision is not None:
        reports = reports.filter(decision=filters.decision)
    if filters.assigned_to:
        reports = reports.filter(assigned_to_id=filters.assigned_to)
    if filters.place:
        reports = reports.filter(entities__place_index__icontains=f" {filters.place} ")
    return reports


def _documents_filtered(workspace: Workspace, filters: Filters) -> QuerySet[Document]:
    documents = Document.objects.filter(workspace=workspace)
    if filters.body:
        documents = documents.filter(sitting__body__code=filters.body)
    if filters.sitting:
        documents = documents.filter(sitting__code=filters.sitting)
    if filters.date_from:
        documents = documents.filter(sitting__starts_at__date__gte=filters.date_from)
    if filters.date_to:
        documents = documents.filter(sitting__starts_at__date__lte=filters.date_to)
    return documents


def report_search(workspace: Workspace, text: str, filters: Filters | None = None, *,
                  limit: int = 50, offset: int = 0, documents: bool = True) -> Results:
    """Reports (and documents) of the workspace matching the query, best first."""
    filters = filters or Filters()
    query = searchsyntax.parse(text)
    results = Results(query=query)
    if query.is_empty:
        if text.strip():
            results.error = "Donnez au moins un mot à chercher (pas seulement des exclusions)."
        return results
    kinds = ["report"] + (["document"] if documents and not filters.report_only else [])
    tokens = _scope_tokens(workspace, filters)
    if connection.vendor == "sqlite" and tokens is not None:
        ranked, results.total = _ranked_sqlite_plain(workspace, query, kinds, tokens, limit,
                                                     offset)
    else:
        scope = [("report", reports_filtered(workspace, filters))]
        if "document" in kinds:
            scope.append(("document", _documents_filtered(workspace, filters)))
        ranked, results.total = _ranked(workspace, query, scope, limit, offset)
    reports = Report.objects.select_related("sitting__body").in_bulk(
        [key for kind, key, _ in ranked if kind == "report"])
    docs = Document.objects.select_related("sitting").in_bulk(
        [key for kind, key, _ in ranked if kind == "document"])
    for kind, key, rank in ranked:
        obj = reports.get(key) if kind == "report" else docs.get(key)
        if obj is None:
            continue
        source = (obj.text or obj.summary or obj.title) if kind == "report" else obj.text
        results.hits.append(Hit(kind, obj, searchsyntax.highlight(
            source, query, width=SNIPPET_WIDTH), rank))
    return results


def report_ids_matching(workspace: Workspace, text: str, report_ids: list[int]) -> set[int]:
    """Among these reports, the ones the query matches (watch rules)."""
    query = searchsyntax.parse(text)
    if query.is_empty or not report_ids:
        return set()
    scope = [("report", Report.objects.filter(workspace=workspace, id__in=report_ids))]
    ranked, _ = _ranked(workspace, query, scope, len(report_ids), 0)
    return {key for _, key, _ in ranked}


def _scope_tokens(workspace: Workspace, filters: Filters) -> list[str] | None:
    """The filters as tokens of the ``scope`` column (body, sitting, whole years), or None
    when some filter needs the database (decision, area, dates within a year…)."""
    tokens = []
    if filters.report_only:
        return None
    if filters.body:
        body_id = Body.objects.filter(workspace=workspace, code=filters.body).values_list(
            "id", flat=True).first()
        tokens.append(f"b{body_id or 0}")
    if filters.sitting:
        sitting_id = Sitting.objects.filter(workspace=workspace, code=filters.sitting
                                            ).values_list("id", flat=True).first()
        tokens.append(f"s{sitting_id or 0}")
    if filters.date_from or filters.date_to:
        first, last = filters.date_from, filters.date_to
        if not (first and last and (first.month, first.day) == (1, 1)
                and (last.month, last.day) == (12, 31) and 0 <= last.year - first.year < 30):
            return None
        tokens.append("(" + " OR ".join(f"y{y}" for y in range(first.year, last.year + 1))
                      + ")")
    return tokens


def _ranked_sqlite_plain(workspace, query, kinds, tokens, limit, offset):
    """The FTS5 index alone finds, counts and ranks (workspace, kind, body, sitting and
    year are tokens of its ``scope`` column); only the page's rows are then looked up."""
    scopes = " OR ".join(f"w{workspace.id}{kind[0]}" for kind in kinds)
    narrowed = "".join(f" AND scope:{token}" for token in tokens)
    match = (f"scope:({scopes}){narrowed} AND "
             f"{{title body}}:({searchsyntax.to_fts5(query)})")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.report_id, e.document_id, f.rank FROM ("
            "SELECT rowid, bm25(council_search_fts, 8.0, 1.0, 0.0) AS rank "
            "FROM council_search_fts WHERE council_search_fts MATCH %s "
            "ORDER BY rank LIMIT %s OFFSET %s) f "
            "JOIN council_searchentry e ON e.id = f.rowid ORDER BY f.rank",
            [match, limit, offset])
        rows = [("report", report_id, float(rank)) if report_id else
                ("document", document_id, float(rank))
                for report_id, document_id, rank in cursor.fetchall()]
        cursor.execute("SELECT COUNT(*) FROM council_search_fts "
                       "WHERE council_search_fts MATCH %s", [match])
        total = cursor.fetchone()[0]
    return rows, total


def _ranked(workspace, query, scope, limit, offset) -> tuple[list[tuple[str, int, float]], int]:
    """(kind, object id, rank) best first, and the number of matches."""
    if connection.vendor == "postgresql":
        match = "e.search_vector"  # stored, with its GIN index (migration 0004)
        where = f"{match} @@ to_tsquery('simple', %s)"
        rank = f"ts_rank({match}, to_tsquery('simple', %s))"
        rank_params = [searchsyntax.to_tsquery(query)]
        match_params = [searchsyntax.to_tsquery(query)]
        source = "council_searchentry e"
        order = "DESC"
    else:
        # CROSS JOIN: SQLite must read the full-text index first (it would otherwise
        # walk the workspace's entries and probe the index once per row).
        source = ("council_search_fts CROSS JOIN council_searchentry e "
                  "ON e.id = council_search_fts.rowid")
        where = "council_search_fts MATCH %s"
        rank = "bm25(council_search_fts, 8.0, 1.0, 0.0)"  # lower is better
        rank_params = []
        match_params = [searchsyntax.to_fts5(query)]
        order = "ASC"
    parts, params = [], []
    for kind, queryset in scope:
        inner, inner_params = queryset.values("id").query.sql_with_params()
        parts.append(f"SELECT '{kind}' AS kind, e.{kind}_id AS key, {rank} AS rank "
                     f"FROM {source} WHERE {where} AND e.workspace_id = %s "
                     f"AND e.{kind}_id IN ({inner})")
        params += [*rank_params, *match_params, workspace.id, *inner_params]
    union = " UNION ALL ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT kind, key, rank FROM ({union}) hits "
                       f"ORDER BY rank {order}, key DESC LIMIT %s OFFSET %s",
                       [*params, limit, offset])
        rows = [(kind, key, float(rank)) for kind, key, rank in cursor.fetchall()]
        cursor.execute(f"SELECT COUNT(*) FROM ({union}) hits", params)
        total = cursor.fetchone()[0]
    return rows, total
