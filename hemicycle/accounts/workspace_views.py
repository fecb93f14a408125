"""The workspace's own pages for its admins: members, invitations, settings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemicycle.accounts import services
from hemicycle.accounts.access import get_object_for_user, workspace_view
from hemicycle.accounts.forms import InvitationForm, MembershipForm, WorkspaceSettingsForm
from hemicycle.accounts.models import Invitation, Membership
from hemicycle.accounts.roles import ROLE_HELP


@workspace_view("read")
def member_list(request: HttpRequest) -> HttpResponse:
    memberships = Membership.objects.filter(workspace=request.workspace).select_related("user")
    context = {
        "memberships": memberships,
        "invitations": services.pending_invitations(request.workspace),
        "form": InvitationForm(),
        "role_help": ROLE_HELP,
    }
    return render(request, "accounts/member_list.html", context)


@require_POST
@workspace_view("manage")
def invitation_create(request: HttpRequest) -> HttpResponse:
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                workspace=request.workspace, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, _("Invitation envoyée à %(email)s.") % {
                "email": invitation.email})
            return redirect("accounts:member-list", request.workspace.slug)
    memberships = Membership.objects.filter(workspace=request.workspace).select_related("user")
    return render(request, "accounts/member_list.html", {
        "memberships": memberships, "form": form, "role_help": ROLE_HELP,
        "invitations": services.pending_invitations(request.workspace),
    })


@require_POST
@workspace_view("manage")
def invitation_resend(request: HttpRequest, code) -> HttpResponse:
    invitation = get_object_for_user(request, Invitation, code)
    if invitation.is_pending:
        services.invitation_resend(invitation=invitation)
        messages.success(request, _("Invitation renvoyée à %(email)s.") % {
            "email": invitation.email})
    return redirect("accounts:member-list", request.workspace.slug)


@require_POST
@workspace_view("manage")
def invitation_revoke(request: HttpRequest, code) -> HttpResponse:
    invitation = get_object_for_user(request, Invitation, code)
    services.invitation_revoke(invitation=invitation)
    messages.success(request, _("Invitation annulée."))
    return redirect("accounts:member-list", request.workspace.slug)


@workspace_view("manage")
def membership_edit(request: HttpRequest, code) -> HttpResponse:
    membership = get_object_for_user(request, Membership.objects.select_related("user"), code)
    form = MembershipForm(request.POST or None, instance=membership)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                services.membership_remove(membership=membership)
                messages.success(request, _("%(user)s ne fait plus partie de l'espace.") % {
                    "user": membership.user})
                return redirect("accounts:member-list", request.workspace.slug)
            if form.is_valid():
                services.membership_change_role(
                    membership=Membership.objects.get(pk=membership.pk),
                    role=form.cleaned_data["role"], title=form.cleaned_data["title"],
                )
                messages.success(request, _("Rôle enregistré."))
                return redirect("accounts:member-list", request.workspace.slug)
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "accounts/membership_edit.html", {
        "membership": membership, "form": form, "role_help": ROLE_HELP,
    })


@workspace_view("manage")
def workspace_settings(request: HttpRequest) -> HttpResponse:
    form = WorkspaceSettingsForm(
        request.POST or None, request.FILES or None, instance=request.workspace
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Paramètres enregistrés."))
        return redirect("accounts:workspace-settings", request.workspace.slug)
    return render(request, "accounts/workspace_settings.html", {"form": form})


@workspace_view("read")
def workspace_logo(request: HttpRequest) -> HttpResponse:
    if not request.workspace.logo:
        raise Http404("No logo")
    return FileResponse(request.workspace.logo.open("rb"))
