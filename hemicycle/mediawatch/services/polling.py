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
from hemicycle.audit.services import audit_record
from hemicycle.mediawatch import dedup, fetching, matching
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
            compiled.append((rule, matching.query_parse(rule.query)))
        except matching.QueryError:
            continue  # saved through the form, so valid; an old syntax is skipped
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
    new sighting; anything else becomes a new clipping, checked against the rules.

    In bulk: the known addresses and hashes are read in two queries, every item is
    matched in memory (against the workspace's index and the batch itself), then the
    clippings, their sightings and alerts are inserted with three ``bulk_create`` and
    one audit line sums up the batch (bulk inserts send no model signals)."""
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
    by_url: dict[str, object] = dict(clippings.filter(url_key__in=list(fresh))
                                     .values_list("url_key", "pk"))
    by_hash: dict[str, object] = dict(clippings.filter(content_hash__in=set(hashes.values()))
                                      .values_list("content_hash", "pk"))
    # Clippings of this batch are matched before they have an id: by their position.
    pending: list[Clipping] = []
    batch_lsh = dedup.LshIndex()
    planned = []  # (key, item, target: a pk or a _New, match, similarity)
    for key, item in fresh.items():
        content_hash = hashes[key]
        signature = dedup.signature(f"{item.title} {_body(item)}")
        nums = _numbers(item)
        match, target, score = _match(key, content_hash, signature, nums, by_url, by_hash,
                                      index, batch_lsh)
        if target is None:
            target = _New(len(pending))
            pending.append(_clipping_build(workspace, key, content_hash, signature, nums, item))
            by_url[key], by_hash[content_hash] = target, target
            if signature is not None:
                batch_lsh.add(target, signature, nums)
            match = Sighting.Match.FIRST
        else:
            report.add_duplicate(match)
        planned.append((key, item, target, match, score))
    try:
        with transaction.atomic():
            created = Clipping.objects.bulk_create(pending, batch_size=BULK_SIZE)
            Sighting.objects.bulk_create([
                Sighting(workspace=workspace, source=source,
                         clipping_id=created[t.position].pk if isinstance(t, _New) else t,
                         url=item.url[:1000], url_key=key, title=item.title, match=match,
                         similarity=score)
                for key, item, t, match, score in planned], batch_size=BULK_SIZE)
            report.alerts = alerts_raise(clippings=created, rules=index.rules)
            audit_record(action="other", workspace=workspace, verb="mediawatch.ingest",
                         message=f"{source.name[:100]} : {len(created)} nouveaux, "
                                 f"{len(planned) - len(created)} doublons")
    except Exception:
        index.reload()  # nothing was added to it yet, but the rules may have moved
        raise
    for clipping in created:
        if clipping.signature is not None:
            index.lsh.add(clipping.pk, dedup.signature_unpack(clipping.signature),
                          frozenset(clipping.numbers.split()))
    report.new = len(created)
    return report


BULK_SIZE = 500


@dataclass(frozen=True)
class _New:
    """A clipping of the batch being filed, not inserted yet."""

    position: int


def _match(key, content_hash, signature, nums, by_url, by_hash, index: WorkspaceIndex,
           batch_lsh: dedup.LshIndex):
    """(kind of match, clipping id / _New or None, similarity) for one fresh item."""
    if key in by_url:
        return Sighting.Match.URL, by_url[key], None
    if content_hash in by_hash:
        return Sighting.Match.CONTENT, by_hash[content_hash], None
    if signature is not None:
        found = [f for f in (index.lsh.query(signature, nums), batch_lsh.query(signature, nums))
                 if f is not None]
        if found:
            best = max(found, key=lambda f: f[1])
            return Sighting.Match.NEAR, best[0], round(best[1], 3)
    return Sighting.Match.FIRST, None, None


def _numbers(item: fetching.Item) -> frozenset[str]:
    return dedup.numbers(f"{item.title} {_body(item)}")


def _clipping_build(workspace, key, content_hash, signature, nums, item: fetching.Item
                    ) -> Clipping:
    return Clipping(
        numbers=" ".join(sorted(nums))[:500],
        workspace=workspace, url=item.url[:1000], url_key=key[:1000], title=item.title[:500],
        summary=item.summary, text=item.text, author=item.author[:200],
        published_at=item.published_at, content_hash=content_hash,
        signature=dedup.signature_pack(signature) if signature else None,
        search_text=matching.padded(f"{item.title} {item.summary} {item.text}"),
    )


def alerts_raise(*, clippings: list[Clipping],
                      rules: list[tuple[KeywordRule, object]]) -> int:
    """The rules' alerts on new clippings, in one insert."""
    alerts = [Alert(workspace=clipping.workspace, rule=rule, clipping=clipping)
              for clipping in clippings for rule, parsed in rules
              if matching.evaluate(parsed, clipping.search_text)]
    Alert.objects.bulk_create(alerts, ignore_conflicts=True, batch_size=BULK_SIZE)
    return len(alerts)


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
