"""Polling: fetch the due sources and file their items as clippings, without duplicates."""

import datetime
import logging
from dataclasses import dataclass, field

import httpx
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hemicycle.accounts.models import Workspace
from hemicycle.mediawatch import dedup, fetching, query
from hemicycle.mediawatch.models import Alert, Clipping, KeywordRule, Sighting, Source

logger = logging.getLogger(__name__)

# Near duplicates are looked for among the clippings of the last days only.
NEAR_WINDOW = datetime.timedelta(days=30)


# --- the dedup index of a workspace -------------------------------------------------


class WorkspaceIndex:
    """What a polling round needs to file clippings of one workspace: the MinHash index
    of recent clippings and the compiled active rules. Built once per round."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.reload()
        self.rules = rules_compiled(workspace)

    def reload(self) -> None:
        self.lsh = dedup.LshIndex()
        since = timezone.now() - NEAR_WINDOW
        recent = Clipping.objects.filter(workspace=self.workspace, created_at__gte=since,
                                         signature__isnull=False)
        rows = recent.values_list("pk", "signature", "numbers").iterator()
        for pk, packed, nums in rows:
            self.lsh.add(pk, dedup.signature_unpack(packed), frozenset(nums.split()))


def rules_compiled(workspace: Workspace) -> list[tuple[KeywordRule, object]]:
    compiled = []
    for rule in KeywordRule.objects.filter(workspace=workspace, active=True):
        try:
            node = query.parse(rule.query)
        except query.QueryError:
            continue  # saved through the form, so valid; an old syntax is skipped
        if node is not None:
            compiled.append((rule, node))
    return compiled


# --- filing items -------------------------------------------------------------------


@dataclass
class IngestReport:
    new: int = 0
    duplicates: dict[str, int] = field(default_factory=dict)
    alerts: int = 0

    def add_duplicate(self, match: str) -> None:
        self.duplicates[match] = self.duplicates.get(match, 0) + 1


def _body(item: fetching.Item) -> str:
    return item.text or item.summary


def items_ingest(*, source: Source, items: list[fetching.Item], index: WorkspaceIndex
                 ) -> IngestReport:
    """File a source's items: an address already seen in this source is skipped; an
    article already known (same address, same content, or nearly the same text) gets a
    new sighting; anything else becomes a new clipping, checked against the rules."""
    workspace, report = source.workspace, IngestReport()
    keyed = {}
    for item in items:
        keyed.setdefault(dedup.url_normalize(item.url), item)
    seen = set(Sighting.objects.filter(source=source, url_key__in=list(keyed))
               .values_list("url_key", flat=True))
    fresh = {key: item for key, item in keyed.items() if key not in seen}
    if not fresh:
        return report
    hashes = {key: dedup.content_hash(item.title, _body(item)) for key, item in fresh.items()}
    clippings = Clipping.objects.filter(workspace=workspace)
    by_url = dict(clippings.filter(url_key__in=list(fresh)).values_list("url_key", "pk"))
    by_hash = dict(clippings.filter(content_hash__in=set(hashes.values()))
                   .values_list("content_hash", "pk"))
    try:
        with transaction.atomic():
            for key, item in fresh.items():
                _item_file(source, key, item, hashes[key], by_url, by_hash, index, report)
    except Exception:
        # Rolled back: the index must not keep clippings that no longer exist.
        index.reload()
        raise
    return report


def _item_file(source, key, item, content_hash, by_url, by_hash, index, report) -> None:
    """One fresh item: a new clipping, or a sighting of the clipping it duplicates."""
    signature = dedup.signature(f"{item.title} {_body(item)}")
    match, target, score = _match(key, content_hash, signature, item, by_url, by_hash, index)
    if target is None:
        clipping = _clipping_create(source.workspace, key, content_hash, signature, item)
        by_url[key], by_hash[content_hash] = clipping.pk, clipping.pk
        if signature is not None:
            index.lsh.add(clipping.pk, signature, _numbers(item))
        report.new += 1
        report.alerts += alerts_raise(clipping=clipping, rules=index.rules)
        target, match = clipping.pk, Sighting.Match.FIRST
    else:
        report.add_duplicate(match)
    Sighting.objects.create(
        workspace=source.workspace, clipping_id=target, source=source, url=item.url[:1000],
        url_key=key, title=item.title, match=match, similarity=score)


def _match(key, content_hash, signature, item, by_url, by_hash, index: WorkspaceIndex):
    """(kind of match, clipping id or None, similarity) for one fresh item."""
    if key in by_url:
        return Sighting.Match.URL, by_url[key], None
    if content_hash in by_hash:
        return Sighting.Match.CONTENT, by_hash[content_hash], None
    if signature is not None:
        found = index.lsh.query(signature, _numbers(item))
        if found is not None:
            return Sighting.Match.NEAR, found[0], round(found[1], 3)
    return Sighting.Match.FIRST, None, None


def _numbers(item: fetching.Item) -> frozenset[str]:
    return dedup.numbers(f"{item.title} {_body(item)}")


def _clipping_create(workspace, key, content_hash, signature, item: fetching.Item
                     ) -> Clipping:
    return Clipping.objects.create(
        numbers=" ".join(sorted(_numbers(item)))[:500],
        workspace=workspace, url=item.url[:1000], url_key=key[:1000], title=item.title,
        summary=item.summary, text=item.text, author=item.author,
        published_at=item.published_at, content_hash=content_hash,
        signature=dedup.signature_pack(signature) if signature else None,
        search_text=query.prepare(f"{item.title} {item.summary} {item.text}"),
    )


def alerts_raise(*, clipping: Clipping, rules: list[tuple[KeywordRule, object]]) -> int:
    hits = [rule for rule, node in rules if query.evaluate(node, clipping.search_text)]
    Alert.objects.bulk_create(
        [Alert(workspace=clipping.workspace, rule=rule, clipping=clipping) for rule in hits],
        ignore_conflicts=True)
    return len(hits)


# --- polling ------------------------------------------------------------------------


@dataclass
class PollReport:
    source: Source
    status: str
    new: int = 0
    duplicates: int = 0
    alerts: int = 0
    error: str = ""


def source_poll(*, source: Source, client: httpx.Client | None = None,
                index: WorkspaceIndex | None = None) -> PollReport:
    """Fetch one source (conditionally), file its items, record the outcome and when to
    come back: the interval after a success, a growing wait after failures."""
    own_client = client is None
    client = client or fetching.client_make()
    try:
        fetched = _source_fetch(source, client)
    finally:
        if own_client:
            client.close()
    now = timezone.now()
    source.last_polled_at = now
    report = PollReport(source, fetched.status)
    if fetched.status == "error":
        source.error_count += 1
        source.error_message = fetched.error[:300]
        wait = source.backoff()
        if fetched.retry_after:
            wait = max(wait, datetime.timedelta(seconds=fetched.retry_after))
        source.next_poll_at = now + wait
        source.last_status = _("Échec")
        report.error = fetched.error
    else:
        if fetched.status == "ok":
            ingested = items_ingest(source=source, items=fetched.items,
                                    index=index or WorkspaceIndex(source.workspace))
            source.etag, source.last_modified = fetched.etag[:300], fetched.last_modified[:100]
            report.new, report.alerts = ingested.new, ingested.alerts
            report.duplicates = sum(ingested.duplicates.values())
            source.last_status = _("%(new)s nouveau(x), %(dup)s doublon(s)") % {
                "new": report.new, "dup": report.duplicates}
        else:
            source.last_status = _("Rien de nouveau")
        source.error_count, source.error_message = 0, ""
        source.last_success_at = now
        source.next_poll_at = now + source.backoff()
    source.save(update_fields=[
        "last_polled_at", "error_count", "error_message", "next_poll_at", "last_status",
        "last_success_at", "etag", "last_modified", "updated_at"])
    return report


def _source_fetch(source: Source, client: httpx.Client) -> fetching.Fetched:
    if source.kind == Source.Kind.PAGE:
        known = set(Sighting.objects.filter(source=source).values_list("url_key", flat=True))
        return fetching.page_fetch(client, source.url, etag=source.etag,
                                   last_modified=source.last_modified,
                                   pattern=source.link_pattern, known=known)
    return fetching.feed_fetch(client, source.url, etag=source.etag,
                               last_modified=source.last_modified)


def sources_due(*, workspace: Workspace | None = None) -> QuerySet[Source]:
    now = timezone.now()
    due = Source.objects.filter(active=True).filter(
        Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
    if workspace is not None:
        due = due.filter(workspace=workspace)
    return due.select_related("workspace").order_by("workspace_id", "next_poll_at", "pk")


def sources_poll(*, sources: QuerySet[Source] | list[Source]) -> list[PollReport]:
    """Poll the sources in turn with one HTTP client and one index per workspace."""
    reports, indexes = [], {}
    with fetching.client_make() as client:
        for source in sources:
            if source.workspace_id not in indexes:
                indexes[source.workspace_id] = WorkspaceIndex(source.workspace)
            try:
                reports.append(source_poll(source=source, client=client,
                                           index=indexes[source.workspace_id]))
            except Exception:  # one broken source never stops the round
                logger.exception("mediawatch: polling source %s failed", source.pk)
                reports.append(_source_failed(source))
    return reports


def _source_failed(source: Source) -> PollReport:
    message = _("Erreur inattendue en classant les articles : l'équipe technique est "
                "prévenue (journal du serveur).")
    source.error_count += 1
    source.error_message = message
    source.next_poll_at = timezone.now() + source.backoff()
    Source.objects.filter(pk=source.pk).update(
        error_count=source.error_count, error_message=message,
        next_poll_at=source.next_poll_at, last_polled_at=timezone.now())
    return PollReport(source, "error", error=message)


# --- sources ------------------------------------------------------------------------


def source_create(*, workspace: Workspace, **fields) -> Source:
    source = Source.objects.create(workspace=workspace, **fields)
    transaction.on_commit(poll_schedule)
    return source


def source_update(*, source: Source, **fields) -> Source:
    changed_url = fields.get("url", source.url) != source.url
    for name, value in fields.items():
        setattr(source, name, value)
    if changed_url:  # another address: its validators and failures do not carry over
        source.etag = source.last_modified = source.error_message = ""
        source.error_count, source.next_poll_at = 0, None
    source.save()
    transaction.on_commit(poll_schedule)
    return source


def poll_schedule() -> bool:
    """Make sure one polling task waits for the next due source (a no-op when one
    already does, or when the task backend cannot defer tasks, as in tests)."""
    from hemicycle.mediawatch.tasks import mediawatch_poll_task, next_poll_time, schedule_once

    return schedule_once(mediawatch_poll_task, next_poll_time())
