"""Imports: upload, column mapping with a preview, progress (htmx polling), report,
errors as CSV, undo."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hemicycle.accounts.access import get_object_for_user, workspace_view
from hemicycle.actors import services
from hemicycle.actors.forms import ImportUploadForm, MappingForm
from hemicycle.actors.models import ImportBatch
from hemicycle.actors.rna import UnreadableFile
from hemicycle.actors.tasks import import_batch_run_task, import_batch_undo_task


def _start(batch: ImportBatch) -> None:
    batch.status = ImportBatch.Status.QUEUED
    batch.save(update_fields=["status", "updated_at"])
    keep = bool(batch.mapping.get("keep_dissolved")) if batch.format == "rna" else False
    transaction.on_commit(lambda: import_batch_run_task.enqueue(
        batch_id=batch.pk, skip_dissolved=not keep))


@workspace_view("write")
def import_list(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.import_batch_create(workspace=workspace, upload=data["file"],
                                                 fmt=data["format"], by=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            batch.dry_run = data["dry_run"]
            if batch.format == ImportBatch.Format.RNA:
                batch.mapping = {"keep_dissolved": data["keep_dissolved"]}
            batch.save(update_fields=["dry_run", "mapping", "updated_at"])
            if batch.format == ImportBatch.Format.RNA:
                _start(batch)
            return redirect("actors:import-detail", workspace.slug, batch.code)
    return render(request, "actors/import_list.html", {
        "form": form, "batches": ImportBatch.objects.filter(workspace=workspace)[:30]})


def _mapping_step(request: HttpRequest, batch: ImportBatch) -> HttpResponse | None:
    """A spreadsheet waiting for its columns: the mapping form and a preview."""
    try:
        header = services.import_file_header(batch.path, batch.format)
    except (UnreadableFile, OSError):
        batch.status = ImportBatch.Status.FAILED
        batch.save(update_fields=["status", "updated_at"])
        return None
    form = MappingForm(request.POST or None, header=header, mapping=batch.mapping)
    preview = []
    if request.method == "POST" and form.is_valid():
        batch.mapping = form.mapping()
        batch.save(update_fields=["mapping", "updated_at"])
        if request.POST.get("action") == "start":
            _start(batch)
            return redirect("actors:import-detail", request.workspace.slug, batch.code)
    if batch.mapping:
        preview = services.import_preview(batch.path, batch.format, batch.mapping)
    return render(request, "actors/import_mapping.html", {
        "batch": batch, "form": form, "preview": preview,
        "fields": services.IMPORT_FIELDS})


@workspace_view("write")
def import_detail(request: HttpRequest, code) -> HttpResponse:
    """The batch: mapping while pending, progress while running, then the report.

    ``?erreurs=csv`` downloads the per-row errors; POST ``action=undo`` undoes it,
    ``action=again`` runs a dry-run batch's file for real."""
    batch = get_object_for_user(request, ImportBatch, code)
    workspace = request.workspace
    if request.GET.get("erreurs") == "csv":
        response = HttpResponse(services.import_errors_csv(batch),
                                content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="erreurs-{batch.code}.csv"'
        return response
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "undo":
        try:
            services.import_batch_undo_start(batch=batch, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            transaction.on_commit(lambda: import_batch_undo_task.enqueue(batch_id=batch.pk))
            messages.success(request, _("Annulation de l'import lancée : les fiches créées "
                                        "sont supprimées par lots."))
        return redirect("actors:import-detail", workspace.slug, batch.code)
    if action == "cantons":
        prefix = "canton-"
        choices = {key[len(prefix):]: value for key, value in request.POST.items()
                   if key.startswith(prefix)}
        try:
            count = services.import_cantons_choose(batch=batch, choices=choices)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, ngettext(
                "Canton précisé pour %(n)s acteur.", "Cantons précisés pour %(n)s acteurs.",
                count) % {"n": count})
        return redirect("actors:import-detail", workspace.slug, batch.code)
    if action == "again" and batch.dry_run and batch.status == ImportBatch.Status.DONE:
        real = ImportBatch.objects.create(
            workspace=workspace, format=batch.format, filename=batch.filename, path=batch.path,
            mapping=batch.mapping, total_bytes=batch.total_bytes, author=request.user)
        _start(real)
        return redirect("actors:import-detail", workspace.slug, real.code)
    if batch.status == ImportBatch.Status.PENDING and batch.format == ImportBatch.Format.CSV:
        response = _mapping_step(request, batch)
        if response is not None:
            return response
    template = "actors/import_detail.html"
    undo = services.import_batch_undo_state(batch)
    context = {"batch": batch, "undo": undo,
               "undo_percent": int(100 * undo["done"] / undo["total"])
               if undo and undo["total"] else 0}
    if request.headers.get("HX-Request"):
        return render(request, template + "#progress", context)
    if batch.status == ImportBatch.Status.DONE and not batch.dry_run and not undo:
        context["undecided_count"], context["undecided"] = services.import_cantons_undecided(
            batch=batch)
    return render(request, template, context)
