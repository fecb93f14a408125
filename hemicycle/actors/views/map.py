"""The actors map: Leaflet (vendored) over the territory's own outlines, no tile server
needed. Two JSON feeds: the data, with the list's filters (markers or circles per commune,
and the canton choropleth's figures, from one grouped query), and the outlines (cantons,
or communes), the same whatever the filters."""

import datetime
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from hemicycle.accounts.access import workspace_view
from hemicycle.accounts.models import User
from hemicycle.actors.models import Actor, Theme
from hemicycle.actors.queries import _uuid, actor_areas, actor_filter, clean_filters, map_data
from hemicycle.actors.views.directory import filter_choices
from hemicycle.territory.maps import geometry
from hemicycle.territory.models import Canton, Commune

CONTACT_MONTHS = 6
# The canton choropleth's colours, light to dark (map.js reads them from the page).
PALETTE = ("#f7fcf5", "#c7e9c0", "#74c476", "#31a354", "#006d2c")


def tiles() -> dict:
    """The tile server, when one is configured (MAP_TILE_URL in the environment)."""
    return {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}


def _map_context(request: HttpRequest) -> dict:
    filters = clean_filters(request.GET)
    return {"filters": filters, "query": urlencode(filters), "tiles": json.dumps(tiles()),
            "palette": json.dumps(PALETTE)}


@workspace_view("read")
def actor_map(request: HttpRequest) -> HttpResponse:
    return render(request, "actors/actor_map.html", {
        **_map_context(request), "choices": filter_choices(request.workspace)})


@workspace_view("read")
def actor_map_print(request: HttpRequest) -> HttpResponse:
    """The map on one page to print: the filters in the title, the canton legend and
    figures under it. The map itself comes from the same feeds as the interactive one."""
    context = _map_context(request)
    workspace = request.workspace
    areas = actor_areas(actor_filter(workspace, context["filters"]), _since())
    stats = areas.cantons
    departement = workspace.assembly.departement_id
    cantons = Canton.objects.filter(departement_id=departement).only("id", "code", "name") \
        if departement else []
    rows = [{"name": c.name, "code": c.code, **stats.get(c.id, {"n": 0, "contacted": 0})}
            for c in cantons]
    rows = [row for row in rows if row["n"]]
    for row in rows:
        row["share"] = round(100 * row["contacted"] / row["n"])
    rows.sort(key=lambda row: (-row["n"], row["name"]))
    return render(request, "actors/actor_map_print.html", {
        **context, "filter_labels": filters_describe(workspace, context["filters"]),
        "legend": choropleth_legend(max((row["n"] for row in rows), default=0)),
        "rows": rows, "total": areas.total,
        "today": timezone.localdate(), "months": CONTACT_MONTHS,
    })


def choropleth_legend(top: int) -> list[dict]:
    """The count classes of map.js's ``palette(value, max)``: colour i covers the counts
    whose ``value / max * (steps - 1)`` rounds to i."""
    steps = len(PALETTE)
    if top <= 0:
        return [{"color": PALETTE[0], "low": 0, "high": 0}]
    legend = []
    for i, color in enumerate(PALETTE):
        low = 0 if i == 0 else _ceil(top * (i - 0.5) / (steps - 1))
        high = top if i == steps - 1 else _ceil(top * (i + 0.5) / (steps - 1)) - 1
        if low <= high:
            legend.append({"color": color, "low": low, "high": high})
    return legend


def _ceil(value: float) -> int:
    return int(-(-value // 1))


def filters_describe(workspace, filters: dict[str, str]) -> list[str]:
    """The filters in words, for the printed title: "Canton : Lille-3"."""
    labels = []
    names = {
        "q": _("Recherche"), "type": _("Type"), "categorie": _("Catégorie"),
        "theme": _("Thème"), "etiquette": _("Étiquette"), "canton": _("Canton"),
        "commune": _("Commune"), "contact_apres": _("Contacté depuis le"),
        "contact_avant": _("Pas contacté depuis le"), "suivi": _("Suivi par"),
        "email": _("E-mail"), "consentement": _("Consentement"),
    }
    for key, value in filters.items():
        shown = value
        if key == "type":
            shown = dict(Actor.Type.choices).get(value, value)
        elif key == "categorie":
            shown = dict(Actor.Kind.choices).get(value, value)
        elif key == "consentement":
            shown = dict(Actor.Consent.choices).get(value, value)
        elif key == "theme":
            theme = Theme.objects.filter(workspace=workspace, code=_uuid(value)).first()
            shown = str(theme) if theme else value
        elif key == "canton":
            canton = Canton.objects.filter(code=value).only("name").first()
            shown = canton.name if canton else value
        elif key == "commune":
            commune = Commune.objects.filter(insee_code=value).only("name").first()
            shown = f"{commune.name} ({value})" if commune else value
        elif key in ("contact_apres", "contact_avant"):
            try:
                shown = datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
            except ValueError:
                pass
        elif key == "suivi":
            user = User.objects.filter(memberships__workspace=workspace, pk=int(value)).first() \
                if value.isdigit() else None
            shown = _("personne") if value == "aucun" else (str(user) if user else value)
        elif key == "email":
            shown = _("avec") if value == "1" else _("sans")
        labels.append(f"{names[key]} : {shown}")
    return labels


@workspace_view("read")
def map_points(request: HttpRequest) -> JsonResponse:
    """The filtered actors: markers (or circles per commune) and the canton figures."""
    return JsonResponse(map_data(request.workspace, clean_filters(request.GET), _since()))


def _since() -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=CONTACT_MONTHS * 30)


@workspace_view("read")
def map_areas(request: HttpRequest) -> JsonResponse:
    """GeoJSON outlines: the cantons (``?couche=communes``: the communes). No filters: the
    figures come with the points feed, so that the browser may keep these."""
    departement = request.workspace.assembly.departement_id
    if request.GET.get("couche") == "communes":
        communes = Commune.objects.filter(departement_id=departement).exclude(
            geometry="").only("insee_code", "name", "geometry") if departement else []
        items = ((c.geometry, {"code": c.insee_code, "name": c.name}) for c in communes)
    else:
        cantons = Canton.objects.filter(departement_id=departement).exclude(
            geometry="").only("code", "name", "geometry") if departement else []
        items = ((c.geometry, {"code": c.code, "name": c.name}) for c in cantons)
    response = JsonResponse(_collection(items))
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _collection(items) -> dict:
    features = []
    for text, properties in items:
        geom = geometry(text)
        if geom is not None:
            features.append({"type": "Feature", "geometry": geom, "properties": properties})
    return {"type": "FeatureCollection", "features": features}
