"""The group's writings: list, create, edit, workflow, versions, exports."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemicycle.accounts.access import can_write, get_object_for_user, workspace_view
from hemicycle.core.sharing import sharing_available
from hemicycle.council.models import Report, Sitting
from hemicycle.council.services.deadlines import writing_deadline
from hemicycle.writings import documents, excerpts, markup, queries, services, textdiff
from hemicycle.writings.drafting import draft_proposal_text, drafting_enabled
from hemicycle.writings.exports import export_response
from hemicycle.writings.forms import (
    ExcerptForm,
    MinutesItemFormSet,
    OutcomeForm,
    StatusForm,
    WritingForm,
    minutes_items,
)
from hemicycle.writings.models import Writing, WritingVersion


def get_writing_for_user(request: HttpRequest, code, write: bool = False) -> Writing:
    queryset = Writing.objects.select_related("speaker", "report__sitting__body",
                                              "sitting__body", "author", "filed_by")
    return get_object_for_user(request, queryset, code, write=write)


# --- index ------------------------------------------------------------------------------


@workspace_view("read")
def writing_index(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "") for key in ("type", "statut")}
    writings = Writing.objects.filter(workspace=request.workspace).select_related(
        "speaker", "report", "author")
    if filters["type"] in Writing.Kind.values:
        writings = writings.filter(kind=filters["type"])
    if filters["statut"] in Writing.Status.values:
        writings = writings.filter(status=filters["statut"])
    return render(request, "writings/writing_index.html", {
        "writings": writings[:200], "filters": filters,
        "kinds": Writing.Kind.choices, "statuses": Writing.Status.choices,
        "sittings": queries.recent_sittings(request.workspace),
        "can_create": request.membership.can("write_own"),
        "can_manage": request.membership.can("manage"),
    })


# --- writings -----------------------------------------------------------------------------


def _writing_initial(request: HttpRequest) -> dict:
    """?type=speech&rapport=<code>&seance=<code>: a writing started from a report's page."""
    initial = {}
    if request.GET.get("type") in Writing.Kind.values:
        initial["kind"] = request.GET["type"]
    for param, model, name in (("rapport", Report, "report"), ("seance", Sitting, "sitting")):
        value = request.GET.get(param)
        if value:
            found = model.objects.filter(workspace=request.workspace, code=_uuid(value)).first() \
                if _uuid(value) else None
            if found:
                initial[name] = found
    if initial.get("kind") == Writing.Kind.AMENDMENT and initial.get("report"):
        initial["title"] = _("Amendement au rapport %(number)s") % {
            "number": initial["report"].number or initial["report"].title[:60]}
    return initial


def _uuid(value: str):
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _items_formset(request: HttpRequest, writing: Writing | None) -> MinutesItemFormSet:
    initial = [{"report": i.report, "title": i.title, "discussion": i.discussion,
                "decision": i.decision} for i in writing.items.select_related("report")] \
        if writing else []
    return MinutesItemFormSet(request.POST or None, initial=initial, prefix="items",
                              form_kwargs={"workspace": request.workspace})


def _valid(form: WritingForm, items) -> bool:
    """The writing's form, and the agenda rows when it is minutes."""
    valid = form.is_valid()
    if valid and form.cleaned_data["kind"] == Writing.Kind.MINUTES:
        valid = items.is_valid()
    return valid


def _fields(form: WritingForm, items) -> dict:
    fields = dict(form.cleaned_data)
    fields["items"] = minutes_items(items) if fields["kind"] == Writing.Kind.MINUTES else []
    return fields


@workspace_view("write_own")
def writing_create(request: HttpRequest) -> HttpResponse:
    form = WritingForm(request.POST or None, workspace=request.workspace,
                       initial=_writing_initial(request))
    items = _items_formset(request, None)
    if request.method == "POST" and _valid(form, items):
        try:
            writing = services.writing_create(workspace=request.workspace, by=request.user,
                                              **_fields(form, items))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Écrit créé."))
            return redirect("writings:writing-detail", request.workspace.slug, writing.code)
    return render(request, "writings/writing_form.html", {
        "form": form, "items": items, "writing": None})


@workspace_view("read")
def writing_detail(request: HttpRequest, code) -> HttpResponse:
    return _detail(request, get_writing_for_user(request, code))


def _can_share(request: HttpRequest, writing: Writing) -> bool:
    """A speech's excerpt can be shared as a social post (capability as for the recap)."""
    return (writing.kind == Writing.Kind.SPEECH and sharing_available()
            and request.membership.can("write"))


def _detail(request: HttpRequest, writing: Writing,
            share_form: ExcerptForm | None = None) -> HttpResponse:
    if share_form is None and _can_share(request, writing):
        share_form = ExcerptForm(initial={"excerpt": excerpts.speech_excerpt(writing.body)})
    return render(request, "writings/writing_detail.html", {
        "share_form": share_form,  # a speech's "Partager un extrait", when allowed
        "writing": writing,
        "body_html": markup.to_html(writing.body),
        "diff_html": textdiff.diff_html(writing.original_text, writing.proposed_text)
        if writing.kind == Writing.Kind.AMENDMENT else "",
        "versions": writing.versions.select_related("author"),
        "items": writing.items.select_related("report")
        if writing.kind == Writing.Kind.MINUTES else [],
        "can_edit": can_write(request, writing),
        "drafting": drafting_enabled(),
        "deadline": writing_deadline(writing),  # set per body by the assembly (council)
        "now": timezone.now(),
        "statuses": writing.next_statuses(),
        "outcomes": Writing.AmendmentStatus.choices,
        # A press release goes to the press from the newsletters module's press page.
        "can_send_to_press": request.membership.can("write"),
    })


@require_POST
@workspace_view("write")
def writing_share(request: HttpRequest, code) -> HttpResponse:
    """Share an excerpt of a speech: a draft social post, then its edit page."""
    writing = get_writing_for_user(request, code)
    if not _can_share(request, writing):
        raise Http404("Nothing to share here")
    form = ExcerptForm(request.POST)
    if form.is_valid():
        try:
            url = services.speech_share(writing=writing, by=request.user,
                                        excerpt=form.cleaned_data["excerpt"])
        except ValidationError as error:
            form.add_error("excerpt", error)
        else:
            messages.success(request, _("Brouillon de publication créé avec l’extrait."))
            return redirect(url)
    return _detail(request, writing, share_form=form)


@workspace_view("write_own")
def writing_edit(request: HttpRequest, code) -> HttpResponse:
    writing = get_writing_for_user(request, code, write=True)
    if writing.is_filed:
        messages.error(request, _("Un écrit déposé ne se modifie plus : c’est le texte "
                                  "officiellement transmis."))
        return redirect("writings:writing-detail", request.workspace.slug, writing.code)
    proposal = draft_proposal_text(workspace=request.workspace, writing=writing,
                                   code=request.GET.get("brouillon"))
    # a drafting-help proposal is appended to the text, saved only if the user saves
    initial = {"body": writing.body.rstrip() + "\n\n" + proposal} if proposal else {}
    form = WritingForm(request.POST or None, instance=writing, workspace=request.workspace,
                       initial=initial)
    items = _items_formset(request, writing)
    if request.method == "POST" and _valid(form, items):
        try:
            # a fresh row: validating the ModelForm already copied the data onto `writing`
            services.writing_update(writing=Writing.objects.get(pk=writing.pk), by=request.user,
                                    **_fields(form, items))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Écrit enregistré."))
            return redirect("writings:writing-detail", request.workspace.slug, writing.code)
    return render(request, "writings/writing_form.html", {
        "form": form, "items": items, "writing": writing, "inserted": bool(proposal)})


@require_POST
@workspace_view("write_own")
def writing_status(request: HttpRequest, code) -> HttpResponse:
    writing = get_writing_for_user(request, code, write=True)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Statut inconnu."))
    else:
        try:
            writing = services.writing_set_status(writing=writing, by=request.user,
                                                  status=form.cleaned_data["status"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Statut : %(status)s.") % {
                "status": writing.get_status_display()})
    return redirect("writings:writing-detail", request.workspace.slug, writing.code)


@require_POST
@workspace_view("write_own")
def writing_outcome(request: HttpRequest, code) -> HttpResponse:
    writing = get_writing_for_user(request, code, write=True)
    form = OutcomeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Sort inconnu."))
        services.writing_set_outcome(writing=writing, outcome=form.cleaned_data["outcome"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Sort de l’amendement enregistré."))
    return redirect("writings:writing-detail", request.workspace.slug, writing.code)


@workspace_view("read")
def version_detail(request: HttpRequest, code) -> HttpResponse:
    version = get_object_for_user(request, WritingVersion.objects.select_related(
        "writing", "author"), code)
    previous = version.writing.versions.filter(number__lt=version.number).order_by(
        "-number").first()
    before = previous or WritingVersion(title="", body="", paragraph="", original_text="",
                                        proposed_text="")
    return render(request, "writings/version_detail.html", {
        "version": version, "previous": previous, "writing": version.writing,
        "title_diff": textdiff.diff_html(before.title, version.title),
        "body_diff": textdiff.diff_html(before.body, version.body),
        "proposed_diff": textdiff.diff_html(before.proposed_text, version.proposed_text)
        if version.writing.kind == Writing.Kind.AMENDMENT else "",
        "paragraph_diff": textdiff.diff_html(before.paragraph, version.paragraph)
        if version.writing.kind == Writing.Kind.AMENDMENT else "",
    })


@workspace_view("read")
def writing_export(request: HttpRequest, code, fmt: str) -> HttpResponse:
    writing = get_writing_for_user(request, code)
    return export_response(documents.writing_document(writing), fmt)
