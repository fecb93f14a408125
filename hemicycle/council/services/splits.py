"""The review of a bundle's split, kept on the server between edits (SplitDraft), then
saved into the document's reports."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hemicycle.council import splitting
from hemicycle.council.models import Document, Report, SplitDraft
from hemicycle.council.services.citations import citations_record
from hemicycle.council.services.ingestion import reports_from_split, split_as_json


def split_draft_for(document: Document) -> SplitDraft:
    """The draft of a document's split: the one being reviewed, or a fresh proposal."""
    draft = SplitDraft.objects.filter(document=document).first()
    if draft is None:
        split = splitting.split_bundle(document.text)
        draft = SplitDraft.objects.create(workspace=document.workspace, document=document,
                                          reports=split_as_json(split), method=split.method)
    return draft


def split_of(draft: SplitDraft) -> splitting.Split:
    reports = tuple(splitting.Report(**part) for part in draft.reports)
    return splitting.Split(draft.document.text, reports, method=draft.method)


def _index(draft: SplitDraft, value) -> int:
    try:
        index = int(value)
    except (TypeError, ValueError):
        index = -1
    if not 0 <= index < len(draft.reports):
        raise ValidationError(_("Rapport inconnu dans ce découpage."))
    return index


def _offset(draft: SplitDraft, value) -> int:
    try:
        offset = int(value)
    except (TypeError, ValueError):
        offset = -1
    if not 0 <= offset <= len(draft.document.text):
        raise ValidationError(_("Position inconnue dans le texte."))
    return offset


@transaction.atomic
def split_draft_edit(*, draft: SplitDraft, operation: str, index=None, offset=None,
                     title: str = "", number: str | None = None) -> SplitDraft:
    """One edit: "move" (report ``index`` starts at ``offset``), "merge" (``index`` with
    the next one), "rename" (title and number of ``index``), "split" (a new report starts
    at ``offset``). A bad edit raises ValidationError and changes nothing."""
    split = split_of(draft)
    try:
        if operation == "move":
            split = splitting.move_boundary(split, _index(draft, index), _offset(draft, offset))
        elif operation == "merge":
            position = _index(draft, index)
            if position + 1 >= len(draft.reports):
                raise ValidationError(_("Le dernier rapport n'a pas de suivant."))
            split = splitting.merge(split, position)
        elif operation == "rename":
            if not title.strip():
                raise ValidationError(_("Donnez un titre."))
            split = splitting.rename(split, _index(draft, index), title.strip(),
                                     None if number is None else number.strip())
        elif operation == "split":
            split = splitting.split_at(split, _offset(draft, offset), title.strip() or None)
        else:
            raise ValidationError(_("Opération inconnue."))
    except ValueError as error:
        raise ValidationError(_("Modification impossible à cet endroit.")) from error
    draft.reports = split_as_json(split)
    draft.save(update_fields=["reports", "updated_at"])
    return draft


@transaction.atomic
def split_draft_reset(*, draft: SplitDraft) -> SplitDraft:
    split = splitting.split_bundle(draft.document.text)
    draft.reports, draft.method = split_as_json(split), split.method
    draft.save(update_fields=["reports", "method", "updated_at"])
    return draft


@transaction.atomic
def split_draft_save(*, draft: SplitDraft) -> list[Report]:
    """Save the reviewed split into the document's reports."""
    reports = reports_from_split(draft.document, split_of(draft))
    citations_record(reports)  # the reports are new: link them to the directory again
    draft.saved_at = timezone.now()
    draft.save(update_fields=["saved_at", "updated_at"])
    return reports
