"""Media watch: the inbox of clippings, a clipping's page, sources and alert rules."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemicycle.accounts.access import get_object_for_user, require, workspace_view
from hemicycle.mediawatch import services
from hemicycle.mediawatch.forms import (
    DigestSubscriptionForm,
    LinkForm,
    RuleForm,
    SourceForm,
    TagForm,
)
from hemicycle.mediawatch.models import (
    DEFAULT_DIGEST_TIME,
    DEFAULT_DIGEST_ZONE,
    Clipping,
    DigestSubscription,
    KeywordRule,
    Source,
    Topic,
)
from hemicycle.mediawatch.queries import FILTERS, clipping_filter, clippings_of, linked_target
from hemicycle.mediawatch.tasks import mediawatch_source_poll_task

PAGE_SIZE = 40


def _filters(request: HttpRequest) -> dict[str, str]:
    return {key: request.GET.get(key, "").strip()[:500] for key in FILTERS}


def get_clipping_for_user(request: HttpRequest, code, write: bool = False) -> Clipping:
    return get_object_for_user(request, clippings_of(request.workspace), code, write=write)


def _back_to_list(request: HttpRequest) -> HttpResponse:
    """After a plain POST from the inbox: back to it, with its filters."""
    query = request.POST.get("retour", "")
    url = reverse("mediawatch:clipping-list", args=[request.workspace.slug])
    return redirect(f"{url}?{query}" if query and "//" not in query else url)


# --- the inbox ----------------------------------------------------------------------


@workspace_view("read")
def clipping_list(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    filters = _filters(request)
    subscription = DigestSubscription.objects.filter(workspace=workspace,
                                                     user=request.user).first()
    clippings, error = clipping_filter(clippings_of(workspace), workspace, filters)
    page = Paginator(clippings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "mediawatch/clipping_list.html", {
        "page": page,
        "filters": filters,
        "error": error,
        "querystring": urlencode({k: v for k, v in filters.items() if v}),
        "topics": Topic.objects.filter(workspace=workspace),
        "sources": Source.objects.filter(workspace=workspace),
        "tones": Clipping.Tone.choices,
        "can_write": request.membership.can("write"),
        "subscription": subscription,
        "digest_form": DigestSubscriptionForm(initial={
            "send_at": subscription.send_at if subscription else DEFAULT_DIGEST_TIME,
            "time_zone": subscription.time_zone if subscription else DEFAULT_DIGEST_ZONE}),
        "linked_actor": filters.get("acteur") and linked_target(workspace, "actor",
                                                                 filters["acteur"]),
        "linked_report": filters.get("rapport") and linked_target(workspace, "report",
                                                                   filters["rapport"]),
    })


def _row(request: HttpRequest, clipping: Clipping, errors: str = "") -> HttpResponse:
    """The clipping's row of the inbox (htmx), or back to the inbox (plain POST)."""
    if not request.htmx:
        return _back_to_list(request)
    clipping = get_clipping_for_user(request, clipping.code)  # fresh counts and topics
    return render(request, "mediawatch/clipping_list.html#clipping_row", {
        "clipping": clipping, "can_write": True, "topics": Topic.objects.filter(
            workspace=request.workspace), "tones": Clipping.Tone.choices,
        "querystring": request.POST.get("retour", ""), "tag_errors": errors,
        "open_tags": bool(errors)})


@require_POST
@workspace_view("write")
def clipping_read(request: HttpRequest, code) -> HttpResponse:
    clipping = get_clipping_for_user(request, code, write=True)
    services.clipping_mark(clipping=clipping, read=request.POST.get("lu") != "0")
    if request.POST.get("depuis") == "fiche":
        return redirect("mediawatch:clipping-detail", request.workspace.slug, clipping.code)
    return _row(request, clipping)


@require_POST
@workspace_view("write")
def clipping_read_all(request: HttpRequest) -> HttpResponse:
    """Mark read every clipping the inbox shows with its current filters."""
    filters = {key: request.POST.get(key, "").strip()[:500] for key in FILTERS}
    clippings, _error = clipping_filter(clippings_of(request.workspace), request.workspace,
                                        filters)
    count = services.clippings_mark_read(
        clippings=Clipping.objects.filter(pk__in=clippings.values("pk")))
    messages.success(request, _("%(count)s article(s) marqué(s) comme lu(s).")
                     % {"count": count})
    return _back_to_list(request)


@require_POST
@workspace_view("write")
def clipping_tag(request: HttpRequest, code) -> HttpResponse:
    clipping = get_clipping_for_user(request, code, write=True)
    form = TagForm(request.POST)
    if form.is_valid():
        services.clipping_tag(clipping=clipping, tone=form.cleaned_data["tone"],
                              topics=form.cleaned_data["topics"])
        if request.POST.get("depuis") == "fiche":
            messages.success(request, _("Étiquettes enregistrées."))
            return redirect("mediawatch:clipping-detail", request.workspace.slug,
                            clipping.code)
        return _row(request, clipping)
    if request.htmx and request.POST.get("depuis") != "fiche":
        return _row(request, clipping, errors=" ".join(
            str(e) for errors in form.errors.values() for e in errors))
    return _detail(request, clipping, tag_form=form)


@workspace_view("read")
def clipping_detail(request: HttpRequest, code) -> HttpResponse:
    clipping = get_clipping_for_user(request, code)
    if request.membership.can("write") and clipping.read_at is None:
        services.clipping_mark(clipping=clipping, read=True)
    return _detail(request, clipping)


def _detail(request: HttpRequest, clipping: Clipping, tag_form: TagForm | None = None,
            link_form: LinkForm | None = None) -> HttpResponse:
    topics = ", ".join(t.name for t in clipping.topics.all())
    return render(request, "mediawatch/clipping_detail.html", {
        "clipping": clipping,
        "sightings": clipping.sightings.all(),
        "alerts": clipping.alerts.all(),
        "linked_actors": clipping.actors.all(),
        "linked_reports": clipping.reports.select_related("sitting"),
        "tag_form": tag_form or TagForm(initial={"tone": clipping.tone, "topics": topics}),
        "link_form": link_form or LinkForm(workspace=request.workspace),
        "all_topics": Topic.objects.filter(workspace=request.workspace),
        "can_write": request.membership.can("write"),
    })


@require_POST
@workspace_view("write")
def clipping_link(request: HttpRequest, code) -> HttpResponse:
    clipping = get_clipping_for_user(request, code, write=True)
    if "retirer" in request.POST:
        kind, _sep, code = request.POST["retirer"].partition(":")
        if kind in services.LINK_KINDS:
            services.clipping_link_remove(clipping=clipping, kind=kind, code=code)
        return redirect("mediawatch:clipping-detail", request.workspace.slug, clipping.code)
    form = LinkForm(request.POST, workspace=request.workspace)
    if form.is_valid():
        services.clipping_link_add(clipping=clipping, kind=form.cleaned_data["kind"],
                                   target=form.cleaned_data["target"])
        messages.success(request, _("Lien ajouté."))
        return redirect("mediawatch:clipping-detail", request.workspace.slug, clipping.code)
    return _detail(request, clipping, link_form=form)


@require_POST
@workspace_view("read")
def digest_subscription(request: HttpRequest) -> HttpResponse:
    subscribed = request.POST.get("abonner") == "1"
    if not subscribed:
        services.digest_subscribe(workspace=request.workspace, user=request.user,
                                  subscribed=False)
        messages.success(request, _("Vous ne recevrez plus la revue de presse."))
        return _back_to_list(request)
    form = DigestSubscriptionForm(request.POST if "send_at" in request.POST else {
        "send_at": DEFAULT_DIGEST_TIME.strftime("%H:%M"), "time_zone": DEFAULT_DIGEST_ZONE})
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return _back_to_list(request)
    subscription = services.digest_subscribe(
        workspace=request.workspace, user=request.user, subscribed=True,
        send_at=form.cleaned_data["send_at"], time_zone=form.cleaned_data["time_zone"])
    messages.success(request, _("Vous recevrez la revue de presse chaque jour à %(time)s.")
                     % {"time": subscription.send_at.strftime("%H:%M")})
    return _back_to_list(request)


# --- sources ------------------------------------------------------------------------


def get_source_for_user(request: HttpRequest, code, write: bool = False) -> Source:
    return get_object_for_user(request, Source, code, write=write)


@workspace_view("read")
def source_list(request: HttpRequest) -> HttpResponse:
    can_write = request.membership.can("write")
    form = SourceForm(request.POST or None) if can_write else None
    if request.method == "POST":
        require(request, "write")
        if form.is_valid():
            source = services.source_create(workspace=request.workspace, **form.cleaned_data)
            messages.success(request, _("Source « %(name)s » ajoutée : elle sera relevée "
                                        "dans les prochaines minutes.") % {"name": source})
            return redirect("mediawatch:source-detail", request.workspace.slug, source.code)
    return render(request, "mediawatch/source_list.html", {
        "sources": Source.objects.filter(workspace=request.workspace),
        "form": form, "can_write": can_write})


@workspace_view("read")
def source_detail(request: HttpRequest, code) -> HttpResponse:
    source = get_source_for_user(request, code)
    can_write = request.membership.can("write")
    form = SourceForm(request.POST or None, instance=source) if can_write else None
    if request.method == "POST":
        require(request, "write")
        if form.is_valid():
            services.source_update(source=source, **form.cleaned_data)
            messages.success(request, _("Source enregistrée."))
            return redirect("mediawatch:source-detail", request.workspace.slug, source.code)
        source.refresh_from_db()
    recent = source.sightings.select_related("clipping").order_by("-created_at")[:20]
    return render(request, "mediawatch/source_detail.html", {
        "source": source, "form": form, "recent": recent, "can_write": can_write})


@require_POST
@workspace_view("write")
def source_poll(request: HttpRequest, code) -> HttpResponse:
    source = get_source_for_user(request, code, write=True)
    transaction.on_commit(lambda: mediawatch_source_poll_task.enqueue(source.pk))
    messages.success(request, _("Relevé demandé : les nouveaux articles arrivent dans "
                                "la boîte de réception."))
    return redirect("mediawatch:source-detail", request.workspace.slug, source.code)


# --- alert rules --------------------------------------------------------------------


def get_rule_for_user(request: HttpRequest, code, write: bool = False) -> KeywordRule:
    return get_object_for_user(request, KeywordRule, code, write=write)


@workspace_view("read")
def rule_list(request: HttpRequest) -> HttpResponse:
    can_write = request.membership.can("write")
    form = RuleForm(request.POST or None) if can_write else None
    if request.method == "POST":
        require(request, "write")
        if form.is_valid():
            rule = services.rule_create(workspace=request.workspace, **form.cleaned_data)
            messages.success(request, _("Règle « %(name)s » créée : %(count)s alerte(s) "
                                        "sur les 30 derniers jours.")
                             % {"name": rule, "count": rule.alerts.count()})
            return redirect("mediawatch:rule-list", request.workspace.slug)
    rules = KeywordRule.objects.filter(workspace=request.workspace).order_by("name")
    return render(request, "mediawatch/rule_list.html", {
        "rules": rules, "form": form, "can_write": can_write})


@workspace_view("read")
def rule_detail(request: HttpRequest, code) -> HttpResponse:
    rule = get_rule_for_user(request, code)
    can_write = request.membership.can("write")
    form = RuleForm(request.POST or None, instance=rule) if can_write else None
    if request.method == "POST":
        require(request, "write")
        if "supprimer" in request.POST:
            services.rule_delete(rule=rule)
            messages.success(request, _("Règle supprimée."))
            return redirect("mediawatch:rule-list", request.workspace.slug)
        if form.is_valid():
            services.rule_update(rule=rule, **form.cleaned_data)
            messages.success(request, _("Règle enregistrée."))
            return redirect("mediawatch:rule-detail", request.workspace.slug, rule.code)
        rule.refresh_from_db()
    alerts = rule.alerts.select_related("clipping").order_by("-created_at")[:30]
    return render(request, "mediawatch/rule_detail.html", {
        "rule": rule, "form": form, "alerts": alerts, "can_write": can_write})


@require_POST
@workspace_view("write")
def rule_presets(request: HttpRequest) -> HttpResponse:
    made = services.rule_presets_create(workspace=request.workspace)
    if made:
        messages.success(request, _("Règles prêtes à l'emploi : %(names)s.")
                         % {"names": ", ".join(str(rule) for rule in made)})
    else:
        messages.warning(request, _("Aucune règle à créer : ni élu·e du groupe, ni "
                                    "commune connue pour cette assemblée."))
    return redirect("mediawatch:rule-list", request.workspace.slug)
