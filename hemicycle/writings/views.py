"""The group's work on a report (note, position, individual votes) and a sitting's
vote sheet. Writings are in writing_views.py, the recap in recap_views.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemicycle.accounts.access import can_write, get_object_for_user, workspace_view
from hemicycle.council.models import Report, Sitting
from hemicycle.writings import documents, markup, queries, services
from hemicycle.writings.drafting import draft_proposal_text, drafting_enabled
from hemicycle.writings.exports import export_response
from hemicycle.writings.forms import (
    DecideForm,
    DissentForm,
    NoteForm,
    ProposeForm,
    SpeakersForm,
)
from hemicycle.writings.models import Dissent, Note, Recap
from hemicycle.writings.panels import report_panel

# --- object helpers ---------------------------------------------------------------------


def get_report_for_user(request: HttpRequest, code) -> Report:
    return get_object_for_user(request, Report.objects.select_related("sitting__body"), code)


def get_sitting_for_user(request: HttpRequest, code) -> Sitting:
    return get_object_for_user(request, Sitting.objects.select_related("body"), code)


def _back(request: HttpRequest, default: str) -> HttpResponse:
    """Back to the page the form was on (a council page embedding the panel), or default."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect(default)


def _report_url(request: HttpRequest, report: Report) -> str:
    return reverse("writings:report-work", args=[request.workspace.slug, report.code])


# --- a report: note, position, writings -----------------------------------------------------


@workspace_view("read")
def report_work(request: HttpRequest, code) -> HttpResponse:
    report = get_report_for_user(request, code)
    panel = report_panel(request, report)
    position = panel["position"]
    return render(request, "writings/report_work.html", {
        "report": report,
        "panel": panel,
        "similar": queries.similar_reports(report),
        "propose_form": ProposeForm(initial=_position_initial(report)),
        "decide_form": DecideForm(initial=_position_initial(report)),
        "dissent_form": DissentForm(workspace=request.workspace),
        "speakers_form": SpeakersForm(workspace=request.workspace, initial={
            "speakers": list(position.speakers.all()) if position else []}),
    })


def _position_initial(report: Report) -> dict:
    position = queries.position_of(report)
    if position is None:
        return {}
    return {"proposed_vote": position.proposed_vote, "rationale": position.rationale,
            "vote": position.vote, "explanation": position.explanation}


@workspace_view("write_own")
def note_edit(request: HttpRequest, code) -> HttpResponse:
    report = get_report_for_user(request, code)
    note = queries.note_of(report)
    if note is not None and not can_write(request, note):
        raise PermissionDenied
    initial = ({"body": note.body, "status": note.status} if note
               else {"body": services.note_prefill(report), "status": Note.Status.DRAFT})
    proposal = draft_proposal_text(workspace=request.workspace, report=report,
                                   code=request.GET.get("brouillon"))
    if proposal:  # a drafting-help proposal, appended, saved only if the user saves
        initial["body"] = initial["body"].rstrip() + "\n\n" + proposal
    form = NoteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.note_save(report=report, by=request.user, **form.cleaned_data)
        messages.success(request, _("Note enregistrée."))
        return redirect(_report_url(request, report))
    return render(request, "writings/note_form.html", {
        "report": report, "note": note, "form": form, "inserted": bool(proposal),
        "drafting": drafting_enabled(),
        "preview": markup.to_html(form["body"].value() or "")})


@workspace_view("read")
def note_export(request: HttpRequest, code, fmt: str) -> HttpResponse:
    note = get_object_for_user(request, Note.objects.select_related(
        "report__sitting__body", "author"), code)
    return export_response(documents.note_document(note), fmt)


@require_POST
@workspace_view("write")
def position_propose(request: HttpRequest, code) -> HttpResponse:
    report = get_report_for_user(request, code)
    form = ProposeForm(request.POST)
    if form.is_valid():
        services.position_propose(report=report, by=request.user, **form.cleaned_data)
        messages.success(request, _("Vote proposé enregistré."))
    else:
        messages.error(request, _("Vote proposé invalide."))
    return _back(request, _report_url(request, report))


@require_POST
@workspace_view("read")
def position_decide(request: HttpRequest, code) -> HttpResponse:
    report = get_report_for_user(request, code)
    if not services.position_can_decide(request.membership):
        raise PermissionDenied
    form = DecideForm(request.POST)
    if form.is_valid():
        services.position_decide(report=report, by=request.user, **form.cleaned_data)
        messages.success(request, _("Vote du groupe enregistré."))
    else:
        messages.error(request, _("Vote invalide."))
    return _back(request, _report_url(request, report))


def _require_decider_or_writer(request: HttpRequest) -> None:
    if not (request.membership.can("write") or services.position_can_decide(request.membership)):
        raise PermissionDenied


@require_POST
@workspace_view("read")
def dissent_add(request: HttpRequest, code) -> HttpResponse:
    report = get_report_for_user(request, code)
    _require_decider_or_writer(request)
    form = DissentForm(request.POST, workspace=request.workspace)
    if form.is_valid():
        services.dissent_set(report=report, **form.cleaned_data)
        messages.success(request, _("Vote individuel enregistré."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _back(request, _report_url(request, report))


@require_POST
@workspace_view("read")
def position_speakers(request: HttpRequest, code) -> HttpResponse:
    report = get_report_for_user(request, code)
    _require_decider_or_writer(request)
    form = SpeakersForm(request.POST, workspace=request.workspace)
    if form.is_valid():
        services.position_set_speakers(report=report, speakers=list(form.cleaned_data["speakers"]))
        messages.success(request, _("Orateur·rice·s enregistré·e·s."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _back(request, _report_url(request, report))


@require_POST
@workspace_view("read")
def dissent_remove(request: HttpRequest, code) -> HttpResponse:
    dissent = get_object_for_user(request, Dissent.objects.select_related("position__report"),
                                  code)
    _require_decider_or_writer(request)
    report = dissent.position.report
    services.dissent_remove(dissent=dissent)
    messages.success(request, _("Vote individuel retiré."))
    return _back(request, _report_url(request, report))


# --- a sitting's vote sheet --------------------------------------------------------------


@workspace_view("read")
def vote_sheet(request: HttpRequest, code) -> HttpResponse:
    sitting = get_sitting_for_user(request, code)
    return render(request, "writings/sitting_votes.html", {
        "sitting": sitting, "reports": queries.sitting_reports(sitting),
        "vote_choices": _vote_choices(),
        "can_propose": request.membership.can("write"),
        "can_decide": services.position_can_decide(request.membership),
        "recap": Recap.objects.filter(sitting=sitting).first(),
    })


def _vote_choices() -> list[tuple[str, str]]:
    from hemicycle.writings.forms import VOTE_CHOICES

    return [(value, str(label)) for value, label in VOTE_CHOICES]


@require_POST
@workspace_view("read")
def vote_sheet_row(request: HttpRequest, code) -> HttpResponse:
    """One row of the vote sheet (htmx): the proposed and/or decided vote of a report."""
    report = get_report_for_user(request, code)
    can_propose = request.membership.can("write")
    can_decide = services.position_can_decide(request.membership)
    if "proposed_vote" in request.POST:
        if not can_propose:
            raise PermissionDenied
        form = ProposeForm(request.POST)
        position = queries.position_of(report)
        if form.is_valid():
            services.position_propose(
                report=report, by=request.user, proposed_vote=form.cleaned_data["proposed_vote"],
                rationale=position.rationale if position else "")
    if "vote" in request.POST:
        if not can_decide:
            raise PermissionDenied
        form = DecideForm(request.POST)
        position = queries.position_of(report)
        if form.is_valid():
            services.position_decide(
                report=report, by=request.user, vote=form.cleaned_data["vote"],
                explanation=position.explanation if position else "")
    if not request.htmx:
        if report.sitting_id is None:
            return redirect(_report_url(request, report))
        return redirect("writings:vote-sheet", request.workspace.slug, report.sitting.code)
    row = next(r for r in queries.sitting_reports(report.sitting) if r.pk == report.pk) \
        if report.sitting_id else report
    return render(request, "writings/sitting_votes.html#row", {
        "report": row, "vote_choices": _vote_choices(),
        "can_propose": can_propose, "can_decide": can_decide})


@workspace_view("read")
def vote_sheet_export(request: HttpRequest, code, fmt: str) -> HttpResponse:
    sitting = get_sitting_for_user(request, code)
    return export_response(documents.vote_sheet_document(sitting), fmt)
