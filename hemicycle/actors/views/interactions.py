"""Interactions: log one (from an actor's page or on its own), edit it, close a follow-up."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hemicycle.accounts.access import get_object_for_user, workspace_view
from hemicycle.actors import services
from hemicycle.actors.forms import InteractionForm
from hemicycle.actors.models import Actor, Interaction


def _save(request: HttpRequest, form: InteractionForm, interaction: Interaction | None):
    data = dict(form.cleaned_data)
    actors, elected, staff = data.pop("actors"), data.pop("elected"), data.pop("staff")
    if interaction is None:
        return services.interaction_create(workspace=request.workspace, actors=actors,
                                           elected=elected, staff=staff, by=request.user,
                                           **data)
    return services.interaction_update(interaction=interaction, actors=actors,
                                       elected=elected, staff=staff, **data)


def _form_page(request: HttpRequest, interaction: Interaction | None, initial: dict,
               preset: list[Actor]) -> HttpResponse:
    form = InteractionForm(request.POST or None, instance=interaction,
                           workspace=request.workspace, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            interaction = _save(request, form, interaction)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Échange enregistré."))
            first = interaction.actors.first()
            if request.POST.get("next") == "actor" and first:
                return redirect("actors:actor-detail", request.workspace.slug, first.code)
            return redirect("actors:interaction-list", request.workspace.slug)
    if request.method == "POST":
        codes = request.POST.getlist("actors")
        preset = list(Actor.objects.filter(workspace=request.workspace, code__in=[
            c for c in codes if len(c) == 36]))
    return render(request, "actors/interaction_form.html", {
        "form": form, "interaction": interaction, "preset": preset})


@workspace_view("read")
def interaction_list(request: HttpRequest) -> HttpResponse:
    interactions = Interaction.objects.filter(workspace=request.workspace).prefetch_related(
        "actors", "elected")
    show = request.GET.get("relances")
    if show == "1":
        interactions = interactions.filter(follow_up_done=False).exclude(
            follow_up_on=None).order_by("follow_up_on")
    page = Paginator(interactions, 50).get_page(request.GET.get("page"))
    return render(request, "actors/interaction_list.html", {
        "page": page, "follow_ups": show == "1", "today": timezone.localdate(),
        "can_write": request.membership.can("write")})


@workspace_view("write")
def interaction_create(request: HttpRequest) -> HttpResponse:
    preset = []
    code = request.GET.get("acteur", "")
    if code:
        preset = [a for a in [Actor.objects.filter(
            workspace=request.workspace, code=code).first()] if a] if len(code) == 36 else []
    kind = request.GET.get("type", "meeting")
    return _form_page(request, None, {"date": timezone.localdate(), "kind": kind,
                                      "staff": [request.user]}, preset)


@workspace_view("write")
def interaction_edit(request: HttpRequest, code) -> HttpResponse:
    """GET/POST: the form. POST with ``action=done``: the follow-up is done."""
    interaction = get_object_for_user(request, Interaction, code)
    if request.method == "POST" and request.POST.get("action") == "done":
        services.interaction_follow_up_done(interaction=interaction)
        messages.success(request, _("Relance marquée comme faite."))
        return redirect(request.POST.get("back") == "dashboard" and "core:dashboard"
                        or "actors:interaction-list", request.workspace.slug)
    if request.method == "POST" and request.POST.get("action") == "delete":
        services.interaction_delete(interaction=interaction)
        messages.success(request, _("Échange supprimé."))
        return redirect("actors:interaction-list", request.workspace.slug)
    return _form_page(request, interaction, {}, list(interaction.actors.all()))
