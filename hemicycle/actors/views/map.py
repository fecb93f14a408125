"""The actors map: Leaflet (vendored) over the territory's own outlines, no tile server
needed. Three JSON feeds, all with the list's filters: points, canton choropleth,
commune outlines."""

import datetime
import json

from django.conf import settings
from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from hemicycle.accounts.access import workspace_view
from hemicycle.actors.models import Actor
from hemicycle.actors.queries import actor_filter, clean_filters
from hemicycle.actors.views.directory import filter_choices
from hemicycle.territory.maps import geometry
from hemicycle.territory.models import Canton, Commune

# Past this many points the map gets one circle per commune instead of markers.
MAX_POINTS = 5000
CONTACT_MONTHS = 6


def tiles() -> dict:
    """The tile server, when one is configured (MAP_TILE_URL in the environment)."""
    return {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}


@workspace_view("read")
def actor_map(request: HttpRequest) -> HttpResponse:
    filters = clean_filters(request.GET)
    return render(request, "actors/actor_map.html", {
        "filters": filters, "query": urlencode(filters),
        "choices": filter_choices(request.workspace), "tiles": json.dumps(tiles()),
    })


@workspace_view("read")
def map_points(request: HttpRequest) -> JsonResponse:
    # No ordering: sorting by name would make SQLite walk the name index over every row.
    actors = actor_filter(request.workspace, clean_filters(request.GET)).exclude(
        latitude=None).order_by()
    count = actors.count()
    if count <= MAX_POINTS:
        points = [[round(lat, 5), round(lon, 5), str(code), name, kind or kind_type]
                  for lat, lon, code, name, kind, kind_type in actors.values_list(
                      "latitude", "longitude", "code", "name", "kind", "type")]
        return JsonResponse({"count": count, "points": points, "groups": []})
    groups = commune_groups(actors)
    return JsonResponse({"count": count, "points": [], "groups": groups})


def commune_groups(actors) -> list[list]:
    """One circle per commune: counted in SQL on the actors' index, then placed from the
    (few hundred) communes found."""
    # Grouped on an expression: grouping on the bare column would lure SQLite into
    # walking the commune index in order and reading every row of the table for the
    # other filters, ten times slower than scanning the covering index and sorting.
    counts = dict(actors.exclude(commune=None).order_by().values(
        group=F("commune_id") + 0).annotate(n=Count("id")).values_list("group", "n"))
    communes = Commune.objects.filter(pk__in=list(counts)).exclude(latitude=None).values_list(
        "pk", "latitude", "longitude", "name", "insee_code")
    return [[round(lat, 5), round(lon, 5), name, insee, counts[pk]]
            for pk, lat, lon, name, insee in communes]


def _since() -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=CONTACT_MONTHS * 30)


@workspace_view("read")
def map_areas(request: HttpRequest) -> JsonResponse:
    """GeoJSON: the cantons with the actor counts (``?couche=communes``: the communes)."""
    workspace = request.workspace
    departement = workspace.assembly.departement_id
    if request.GET.get("couche") == "communes":
        communes = Commune.objects.filter(departement_id=departement).exclude(
            geometry="").only("insee_code", "name", "geometry") if departement else []
        return JsonResponse(_collection(
            (c.geometry, {"code": c.insee_code, "name": c.name}) for c in communes))
    stats = canton_stats(actor_filter(workspace, clean_filters(request.GET)), _since())
    cantons = Canton.objects.filter(departement_id=departement).exclude(geometry="").only(
        "id", "code", "name", "geometry") if departement else []
    features = []
    for canton in cantons:
        row = stats.get(canton.id, {"n": 0, "contacted": 0})
        share = round(row["contacted"] / row["n"], 3) if row["n"] else 0
        features.append((canton.geometry, {"code": canton.code, "name": canton.name,
                                           "actors": row["n"], "contacted": row["contacted"],
                                           "share": share}))
    return JsonResponse(_collection(features))


def canton_stats(actors, since: datetime.date) -> dict[int, dict]:
    """Per canton id: the actors and those contacted since ``since``. Grouped on
    ``Actor.canton`` (one index scan), plus the link table for the actors of split
    communes, who count in each of their cantons."""
    stats: dict[int, dict] = {}
    recent = Q(last_contact_on__gte=since)
    single = actors.exclude(canton=None).order_by().values("canton_id").annotate(
        n=Count("id"), contacted=Count("id", filter=recent))
    for row in single:
        stats[row["canton_id"]] = {"n": row["n"], "contacted": row["contacted"]}
    # Two passes over the links rather than a join back to every actor.
    split = actors.filter(canton=None).order_by()
    for key, group in (("n", split), ("contacted", split.filter(recent))):
        for canton_id, n in Actor.cantons.through.objects.filter(
                actor__in=group.values("pk")).order_by().values("canton_id").annotate(
                n=Count("actor_id")).values_list("canton_id", "n"):
            stats.setdefault(canton_id, {"n": 0, "contacted": 0})[key] += n
    return stats


def _collection(items) -> dict:
    features = []
    for text, properties in items:
        geom = geometry(text)
        if geom is not None:
            features.append({"type": "Feature", "geometry": geom, "properties": properties})
    return {"type": "FeatureCollection", "features": features}
