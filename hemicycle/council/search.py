"""Full-text search over reports, documents and the group's own writings, on SQLite (FTS5)
and PostgreSQL (GIN on a stored ``tsvector``): same prepared text (searchsyntax.prepare),
same query, same results.

Every searchable thing has one ``SearchEntry``: its title and text as prepared words, and a
``scope``: tokens for its workspace and kind and for each facet (sitting, body, year,
examining commission, policy area, communes and cantons, amount range, kind of writing).
A search is then one query of the full-text index (on SQLite, of the FTS5 table alone):
the facets are more words that must match, in the ``scope`` column only.

``search_index_report`` / ``search_index_document`` keep the index in step (the ingestion
and the forms call them); other apps index their own things with
``search_index_source`` and say how to show them with ``search_source_register`` (see
``writings/search_index.py``). ``report_search`` answers the search box.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hemicycle.accounts.models import Workspace
from hemicycle.council import searchsyntax
from hemicycle.council.models import Body, Document, Report, SearchEntry, Sitting

SNIPPET_WIDTH = 260
KINDS = {"report": "r", "document": "d", "writing": "e"}
KIND_LABELS = {"report": _("Rapports"), "document": _("Documents"),
               "writing": _("Écrits du groupe")}
# The report's largest extracted amount, in ranges (key, label, from, below).
AMOUNT_RANGES = [
    ("1", _("moins de 10 k€"), None, Decimal(10_000)),
    ("2", _("de 10 k€ à 100 k€"), Decimal(10_000), Decimal(100_000)),
    ("3", _("de 100 k€ à 1 M€"), Decimal(100_000), Decimal(1_000_000)),
    ("4", _("plus de 1 M€"), Decimal(1_000_000), None),
]
# RANKING: relevance — bm25() on SQLite, ts_rank_cd() on PostgreSQL, a word in the title
# weighing TITLE_WEIGHT times one in the text — but over a bounded set: the RANK_WINDOW
# newest matches (all of them when there are fewer; POSTGRES_RANK_WINDOW on PostgreSQL).
# Within it, the entries whose title holds every word come first, then the others, each
# by relevance (ties: newest first); matches older than the window follow, newest first.
# Ranking every match cost 40 to 700 ms a query on 100,000 reports (bm25 and ts_rank
# score each match, and there can be 100,000 of them); the window keeps it to a few
# milliseconds, and both databases still walk their index newest first and stop at its
# end. On SQLite, words found in more than half the entries are not scored (bm25 gives
# them no weight, see _sqlite._ranking): a query of such words only is newest first.
# 500 rather than 1,000: p95 35.6 ms instead of 52.3 ms on bench_search's 100,000 reports
# (the 500 newest matches of a query are ten pages of results).
RANK_WINDOW = 500
POSTGRES_RANK_WINDOW = 300  # each vector scored is read from TOAST (see _postgres)
TITLE_WEIGHT = 10.0
DENSITY_SAMPLE = 2000  # entries looked at to tell how common a word is (_sqlite._ranking)
COUNT_CAP = 1000  # matches counted no further: "plus de 1 000 résultats"
PREFIX_WORDS = 64  # a prefix standing for more words is left to FTS5


# --- the scope tokens --------------------------------------------------------------------------


@functools.lru_cache(maxsize=50_000)
def _code_token(value) -> str:
    return re.sub(r"[^a-z0-9]", "", searchsyntax.fold(str(value)))


@functools.lru_cache(maxsize=1024)
def area_token(policy_area: str) -> str:
    """A policy area as one token (its words are already in the text)."""
    digest = hashlib.md5(searchsyntax.prepare(policy_area).encode()).hexdigest()[:10]
    return f"a{digest}"


def amount_range(value) -> str:
    """The key of the range an amount falls in ("" without an amount)."""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    for key, _label, low, below in AMOUNT_RANGES:
        if (low is None or amount >= low) and (below is None or amount < below):
            return key
    return ""


def scope_tokens(*, workspace_id: int, kind: str, sitting_id: int | None = None,
                 body_id: int | None = None, year: int | None = None,
                 month: int | None = None, commission_id: int | None = None, policy_area: str = "",
                 places=(), max_amount=None, writing_kind: str = "") -> str:
    """The ``scope`` column of an entry: "w12r s4 b2 y2026 n202606 c7 a… p59350 m3"."""
    tokens = [f"w{workspace_id}{KINDS[kind]}"]
    if sitting_id:
        tokens.append(f"s{sitting_id}")
    if body_id:
        tokens.append(f"b{body_id}")
    if year:
        tokens.append(f"y{year}")
    if year and month:
        tokens.append(f"n{year}{month:02d}")
    if commission_id:
        tokens.append(f"c{commission_id}")
    if policy_area.strip():
        tokens.append(area_token(policy_area))
    tokens += [f"p{_code_token(code)}" for code in dict.fromkeys(places) if code]
    if band := amount_range(max_amount):
        tokens.append(f"m{band}")
    if writing_kind:
        tokens.append(f"k{_code_token(writing_kind)}")
    return " ".join(tokens)


def _sitting_facets(sitting: Sitting | None) -> dict:
    if sitting is None:
        return {}
    day = timezone.localdate(sitting.starts_at)
    return {"sitting_id": sitting.pk, "body_id": sitting.body_id, "year": day.year,
            "month": day.month}


def _sitting_day(sitting: Sitting | None) -> datetime.date | None:
    return timezone.localdate(sitting.starts_at) if sitting is not None else None


# --- indexing ---------------------------------------------------------------------------------


def _report_title(report: Report) -> str:
    return " ".join(part for part in (report.number, report.title) if part)


def report_scope(report: Report) -> str:
    entities = report.entities or {}
    return scope_tokens(
        workspace_id=report.workspace_id, kind="report", **_sitting_facets(report.sitting),
        commission_id=report.commission_id, policy_area=report.policy_area,
        places=[place.get("code") for place in entities.get("places", [])],
        max_amount=entities.get("max_amount"))


def _entry_save(defaults: dict, **key) -> None:
    SearchEntry.objects.update_or_create(**key, defaults=defaults)
    search_terms_add([defaults["title"], defaults["body"]])


def search_terms_add(prepared_texts) -> None:
    """Record the words of these prepared texts (SQLite's prefix searches, see SearchTerm)."""
    if connection.vendor != "sqlite":
        return
    words = {word for text in prepared_texts for word in text.split() if len(word) <= 100}
    with connection.cursor() as cursor:
        cursor.executemany("INSERT OR IGNORE INTO council_searchterm (term) VALUES (%s)",
                           [(word,) for word in words])


def search_index_report(report: Report) -> None:
    """(Re)index one report: number and title weigh more than text and summary."""
    _entry_save({
        "workspace_id": report.workspace_id,
        "title": searchsyntax.prepare(_report_title(report)),
        "body": searchsyntax.prepare("\n".join((report.text, report.summary,
                                                report.rapporteur, report.direction,
                                                report.policy_area))),
        "scope": report_scope(report), "day": _sitting_day(report.sitting)}, report=report)


def search_index_document(document: Document) -> None:
    _entry_save({
        "workspace_id": document.workspace_id,
        "scope": scope_tokens(workspace_id=document.workspace_id, kind="document",
                              **_sitting_facets(document.sitting)),
        "day": _sitting_day(document.sitting),
        "title": searchsyntax.prepare(document.filename),
        "body": searchsyntax.prepare(document.text)}, document=document)


def search_index_source(*, source: str, object_id: int, workspace_id: int, title: str,
                        text: str, sitting: Sitting | None = None,
                        writing_kind: str = "") -> None:
    """(Re)index a thing of another app (a writing, a note): shown as "writing" hits
    through the loader its app registered with ``search_source_register``."""
    _entry_save({
        "workspace_id": workspace_id,
        "scope": scope_tokens(workspace_id=workspace_id, kind="writing",
                              writing_kind=writing_kind, **_sitting_facets(sitting)),
        "day": _sitting_day(sitting),
        "title": searchsyntax.prepare(title), "body": searchsyntax.prepare(text)},
        source=source, source_id=object_id)


def search_unindex_source(*, source: str, object_id: int) -> None:
    SearchEntry.objects.filter(source=source, source_id=object_id).delete()


def search_index_sitting(sitting) -> None:
    """A sitting's date or body changed: its reports' and documents' scope tokens too."""
    for report in sitting.reports.select_related("sitting"):
        search_index_report(report)
    for document in sitting.documents.select_related("sitting"):
        search_index_document(document)
    for source in _SOURCES.values():
        if source.reindex_sitting is not None:
            source.reindex_sitting(sitting)


def search_rebuild(workspace: Workspace) -> int:
    """Index every report, document and writing of a workspace again (after an upgrade)."""
    count = 0
    for report in Report.objects.filter(workspace=workspace).select_related("sitting"):
        search_index_report(report)
        count += 1
    for document in Document.objects.filter(workspace=workspace).select_related("sitting"):
        search_index_document(document)
        count += 1
    for source in _SOURCES.values():
        count += source.reindex(workspace)
    return count


# --- other apps' things -------------------------------------------------------------------------


@dataclass
class SourceItem:
    """What a hit on another app's thing shows: its title, its kind, its page, its text."""

    title: str
    label: str
    url: str
    text: str
    meta: str = ""


@dataclass(frozen=True)
class SearchSource:
    name: str
    # (workspace, ids) → {id: SourceItem}, only the workspace's own
    load: Callable[[Workspace, list[int]], dict[int, SourceItem]]
    reindex: Callable[[Workspace], int]
    reindex_sitting: Callable[[Sitting], None] | None = None
    kinds: tuple[tuple[str, str], ...] = ()  # (writing_kind, label) for the facet


_SOURCES: dict[str, SearchSource] = {}


def search_source_register(source: SearchSource) -> None:
    _SOURCES[source.name] = source


def writing_kinds() -> list[tuple[str, str]]:
    return [kind for source in _SOURCES.values() for kind in source.kinds]


# --- searching --------------------------------------------------------------------------------


@dataclass
class Filters:
    kind: str = ""  # "report", "document", "writing"; "" for all
    body: str = ""  # Body code
    sitting: str = ""  # Sitting code
    year: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    policy_area: str = ""
    commission: str = ""  # Body code of the examining commission
    place: str = ""  # a commune or canton code (from the report's entities)
    amount: str = ""  # an AMOUNT_RANGES key
    writing_kind: str = ""
    decision: str | None = None  # None: any; "" pending
    assigned_to: int | None = None  # user id

    @property
    def report_only(self) -> bool:
        return bool(self.policy_area or self.commission or self.place or self.amount
                    or self.decision is not None or self.assigned_to)

    def kinds(self, documents: bool = True) -> list[str]:
        if self.report_only:
            return ["report"] if self.kind in ("", "report") else []
        if self.writing_kind:
            return ["writing"] if self.kind in ("", "writing") else []
        kinds = [self.kind] if self.kind in KINDS else list(KINDS)
        return [k for k in kinds if documents or k != "document"]


@dataclass
class Hit:
    kind: str  # "report", "document" or "writing"
    object: Report | Document | SourceItem
    snippet: str  # HTML, escaped, matches in <mark>
    rank: float


@dataclass
class Results:
    query: searchsyntax.Query
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    error: str = ""
    kind_counts: dict[str, int] = field(default_factory=dict)
    total_capped: bool = False  # more than COUNT_CAP matches: "plus de 1 000 résultats"


@dataclass
class _Plan:
    """A search as the index runs it: the words (a MATCH or tsquery fragment per kind of
    term) and the SQL conditions the tokens cannot express."""

    kinds: list[str]
    tokens: list[str]  # each a token or an OR of tokens, all required
    where: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)


def _plan(workspace: Workspace, filters: Filters, documents: bool) -> _Plan | None:
    """None when the filters cannot match anything (an unknown body, a wrong kind…)."""
    kinds = filters.kinds(documents)
    if not kinds:
        return None
    plan = _Plan(kinds=kinds, tokens=[])
    if filters.body:
        body_id = Body.objects.filter(workspace=workspace, code=_uuid(filters.body)
                                      ).values_list("id", flat=True).first()
        plan.tokens.append(f"b{body_id or 0}")
    if filters.commission:
        body_id = Body.objects.filter(workspace=workspace, code=_uuid(filters.commission)
                                      ).values_list("id", flat=True).first()
        plan.tokens.append(f"c{body_id or 0}")
    if filters.sitting:
        sitting_id = Sitting.objects.filter(workspace=workspace, code=_uuid(filters.sitting)
                                            ).values_list("id", flat=True).first()
        plan.tokens.append(f"s{sitting_id or 0}")
    if filters.year:
        plan.tokens.append(f"y{int(filters.year)}")
    if filters.policy_area:
        plan.tokens.append(area_token(filters.policy_area))
    if filters.place:
        plan.tokens.append(f"p{_code_token(filters.place) or 0}")
    if filters.amount:
        plan.tokens.append(f"m{_code_token(filters.amount) or 0}")
    if filters.writing_kind:
        plan.tokens.append(f"k{_code_token(filters.writing_kind) or 0}")
    if filters.date_from or filters.date_to:
        tokens, conditions = _date_range(filters.date_from, filters.date_to)
        plan.tokens.append(" OR ".join(tokens))
        for condition, value in conditions:
            plan.where.append(condition)
            plan.params.append(value)
    # what changes without a new indexing: asked of the reports themselves
    if filters.decision is not None:
        plan.where.append("e.report_id IN (SELECT id FROM council_report WHERE "
                          "workspace_id = %s AND decision = %s)")
        plan.params += [workspace.id, filters.decision]
    if filters.assigned_to:
        plan.where.append(
            "e.report_id IN (SELECT id FROM council_report WHERE workspace_id = %s AND "
            "assigned_to_id = %s UNION SELECT report_id FROM council_report_assignees "
            "WHERE user_id = %s)")
        plan.params += [workspace.id, filters.assigned_to, filters.assigned_to]
    return plan


def _date_range(first: datetime.date | None, last: datetime.date | None
                ) -> tuple[list[str], list[tuple[str, datetime.date]]]:
    """A date range as tokens (whole years, then months) and, when it starts or ends
    within a month, conditions on the entry's day."""
    first = first or datetime.date(last.year - 30, 1, 1)
    last = last or datetime.date(first.year + 30, 12, 31)
    if last < first:
        return ["y0"], []  # no entry has it
    tokens, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        if month == 1 and first <= datetime.date(year, 1, 1) and datetime.date(
                year, 12, 31) <= last:
            tokens.append(f"y{year}")
            year += 1
            continue
        tokens.append(f"n{year}{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    conditions = []
    if first.day != 1:
        conditions.append(("e.day >= %s", first))
    if (last + datetime.timedelta(days=1)).day != 1:
        conditions.append(("e.day <= %s", last))
    return tokens, conditions


def _uuid(value: str) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


def report_search(workspace: Workspace, text: str, filters: Filters | None = None, *,
                  limit: int = 50, offset: int = 0, documents: bool = True,
                  counts: bool = False) -> Results:
    """Reports, documents and writings of the workspace matching the query, best first
    (see RANKING). ``total`` stops at COUNT_CAP (``total_capped``); ``counts``: also the
    number of matches of each kind (the "type" facet)."""
    filters = filters or Filters()
    query = searchsyntax.parse(text)
    results = Results(query=query)
    if query.is_empty:
        if text.strip():
            results.error = _("Donnez au moins un mot à chercher (pas seulement des "
                              "exclusions).")
        return results
    plan = _plan(workspace, filters, documents)
    if plan is None:
        return results
    engine = _sqlite if connection.vendor == "sqlite" else _postgres
    size = RANK_WINDOW if engine is _sqlite else min(RANK_WINDOW, POSTGRES_RANK_WINDOW)
    offset = min(offset, COUNT_CAP)
    with _cursor() as cursor:
        window = engine.window(cursor, workspace, query, plan, size)
        rows = _page(engine, cursor, workspace, query, plan, window, size, limit, offset)
        if counts:  # one count per kind, the total is their sum
            for kind in KINDS:
                single = _Plan([kind], plan.tokens, plan.where, plan.params)
                results.kind_counts[kind] = engine.count(
                    cursor, workspace, query, single, "all", COUNT_CAP + 1
                ) if kind in plan.kinds else 0
            results.total = sum(results.kind_counts.values())
        elif len(window) < size:  # the window holds every match
            results.total = len(window)
        else:
            results.total = engine.count(cursor, workspace, query, plan, "all", COUNT_CAP + 1)
    results.total_capped = results.total > COUNT_CAP
    results.total = min(results.total, COUNT_CAP)
    results.kind_counts = {kind: min(n, COUNT_CAP) for kind, n in results.kind_counts.items()}
    results.hits = _hits(workspace, query, rows)
    return results


@contextlib.contextmanager
def _cursor():
    """A cursor for the search's queries; on PostgreSQL, in a transaction where the
    planner may not read the table sequentially (see _postgres)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield cursor


def _page(engine, cursor, workspace, query, plan, window, size, limit, offset
          ) -> list[tuple]:
    """One page of (entry id, report id, document id, source, source id, score): the
    window's entries (id, score, title holds every word) by relevance, then the older
    matches newest first (see RANKING)."""
    ranked = sorted(window, key=lambda row: (not row[2], -row[1], -row[0]))
    scores = {row[0]: float(row[1]) for row in ranked}
    ids = [row[0] for row in ranked[offset:offset + limit]]
    if len(ids) < limit and len(window) == size:
        oldest = min(row[0] for row in window)
        ids += [row[0] for row in engine.page(
            cursor, workspace, query, plan, "all", limit - len(ids),
            max(0, offset - len(window)), below=oldest)]
    if not ids:
        return []
    cursor.execute(f"SELECT {_ENTRY_COLUMNS} FROM council_searchentry e WHERE e.id IN "
                   f"({', '.join(['%s'] * len(ids))})", ids)
    entries = {row[0]: row for row in cursor.fetchall()}
    return [(*entries[i], scores.get(i, 0.0)) for i in ids if i in entries]


def _hits(workspace: Workspace, query, rows) -> list[Hit]:
    """Hits of the page, from (entry id, report id, document id, source, source id, rank):
    objects fetched in one query per kind, snippets of these only."""
    reports = Report.objects.filter(workspace=workspace).select_related(
        "sitting__body", "commission").defer("entities", "other_groups_votes").order_by(
        ).in_bulk(
        [r[1] for r in rows if r[1]])
    docs = Document.objects.filter(workspace=workspace).select_related("sitting").order_by(
        ).in_bulk(
        [r[2] for r in rows if r[2]])
    others: dict[str, dict[int, SourceItem]] = {}
    for name, source in _SOURCES.items():
        ids = [r[4] for r in rows if r[3] == name]
        others[name] = source.load(workspace, ids) if ids else {}
    hits = []
    for _entry, report_id, document_id, source, source_id, rank in rows:
        if report_id:
            kind, obj = "report", reports.get(report_id)
            text = obj and (obj.text or obj.summary or obj.title)
        elif document_id:
            kind, obj = "document", docs.get(document_id)
            text = obj and obj.text
        else:
            kind, obj = "writing", others.get(source, {}).get(source_id)
            text = obj and (obj.text or obj.title)
        if obj is None:
            continue
        hits.append(Hit(kind, obj, searchsyntax.highlight(text or "", query,
                                                          width=SNIPPET_WIDTH), float(rank)))
    return hits


def report_ids_matching(workspace: Workspace, text: str, report_ids: list[int]) -> set[int]:
    """Among these reports, the ones the query matches (watch rules)."""
    query = searchsyntax.parse(text)
    if query.is_empty or not report_ids:
        return set()
    ids = [int(i) for i in report_ids]
    plan = _Plan(kinds=["report"], tokens=[],
                 where=[f"e.report_id IN ({', '.join(['%s'] * len(ids))})"], params=ids)
    engine = _sqlite if connection.vendor == "sqlite" else _postgres
    with _cursor() as cursor:
        rows = engine.page(cursor, workspace, query, plan, "all", len(ids), 0)
    return {row[1] for row in rows}


# --- the two engines ------------------------------------------------------------------------------

_ENTRY_COLUMNS = "e.id, e.report_id, e.document_id, e.source, e.source_id"


class _sqlite:
    """FTS5: the index alone finds, counts and orders; only the page's rows are joined.
    ``part``: "all" the matches, "title" those whose title holds the words. Every query
    walks the index newest first and stops at its LIMIT (or the window's oldest entry)."""

    @staticmethod
    def expand(prefix: str) -> list[str] | None:
        """The indexed words starting with ``prefix``; None when there are too many."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT term FROM council_searchterm WHERE term >= %s AND "
                           "term < %s ORDER BY term LIMIT %s",
                           [prefix, prefix + "\uffff", PREFIX_WORDS + 1])
            words = [row[0] for row in cursor.fetchall()]
        return words if len(words) <= PREFIX_WORDS else None

    @staticmethod
    def scope(workspace: Workspace, plan: _Plan) -> str:
        scopes = " OR ".join(f"w{workspace.id}{KINDS[kind]}" for kind in plan.kinds)
        return f"scope:({scopes})" + "".join(f" AND scope:({token})" for token in plan.tokens)

    @classmethod
    def match(cls, workspace: Workspace, query, plan: _Plan, part: str) -> str:
        last = cls._last
        if last[0] is not query:
            last = cls._last = (query, searchsyntax.to_fts5_parts(query, cls.expand))
        positive, excluded = last[1]
        columns = "{title}" if part == "title" else "{title body}"
        match = f"{cls.scope(workspace, plan)} AND {columns}:({positive})"
        if excluded:
            match = f"({match}) NOT {{title body}}:({excluded})"
        return match

    _last: tuple = (None, None)  # the last query and its expression (a search runs several)

    @classmethod
    def _source(cls, plan: _Plan) -> tuple[str, str]:
        if not plan.where:
            return "council_search_fts", ""
        # CROSS JOIN: SQLite reads the full-text index first, then the entries.
        return ("council_search_fts CROSS JOIN council_searchentry e "
                "ON e.id = council_search_fts.rowid",
                "".join(f" AND {condition}" for condition in plan.where))

    @classmethod
    def window(cls, cursor, workspace, query, plan, size) -> list[tuple]:
        """The ``size`` newest matches: (id, relevance, title holds every word).

        bm25() first counts, over the whole index, the rows holding each phrase of its
        MATCH: for a phrase of common words ("reste à charge") that alone took 50 to
        90 ms. So the matches are found first, then scored by a second query with the
        looser searchsyntax.ranking_query (single words, the common ones left out, see
        _ranking), over the rows from the oldest match on only. bm25 is negative, the
        lower the better; without it (_ranking), newest first."""
        source, where = cls._source(plan)
        cursor.execute(
            f"SELECT council_search_fts.rowid FROM {source} WHERE council_search_fts "
            f"MATCH %s{where} ORDER BY council_search_fts.rowid DESC LIMIT %s",
            [cls.match(workspace, query, plan, "all"), *plan.params, size])
        ids = [row[0] for row in cursor.fetchall()]
        if not ids:
            return []
        in_window = f"{where} AND council_search_fts.rowid >= %s"
        cursor.execute(
            f"SELECT council_search_fts.rowid FROM {source} WHERE council_search_fts "
            f"MATCH %s{in_window}",
            [cls.match(workspace, query, plan, "title"), *plan.params, ids[-1]])
        in_title = {row[0] for row in cursor.fetchall()}
        ranking = cls._ranking(cursor, query, ids[0])
        if ranking is None:
            return [(id_, 0.0, id_ in in_title) for id_ in ids]
        ranking = f"{{title body}}:({ranking})"
        cursor.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM council_search_fts WHERE council_search_fts "
            "MATCH %s AND rowid BETWEEN %s AND %s LIMIT %s)",
            [ranking, ids[-1], ids[0], 3 * len(ids) + 1])
        if cursor.fetchone()[0] <= 3 * len(ids):
            # The matches are most of the rows the words are in from the oldest on:
            # scoring these rows whatever their workspace and facets costs less than
            # reading the scope tokens' lists (w… holds every entry of the workspace).
            cursor.execute(
                f"SELECT rowid, bm25(council_search_fts, {TITLE_WEIGHT}, 1.0, 0.0) FROM "
                f"council_search_fts WHERE council_search_fts MATCH %s AND rowid BETWEEN "
                f"%s AND %s", [ranking, ids[-1], ids[0]])
        else:
            cursor.execute(
                f"SELECT council_search_fts.rowid, bm25(council_search_fts, "
                f"{TITLE_WEIGHT}, 1.0, 0.0) FROM {source} WHERE council_search_fts "
                f"MATCH %s{in_window}",
                [f"{cls.scope(workspace, plan)} AND {ranking}", *plan.params, ids[-1]])
        scores = dict(cursor.fetchall())
        return [(id_, -scores.get(id_, 0.0), id_ in in_title) for id_ in ids]

    @classmethod
    def _ranking(cls, cursor, query, newest: int) -> str | None:
        """The expression bm25 scores with, None for none. A word in more than half the
        entries weighs nothing in bm25 (FTS5 floors its idf near 0) but costs as much as
        any to look up (its whole list is read, ~10 ms on 100,000 reports): such words are
        left out, and with them the scoring when no other word remains. How common a word
        is: measured on the DENSITY_SAMPLE entries up to the newest match."""
        loose = searchsyntax.ranking_query(query)
        first = max(1, newest - DENSITY_SAMPLE + 1)
        rows = newest - first + 1  # ids are seldom missing (deleted entries)
        kept = []
        for clause in loose.clauses:
            expression = searchsyntax.to_fts5_parts(
                searchsyntax.Query(clauses=[clause]), cls.expand)[0]
            cursor.execute(
                "SELECT COUNT(*) FROM council_search_fts WHERE council_search_fts MATCH %s "
                "AND rowid BETWEEN %s AND %s", [f"{{title body}}:({expression})", first, newest])
            if cursor.fetchone()[0] <= rows / 2:
                kept.append(clause)
        if not kept:
            return None
        return searchsyntax.to_fts5_parts(searchsyntax.Query(clauses=kept), cls.expand)[0]

    @classmethod
    def page(cls, cursor, workspace, query, plan, part, limit, offset, below=None
             ) -> list[tuple]:
        """Matches newest first (``below``: older than this entry)."""
        source, where = cls._source(plan)
        params = [cls.match(workspace, query, plan, part), *plan.params]
        if below is not None:
            where += " AND council_search_fts.rowid < %s"
            params.append(below)
        cursor.execute(
            f"SELECT {_ENTRY_COLUMNS} FROM (SELECT council_search_fts.rowid AS id "
            f"FROM {source} WHERE council_search_fts MATCH %s{where} "
            f"ORDER BY council_search_fts.rowid DESC LIMIT %s OFFSET %s) f "
            f"CROSS JOIN council_searchentry e ON e.id = f.id ORDER BY e.id DESC",
            [*params, limit, offset])
        return cursor.fetchall()

    @classmethod
    def count(cls, cursor, workspace, query, plan, part, cap) -> int:
        """The number of matches, counting no further than ``cap``."""
        source, where = cls._source(plan)
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {source} "
            f"WHERE council_search_fts MATCH %s{where} LIMIT %s)",
            [cls.match(workspace, query, plan, part), *plan.params, cap])
        return cursor.fetchone()[0]


class _postgres:
    """A stored tsvector (title A, text B, facets' tokens D prefixed "zz", migration
    0012) with its GIN index; ts_rank_cd weighs A TITLE_WEIGHT times B, D not at all.

    Every stored vector is several kilobytes, out of line (TOAST): reading one to check a
    match or to score it costs about 0.1 ms. So the queries are written for the GIN index
    to answer alone, without reading the vectors again (a "recheck"): no weights (the
    facets' tokens are told apart by their prefix); phrases still need one. The planner,
    which deems reading a vector free, is kept from its sequential scan (SET LOCAL in
    _cursor), and, but for phrases, from walking the primary key newest first checking
    each vector (``e.id + 0``). Only the POSTGRES_RANK_WINDOW newest matches are
    scored."""

    WEIGHTS = f"'{{0, 0, {1 / TITLE_WEIGHT}, 1}}'::float4[]"  # D, C, B, A

    @staticmethod
    def words(query) -> str:
        terms = [t for clause in query.clauses for t in clause] + query.excluded
        token_like = any(word.startswith("zz") for t in terms for word in t.words)
        return searchsyntax.to_tsquery(query, weights="AB" if token_like else "")

    @staticmethod
    def newest(query) -> str:
        """ORDER BY newest first: by the primary key for a phrase (each match needs its
        vector read anyway: the walk stops at the LIMIT), else from the GIN index's
        matches."""
        phrase = any(len(t.words) > 1 for clause in query.clauses for t in clause)
        return "e.id DESC" if phrase else "e.id + 0 DESC"

    @classmethod
    def where(cls, workspace: Workspace, query, plan: _Plan, part: str) -> tuple[str, list]:
        scopes = " | ".join(f"zzw{workspace.id}{KINDS[kind]}" for kind in plan.kinds)
        facets = [f"({scopes})"] + [
            "(" + " | ".join(f"zz{token.strip()}" for token in group.split(" OR ")) + ")"
            for group in plan.tokens]
        sql = "e.search_vector @@ to_tsquery('simple', %s)"
        sql += "".join(f" AND {condition}" for condition in plan.where)
        return sql, [" & ".join([*facets, f"({cls.words(query)})"]), *plan.params]

    @classmethod
    def window(cls, cursor, workspace, query, plan, size) -> list[tuple]:
        """The ``size`` newest matches: (id, relevance, title holds every word)."""
        where, params = cls.where(workspace, query, plan, "all")
        positive = searchsyntax.to_tsquery(searchsyntax.Query(clauses=query.clauses))
        cursor.execute(
            f"SELECT e.id, ts_rank_cd({cls.WEIGHTS}, e.search_vector, "
            f"to_tsquery('simple', %s), 1), to_tsvector('simple', e.title) @@ "
            f"to_tsquery('simple', %s) FROM council_searchentry e WHERE e.id IN ("
            f"SELECT e.id FROM council_searchentry e WHERE {where} "
            f"ORDER BY {cls.newest(query)} LIMIT %s) ORDER BY e.id DESC",
            [positive, positive, *params, size])
        return cursor.fetchall()

    @classmethod
    def page(cls, cursor, workspace, query, plan, part, limit, offset, below=None
             ) -> list[tuple]:
        """Matches newest first (``below``: older than this entry)."""
        where, params = cls.where(workspace, query, plan, part)
        if below is not None:
            where += " AND e.id < %s"
            params.append(below)
        cursor.execute(f"SELECT {_ENTRY_COLUMNS} FROM council_searchentry e WHERE {where} "
                       f"ORDER BY {cls.newest(query)} LIMIT %s OFFSET %s",
                       [*params, limit, offset])
        return cursor.fetchall()

    @classmethod
    def count(cls, cursor, workspace, query, plan, part, cap) -> int:
        where, params = cls.where(workspace, query, plan, part)
        cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM council_searchentry e "
                       f"WHERE {where} LIMIT %s) hits", [*params, cap])
        return cursor.fetchone()[0]
