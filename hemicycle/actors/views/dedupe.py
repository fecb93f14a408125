"""Duplicates: the pairs to review, the field-by-field merge screen, undo."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hemicycle.accounts.access import get_object_for_user, workspace_view
from hemicycle.actors import services
from hemicycle.actors.models import Actor, DuplicateCandidate, Merge


@workspace_view("write")
def duplicate_list(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    if request.method == "POST":
        count = services.duplicate_find(workspace=workspace)
        messages.success(request, _("%(n)s nouveau(x) doublon(s) possible(s).") % {"n": count})
        return redirect("actors:duplicate-list", workspace.slug)
    status = request.GET.get("etat", DuplicateCandidate.Status.PENDING)
    pairs = DuplicateCandidate.objects.filter(workspace=workspace, status=status).select_related(
        "first__commune", "second__commune")
    return render(request, "actors/duplicate_list.html", {
        "page": Paginator(pairs, 50).get_page(request.GET.get("page")),
        "status": status, "statuses": DuplicateCandidate.Status.choices,
        "merges": Merge.objects.filter(workspace=workspace).select_related(
            "kept", "merged")[:20]})


def _field_rows(first: Actor, second: Actor) -> list[dict]:
    rows = []
    for name in services.MERGE_FIELDS:
        field = Actor._meta.get_field(name)
        a, b = getattr(first, name), getattr(second, name)
        rows.append({"name": name, "label": field.verbose_name, "first": a, "second": b,
                     "differ": a != b, "prefer_second": (a in (None, "")) and b not in (None, "")})
    return rows


@workspace_view("write")
def duplicate_detail(request: HttpRequest, code) -> HttpResponse:
    """The merge screen of a candidate pair. POST ``action``: merge / dismiss / undo."""
    pair = get_object_for_user(
        request, DuplicateCandidate.objects.select_related("first", "second"), code)
    workspace = request.workspace
    first, second = pair.first, pair.second
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "dismiss":
        services.duplicate_dismiss(candidate=pair)
        messages.success(request, _("Paire écartée : ce ne sont pas des doublons."))
        return redirect("actors:duplicate-list", workspace.slug)
    if action == "undo":
        merge = Merge.objects.filter(workspace=workspace, undone_at=None).filter(
            Q(kept=first, merged=second) | Q(kept=second, merged=first)).first()
        if merge:
            services.merge_undo(merge=merge, by=request.user)
            messages.success(request, _("Fusion annulée."))
        return redirect("actors:duplicate-detail", workspace.slug, pair.code)
    if action == "merge":
        keep_second = request.POST.get("keep") == "second"
        kept, merged = (second, first) if keep_second else (first, second)
        merged_side = "first" if keep_second else "second"
        take = {name for name in services.MERGE_FIELDS
                if request.POST.get(f"field_{name}") == merged_side}
        try:
            services.actor_merge(kept=kept, merged=merged, take=take, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(merged)s fusionné dans %(kept)s.")
                             % {"merged": merged, "kept": kept})
            return redirect("actors:actor-detail", workspace.slug, kept.code)
    return render(request, "actors/duplicate_detail.html", {
        "pair": pair, "rows": _field_rows(first, second),
        "counts": {side: {"interactions": actor.interactions.count(),
                          "relations": actor.relations_out.count() + actor.relations_in.count(),
                          "consents": actor.consents.count()}
                   for side, actor in (("first", first), ("second", second))},
        "merge": Merge.objects.filter(workspace=workspace, undone_at=None).filter(
            Q(kept=first, merged=second) | Q(kept=second, merged=first)).first()})
