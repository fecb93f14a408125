"""Press releases and press conferences (staff pages)."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemicycle.accounts.access import get_object_for_user, workspace_view
from hemicycle.core.sharing import sharing_available
from hemicycle.newsletters import press
from hemicycle.newsletters.forms import PressConferenceForm, PressReleaseForm
from hemicycle.newsletters.models import Campaign, PressConference, PressRelease


@workspace_view("read")
def press_index(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    return render(request, "newsletters/press_index.html", {
        "releases": PressRelease.objects.filter(workspace=workspace),
        "conferences": PressConference.objects.filter(workspace=workspace),
        "mailings": Campaign.objects.filter(workspace=workspace).exclude(
            kind=Campaign.Kind.NEWSLETTER)[:20],
        "has_press_list": bool(press.press_audience(workspace)),
        "can_write": request.membership.can("write"),
    })


@workspace_view("write")
def release_create(request: HttpRequest) -> HttpResponse:
    form = PressReleaseForm(request.POST or None, initial=_initial_from_writing(request))
    if request.method == "POST" and form.is_valid():
        release = press.press_release_create(workspace=request.workspace, by=request.user,
                                             **form.cleaned_data)
        messages.success(request, _("Communiqué enregistré."))
        return redirect("newsletters:release-detail", request.workspace.slug, release.code)
    return render(request, "newsletters/press_release_form.html", {"form": form, "release": None})


def _initial_from_writing(request: HttpRequest) -> dict:
    """?ecrit=<code>: a press release drafted among the group's writings, to send."""
    try:
        code = uuid.UUID(request.GET.get("ecrit", ""))
    except ValueError:
        return {}
    from hemicycle.writings.models import Writing

    try:
        writing = get_object_for_user(
            request, Writing.objects.filter(kind=Writing.Kind.PRESS_RELEASE), code)
    except Http404:
        return {}
    return {"title": writing.title[:200], "body": writing.body}


@workspace_view("read")
def release_detail(request: HttpRequest, code) -> HttpResponse:
    release = get_object_for_user(request, PressRelease, code)
    return render(request, "newsletters/press_release_detail.html", {
        "release": release, "mailings": release.campaigns.all(),
        "sharing": sharing_available(), "can_write": request.membership.can("write"),
    })


@workspace_view("write")
def release_edit(request: HttpRequest, code) -> HttpResponse:
    release = get_object_for_user(request, PressRelease, code)
    form = PressReleaseForm(request.POST or None, instance=release)
    if request.method == "POST" and form.is_valid():
        press.press_release_update(release=release, **form.cleaned_data)
        messages.success(request, _("Communiqué enregistré."))
        return redirect("newsletters:release-detail", request.workspace.slug, release.code)
    return render(request, "newsletters/press_release_form.html",
                  {"form": form, "release": release})


@workspace_view("read")
def release_pdf(request: HttpRequest, code) -> HttpResponse:
    release = get_object_for_user(request, PressRelease, code)
    response = HttpResponse(press.press_release_pdf(release), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{press.press_release_pdf_name(release)}"'
    return response


@require_POST
@workspace_view("write")
def release_mailing(request: HttpRequest, code) -> HttpResponse:
    release = get_object_for_user(request, PressRelease, code)
    campaign = press.press_release_mailing(release=release, by=request.user)
    messages.success(request, _("Envoi préparé : vérifiez les destinataires, faites un essai, "
                                "puis envoyez."))
    return redirect("newsletters:campaign-detail", request.workspace.slug, campaign.code)


@require_POST
@workspace_view("write")
def release_publish(request: HttpRequest, code) -> HttpResponse:
    release = get_object_for_user(request, PressRelease, code)
    try:
        url = press.press_release_publish(release=release, by=request.user)
    except (ValidationError, LookupError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("newsletters:release-detail", request.workspace.slug, release.code)
    messages.success(request, _("Brouillon créé dans le calendrier éditorial."))
    return redirect(url)


@workspace_view("write")
def conference_create(request: HttpRequest) -> HttpResponse:
    form = PressConferenceForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        conference = press.press_conference_save(workspace=request.workspace,
                                                 **form.cleaned_data)
        messages.success(request, _("Conférence de presse enregistrée."))
        return redirect("newsletters:conference-detail", request.workspace.slug,
                        conference.code)
    return render(request, "newsletters/press_conference_form.html",
                  {"form": form, "conference": None})


@workspace_view("read")
def conference_detail(request: HttpRequest, code) -> HttpResponse:
    conference = get_object_for_user(
        request, PressConference.objects.select_related("invitation", "press_release"), code)
    invited = []
    if conference.invitation_id:
        invited = conference.invitation.deliveries.order_by("email")
    return render(request, "newsletters/press_conference_detail.html", {
        "conference": conference, "invited": invited,
        "can_write": request.membership.can("write"),
    })


@workspace_view("write")
def conference_edit(request: HttpRequest, code) -> HttpResponse:
    conference = get_object_for_user(request, PressConference, code)
    form = PressConferenceForm(request.POST or None, instance=conference,
                               workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        press.press_conference_save(workspace=request.workspace, conference=conference,
                                    **form.cleaned_data)
        messages.success(request, _("Conférence de presse enregistrée."))
        return redirect("newsletters:conference-detail", request.workspace.slug,
                        conference.code)
    return render(request, "newsletters/press_conference_form.html",
                  {"form": form, "conference": conference})


@require_POST
@workspace_view("write")
def conference_invite(request: HttpRequest, code) -> HttpResponse:
    conference = get_object_for_user(request, PressConference, code)
    campaign = press.press_conference_invitation(conference=conference, by=request.user)
    messages.success(request, _("Invitation préparée : vérifiez-la, puis envoyez-la."))
    return redirect("newsletters:campaign-detail", request.workspace.slug, campaign.code)
