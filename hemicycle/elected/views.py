"""The assembly's members: list, page, forms, import from the RNE."""

import base64
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from hemicycle.accounts.access import get_object_for_user, workspace_view
from hemicycle.elected import services
from hemicycle.elected.forms import ElectedMemberForm, ElectedNotesForm, RneImportForm
from hemicycle.elected.models import ElectedMember
from hemicycle.elected.queries import (
    assembly_map,
    divisions_of,
    elected_member_filter,
    elected_members_of,
)


def can_edit_notes(request: HttpRequest, member: ElectedMember) -> bool:
    """Writers edit every record; an élu·e edits the notes of the record linked to them."""
    membership = request.membership
    return membership.can("write") or (
        membership.can("write_own") and member.user_id is not None
        and member.user_id == request.user.id
    )


def get_elected_member_for_user(request: HttpRequest, code, write: bool = False) -> ElectedMember:
    """The member with this code in the current workspace (404 otherwise); with
    ``write=True``, 403 unless the current user may edit it (see can_edit_notes)."""
    queryset = ElectedMember.objects.select_related("canton", "section", "user")
    member = get_object_for_user(request, queryset, code)
    if write and not can_edit_notes(request, member):
        raise PermissionDenied
    return member


@workspace_view("read")
def member_list(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    filters = {key: request.GET.get(key, "").strip()
               for key in ("groupe", "statut", "circonscription", "q")}
    all_members = elected_members_of(workspace)
    members = elected_member_filter(
        all_members, group=filters["groupe"], status=filters["statut"],
        division=filters["circonscription"], search=filters["q"],
    )
    list_url = reverse("elected:member-list", args=[workspace.slug])
    svg = assembly_map(
        workspace, title=_("Carte des élu·e·s du groupe"),
        href=lambda division: f"{list_url}?{urlencode({'circonscription': division.code})}",
    )
    return render(request, "elected/member_list.html", {
        "members": members,
        "filters": filters,
        "divisions": divisions_of(workspace.assembly).only("code", "name"),
        "counts": {
            "shown": members.count(),
            "current": all_members.filter(mandate_end=None).count(),
            "group": all_members.filter(mandate_end=None, in_group=True).count(),
        },
        "map": svg,
        "can_write": request.membership.can("write"),
    })


@workspace_view("read")
def member_detail(request: HttpRequest, code) -> HttpResponse:
    member = get_elected_member_for_user(request, code)
    return render(request, "elected/member_detail.html", {
        "member": member,
        "can_edit": can_edit_notes(request, member),
        "notes_only": not request.membership.can("write"),
    })


@workspace_view("write")
def member_create(request: HttpRequest) -> HttpResponse:
    form = ElectedMemberForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.elected_member_create(
                workspace=request.workspace, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(member)s ajouté·e.") % {"member": member})
            return redirect("elected:member-detail", request.workspace.slug, member.code)
    return render(request, "elected/member_form.html", {"form": form, "member": None})


@workspace_view("read")
def member_edit(request: HttpRequest, code) -> HttpResponse:
    member = get_elected_member_for_user(request, code, write=True)
    # The form switch: writers get the whole record, an élu·e the notes of their own.
    notes_only = not request.membership.can("write")
    form_class = ElectedNotesForm if notes_only else ElectedMemberForm
    form = form_class(request.POST or None, instance=member, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        try:
            services.elected_member_update(member=member, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Fiche enregistrée."))
            return redirect("elected:member-detail", request.workspace.slug, member.code)
    return render(request, "elected/member_form.html", {
        "form": form, "member": member, "notes_only": notes_only})


@workspace_view("write")
def member_import(request: HttpRequest) -> HttpResponse:
    """Upload an RNE file, simulate or import, and show the report on the same page.

    After a simulation the page carries the file back (base64) for "import this file".
    """
    form = RneImportForm(request.POST or None, request.FILES or None)
    report, content = None, ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["data"]
        report = services.elected_import_rne(
            workspace=request.workspace, file=io.BytesIO(data), by=request.user,
            dry_run=request.POST.get("action") != "import",
        )
        if report.ok and report.dry_run:
            content = base64.b64encode(data).decode()
        if report.ok and not report.dry_run:
            form = RneImportForm()  # done: an empty form for the next file
    return render(request, "elected/member_import.html", {
        "form": form, "report": report, "content": content})
