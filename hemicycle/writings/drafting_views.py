"""The optional drafting help: see the prompt and the source text, send them, wait for
the proposal (polled), insert it into the note or the writing (nothing is overwritten)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from hemicycle.accounts.access import can_write, get_object_for_user, workspace_view
from hemicycle.writings import drafting, queries
from hemicycle.writings.models import DraftProposal
from hemicycle.writings.views import get_report_for_user
from hemicycle.writings.writing_views import get_writing_for_user


def _require_enabled() -> None:
    if not drafting.drafting_enabled():
        raise Http404("The drafting help is off")


@require_http_methods(["GET", "POST"])
@workspace_view("write_own")
def note_draft(request: HttpRequest, code) -> HttpResponse:
    _require_enabled()
    report = get_report_for_user(request, code)
    note = queries.note_of(report)
    if note is not None and not can_write(request, note):
        raise PermissionDenied
    messages = drafting.note_draft_messages(report, note)
    if request.method == "POST":
        proposal = drafting.draft_request(by=request.user, messages=messages, report=report)
        return redirect("writings:draft-detail", request.workspace.slug, proposal.code)
    return render(request, "writings/draft_prompt.html", {
        "messages_sent": messages, "target": report, "endpoint": _endpoint_label(),
        "back": reverse("writings:note-edit", args=[request.workspace.slug, report.code])})


@require_http_methods(["GET", "POST"])
@workspace_view("write_own")
def writing_draft(request: HttpRequest, code) -> HttpResponse:
    _require_enabled()
    writing = get_writing_for_user(request, code, write=True)
    if writing.is_filed:
        raise PermissionDenied
    messages = drafting.writing_draft_messages(writing)
    if request.method == "POST":
        proposal = drafting.draft_request(by=request.user, messages=messages, writing=writing)
        return redirect("writings:draft-detail", request.workspace.slug, proposal.code)
    return render(request, "writings/draft_prompt.html", {
        "messages_sent": messages, "target": writing, "endpoint": _endpoint_label(),
        "back": reverse("writings:writing-detail", args=[request.workspace.slug, writing.code])})


def _endpoint_label() -> str:
    from django.conf import settings

    return f"{settings.HEMICYCLE_LLM_URL}/chat/completions ({settings.HEMICYCLE_LLM_MODEL})"


@workspace_view("write_own")
def draft_detail(request: HttpRequest, code) -> HttpResponse:
    proposal = get_object_for_user(request, DraftProposal.objects.select_related(
        "writing", "report"), code)
    if proposal.writing_id:
        insert = reverse("writings:writing-edit", args=[request.workspace.slug,
                                                        proposal.writing.code])
    else:
        insert = reverse("writings:note-edit", args=[request.workspace.slug,
                                                     proposal.report.code])
    template = "writings/draft_detail.html"
    if request.htmx:
        template += "#proposal"
    return render(request, template, {
        "proposal": proposal, "insert_url": f"{insert}?brouillon={proposal.code}",
        "back_url": insert,
        "target": proposal.writing or proposal.report})
