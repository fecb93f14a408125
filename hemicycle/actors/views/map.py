"""The actors map: Leaflet (vendored) over the territory's own outlines, no tile server
needed. Three JSON feeds, all with the list's filters: points, canton choropleth,
commune outlines."""

import datetime
import json

from django.conf import settings
from django.db.models import Count, Q
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
    actors = actor_filter(request.workspace, clean_filters(request.GET)).exclude(latitude=None)
    count = actors.count()
    if count <= MAX_POINTS:
        points = [[round(lat, 5), round(lon, 5), str(code), name, kind or kind_type]
                  for lat, lon, code, name, kind, kind_type in actors.values_list(
                      "latitude", "longitude", "code", "name", "kind", "type")]
        return JsonResponse({"count": count, "points": points, "groups": []})
    groups = [[round(c["commune__latitude"], 5), round(c["commune__longitude"], 5),
               c["commune__name"], c["commune__insee_code"], c["n"]]
              for c in actors.exclude(commune=None).exclude(commune__latitude=None).values(
                  "commune__latitude", "commune__longitude", "commune__name",
                  "commune__insee_code").annotate(n=Count("id"))]
    return JsonResponse({"count": count, "points": [], "groups": groups})


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
    actors = actor_filter(workspace, clean_filters(request.GET))
    stats = {row["canton_id"]: row for row in Actor.cantons.through.objects.filter(
        actor__in=actors).values("canton_id").annotate(
        n=Count("actor_id"), contacted=Count("actor_id", filter=Q(
            actor__last_contact_on__gte=_since())))}
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


def _collection(items) -> dict:
    features = []
    for text, properties in items:
        geom = geometry(text)
        if geom is not None:
            features.append({"type": "Feature", "geometry": geom, "properties": properties})
    return {"type": "FeatureCollection", "features": features}
