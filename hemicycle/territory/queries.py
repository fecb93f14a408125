"""Look-ups on the territory shared by the views and by other apps' forms."""

import json
import re
import threading

from django.db.models import Count, Max, QuerySet, Sum

from hemicycle.lib import geo
from hemicycle.lib.text import normalize_name
from hemicycle.territory.models import Canton, Commune, CommuneCanton, Departement

FIVE_DIGITS = re.compile(r"^\d[\dAB]\d{3}$", re.IGNORECASE)  # 59350, 2A004


def commune_search(query: str, limit: int = 10) -> list[Commune]:
    """Communes for an autocomplete: "mons en baroeul" finds Mons-en-Barœul.

    A 5-character code finds the commune with that INSEE code, then those with that
    postal code. Otherwise names are compared accent- and case-insensitively: names
    starting with the query first, then names containing it, each by population.
    """
    query = query.strip()
    base = Commune.objects.select_related("departement")
    if FIVE_DIGITS.match(query):
        code = query.upper()
        found = list(base.filter(insee_code=code))
        found += base.filter(postal_codes__contains=code).exclude(insee_code=code).order_by(
            "-population", "name")[: limit - len(found)]
        return found[:limit]
    key = normalize_name(query)
    if not key:
        return []
    by_size = ("-population", "name")
    found = list(base.filter(search_name__startswith=key).order_by(*by_size)[:limit])
    if len(found) < limit:
        found += base.filter(search_name__contains=key).exclude(
            search_name__startswith=key).order_by(*by_size)[: limit - len(found)]
    return found


def communes_by_postal_code(code: str) -> QuerySet[Commune]:
    code = code.strip()
    if not code.isdigit() or len(code) != 5:
        return Commune.objects.none()
    return Commune.objects.filter(postal_codes__contains=code).order_by("-population", "name")


def commune_by_insee(code: str) -> Commune | None:
    return Commune.objects.select_related("departement", "epci").filter(
        insee_code=code.strip().upper()).first()


# The canton index is built once per process and rebuilt when the cantons change
# (a load adds or replaces them): about 10 ms for the six départements' 172 cantons.
_index_lock = threading.Lock()
_index: tuple[tuple, geo.PolygonIndex] | None = None


def _canton_index() -> geo.PolygonIndex:
    global _index
    with_outline = Canton.objects.exclude(geometry="")
    version = tuple(with_outline.aggregate(n=Count("id"), last=Max("id")).values())
    with _index_lock:
        if _index is None or _index[0] != version:
            areas = {code: json.loads(text) for code, text in with_outline.values_list(
                "code", "geometry")}
            _index = (version, geo.PolygonIndex(areas))
        return _index[1]


def canton_for_point(lat: float, lon: float) -> Canton | None:
    """The canton at this point (an address's coordinates), among the loaded ones."""
    code = _canton_index().locate(lon, lat)
    return Canton.objects.select_related("departement").filter(code=code).first() if code else None


def commune_cantons_of(commune: Commune) -> list:
    """The commune's CommuneCanton rows, largest share first, with their cantons."""
    return list(commune.communecanton_set.select_related("canton").order_by("-share"))


def canton_table(cantons: QuerySet[Canton]) -> list[dict]:
    """One row per canton: its communes, how many are shared, and its population.

    The population of a shared commune is split by area share: an estimate (Lille's
    districts are not equally dense), shown as such.
    """
    rows = {c.id: {"canton": c, "communes": 0, "shared": 0, "population": 0.0}
            for c in cantons}
    links = CommuneCanton.objects.filter(canton__in=list(rows)).values_list(
        "canton_id", "share", "commune__population")
    for canton_id, share, population in links:
        row = rows[canton_id]
        row["communes"] += 1
        row["shared"] += share < 1
        row["population"] += (population or 0) * share
    for row in rows.values():
        row["population"] = round(row["population"])
    return list(rows.values())


def departement_table(departements: QuerySet[Departement]) -> list[dict]:
    """One row per département: communes, cantons loaded, population."""
    departements = departements.annotate(
        n_communes=Count("communes", distinct=True), n_cantons=Count("cantons", distinct=True))
    population = dict(Commune.objects.filter(departement__in=departements).values(
        "departement_id").annotate(total=Sum("population")).values_list(
        "departement_id", "total"))
    return [{"departement": d, "communes": d.n_communes, "cantons": d.n_cantons,
             "population": population.get(d.id) or 0} for d in departements]
