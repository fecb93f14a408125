"""Sittings, bodies and reports; ingestion and the review of a split; search; watch rules
and the inbox. Thin views: services do the work (council/services/)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemicycle.accounts.access import get_object_for_user, require, workspace_view
from hemicycle.council.followup_views import followup_context
from hemicycle.council.forms import (
    BodyForm,
    ReportForm,
    ScdlImportForm,
    SittingForm,
    UploadForm,
)
from hemicycle.council.models import (
    Body,
    Document,
    IngestionBatch,
    Report,
    Sitting,
    Vote,
)
from hemicycle.council.queries import bodies_of, sittings_of
from hemicycle.council.services import (
    attendance,
    citations,
    deadlines,
    ingestion,
    scdl,
    splits,
    structure,
)
from hemicycle.writings import panels as writings_panels

# --- bodies ----------------------------------------------------------------------------------


@workspace_view("read")
def body_list(request: HttpRequest) -> HttpResponse:
    return render(request, "council/body_list.html", {
        "bodies": bodies_of(request.workspace),
        "can_write": request.membership.can("write")})


@workspace_view("write")
def body_create(request: HttpRequest) -> HttpResponse:
    return _body_form(request, None)


@workspace_view("write")
def body_edit(request: HttpRequest, code) -> HttpResponse:
    return _body_form(request, get_object_for_user(request, Body, code))


def _body_form(request: HttpRequest, body: Body | None) -> HttpResponse:
    form = BodyForm(request.POST or None, instance=body, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        members = data.pop("members")
        try:
            structure.body_save(workspace=request.workspace, body=body, members=members,
                                **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Instance enregistrée."))
            return redirect("council:body-list", request.workspace.slug)
    return render(request, "council/body_form.html", {"form": form, "body": body})


# --- sittings --------------------------------------------------------------------------------


@workspace_view("read")
def sitting_list(request: HttpRequest) -> HttpResponse:
    sittings = sittings_of(request.workspace)
    body = request.GET.get("instance", "")
    if body:
        sittings = sittings.filter(body__code=body) if _is_uuid(body) else sittings.none()
    now = timezone.now()
    return render(request, "council/sitting_list.html", {
        "upcoming": sittings.filter(starts_at__gte=now).order_by("starts_at"),
        "past": sittings.filter(starts_at__lt=now).order_by("-starts_at")[:100],
        "bodies": Body.objects.filter(workspace=request.workspace),
        "body": body,
        "can_write": request.membership.can("write"),
    })


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@workspace_view("read")
def sitting_detail(request: HttpRequest, code) -> HttpResponse:
    sitting = get_object_for_user(request, Sitting.objects.select_related("body"), code)
    return render(request, "council/sitting_detail.html", {
        "sitting": sitting,
        "reports": sitting.reports.select_related("assigned_to", "commission")
        .prefetch_related("assignees")
        .order_by("rank", "number"),
        "documents": sitting.documents.all(),
        "next_statuses": [(s.value, s.label) for s in structure.sitting_next_statuses(sitting)],
        "deadlines": deadlines.upcoming_deadlines(request.workspace, sitting=sitting),
        "attendance": attendance.attendance_summary(sitting),
        "can_write": request.membership.can("write"),
    })


@workspace_view("write")
def sitting_create(request: HttpRequest) -> HttpResponse:
    return _sitting_form(request, None)


@workspace_view("write")
def sitting_edit(request: HttpRequest, code) -> HttpResponse:
    return _sitting_form(request, get_object_for_user(request, Sitting, code))


def _sitting_form(request: HttpRequest, sitting: Sitting | None) -> HttpResponse:
    form = SittingForm(request.POST or None, instance=sitting, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        try:
            sitting = structure.sitting_save(workspace=request.workspace, sitting=sitting,
                                             **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Séance enregistrée."))
            return redirect("council:sitting-detail", request.workspace.slug, sitting.code)
    return render(request, "council/sitting_form.html", {"form": form, "sitting": sitting})


@require_POST
@workspace_view("write")
def sitting_status(request: HttpRequest, code) -> HttpResponse:
    sitting = get_object_for_user(request, Sitting, code)
    try:
        structure.sitting_status_set(sitting=sitting, status=request.POST.get("status", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Statut : %(status)s.") % {
            "status": sitting.get_status_display()})
    return redirect("council:sitting-detail", request.workspace.slug, sitting.code)


@workspace_view("read")
def sitting_scdl(request: HttpRequest, code) -> HttpResponse:
    sitting = get_object_for_user(request, Sitting, code)
    reports = sitting.reports.select_related("sitting", "workspace__assembly").order_by("rank")
    response = HttpResponse(scdl.scdl_export(reports), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="deliberations-{timezone.localdate(sitting.starts_at)}.csv"')
    return response


# --- reports ---------------------------------------------------------------------------------


@workspace_view("read")
def report_detail(request: HttpRequest, code) -> HttpResponse:
    report = get_object_for_user(
        request, Report.objects.select_related("sitting__body", "commission", "assigned_to",
                                               "source_document"), code)
    votes = dict(Vote.choices)
    return render(request, "council/report_detail.html", {
        "report": report,
        "documents": report.documents.all(),
        "other_votes": [(group, votes.get(vote, vote))
                        for group, vote in (report.other_groups_votes or {}).items()],
        "entities": report.entities or {},
        "citations": citations.citations_of_report(report, request.workspace.slug),
        "can_write": request.membership.can("write"),
        # Who follows it, and its discussion thread (followup_views.py).
        **followup_context(request, report),
        # The group's note, position and writings on it (the writings app).
        "writings_panel": writings_panels.report_panel(request, report),
    })


@workspace_view("write")
def report_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    sitting_code = request.GET.get("seance", "")
    if sitting_code and _is_uuid(sitting_code):
        initial["sitting"] = Sitting.objects.filter(workspace=request.workspace,
                                                    code=sitting_code).first()
    return _report_form(request, None, initial)


@workspace_view("write")
def report_edit(request: HttpRequest, code) -> HttpResponse:
    return _report_form(request, get_object_for_user(request, Report, code), {})


def _report_form(request: HttpRequest, report: Report | None, initial: dict) -> HttpResponse:
    form = ReportForm(request.POST or None, instance=report, initial=initial,
                      workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        try:
            report = structure.report_save(workspace=request.workspace, report=report,
                                           **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Rapport enregistré."))
            return redirect("council:report-detail", request.workspace.slug, report.code)
    return render(request, "council/report_form.html", {"form": form, "report": report})


# --- documents -------------------------------------------------------------------------------


@workspace_view("read")
def document_download(request: HttpRequest, code) -> HttpResponse:
    document = get_object_for_user(request, Document, code)
    if not document.file:
        raise Http404("No file")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("File missing") from error
    return FileResponse(handle, as_attachment=True, filename=document.filename)


@workspace_view("read")
def document_split(request: HttpRequest, code) -> HttpResponse:
    """The review of a bundle's split: see, correct, save into reports."""
    document = get_object_for_user(request, Document, code)
    if not document.text.strip():
        messages.error(request, _("Ce document n'a pas de texte à découper."))
        return redirect("council:ingest", request.workspace.slug)
    if request.method == "POST":
        require(request, "write")
        draft = splits.split_draft_for(document)
        action = request.POST.get("operation", "")
        try:
            if action == "save":
                reports = splits.split_draft_save(draft=draft)
                messages.success(request, _("%(count)d rapports enregistrés.") % {
                    "count": len(reports)})
                if document.sitting_id:
                    return redirect("council:sitting-detail", request.workspace.slug,
                                    document.sitting.code)
            elif action == "reset":
                splits.split_draft_reset(draft=draft)
            else:
                splits.split_draft_edit(
                    draft=draft, operation=action, index=request.POST.get("index"),
                    offset=request.POST.get("offset"), title=request.POST.get("title", ""),
                    number=request.POST.get("number"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        open_index = request.POST.get("index") or request.POST.get("open", "")
        url = request.path + (f"?ouvert={open_index}" if open_index else "")
        return redirect(url)
    draft = splits.split_draft_for(document)
    return render(request, "council/document_split.html", {
        "document": document, "draft": draft,
        **split_context(draft, request.GET.get("ouvert", "")),
        "can_write": request.membership.can("write")})


def split_context(draft, opened: str) -> dict:
    split = splits.split_of(draft)
    parts = []
    for index, part in enumerate(split.reports):
        first, last = split.pages_of(index)
        parts.append({"index": index, "number": part.number or "", "title": part.title,
                      "heading": part.heading, "method": part.method, "first": first,
                      "last": last, "length": part.end - part.start})
    opened_index = int(opened) if opened.isdigit() and int(opened) < len(parts) else None
    lines = []
    if opened_index is not None:
        part = split.reports[opened_index]
        position = part.start
        for line in split.text[part.start:part.end].splitlines(keepends=True):
            if line.strip():
                lines.append({"offset": position, "text": line.strip()[:160],
                              "page_break": "\f" in line})
            position += len(line)
    return {"parts": parts, "opened": opened_index, "lines": lines[:400],
            "preamble": split.preamble[:600]}


# --- ingestion -------------------------------------------------------------------------------


@workspace_view("read")
def ingest(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None, workspace=request.workspace)
    if request.method == "POST":
        require(request, "write")
        if form.is_valid():
            files = [(f.name, f.read()) for f in form.cleaned_data["files"]]
            try:
                batch = ingestion.ingestion_batch_create(
                    workspace=request.workspace, files=files,
                    sitting=form.cleaned_data["sitting"], role=form.cleaned_data["role"],
                    by=request.user)
            except ValueError as error:
                form.add_error("files", str(error))
            else:
                ingestion.ingestion_batch_start(batch)
                return redirect("council:batch-detail", request.workspace.slug, batch.code)
    initial_sitting = request.GET.get("seance", "")
    if request.method == "GET" and initial_sitting and _is_uuid(initial_sitting):
        form.initial["sitting"] = Sitting.objects.filter(
            workspace=request.workspace, code=initial_sitting).first()
    return render(request, "council/ingest.html", {
        "form": form,
        "batches": IngestionBatch.objects.filter(workspace=request.workspace)
        .select_related("sitting", "created_by")[:10],
        "can_write": request.membership.can("write")})


@workspace_view("read")
def batch_detail(request: HttpRequest, code) -> HttpResponse:
    batch = get_object_for_user(
        request, IngestionBatch.objects.select_related("sitting", "created_by"), code)
    template = "council/batch_detail.html"
    if request.headers.get("HX-Request"):
        template += "#progress"
    return render(request, template, {
        "batch": batch,
        "items": batch.items.select_related("document"),
        "running": batch.status != IngestionBatch.Status.DONE,
        "can_write": request.membership.can("write")})


@require_POST
@workspace_view("write")
def batch_resume(request: HttpRequest, code) -> HttpResponse:
    batch = get_object_for_user(request, IngestionBatch, code)
    if ingestion.ingestion_batch_resume(batch):
        messages.success(request, _("Import relancé pour les fichiers restants."))
    else:
        messages.info(request, _("Aucun fichier en attente dans cet import."))
    return redirect("council:batch-detail", request.workspace.slug, batch.code)


@workspace_view("write")
def scdl_import(request: HttpRequest) -> HttpResponse:
    form = ScdlImportForm(request.POST or None, request.FILES or None,
                          workspace=request.workspace)
    result = None
    if request.method == "POST" and form.is_valid():
        result = scdl.scdl_import(sitting=form.cleaned_data["sitting"],
                                  data=form.cleaned_data["file"].read())
        if result.created or result.updated:
            messages.success(request, _("%(created)d rapports créés, %(updated)d mis à jour.")
                             % {"created": result.created, "updated": result.updated})
    return render(request, "council/scdl_import.html", {"form": form, "result": result})
