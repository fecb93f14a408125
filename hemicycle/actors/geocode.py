"""Offline geocoding: an INSEE code, or a postal code and a town name, → the commune,
its canton(s) and a point, from the territory app's tables. No online service.

A ``Gazetteer`` loads what it needs once (about 2,650 communes for the Nord's
neighbourhood; all of France is ~35,000 small tuples) and answers from memory, so an
import of 200,000 rows makes no query per row.
"""

from dataclasses import dataclass, field

from hemicycle.lib.text import normalize_name
from hemicycle.territory.models import Commune, CommuneCanton


@dataclass
class Place:
    commune_id: int | None = None
    canton_ids: list[int] = field(default_factory=list)
    latitude: float | None = None
    longitude: float | None = None
    approximate: bool = True


class Gazetteer:
    def __init__(self, communes=None):
        """All of France's communes, or only those of the ``communes`` queryset (one
        actor's form needs one or two)."""
        communes = Commune.objects.all() if communes is None else communes
        self.by_insee: dict[str, tuple[int, float | None, float | None]] = {}
        self.by_postal_name: dict[tuple[str, str], str] = {}
        self.by_postal: dict[str, list[str]] = {}
        for cid, insee, name, postal, lat, lon in communes.values_list(
                "id", "insee_code", "search_name", "postal_codes", "latitude", "longitude"):
            self.by_insee[insee] = (cid, lat, lon)
            for code in postal.split():
                self.by_postal_name[(code, name)] = insee
                self.by_postal.setdefault(code, []).append(insee)
        self.cantons: dict[int, list[int]] = {}
        links = CommuneCanton.objects.order_by("-share")
        if communes is not None:  # all of France: no 35,000-id IN list
            links = links.filter(commune__in=communes)
        for commune_id, canton_id in links.values_list("commune_id", "canton_id"):
            self.cantons.setdefault(commune_id, []).append(canton_id)
        self._canton_index = None

    def insee_for(self, insee: str = "", postal_code: str = "", city: str = "") -> str | None:
        insee = (insee or "").strip().upper()
        if insee in self.by_insee:
            return insee
        postal_code = (postal_code or "").strip()
        name = normalize_name(city or "")
        # "Lille Cedex", "Villeneuve-d'Ascq" spelled loosely: try the name, then the
        # postal code alone when it names one commune only.
        for candidate in (name, name.removesuffix(" cedex").strip()):
            found = self.by_postal_name.get((postal_code, candidate))
            if found:
                return found
        only = self.by_postal.get(postal_code, [])
        return only[0] if len(only) == 1 else None

    def locate(self, insee: str = "", postal_code: str = "", city: str = "",
               latitude: float | None = None, longitude: float | None = None) -> Place:
        code = self.insee_for(insee, postal_code, city)
        if code is None:
            return Place(latitude=latitude, longitude=longitude,
                         approximate=latitude is None)
        commune_id, lat, lon = self.by_insee[code]
        cantons = self.cantons.get(commune_id, [])
        if latitude is not None and longitude is not None:
            # The file's own point is better than the commune's, and decides between
            # the cantons of a split commune.
            if len(cantons) > 1:
                found = self._canton_at(latitude, longitude)
                cantons = [found] if found in cantons else cantons
            return Place(commune_id, cantons, latitude, longitude, approximate=False)
        return Place(commune_id, cantons, lat, lon, approximate=True)

    def _canton_at(self, latitude: float, longitude: float) -> int | None:
        from hemicycle.territory.models import Canton
        from hemicycle.territory.queries import _canton_index

        if self._canton_index is None:
            self._canton_index = (_canton_index(), dict(
                Canton.objects.values_list("code", "id")))
        index, ids = self._canton_index
        code = index.locate(longitude, latitude)
        return ids.get(code) if code else None
