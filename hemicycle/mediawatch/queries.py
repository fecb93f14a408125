"""Reads shared by the media-watch views, the dashboard panel and the digest."""

import datetime

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hemicycle.accounts.models import Workspace
from hemicycle.mediawatch import matching
from hemicycle.mediawatch.models import Alert, Clipping, Sighting, Source, Topic
from hemicycle.mediawatch.services import clipping_search

FILTERS = ("periode", "etat", "ton", "theme", "source", "alerte", "acteur", "rapport", "q")


def start_of_today() -> datetime.datetime:
    now = timezone.localtime()
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def clippings_of(workspace: Workspace) -> QuerySet[Clipping]:
    return Clipping.objects.filter(workspace=workspace).annotate(
        sighting_count=Count("sightings", distinct=True),
    ).prefetch_related(
        "topics",
        Prefetch("sightings", queryset=Sighting.objects.select_related("source")),
        Prefetch("alerts", queryset=Alert.objects.select_related("rule")),
    ).order_by(F("published_at").desc(nulls_last=True), "-created_at", "-pk")


def clipping_filter(clippings: QuerySet[Clipping], workspace: Workspace,
                    filters: dict[str, str]) -> tuple[QuerySet[Clipping], str]:
    """The clippings matching the inbox filters, and an error message for a bad search."""
    if filters.get("periode") == "aujourdhui":
        clippings = clippings.filter(created_at__gte=start_of_today())
    elif filters.get("periode") == "7j":
        clippings = clippings.filter(created_at__gte=start_of_today()
                                     - datetime.timedelta(days=6))
    if filters.get("etat") == "nonlus":
        clippings = clippings.filter(read_at__isnull=True)
    if filters.get("ton") in Clipping.Tone.values:
        clippings = clippings.filter(tone=filters["ton"])
    elif filters.get("ton") == "aucune":
        clippings = clippings.filter(tone="")
    if filters.get("theme"):
        topic = _by_code(Topic.objects.filter(workspace=workspace), filters["theme"])
        clippings = clippings.filter(topics=topic) if topic else clippings.none()
    if filters.get("source"):
        source = _by_code(Source.objects.filter(workspace=workspace), filters["source"])
        clippings = clippings.filter(sightings__source=source).distinct() if source \
            else clippings.none()
    for key, kind in (("acteur", "actor"), ("rapport", "report")):
        if filters.get(key):
            target = linked_target(workspace, kind, filters[key])
            clippings = clippings.filter(**{f"{kind}s": target}) if target else clippings.none()
    if filters.get("alerte") == "1":
        clippings = clippings.filter(alerts__isnull=False).distinct()
    error = ""
    if filters.get("q"):
        try:
            clippings = clipping_search(clippings, filters["q"])
        except matching.QueryError as problem:
            error, clippings = query_error_message(problem), clippings.none()
    return clippings, error


def query_error_message(error: matching.QueryError) -> str:
    return {
        "quote": _("Guillemet non fermé dans la recherche."),
        "only_exclusions": _("La recherche ne peut pas contenir que des exclusions."),
    }.get(error.code, _("Indiquez au moins un mot à rechercher."))


def _by_code(queryset: QuerySet, code: str):
    try:
        return queryset.filter(code=code).first()
    except (ValueError, ValidationError):  # a malformed UUID in the query string
        return None


def today_clippings(workspace: Workspace) -> QuerySet[Clipping]:
    return clippings_of(workspace).filter(created_at__gte=start_of_today())


# --- what a clipping can be linked to -------------------------------------------------

# kind → (app label, model, fields searched, URL name of its page). Looked up lazily:
# the actors and council modules are optional for the media watch.
LINK_TARGETS = {
    "actor": ("actors", "Actor", ("name",), "actors:actor-detail"),
    "report": ("council", "Report", ("number", "title"), "council:report-detail"),
}
LINK_CHOICES_SHOWN = 5


def link_candidates(workspace: Workspace, kind: str, text: str) -> list:
    """The workspace's actors or reports matching ``text``: an exact name or number
    first, else those containing it (at most a few). [] when the module is absent."""
    app_label, model_name, fields, _url = LINK_TARGETS[kind]
    if not apps.is_installed(f"hemicycle.{app_label}"):
        return []
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return []
    rows = model._default_manager.filter(workspace=workspace)
    exact = Q()
    for field in fields:
        exact |= Q(**{f"{field}__iexact": text})
    found = list(rows.filter(exact)[:LINK_CHOICES_SHOWN + 1])
    if not found:
        contains = Q()
        for field in fields:
            contains |= Q(**{f"{field}__icontains": text})
        found = list(rows.filter(contains).order_by("pk")[:LINK_CHOICES_SHOWN + 1])
    return found


def linked_target(workspace: Workspace, kind: str, code: str):
    """The workspace's actor or report with this code (the inbox's "linked to" filter)."""
    app_label, model_name, _fields, _url = LINK_TARGETS[kind]
    return _by_code(apps.get_model(app_label, model_name)._default_manager.filter(
        workspace=workspace), code)


def link_url(workspace: Workspace, kind: str, obj) -> str:
    try:
        return reverse(LINK_TARGETS[kind][3], args=[workspace.slug, obj.code])
    except NoReverseMatch:
        return ""
