"""The directory: list with filters, actor pages and forms, exports, themes, segments."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemicycle.accounts.access import get_object_for_user, require, workspace_view
from hemicycle.accounts.models import User
from hemicycle.actors import exports, services
from hemicycle.actors.forms import (
    ActorForm,
    ConsentForm,
    InteractionForm,
    RelationEndForm,
    RelationForm,
    RenameForm,
    SegmentForm,
    ThemeForm,
)
from hemicycle.actors.models import Actor, Relation, Segment, Tag, Theme
from hemicycle.actors.queries import actor_filter, actor_page, clean_filters, themes_of
from hemicycle.territory.models import Canton


def get_actor_for_user(request: HttpRequest, code, write: bool = False) -> Actor:
    queryset = Actor.objects.select_related("commune", "follower", "merged_into")
    actor = get_object_for_user(request, queryset, code)
    if write and not request.membership.can("write"):
        raise PermissionDenied
    return actor


def filter_choices(workspace) -> dict:
    """What the filter form of the list and the map offers."""
    departement = workspace.assembly.departement_id
    cantons = Canton.objects.filter(departement_id=departement) if departement else \
        Canton.objects.none()
    return {
        "types": Actor.Type.choices, "kinds": Actor.Kind.choices,
        "themes": themes_of(workspace),
        "tags": Tag.objects.filter(workspace=workspace).order_by("name"),
        "cantons": cantons.only("code", "name"),
        "followers": User.objects.filter(memberships__workspace=workspace).order_by("full_name"),
        "consents": Actor.Consent.choices,
    }


@workspace_view("read")
def actor_list(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    filters = clean_filters(request.GET)
    page = actor_page(workspace, filters, request.GET.get("page"))
    return render(request, "actors/actor_list.html", {
        "page": page, "filters": filters, "query": urlencode(filters),
        "choices": filter_choices(workspace),
        "segments": Segment.objects.filter(workspace=workspace),
        "segment_form": SegmentForm(),
        "can_write": request.membership.can("write"),
        "today": timezone.localdate(),
    })


def _export_name(extension: str) -> str:
    return f"acteurs-{timezone.localdate():%Y-%m-%d}.{extension}"


@workspace_view("read")
def actor_export(request: HttpRequest, fmt: str) -> HttpResponse:
    actors = actor_filter(request.workspace, clean_filters(request.GET))
    if fmt == "xlsx":
        response = HttpResponse(
            exports.xlsx_bytes(actors),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    elif fmt == "vcf":
        response = StreamingHttpResponse(exports.vcards(actors), content_type="text/vcard")
    else:
        response = StreamingHttpResponse(exports.csv_lines(actors),
                                         content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_export_name(fmt)}"'
    return response


@workspace_view("read")
def actor_search(request: HttpRequest) -> HttpResponse:
    """Picker for forms (htmx): actors matching ``q``, as checkboxes named ``field``."""
    filters = {"q": request.GET.get("picker_q", "")[:100]}
    if request.GET.get("type") in Actor.Type.values:
        filters["type"] = request.GET["type"]
    actors = actor_filter(request.workspace, filters).order_by("name")[:15] \
        if filters["q"].strip() else []
    field = request.GET.get("field", "actors")
    return render(request, "actors/actor_search.html", {
        "actors": actors, "field": field if field in ("actors", "target") else "actors",
        "single": field == "target"})


@workspace_view("read")
def actor_detail(request: HttpRequest, code) -> HttpResponse:
    actor = get_actor_for_user(request, code)
    workspace = request.workspace
    if request.GET.get("fiche") == "1":  # the map's popup
        return render(request, "actors/actor_detail.html#card", {"actor": actor})
    relations = Relation.objects.filter(workspace=workspace).select_related("source", "target")
    return render(request, "actors/actor_detail.html", {
        "actor": actor,
        "timeline": actor.interactions.prefetch_related("elected", "staff", "actors"),
        "relations_out": relations.filter(source=actor),
        "relations_in": relations.filter(target=actor),
        "consents": actor.consents.all(),
        "merges": actor.__class__.objects.filter(merged_into=actor),
        "relation_form": RelationForm(workspace=workspace),
        "consent_form": ConsentForm(initial={"at": timezone.now().strftime("%Y-%m-%dT%H:%M")}),
        "interaction_form": InteractionForm(workspace=workspace, initial={
            "date": timezone.localdate(), "kind": "field_visit"}),
        "can_write": request.membership.can("write"),
        "today": timezone.localdate(),
    })


def _actor_form(request: HttpRequest, actor: Actor | None, actor_type: str) -> HttpResponse:
    workspace = request.workspace
    form = ActorForm(request.POST or None, instance=actor, workspace=workspace,
                     actor_type=actor_type)
    if request.method == "POST" and form.is_valid():
        try:
            if actor is None:
                actor = services.actor_create(workspace=workspace, data=form.service_data(),
                                              by=request.user)
            else:
                actor = services.actor_update(actor=actor, data=form.service_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Fiche enregistrée."))
            return redirect("actors:actor-detail", workspace.slug, actor.code)
    return render(request, "actors/actor_form.html", {
        "form": form, "actor": actor, "person": actor_type == Actor.Type.PERSON})


@workspace_view("write")
def actor_create(request: HttpRequest) -> HttpResponse:
    actor_type = Actor.Type.PERSON if request.GET.get("type") == "person" else \
        Actor.Type.ORGANISATION
    return _actor_form(request, None, actor_type)


@workspace_view("write")
def actor_edit(request: HttpRequest, code) -> HttpResponse:
    actor = get_actor_for_user(request, code, write=True)
    if actor.erased_at:
        messages.error(request, _("Cette personne a été anonymisée."))
        return redirect("actors:actor-detail", request.workspace.slug, actor.code)
    return _actor_form(request, actor, actor.type)


@require_POST
@workspace_view("write")
def relation_add(request: HttpRequest, code) -> HttpResponse:
    actor = get_actor_for_user(request, code, write=True)
    form = RelationForm(request.POST, workspace=request.workspace)
    if form.is_valid() and form.cleaned_data["target"]:
        data = form.cleaned_data
        try:
            services.relation_add(source=actor, target=data["target"], kind=data["kind"],
                                  title=data["title"], start_on=data["start_on"],
                                  end_on=data["end_on"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Relation ajoutée."))
    else:
        messages.error(request, _("Relation non ajoutée : choisissez une structure et un "
                                  "type de relation."))
    return redirect("actors:actor-detail", request.workspace.slug, actor.code)


def _relation_back(request: HttpRequest, relation: Relation) -> HttpResponse:
    """Back to the page the form was on: the organisation's or the person's."""
    actor = relation.target if request.POST.get("actor") == str(relation.target.code) \
        else relation.source
    return redirect("actors:actor-detail", request.workspace.slug, actor.code)


def _get_relation(request: HttpRequest, code) -> Relation:
    return get_object_for_user(request, Relation.objects.select_related("source", "target"),
                               code)


@require_POST
@workspace_view("write")
def relation_end(request: HttpRequest, code) -> HttpResponse:
    relation = _get_relation(request, code)
    form = RelationEndForm(request.POST)
    if form.is_valid():
        try:
            services.relation_end(relation=relation, end_on=form.cleaned_data["end_on"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Relation terminée le %(date)s.") % {
                "date": relation.end_on.strftime("%d/%m/%Y")})
    else:
        messages.error(request, _("Relation non terminée : indiquez une date de fin valide."))
    return _relation_back(request, relation)


@require_POST
@workspace_view("write")
def relation_delete(request: HttpRequest, code) -> HttpResponse:
    relation = _get_relation(request, code)
    services.relation_delete(relation=relation)
    messages.success(request, _("Relation supprimée."))
    return _relation_back(request, relation)


@workspace_view("read")
def theme_list(request: HttpRequest) -> HttpResponse:
    """GET: the hierarchy (everyone). POST: a new theme (writers)."""
    workspace = request.workspace
    form = ThemeForm(request.POST or None, workspace=workspace)
    if request.method == "POST":
        require(request, "write")
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_create(workspace=workspace, name=form.cleaned_data["name"],
                                  parent=form.cleaned_data["parent"])
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, _("Thème ajouté."))
            return redirect("actors:theme-list", workspace.slug)
    return render(request, "actors/theme_list.html", {
        "themes": themes_of(workspace), "form": form,
        "can_write": request.membership.can("write")})


@require_POST
@workspace_view("write")
def theme_rename(request: HttpRequest, code) -> HttpResponse:
    theme = get_object_for_user(request, Theme, code)
    form = RenameForm(request.POST)
    if form.is_valid():
        try:
            services.theme_rename(theme=theme, name=form.cleaned_data["name"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thème renommé."))
    else:
        messages.error(request, _("Donnez un nom au thème."))
    return redirect("actors:theme-list", request.workspace.slug)


@require_POST
@workspace_view("write")
def theme_delete(request: HttpRequest, code) -> HttpResponse:
    theme = get_object_for_user(request, Theme, code)
    try:
        services.theme_delete(theme=theme)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thème supprimé."))
    return redirect("actors:theme-list", request.workspace.slug)


@require_POST
@workspace_view("write")
def segment_rename(request: HttpRequest, code) -> HttpResponse:
    segment = get_object_for_user(request, Segment, code)
    form = RenameForm(request.POST)
    if form.is_valid():
        services.segment_rename(segment=segment, name=form.cleaned_data["name"])
        messages.success(request, _("Segment renommé."))
    else:
        messages.error(request, _("Donnez un nom au segment."))
    return redirect("actors:actor-list", request.workspace.slug)


@require_POST
@workspace_view("write")
def segment_create(request: HttpRequest) -> HttpResponse:
    form = SegmentForm(request.POST)
    filters = clean_filters(request.POST)
    if form.is_valid():
        segment = services.segment_save(workspace=request.workspace,
                                        name=form.cleaned_data["name"], filters=filters,
                                        by=request.user)
        messages.success(request, _("Segment « %(name)s » enregistré.") % {"name": segment})
    else:
        messages.error(request, _("Donnez un nom au segment."))
    return redirect(reverse("actors:actor-list", args=[request.workspace.slug])
                    + "?" + urlencode(filters))


@workspace_view("read")
def segment_open(request: HttpRequest, code) -> HttpResponse:
    """GET: the list filtered as saved. POST (writers): delete the segment."""
    segment = get_object_for_user(request, Segment, code)
    if request.method == "POST":
        if not request.membership.can("write"):
            raise PermissionDenied
        try:
            services.segment_delete(segment=segment)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Segment supprimé."))
        return redirect("actors:actor-list", request.workspace.slug)
    return redirect(reverse("actors:actor-list", args=[request.workspace.slug])
                    + "?" + urlencode(clean_filters(segment.filters)))
