"""Inline SVG maps of the territory (hemicycle.lib.svgmap), one function per page.

Each takes an ``href`` callable that gives the link of a canton, commune or
département in the current workspace, and returns "" when no outline is loaded.
"""

import json
from collections.abc import Callable, Iterable

from django.utils.safestring import SafeString, mark_safe

from hemicycle.lib import svgmap
from hemicycle.territory.models import Canton, Commune, Departement

Href = Callable[[object], str]


def geometry(text: str) -> dict | None:
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if isinstance(data, dict) and data.get("type") in ("Polygon", "MultiPolygon"):
        return data
    return None


def _shapes(places: Iterable, href: Href | None, css: Callable[[object], str] = lambda p: ""):
    shapes = []
    for place in places:
        geom = geometry(place.geometry)
        if geom is not None:
            shapes.append(svgmap.Shape(geometry=geom, label=place.name,
                                       href=href(place) if href else "", css_class=css(place),
                                       data={"code": getattr(place, "code", "")
                                             or getattr(place, "insee_code", "")}))
    return shapes


def _outlines(places: Iterable) -> list[svgmap.Shape]:
    """Borders drawn over the map (class "outline": no fill, no pointer events)."""
    return _shapes(places, None, lambda p: "outline")


def _render(shapes: list[svgmap.Shape], title: str) -> SafeString:
    # svgmap.render escapes every label and attribute it writes.
    return mark_safe(svgmap.render(shapes, title=title))


def departement_map(departement: Departement, href: Href) -> SafeString:
    """Its cantons, each a link; its outline alone when no canton is loaded."""
    cantons = departement.cantons.exclude(geometry="").only("code", "name", "geometry")
    shapes = _shapes(cantons, href) or _shapes([departement], None)
    return _render(shapes, title=departement.name)


def region_map(region, href_departement: Href, href_canton: Href) -> SafeString:
    """The région's départements, drawn as their cantons where those are loaded."""
    departements = list(region.departements.exclude(geometry=""))
    cantons = Canton.objects.filter(departement__in=departements).exclude(geometry="")
    with_cantons = set(cantons.values_list("departement_id", flat=True))
    shapes = _shapes([d for d in departements if d.id not in with_cantons], href_departement)
    shapes += _shapes(cantons.only("code", "name", "geometry"), href_canton)
    if with_cantons:
        shapes += _outlines(departements)
    return _render(shapes, title=region.name)


def canton_map(canton: Canton, links: list, href: Href) -> SafeString:
    """The canton's communes (shared ones greyed, whole outline), the canton's border."""
    shared = {link.commune_id for link in links if link.share < 1}
    communes = Commune.objects.filter(id__in=[link.commune_id for link in links]).exclude(
        geometry="").only("insee_code", "name", "geometry")
    shapes = _shapes(communes, href, lambda c: "partial" if c.id in shared else "")
    if shapes:
        shapes += _outlines([canton])
    return _render(shapes, title=canton.name)


def commune_map(commune: Commune, cantons: list[Canton], href: Href) -> SafeString:
    """The commune highlighted among the cantons it lies in."""
    if geometry(commune.geometry) is None:
        return mark_safe("")
    shapes = _shapes(cantons, href, lambda c: "context")
    shapes += _shapes([commune], None, lambda c: "hl")
    shapes += _outlines(cantons)
    return _render(shapes, title=commune.name)


def communes_map(communes: Iterable[Commune], href: Href, title: str) -> SafeString:
    return _render(_shapes(communes, href), title=title)
