"""Names and shapes of places: search keys, the commune × canton join, point-in-polygon.

Pure Python on shapely (no Django, no GDAL). Geometries come in as GeoJSON geometry
dicts (WGS84 longitude/latitude) or shapely geometries; codes are plain strings.

Areas are computed in degrees². Only ratios of areas of the same commune are used,
so the projection does not matter (the cosine factor cancels out).
"""

from collections.abc import Collection, Iterable, Mapping

import numpy as np  # shapely's own dependency: vectorised geometry arrays
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

# --- geometries ----------------------------------------------------------------------

Geometry = dict | BaseGeometry


def parse(geometry: dict) -> BaseGeometry:
    """A shapely geometry from a GeoJSON geometry dict, as is (possibly invalid)."""
    return shape(geometry)


def to_shape(geometry: Geometry) -> BaseGeometry:
    """A valid polygonal shapely geometry (repaired by make_valid if need be).

    The 2018 layers hold a few broken rings: commune 14174 Condé-en-Normandie surrounds
    another commune and is stored as a Polygon with a repeated ring. make_valid can
    return stray lines or points next to the polygons; only the polygons are kept.
    """
    geom = shape(geometry) if isinstance(geometry, dict) else geometry
    if geom.is_valid:
        return geom
    return _polygonal(shapely.make_valid(geom))


def is_valid(geometry: Geometry) -> bool:
    return (shape(geometry) if isinstance(geometry, dict) else geometry).is_valid


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.MultiPolygon()


def union(geometries: Iterable[Geometry]) -> BaseGeometry:
    """One shape from several (a commune nouvelle from its former communes)."""
    return _polygonal(shapely.union_all([to_shape(g) for g in geometries]))


def to_geojson(geom: BaseGeometry, digits: int = 5) -> dict:
    """A GeoJSON geometry dict, coordinates rounded (5 decimals ≈ 1 m, as the sources)."""

    def rounded(coords):
        if isinstance(coords[0], float | int):
            return [round(coords[0], digits), round(coords[1], digits)]
        return [rounded(c) for c in coords]

    data = mapping(geom)
    return {"type": data["type"], "coordinates": rounded(data["coordinates"])}


def representative_point(geom: BaseGeometry) -> tuple[float, float]:
    """(lon, lat) of a point surely inside the shape (a centroid may fall outside)."""
    point = geom.representative_point()
    return point.x, point.y


# --- commune × canton ----------------------------------------------------------------

# Cantons covering less than this share of a commune's area are dropped as slivers.
# The two 2018 layers were simplified separately (communes to 25 %, cantons far more:
# 8 to 80 points each), so their borders disagree by hundreds of metres. Small
# communes show the worst slivers (Beaumont-en-Cambrésis 32 % in Caudry, Cassel 22 %
# in Wormhout), but they are never split (see UNSPLIT_POPULATION). Among the communes
# of 3,500+ inhabitants of the six départements, spurious overlaps pile up below 12 %
# (Anzin 10 %, Faches-Thumesnil 10 %, Lys-lez-Lannoy 11 %, Beuvrages 11 %…), while
# the parts of split cities are mostly above it (Évreux-3 13 %, Lille-4 13 %,
# Argentan-2 14 %, Dunkerque-2 16 %, Roubaix-2 19 %). A few small real parts are lost
# (Lille in Lille-1, 6 %; Lille-2 does not even touch Lille's outline) and a few large
# slivers kept (Avesnes-sur-Helpe 33 % in Fourmies): the canton layer is too coarse
# for better; INSEE's commune → canton table would be.
SHARE_MIN = 0.12

# Code électoral, art. L3113-2 (2013): "est entièrement comprise dans le même canton
# toute commune de moins de 3 500 habitants". Such a commune gets its main canton only.
UNSPLIT_POPULATION = 3500


def commune_cantons(
    communes: Mapping[str, Geometry],
    cantons: Mapping[str, Geometry],
    threshold: float = SHARE_MIN,
    single: Collection[str] = frozenset(),
) -> dict[str, list[tuple[str, float]]]:
    """For each commune, the cantons it lies in and the share of its area in each.

    Shares of the cantons kept are rescaled to sum to 1, so a commune in one canton
    has share 1.0 and a split commune's shares read as "how much of it is here".
    The canton holding the commune's representative point is always kept, so every
    commune inside the layer gets at least one canton; communes in ``single`` get that
    one only. Communes outside every canton (another département's) are left out.
    Each list is sorted by share, largest first.
    """
    commune_codes = list(communes)
    canton_codes = list(cantons)
    commune_geoms = np.array([to_shape(communes[c]) for c in commune_codes], dtype=object)
    canton_geoms = np.array([to_shape(cantons[c]) for c in canton_codes], dtype=object)
    tree = shapely.STRtree(canton_geoms)

    # All (commune, canton) pairs that touch, then their overlap areas, vectorised.
    left, right = tree.query(commune_geoms, predicate="intersects")
    overlap = shapely.area(shapely.intersection(commune_geoms[left], canton_geoms[right]))
    areas = shapely.area(commune_geoms)
    inside = _containing(tree, [g.representative_point() for g in commune_geoms])

    shares: dict[int, dict[int, float]] = {}
    for i, j, area in zip(left.tolist(), right.tolist(), overlap.tolist(), strict=True):
        share = area / areas[i] if areas[i] else 0.0
        if share >= threshold or inside.get(i) == j:
            shares.setdefault(i, {})[j] = share
    for i, j in inside.items():  # a point on the very border: no overlap found above
        shares.setdefault(i, {}).setdefault(j, 0.0)

    result = {}
    for i, by_canton in shares.items():
        if commune_codes[i] in single and len(by_canton) > 1:
            main = inside.get(i, max(by_canton, key=by_canton.__getitem__))
            by_canton = {main: 1.0}
        result[commune_codes[i]] = _rescaled(
            {canton_codes[j]: share for j, share in by_canton.items()})
    return result


def merge_parts(
    shares: Mapping[str, list[tuple[str, float]]],
    areas: Mapping[str, float],
    parent: Mapping[str, str],
) -> dict[str, list[tuple[str, float]]]:
    """Shares of communes made of several parts (communes nouvelles since 2018).

    ``shares`` and ``areas`` are by part, ``parent`` maps a part to its commune (a part
    missing from it is its own commune). A commune's share in a canton is the
    area-weighted sum of its parts' shares.
    """
    sums: dict[str, dict[str, float]] = {}
    for part, pairs in shares.items():
        by_canton = sums.setdefault(parent.get(part, part), {})
        for canton, share in pairs:
            by_canton[canton] = by_canton.get(canton, 0.0) + share * areas.get(part, 0.0)
    return {code: _rescaled(by_canton) for code, by_canton in sums.items()}


def _rescaled(by_canton: dict[str, float]) -> list[tuple[str, float]]:
    total = sum(by_canton.values())
    pairs = [(c, (s / total) if total else 1.0 / len(by_canton)) for c, s in by_canton.items()]
    return sorted(pairs, key=lambda p: (-p[1], p[0]))


def area(geometry: Geometry) -> float:
    """Area in degrees², for comparing parts of the same place only."""
    return to_shape(geometry).area


def _containing(tree: shapely.STRtree, points: list) -> dict[int, int]:
    """Index of the first shape containing each point, for the points inside one."""
    found: dict[int, int] = {}
    point_idx, shape_idx = tree.query(points, predicate="within")
    for p, s in sorted(zip(point_idx.tolist(), shape_idx.tolist(), strict=True)):
        found.setdefault(p, s)
    return found


# --- point in polygon ----------------------------------------------------------------

# A point this close (in degrees, ≈ 500 m) to a canton but in none still gets it:
# the simplified 2018 outlines cut corners along coasts and borders.
NEAREST_MAX = 0.005


class PolygonIndex:
    """Shapes by code, indexed once, to find which one holds a point.

    Build it once per process and reuse it (the caller caches it): indexing ~200
    cantons takes a few milliseconds, a look-up a few microseconds.
    """

    def __init__(self, areas: Mapping[str, Geometry]):
        self.codes = list(areas)
        self.geoms = [to_shape(areas[c]) for c in self.codes]
        shapely.prepare(self.geoms)
        self.tree = shapely.STRtree(self.geoms)

    def locate(self, lon: float, lat: float, nearest_max: float = NEAREST_MAX) -> str | None:
        point = shapely.Point(lon, lat)
        hits = sorted(self.tree.query(point, predicate="intersects").tolist())
        if hits:
            return self.codes[hits[0]]
        if not self.geoms or nearest_max <= 0:
            return None
        idx = self.tree.query_nearest(point, max_distance=nearest_max)
        return self.codes[int(min(idx))] if len(idx) else None


def canton_for_point(
    lon: float, lat: float, cantons: Mapping[str, Geometry] | PolygonIndex
) -> str | None:
    """The code of the canton holding the point (lon, lat), or None."""
    index = cantons if isinstance(cantons, PolygonIndex) else PolygonIndex(cantons)
    return index.locate(lon, lat)
