"""Ingestion: files in (uploaded together, a ZIP, or `hemicycle ingest`), documents,
reports with their entities and summary, and the search index out.

One batch holds one item per file. ``ingestion_batch_run`` processes the pending items
one by one, each in its own transaction: a bad file is recorded as an error and the
others go on; an interrupted run leaves items pending, and running the batch again
picks them up (``ingestion_batch_resume``). Originals are stored by their SHA-256: the
same bytes again find the existing document and change nothing.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
import hashlib
import io
import logging
import re
import zipfile
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hemicycle.accounts.models import User, Workspace
from hemicycle.council import entities as entities_engine
from hemicycle.council import reporthead, splitting, synthesis, text
from hemicycle.council.models import (
    Body,
    Document,
    IngestionBatch,
    IngestionItem,
    Report,
    Sitting,
    SplitDraft,
)
from hemicycle.council.search import search_index_document, search_index_report

logger = logging.getLogger(__name__)

MAX_FILES = 500
MAX_ZIP_MEMBER = 200 * 1024 * 1024
SUMMARY_SENTENCES = 3


# --- a batch in -------------------------------------------------------------------------------


def _expand(files: Iterable[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """ZIP archives are opened (their folders flattened); other files pass through."""
    out = []
    for name, data in files:
        if name.lower().endswith(".zip") and data[:4] == b"PK\x03\x04":
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    for info in archive.infolist():
                        base = PurePosixPath(info.filename).name
                        if (info.is_dir() or info.filename.startswith("__MACOSX/")
                                or base.startswith(".") or info.file_size > MAX_ZIP_MEMBER):
                            continue
                        out.append((base, archive.read(info)))
                continue
            except zipfile.BadZipFile:
                pass  # recorded as a file: its extraction says what is wrong
        out.append((name, data))
    return out


@transaction.atomic
def ingestion_batch_create(*, workspace: Workspace, files: Iterable[tuple[str, bytes]],
                           sitting: Sitting | None = None, role: str = "",
                           by: User | None = None) -> IngestionBatch:
    """Record the files of a batch (processed later by ``ingestion_batch_run``)."""
    files = _expand(files)
    if not files:
        raise ValueError(_("Aucun fichier."))
    if len(files) > MAX_FILES:
        raise ValueError(_("Au plus %(max)d fichiers à la fois.") % {"max": MAX_FILES})
    if sitting is not None and sitting.workspace_id != workspace.id:
        raise ValueError("sitting of another workspace")
    batch = IngestionBatch.objects.create(workspace=workspace, sitting=sitting, role=role,
                                          files_total=len(files), created_by=by)
    for position, (name, data) in enumerate(files):
        item = IngestionItem(workspace=workspace, batch=batch, position=position,
                             filename=name[:300], size=len(data))
        item.upload.save(f"{batch.code}/{position:04d}", ContentFile(data), save=False)
        item.save()
    return batch


def ingestion_batch_start(batch: IngestionBatch) -> None:
    """Run the batch in the background once the transaction that made it commits."""
    from hemicycle.council.tasks import ingestion_batch_run_task

    transaction.on_commit(lambda: ingestion_batch_run_task.enqueue(batch_id=batch.pk))


# --- a batch processed ------------------------------------------------------------------------


def ingestion_batch_run(batch: IngestionBatch,
                        progress: Callable[[IngestionBatch, IngestionItem], None] | None = None
                        ) -> IngestionBatch:
    """Process the batch's pending items, in order; then match the watch rules."""
    IngestionBatch.objects.filter(pk=batch.pk).update(
        status=IngestionBatch.Status.RUNNING, started_at=batch.started_at or timezone.now())
    for item in batch.items.filter(status=IngestionItem.Status.PENDING).order_by("position"):
        try:
            ingestion_item_process(item)
        except Exception as error:  # one bad file never stops the others
            logger.exception("ingestion item %s", item.pk)
            _item_failed(item, "internal", _("Erreur inattendue : %(error)s") % {
                "error": error.__class__.__name__})
        batch.refresh_from_db()
        if progress:
            progress(batch, item)
    batch.status, batch.finished_at = IngestionBatch.Status.DONE, timezone.now()
    batch.save(update_fields=["status", "finished_at", "updated_at"])
    from hemicycle.council.services.watch import watch_batch_match

    watch_batch_match(batch)
    return batch


def ingestion_batch_resume(batch: IngestionBatch) -> bool:
    """Start an interrupted batch again (its pending items only). False if nothing left."""
    if not batch.items.filter(status=IngestionItem.Status.PENDING).exists():
        return False
    ingestion_batch_start(batch)
    return True


def _count(item: IngestionItem, **increments: int) -> None:
    IngestionBatch.objects.filter(pk=item.batch_id).update(
        files_done=F("files_done") + 1, updated_at=timezone.now(),
        **{name: F(name) + value for name, value in increments.items()})


def _item_failed(item: IngestionItem, code: str, message: str) -> None:
    with transaction.atomic():
        item.status, item.error_code, item.error = IngestionItem.Status.ERROR, code, message
        item.save(update_fields=["status", "error_code", "error", "updated_at"])
        _count(item, errors=1)
    _discard_upload(item)


def _discard_upload(item: IngestionItem) -> None:
    if item.upload:
        item.upload.delete(save=False)
        IngestionItem.objects.filter(pk=item.pk).update(upload="")


def ingestion_item_process(item: IngestionItem) -> None:
    """One file: a document (or the one already there), its reports, the index."""
    batch = item.batch
    with item.upload.open("rb") as handle:
        data = handle.read()
    sha256 = hashlib.sha256(data).hexdigest()
    existing = Document.objects.filter(workspace=item.workspace, sha256=sha256).first()
    if existing is not None:
        with transaction.atomic():
            item.status, item.document, item.pages = (IngestionItem.Status.DUPLICATE,
                                                       existing, existing.page_count)
            item.save(update_fields=["status", "document", "pages", "updated_at"])
            _count(item)
        _discard_upload(item)
        return
    try:
        extracted = text.extract(data, filename=item.filename)
    except text.ExtractionError as error:
        _item_failed(item, error.code, str(error))
        return
    with transaction.atomic():
        document = document_create(workspace=item.workspace, data=data, sha256=sha256,
                                   filename=item.filename, extracted=extracted,
                                   sitting=batch.sitting, role=batch.role,
                                   by=batch.created_by)
        reports = reports_from_document(document)
        _link(document, reports, batch)
        item.status, item.document, item.pages = (IngestionItem.Status.DONE, document,
                                                  extracted.page_count)
        item.reports_created = len(reports)
        item.warnings = list(extracted.warnings) + (
            [_("Scan : pas de texte (OCR indisponible)")] if document.status
            == Document.Status.NO_TEXT else [])
        item.save()
        _count(item, pages_done=extracted.page_count, reports_created=len(reports))
    _discard_upload(item)


@functools.lru_cache(maxsize=2)
def _citation_finder(workspace_id: int, batch_id: int):
    # Built once per batch: the directory may hold 200,000 names.
    from hemicycle.council.services.citations import citation_finder

    return citation_finder(Workspace.objects.get(pk=workspace_id))


def _link(document: Document, reports: list[Report], batch: IngestionBatch) -> None:
    """What the new reports name of the directory, and the roll call of minutes."""
    from hemicycle.council.services.attendance import attendance_from_text
    from hemicycle.council.services.citations import citations_record

    if reports:
        citations_record(reports, _citation_finder(batch.workspace_id, batch.pk))
    if document.sitting_id and document.role in (Document.Role.MINUTES, Document.Role.BUNDLE):
        attendance_from_text(sitting=document.sitting, text=document.text)


def document_create(*, workspace: Workspace, data: bytes, sha256: str, filename: str,
                    extracted: text.Document, sitting: Sitting | None = None, role: str = "",
                    by: User | None = None) -> Document:
    suffix = PurePosixPath(filename).suffix.lower()[:8] or f".{extracted.kind}"
    flagged = text.SCAN_NO_TEXT in extracted.flags
    document = Document(
        workspace=workspace, sha256=sha256, filename=filename[:300], size=len(data),
        kind=extracted.kind, sitting=sitting, uploaded_by=by,
        status=Document.Status.NO_TEXT if flagged else Document.Status.EXTRACTED,
        error=_("Scan : pas de texte (OCR indisponible)") if flagged else "",
        page_count=extracted.page_count, ocr_pages=len(extracted.ocr_pages),
        text=extracted.text)
    # Content-addressed: the same bytes always land at the same name.
    document.file.save(f"{sha256[:2]}/{sha256}{suffix}", ContentFile(data), save=False)
    document.role = role or _guess_role(document)
    document.save()
    search_index_document(document)
    return document


@functools.lru_cache(maxsize=1)
def _split_of(text: str) -> splitting.Split:
    """The split of a document's text, made once for its role and its reports (a Split is
    immutable)."""
    return splitting.split_bundle(text)


def _guess_role(document: Document) -> str:
    name = document.filename.lower()
    if any(word in name for word in ("pv", "proces", "procès", "compte_rendu", "compte-rendu",
                                     "_cr_", "cr_")):
        return Document.Role.MINUTES
    if "annexe" in name:
        return Document.Role.ANNEX
    if len(_split_of(document.text).reports) > 1:
        return Document.Role.BUNDLE
    return Document.Role.REPORT


def reports_from_document(document: Document) -> list[Report]:
    """The reports a document brings: one for a report, one per part of a bundle or of
    minutes (the split can be reviewed later), none for an annex or a textless scan."""
    if document.role in (Document.Role.ANNEX, Document.Role.OTHER) or not document.text.strip():
        return []
    split = _split_of(document.text)
    if document.role in (Document.Role.BUNDLE, Document.Role.MINUTES):
        SplitDraft.objects.update_or_create(
            document=document, defaults={"workspace": document.workspace,
                                         "reports": split_as_json(split),
                                         "method": split.method})
        return reports_from_split(document, split)
    number, title = report_heading(document.text)
    report = Report(workspace=document.workspace, sitting=document.sitting,
                    number=number[:80], title=(title or document.filename)[:500],
                    text=document.text.replace("\f", "\n\n").strip(),
                    page_start=1, page_end=document.page_count or 1,
                    source_document=document)
    from hemicycle.council.services.structure import sitting_next_rank

    found = entities_of_many([report.text], document.workspace)[0]
    _analyse(report, found)
    report_head_fill(report, found.head, HeadContext.of(document.workspace, [report]))
    report.rank = sitting_next_rank(report.sitting)
    report.save()
    report.documents.add(document)
    search_index_report(report)
    return [report]


_NUMBER_LINE = re.compile(
    r"^(?:rapport|d[ée]lib[ée]ration|projet\s+de\s+d[ée]lib[ée]ration|point)?\s*"
    r"(?:n\s*[°º˚o]\.?|num[ée]ro)\s*(?P<number>[A-Z0-9](?:[\w./-]*\w)?)", re.IGNORECASE)
_OBJET_LINE = re.compile(r"^objet\s*:?\s*(?P<title>\S.*)$", re.IGNORECASE)


def report_heading(content: str, lines: int = 40) -> tuple[str, str]:
    """The number ("N° DAT/2026/81") and title ("OBJET : …", else the first line) of a
    one-report document, from its first lines."""
    head = [line.strip() for line in content.replace("\f", "\n").splitlines()
            if line.strip()][:lines]
    number = next((m["number"] for line in head if (m := _NUMBER_LINE.match(line))
                   and re.search(r"\d", m["number"])), "")
    title = next((m["title"] for line in head if (m := _OBJET_LINE.match(line))), "")
    if not title:
        title = next((line for line in head if not _NUMBER_LINE.match(line)), "")
    return number, " ".join(title.split())


def split_as_json(split: splitting.Split) -> list[dict]:
    return [{"start": r.start, "end": r.end, "number": r.number, "title": r.title,
             "heading": r.heading, "method": r.method} for r in split.reports]


def reports_from_split(document: Document, split: splitting.Split) -> list[Report]:
    """Save a split into reports: the document's existing reports are updated in their
    order (their notes and votes stay), new ones are added, surplus ones removed."""
    existing = list(Report.objects.filter(source_document=document).order_by("page_start",
                                                                             "rank", "id"))
    from hemicycle.council.services.structure import sitting_next_rank

    first_rank = (existing[0].rank if existing and existing[0].rank
                  else sitting_next_rank(document.sitting))
    saved = []
    texts = [split.text_of(index).replace("\f", "\n\n") for index in range(len(split.reports))]
    found = entities_of_many(texts, document.workspace)
    reports = [existing[index] if index < len(existing) else Report(
        workspace=document.workspace, sitting=document.sitting)
        for index in range(len(split.reports))]
    for report, part in zip(reports, split.reports, strict=True):
        report.number = (part.number or "")[:80]
    heads = HeadContext.of(document.workspace, reports, [f.head for f in found])
    for index, (report, part) in enumerate(zip(reports, split.reports, strict=True)):
        start, end = split.pages_of(index)
        report.title = (part.title or _("Sans titre"))[:500]
        report.text, report.page_start, report.page_end = texts[index], start, end
        report.rank = first_rank + index
        report.source_document = document
        _analyse(report, found[index])
        report_head_fill(report, found[index].head, heads)
        report.save()
        report.documents.add(document)
        search_index_report(report)
        saved.append(report)
    for surplus in existing[len(split.reports):]:
        surplus.delete()
    return saved


# --- who wrote it, who examined it -------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class HeadContext:
    """What the workspace knows to read reports' heads: its thematic commissions (with
    their policy areas), the directions already recorded, and the codes of a bundle's
    numbers ("DAT" in DAT/2026/81) mapped to their directions."""

    commissions: tuple[tuple[int, str], ...]
    areas: dict[int, str]
    directions: tuple[str, ...]
    codes: dict[str, str]

    @classmethod
    def of(cls, workspace: Workspace, reports: list[Report],
           heads: list[reporthead.Head] | None = None) -> HeadContext:
        """Two small queries per document, however many reports it holds."""
        bodies = list(Body.objects.filter(workspace=workspace, kind=Body.Kind.COMMISSION)
                      .values_list("pk", "name", "policy_area"))
        directions = tuple(Report.objects.filter(workspace=workspace).exclude(direction="")
                           .order_by("direction").values_list("direction", flat=True)
                           .distinct()[:500])
        pairs = [(reporthead.code_of(report.number), head.direction)
                 for report, head in zip(reports, heads or [], strict=False)]
        return cls(commissions=tuple((pk, name) for pk, name, _ in bodies),
                   areas={pk: area for pk, _, area in bodies if area},
                   directions=directions,
                   codes=reporthead.directions_by_code(pairs, directions))


def report_head_fill(report: Report, head: reporthead.Head, context: HeadContext) -> None:
    """The direction and the examining commission (and, from it, the policy area) that
    a report's first lines name, on those fields only while empty: what a user entered is
    never overwritten. A commission that is none of the assembly's bodies gives its name
    as the policy area. Not saved."""
    if not report.direction:
        report.direction = reporthead.direction_resolve(
            head, report.number, context.codes, context.directions)[:200]
    if report.commission_id is None and (head.commission or head.commission_number):
        pk = reporthead.commission_match(head.commission, head.commission_number,
                                         context.commissions)
        if pk is not None:
            report.commission_id = pk
            if not report.policy_area:
                report.policy_area = context.areas.get(pk, "")[:200]
        elif head.commission and not report.policy_area:
            # No such commission among the assembly's bodies: its name still says the
            # report's area ("Aménagement du territoire et ruralité"), for the facets.
            report.policy_area = head.commission[:200]


# --- what a report names ---------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _gazetteer(departement_ids: tuple[int, ...]) -> entities_engine.Gazetteer:
    from hemicycle.territory.models import Canton, Commune

    places = [entities_engine.Place(name, "commune", code) for name, code in
              Commune.objects.filter(departement_id__in=departement_ids)
              .values_list("name", "insee_code")]
    places += [entities_engine.Place(name, "canton", code) for name, code in
               Canton.objects.filter(departement_id__in=departement_ids)
               .values_list("name", "code")]
    return entities_engine.Gazetteer(places)


def gazetteer_for(workspace: Workspace) -> entities_engine.Gazetteer | None:
    """The communes and cantons of the workspace's assembly (cached per process)."""
    from hemicycle.territory.models import Departement

    assembly = workspace.assembly
    if assembly.departement_id:
        ids = (assembly.departement_id,)
    elif assembly.region_id:
        ids = tuple(Departement.objects.filter(region_id=assembly.region_id)
                    .values_list("id", flat=True))
    else:
        ids = ()
    gazetteer = _gazetteer(tuple(sorted(ids))) if ids else None
    return gazetteer if gazetteer else None


_NER = contextvars.ContextVar("council_ner", default=True)


@contextlib.contextmanager
def organisations_by_rules_only():
    """Inside this block, organisations are found by rules only (no spaCy): for the demo,
    built in many tests, where loading the model would take longer than the rest."""
    token = _NER.set(False)
    try:
        yield
    finally:
        _NER.reset(token)


@functools.cache
def _organisation_finder(use_spacy: bool) -> entities_engine.OrganisationFinder:
    # One per process: spaCy's model loads once, and the finder caches its verdicts.
    return entities_engine.OrganisationFinder(use_spacy=use_spacy)


def entities_of_many(texts: list[str], workspace: Workspace, *,
                     ner: bool = True) -> list[entities_engine.Entities]:
    """The entities of these texts; ``ner=False`` finds organisations by rules only."""
    gazetteer = gazetteer_for(workspace)
    ner = ner and _NER.get() and getattr(settings, "COUNCIL_ORGANISATIONS_NER", True)
    try:
        return entities_engine.extract_entities_many(
            texts, gazetteer=gazetteer, organisations=_organisation_finder(ner))
    except (ImportError, OSError):  # spaCy or its French model missing: rules only
        return entities_engine.extract_entities_many(
            texts, gazetteer=gazetteer, organisations=_organisation_finder(False))


def entities_as_json(found: entities_engine.Entities) -> dict:
    """What Report.entities keeps: JSON-ready lists, plus two helpers for filters
    (``place_index``: " code code ", ``max_amount``)."""
    places: dict[tuple[str, str], dict] = {}
    for mention in found.places:
        for place in mention.places[:1] if len(mention.places) == 1 else mention.places:
            entry = places.setdefault((place.kind, place.code), {
                "name": place.name, "kind": place.kind, "code": place.code, "count": 0})
            entry["count"] += 1
    amounts = {}
    for amount in found.amounts:
        amounts.setdefault(amount.value, {"value": str(amount.value), "text": amount.text,
                                          "context": amount.context})
    top = max((a.value for a in found.amounts), default=None)
    return {
        "amounts": list(amounts.values())[:50],
        "dates": [{"value": d.value.isoformat(), "text": d.text} for d in found.dates][:30],
        "places": sorted(places.values(), key=lambda p: (-p["count"], p["name"])),
        "organisations": list(dict.fromkeys(o.name for o in found.organisations))[:30],
        "beneficiaries": [{"name": b.name, "amount": str(b.amount.value)}
                          for b in found.beneficiaries][:50],
        "place_index": " " + " ".join(code for _, code in places) + " ",
        "max_amount": str(top) if top is not None else None,
    }


def summary_of(text: str) -> str:
    return " ".join(synthesis.summary(text, n=SUMMARY_SENTENCES))


def _analyse(report: Report, found: entities_engine.Entities) -> None:
    report.entities = entities_as_json(found)
    report.summary = summary_of(report.text)


def report_analyse(report: Report) -> None:
    """Entities and automatic summary of one report, from its text (not saved)."""
    _analyse(report, entities_of_many([report.text], report.workspace)[0])
