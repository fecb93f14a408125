"""The group's writings and analysis notes in the council's search box: indexed when
saved, removed when deleted (signals, so that the council's search and this app need not
call each other), shown as "writing" hits linked to their page.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hemicycle.council.search import (
    SearchSource,
    SourceItem,
    search_index_source,
    search_source_register,
    search_unindex_source,
)
from hemicycle.writings import markup
from hemicycle.writings.models import Note, Writing

NOTE_KIND = "note"


def _writing_text(writing: Writing) -> str:
    return "\n".join(part for part in (markup.plain(writing.body), writing.original_text,
                                       writing.proposed_text) if part)


def _writing_sitting(writing: Writing):
    return writing.sitting or (writing.report.sitting if writing.report_id else None)


def writing_index(writing: Writing) -> None:
    search_index_source(source="writing", object_id=writing.pk,
                        workspace_id=writing.workspace_id, title=writing.title,
                        text=_writing_text(writing), sitting=_writing_sitting(writing),
                        writing_kind=writing.kind)


def _note_title(note: Note) -> str:
    return _("Note d'analyse — %(report)s") % {"report": note.report}


def note_index(note: Note) -> None:
    search_index_source(source="note", object_id=note.pk, workspace_id=note.workspace_id,
                        title=_note_title(note), text=markup.plain(note.body),
                        sitting=note.report.sitting, writing_kind=NOTE_KIND)


def _writing_saved(sender, instance: Writing, raw=False, **kwargs) -> None:
    if not raw:
        writing_index(instance)


def _writing_deleted(sender, instance: Writing, **kwargs) -> None:
    search_unindex_source(source="writing", object_id=instance.pk)


def _note_saved(sender, instance: Note, raw=False, **kwargs) -> None:
    if not raw:
        note_index(instance)


def _note_deleted(sender, instance: Note, **kwargs) -> None:
    search_unindex_source(source="note", object_id=instance.pk)


def _load_writings(workspace, ids: list[int]) -> dict[int, SourceItem]:
    writings = Writing.objects.filter(workspace=workspace, id__in=ids).select_related(
        "speaker", "sitting__body", "report")
    items = {}
    for writing in writings:
        meta = [writing.get_status_display()]
        if writing.speaker_id:
            meta.append(str(writing.speaker))
        if writing.sitting_id:
            meta.append(str(writing.sitting))
        items[writing.pk] = SourceItem(
            title=writing.title, label=writing.get_kind_display(),
            url=reverse("writings:writing-detail", args=[workspace.slug, writing.code]),
            text=_writing_text(writing), meta=" · ".join(meta))
    return items


def _load_notes(workspace, ids: list[int]) -> dict[int, SourceItem]:
    notes = Note.objects.filter(workspace=workspace, id__in=ids).select_related(
        "report__sitting__body")
    return {note.pk: SourceItem(
        title=_note_title(note), label=_("Note d'analyse"),
        url=reverse("writings:report-work", args=[workspace.slug, note.report.code]),
        text=markup.plain(note.body),
        meta=" · ".join(filter(None, [note.get_status_display(),
                                      str(note.report.sitting or "")])))
        for note in notes}


def _reindex_writings(workspace) -> int:
    count = 0
    for writing in Writing.objects.filter(workspace=workspace).select_related(
            "sitting", "report__sitting"):
        writing_index(writing)
        count += 1
    return count


def _reindex_notes(workspace) -> int:
    count = 0
    for note in Note.objects.filter(workspace=workspace).select_related("report__sitting"):
        note_index(note)
        count += 1
    return count


def _reindex_sitting_writings(sitting) -> None:
    for writing in Writing.objects.filter(workspace=sitting.workspace, sitting=sitting):
        writing_index(writing)


def _reindex_sitting_notes(sitting) -> None:
    for note in Note.objects.filter(workspace=sitting.workspace, report__sitting=sitting):
        note_index(note)


search_source_register(SearchSource(
    "writing", _load_writings, _reindex_writings, _reindex_sitting_writings,
    kinds=tuple(Writing.Kind.choices)))
search_source_register(SearchSource(
    "note", _load_notes, _reindex_notes, _reindex_sitting_notes,
    kinds=((NOTE_KIND, gettext_lazy("Note d'analyse")),)))
post_save.connect(_writing_saved, sender=Writing, dispatch_uid="writings_search_saved")
post_delete.connect(_writing_deleted, sender=Writing, dispatch_uid="writings_search_deleted")
post_save.connect(_note_saved, sender=Note, dispatch_uid="notes_search_saved")
post_delete.connect(_note_deleted, sender=Note, dispatch_uid="notes_search_deleted")
