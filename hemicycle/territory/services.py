"""Loading France's territory from the files shipped in ``data/``, and assemblies.

``territory_load`` is idempotent: every table is upserted on its official code
(``bulk_create(update_conflicts=True)``, the same on SQLite and PostgreSQL), so a second
run updates rows in place and never duplicates them. See data/README.md for the sources.
"""

import gzip
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import models, transaction

from hemicycle.lib import geo
from hemicycle.lib.text import normalize_name
from hemicycle.territory.models import (
    Assembly,
    Canton,
    Commune,
    CommuneCanton,
    Departement,
    Epci,
    Region,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
# The départements whose cantons and commune outlines are shipped (folder names).
GEO_DEPARTEMENTS = {
    "14": "14-calvados",
    "27": "27-eure",
    "50": "50-manche",
    "59": "59-nord",
    "61": "61-orne",
    "76": "76-seine-maritime",
}
BATCH = 1000

Progress = Callable[[str], None]


def read_data(path: str) -> Any:
    """A shipped file, e.g. ``read_data("cog/regions.json.gz")``."""
    with gzip.open(DATA_DIR / path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def _features(path: str) -> dict[str, dict]:
    """GeoJSON features of a shipped layer: {code: feature}."""
    return {f["properties"]["code"]: f for f in read_data(path)["features"]}


def _upsert(model: type[models.Model], rows: list, unique: str, fields: list[str]) -> int:
    """Insert new rows and update changed ones; return how many were written.

    Rows equal to what the table holds are skipped: a second run writes nothing and
    takes a fraction of the first one's time.
    """
    attnames = [model._meta.get_field(name).attname for name in [unique, *fields]]
    stored = {values[0]: values[1:] for values in model.objects.values_list(*attnames)}
    changed = [
        row for row in rows
        if stored.get(getattr(row, attnames[0])) != tuple(getattr(row, a) for a in attnames[1:])
    ]
    model.objects.bulk_create(
        changed, batch_size=BATCH, update_conflicts=True, unique_fields=[unique],
        update_fields=fields,
    )
    return len(changed)


def _ids(model: type[models.Model], field: str = "code") -> dict[str, int]:
    return dict(model.objects.values_list(field, "id"))


@transaction.atomic
def territory_load(
    *, departements: list[str] | None = None, progress: Progress | None = None
) -> dict[str, int]:
    """Load régions, départements, EPCI and all communes; cantons and outlines for
    ``departements`` among GEO_DEPARTEMENTS (default: all six). Returns counts."""
    wanted = sorted(GEO_DEPARTEMENTS if departements is None else set(departements))
    unknown = [code for code in wanted if code not in GEO_DEPARTEMENTS]
    if unknown:
        raise ValueError(f"No boundaries shipped for département(s) {', '.join(unknown)}; "
                         f"available: {', '.join(GEO_DEPARTEMENTS)}")
    started = time.monotonic()

    def say(message: str) -> None:
        if progress:
            progress(f"[{time.monotonic() - started:5.1f} s] {message}")

    counts: dict[str, int] = {}
    counts["regions"] = _load_regions()
    counts["departements"] = _load_departements()
    say(f"{counts['regions']} régions, {counts['departements']} départements")
    counts["epci"], epci_of = _load_epci()
    say(f"{counts['epci']} intercommunalités")
    cog = read_data("cog/communes.json.gz")
    outlines = {code: _outlines(code, cog) for code in wanted}
    say(f"contours des communes : {', '.join(wanted) or 'aucun'}")
    counts["communes"], counts["commune_outlines"] = _load_communes(cog, epci_of, outlines)
    say(f"{counts['communes']} communes, dont {counts['commune_outlines']} avec contour")
    counts["cantons"] = _load_cantons(wanted)
    counts["commune_cantons"] = _load_commune_cantons(wanted, outlines)
    say(f"{counts['cantons']} cantons, {counts['commune_cantons']} liens commune–canton")
    return counts


# --- régions, départements, EPCI -------------------------------------------------------


def _load_regions() -> int:
    outlines = _features("geo/france/regions-version-simplifiee.geojson.gz")
    rows = [
        Region(code=r["code"], name=r["nom"], name_article=r.get("typeLiaison") or 0,
               geometry=_dump(outlines[r["code"]]["geometry"]) if r["code"] in outlines else "")
        for r in read_data("cog/regions.json.gz")
    ]
    _upsert(Region, rows, "code", ["name", "name_article", "geometry"])
    return len(rows)


def _load_departements() -> int:
    outlines = _features("geo/france/departements-version-simplifiee.geojson.gz")
    region_ids = _ids(Region)
    rows = [
        Departement(
            code=d["code"], name=d["nom"], name_article=d.get("typeLiaison") or 0,
            region_id=region_ids[d["region"]],
            geometry=_dump(outlines[d["code"]]["geometry"]) if d["code"] in outlines else "",
        )
        for d in read_data("cog/departements.json.gz")
    ]
    _upsert(Departement, rows, "code", ["name", "name_article", "region", "geometry"])
    return len(rows)


def _load_epci() -> tuple[int, dict[str, str]]:
    """Upsert the EPCI; return their count and {commune code: EPCI SIREN}."""
    data = read_data("cog/epci.json.gz")
    rows = [Epci(siren=e["code"], name=e["nom"], kind=e["type"],
                 population=e.get("populationMunicipale")) for e in data]
    _upsert(Epci, rows, "siren", ["name", "kind", "population"])
    return len(rows), {member: e["code"] for e in data for member in e["membres"]}


# --- communes ------------------------------------------------------------------------


@dataclass
class Outlines:
    """One département's 2018 layer matched to the 2026 communes."""

    parts: dict[str, Any]  # 2018 code → shapely geometry
    parent: dict[str, str]  # 2018 code → 2026 code (communes merged since 2018)
    communes: dict[str, tuple[str, float, float]]  # 2026 code → (GeoJSON, lon, lat)
    single: set[str]  # 2018 codes that lie in one canton by law (under 3,500 inhabitants)


def _outlines(departement: str, cog: list[dict]) -> Outlines:
    folder = GEO_DEPARTEMENTS[departement]
    raw = {code: f["geometry"]
           for code, f in _features(f"geo/departements/{folder}/communes-{folder}.geojson.gz")
           .items()}
    parsed = {code: geo.parse(geometry) for code, geometry in raw.items()}
    repaired = {code for code, shape in parsed.items() if not shape.is_valid}
    parts = {code: geo.to_shape(shape) for code, shape in parsed.items()}
    current = {c["code"]: c for c in cog}
    parent = {old: c["code"] for c in cog for old in c.get("anciensCodes", ())}
    groups: dict[str, list[str]] = {}
    for code in parts:
        groups.setdefault(code if code in current else parent.get(code, code), []).append(code)
    communes = {}
    for code, members in groups.items():
        if code not in current:
            continue  # no 2026 commune claims it (none in the shipped files)
        if len(members) == 1 and members[0] not in repaired:
            shape, text = parts[members[0]], _dump(raw[members[0]])
        else:  # merged since 2018, or repaired (14174): our own rounded GeoJSON
            shape = geo.union(parts[m] for m in members)
            text = _dump(geo.to_geojson(shape))
        lon, lat = geo.representative_point(shape)
        communes[code] = (text, round(lon, 6), round(lat, 6))
    single = {
        code for code in parts
        if code not in current or (current[code].get("population") or 0) < geo.UNSPLIT_POPULATION
    }
    return Outlines(parts, {c: parent[c] for c in parts if c not in current and c in parent},
                    communes, single)


def _load_communes(
    cog: list[dict], epci_of: dict[str, str], outlines: dict[str, Outlines]
) -> tuple[int, int]:
    departement_ids, epci_ids = _ids(Departement), _ids(Epci, "siren")
    with_outline, without = [], []
    for c in cog:
        commune = Commune(
            insee_code=c["code"], name=c["nom"], name_article=c.get("typeLiaison") or 0,
            search_name=normalize_name(c["nom"]),
            departement_id=departement_ids.get(c["departement"]),
            postal_codes=" ".join(c.get("codesPostaux", ())),
            population=c.get("population"),
            epci_id=epci_ids.get(epci_of.get(c["code"], "")),
        )
        if c["departement"] in outlines:
            text, lon, lat = outlines[c["departement"]].communes.get(c["code"], ("", None, None))
            commune.geometry, commune.longitude, commune.latitude = text, lon, lat
            with_outline.append(commune)
        else:
            without.append(commune)
    fields = ["name", "name_article", "search_name", "departement", "postal_codes",
              "population", "epci"]
    # Communes of other départements keep the outline a previous, wider load gave them.
    _upsert(Commune, without, "insee_code", fields)
    _upsert(Commune, with_outline, "insee_code", [*fields, "geometry", "longitude", "latitude"])
    return len(cog), sum(1 for c in with_outline if c.geometry)


# --- cantons ---------------------------------------------------------------------------


def _canton_features(departement: str) -> dict[str, dict]:
    folder = GEO_DEPARTEMENTS[departement]
    return _features(f"geo/departements/{folder}/cantons-{folder}.geojson.gz")


def _load_cantons(wanted: list[str]) -> int:
    departement_ids = _ids(Departement)
    rows = [
        Canton(code=code, name=f["properties"]["nom"],
               search_name=normalize_name(f["properties"]["nom"]),
               departement_id=departement_ids[departement], geometry=_dump(f["geometry"]))
        for departement in wanted
        for code, f in _canton_features(departement).items()
    ]
    _upsert(Canton, rows, "code", ["name", "search_name", "departement", "geometry"])
    return len(rows)


# Parts of split communes that the spatial join misses, the 2018 canton layer being too
# coarse (see lib/geo.py), from the cantons' legal description (the 2014 decree delimiting
# the Nord's cantons): Lille lies in each of its six cantons, Lille-1 and Lille-2 too.
# Share 0: the part's area is unknown, so the estimates by area leave it out.
MISSED_PARTS = {"59": {"59350": ("59023", "59024")}}


def _load_commune_cantons(wanted: list[str], outlines: dict[str, Outlines]) -> int:
    """The spatial join of each département's two layers (see lib/geo.py), upserted,
    with the parts it misses (MISSED_PARTS)."""
    commune_ids, canton_ids = _ids(Commune, "insee_code"), _ids(Canton)
    links: dict[tuple[int, int], float] = {}
    for departement in wanted:
        layer = outlines[departement]
        cantons = {code: f["geometry"] for code, f in _canton_features(departement).items()}
        by_part = geo.commune_cantons(layer.parts, cantons, single=layer.single)
        areas = {code: geo.area(layer.parts[code]) for code in by_part}
        for code, pairs in geo.merge_parts(by_part, areas, layer.parent).items():
            if code in commune_ids:
                for canton, share in pairs:
                    links[commune_ids[code], canton_ids[canton]] = round(share, 4)
        for code, missed in MISSED_PARTS.get(departement, {}).items():
            for canton in missed:
                if code in commune_ids and canton in canton_ids:
                    links.setdefault((commune_ids[code], canton_ids[canton]), 0.0)
    rows = [CommuneCanton(commune_id=commune, canton_id=canton, share=share)
            for (commune, canton), share in links.items()]
    CommuneCanton.objects.bulk_create(
        rows, batch_size=BATCH, update_conflicts=True, unique_fields=["commune", "canton"],
        update_fields=["share"],
    )
    stale = [
        pk for pk, commune, canton in CommuneCanton.objects.filter(
            canton__departement__code__in=wanted).values_list("id", "commune_id", "canton_id")
        if (commune, canton) not in links
    ]
    CommuneCanton.objects.filter(id__in=stale).delete()
    return len(rows)


def _dump(geometry: dict) -> str:
    return json.dumps(geometry, separators=(",", ":"))


# --- assemblies ----------------------------------------------------------------------

EPCI_COUNCILS = {"METRO": "Conseil métropolitain", "MET69": "Conseil métropolitain"}


def assembly_for(kind: str, code: str) -> Assembly:
    """The assembly of a loaded collectivité, created if need be.

    ("departement", "59") → "Conseil départemental du Nord"; ("region", "28") →
    "Conseil régional de Normandie"; ("commune", "59350") → "Conseil municipal de Lille";
    ("epci", SIREN) → "Conseil métropolitain — Métropole Européenne de Lille".
    Raises ``DoesNotExist`` when the territory is not loaded.
    """
    fields: dict[str, Any]
    if kind == Assembly.Kind.DEPARTEMENT:
        departement = Departement.objects.select_related("region").get(code=code)
        fields = {"name": f"Conseil départemental {departement.of_name}",
                  "departement": departement, "region": departement.region}
    elif kind == Assembly.Kind.REGION:
        region = Region.objects.get(code=code)
        fields = {"name": f"Conseil régional {region.of_name}", "region": region}
    elif kind == Assembly.Kind.COMMUNE:
        commune = Commune.objects.select_related("departement__region").get(insee_code=code)
        departement = commune.departement
        fields = {"name": f"Conseil municipal {commune.of_name}", "commune": commune,
                  "departement": departement, "region": departement and departement.region}
    elif kind == Assembly.Kind.EPCI:
        epci = Epci.objects.get(siren=code)
        council = EPCI_COUNCILS.get(epci.kind, "Conseil communautaire")
        fields = {"name": f"{council} — {epci.name}", "epci": epci}
    else:
        raise ValueError(f"Unknown assembly kind {kind!r}")
    assembly, created = Assembly.objects.get_or_create(kind=kind, code=code, defaults=fields)
    if not created:  # made before the territory was loaded: link what is missing
        missing = [f for f, value in fields.items()
                   if f != "name" and value is not None and getattr(assembly, f"{f}_id") is None]
        for f in missing:
            setattr(assembly, f, fields[f])
        if missing:
            assembly.save(update_fields=missing)
    return assembly
