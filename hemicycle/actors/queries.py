"""Reads shared by the list, the map, segments, exports and the audience hook.

The filters are a plain dict of strings (a query string, or a saved segment's
``filters``); ``actor_filter`` applies them to the workspace's actors. Every query
starts from the workspace, and leaves out actors merged into another.
"""

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from hemicycle.actors.models import Actor, Tag, Theme
from hemicycle.lib.text import normalize_name

# Past this many located actors the map gets one circle per commune instead of markers
# (Leaflet clusters them anyway; 200,000 markers would only weigh on the browser).
MAX_POINTS = 5000
PAGE_SIZE = 50
# Past this many actors found, the list's page walks the name index (see actor_page).
WALK_FROM = 1000

FILTER_KEYS = ("q", "type", "categorie", "theme", "etiquette", "canton", "commune",
               "contact_avant", "contact_apres", "suivi", "email", "consentement")


def clean_filters(data) -> dict[str, str]:
    """The known filters with a value, from a QueryDict or a dict."""
    found = {}
    for key in FILTER_KEYS:
        value = (data.get(key) or "").strip() if hasattr(data, "get") else ""
        if value:
            found[key] = value[:200]
    return found


def actors_of(workspace) -> QuerySet[Actor]:
    return Actor.objects.filter(workspace=workspace, merged_into=None)


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def search_terms(text: str) -> list[str]:
    return [word for word in normalize_name(text).split() if word][:8]


def actor_filter(workspace, filters: dict[str, str], walk: bool = False) -> QuerySet[Actor]:
    """The workspace's actors matching every filter given (unknown values match none).

    ``walk``: for reading the first rows in an index's order (the list's page) when many
    match; the link tables are then checked per actor (EXISTS) as the index is walked.
    """
    actors = actors_of(workspace)
    for word in search_terms(filters.get("q", "")):
        actors = actors.filter(search_text__contains=word)
    if filters.get("type") in Actor.Type.values:
        actors = actors.filter(type=filters["type"])
    if filters.get("categorie"):
        actors = actors.filter(kind=filters["categorie"])
    # Themes, tags and cantons live in link tables: one "id IN (…)" over the most
    # selective link (the canton's, then the tag's), the others checked with EXISTS per
    # actor found, so SQLite reads only those actors' rows, never the 200,000.
    links = []
    if filters.get("canton"):
        links.append(Actor.cantons.through.objects.filter(canton__code=filters["canton"]))
    if filters.get("etiquette"):
        tag = Tag.objects.filter(workspace=workspace, name=filters["etiquette"]).first()
        links.append(Actor.tags.through.objects.filter(tag_id=tag.pk if tag else 0))
    if filters.get("theme"):
        theme = Theme.objects.filter(workspace=workspace, code=_uuid(filters["theme"])).first()
        links.append(Actor.themes.through.objects.filter(
            theme_id__in=theme.descendant_ids() if theme else []))
    if links and walk:
        for link in links:
            actors = actors.filter(Exists(link.filter(actor_id=OuterRef("pk"))))
    elif links:
        found = links[0]
        for other in links[1:]:
            found = found.filter(Exists(other.filter(actor_id=OuterRef("actor_id"))))
        actors = actors.filter(pk__in=found.values("actor_id"))
    if filters.get("commune"):
        actors = actors.filter(commune__insee_code=filters["commune"])
    before, after = _date(filters.get("contact_avant", "")), _date(
        filters.get("contact_apres", ""))
    if filters.get("contact_avant"):
        # "Not contacted since": never contacted counts too.
        # One comparison, not an OR: an OR would read both index ranges, then every
        # matching row of the table; this scans the narrow covering index instead.
        actors = actors.alias(last_contact_or_never=Coalesce(
            "last_contact_on", Value(datetime.date.min))).filter(
            last_contact_or_never__lt=before) if before else actors.none()
    if filters.get("contact_apres"):
        actors = actors.filter(last_contact_on__gte=after) if after else actors.none()
    if filters.get("suivi"):
        value = filters["suivi"]
        actors = actors.filter(follower_id=int(value)) if value.isdigit() else (
            actors.filter(follower=None) if value == "aucun" else actors.none())
    if filters.get("email") == "1":
        actors = actors.exclude(email="")
    elif filters.get("email") == "0":
        actors = actors.filter(email="")
    if filters.get("consentement"):
        actors = actors.filter(consent_status=filters["consentement"])
    return actors


def _uuid(value: str):
    import uuid

    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def actor_page(workspace, filters: dict[str, str], number=1) -> Page:
    """The list's page: the count, then 50 actors in name order.

    With a theme, tag or canton, the count reads only the linked actors' rows; the page
    then walks the name index when many match (its first 50 come quickly), or sorts the
    few found otherwise."""
    count = actor_filter(workspace, filters).count()
    walk = count > WALK_FROM and any(filters.get(k) for k in ("theme", "etiquette", "canton"))
    actors = actor_filter(workspace, filters, walk=walk).select_related("commune").only(
        "code", "type", "kind", "name", "city", "commune__name", "email", "last_contact_on",
        "next_follow_up_on", "dissolved_on", "erased_at")
    paginator = Paginator(actors.order_by("name", "pk"), PAGE_SIZE)
    paginator.count = count  # a cached property: counted once, above
    return paginator.get_page(number)


@dataclass
class AreaCounts:
    """The filtered actors by place: what the map's markers and choropleth show."""

    total: int = 0  # actors
    located: int = 0  # actors with a point
    communes: dict[int, int] = field(default_factory=dict)  # commune id → located actors
    # canton id → {"n": actors, "contacted": those contacted since the date given}
    cantons: dict[int, dict] = field(default_factory=dict)

    def add(self, canton_id: int, n: int, contacted: int) -> None:
        row = self.cantons.setdefault(canton_id, {"n": 0, "contacted": 0})
        row["n"] += n
        row["contacted"] += contacted


def actor_areas(actors: QuerySet[Actor], since: datetime.date) -> AreaCounts:
    """Counts per commune and per canton in one GROUP BY on (commune, canton), which
    SQLite reads in the order of the ``actor_live_area`` index (no sort, no table).

    An actor of a split commune not yet placed (several cantons, ``canton`` empty)
    counts in each canton of its commune; only actors whose cantons were chosen by hand
    (``cantons_chosen``, rare) are counted from the link table.
    """
    from hemicycle.territory.models import CommuneCanton

    recent = Q(last_contact_on__gte=since)
    rows = actors.order_by().values_list("commune_id", "canton_id").annotate(
        n=Count("pk", filter=Q(cantons_chosen=False)),
        contacted=Count("pk", filter=recent & Q(cantons_chosen=False)),
        located=Count("pk", filter=Q(latitude__isnull=False)),
        chosen=Count("pk", filter=Q(cantons_chosen=True)))
    areas = AreaCounts()
    split: dict[int, tuple[int, int]] = {}
    chosen = 0
    for commune_id, canton_id, n, contacted, located, by_hand in rows:
        areas.total += n + by_hand
        areas.located += located
        chosen += by_hand
        if commune_id is not None and located:
            areas.communes[commune_id] = areas.communes.get(commune_id, 0) + located
        if canton_id is not None:
            areas.add(canton_id, n, contacted)
        elif commune_id is not None and n:
            split[commune_id] = (n, contacted)
    if split:
        for commune_id, canton_id in CommuneCanton.objects.filter(
                commune_id__in=list(split)).values_list("commune_id", "canton_id"):
            areas.add(canton_id, *split[commune_id])
    if chosen:
        links = Actor.cantons.through.objects.filter(actor__in=actors.filter(
            canton=None, cantons_chosen=True).values("pk")).order_by().values("canton_id")
        for canton_id, n, contacted in links.annotate(
                n=Count("actor_id"), contacted=Count("actor_id", filter=Q(
                    actor__last_contact_on__gte=since))).values_list(
                "canton_id", "n", "contacted"):
            areas.add(canton_id, n, contacted)
    return areas


def map_data(workspace, filters: dict[str, str], since: datetime.date) -> dict:
    """The map's feed: the located actors as markers ``[lat, lon, code, name, kind]``,
    or past MAX_POINTS one circle per commune ``[lat, lon, name, insee, count]``, and
    the canton choropleth ``{code: [actors, contacted since]}``."""
    from hemicycle.territory.models import Canton, Commune

    actors = actor_filter(workspace, filters)
    areas = actor_areas(actors, since)
    points, groups = [], []
    if 0 < areas.located <= MAX_POINTS:
        # The ids found in the covering indexes first, then only those rows of the table
        # (filtering the table itself would read all of it). No ordering: none needed.
        located = actors.exclude(latitude=None).order_by().values("pk")
        points = [[round(lat, 5), round(lon, 5), str(code), name, kind or kind_type]
                  for lat, lon, code, name, kind, kind_type in Actor.objects.filter(
                      pk__in=located).order_by().values_list(
                      "latitude", "longitude", "code", "name", "kind", "type")]
    elif areas.communes:
        groups = [[round(lat, 5), round(lon, 5), name, insee, areas.communes[pk]]
                  for pk, lat, lon, name, insee in Commune.objects.filter(
                      pk__in=list(areas.communes)).exclude(latitude=None).values_list(
                      "pk", "latitude", "longitude", "name", "insee_code")]
    codes = dict(Canton.objects.filter(pk__in=list(areas.cantons)).values_list("pk", "code"))
    return {"count": areas.located, "points": points, "groups": groups,
            "cantons": {codes[pk]: [row["n"], row["contacted"]]
                        for pk, row in areas.cantons.items() if pk in codes}}


def themes_of(workspace) -> list[Theme]:
    """The workspace's themes, each parent followed by its children (depth-first)."""
    themes = list(Theme.objects.filter(workspace=workspace).order_by("name"))
    children: dict[int | None, list[Theme]] = {}
    for theme in themes:
        children.setdefault(theme.parent_id, []).append(theme)
    ordered: list[Theme] = []

    def visit(parent_id, depth):
        for theme in children.get(parent_id, []):
            theme.depth = depth
            ordered.append(theme)
            visit(theme.pk, depth + 1)

    visit(None, 0)
    return ordered


def overdue_follow_ups(workspace, today: datetime.date, limit: int = 10) -> QuerySet:
    from hemicycle.actors.models import Interaction

    return (Interaction.objects.filter(workspace=workspace, follow_up_done=False,
                                       follow_up_on__lte=today)
            .prefetch_related("actors").order_by("follow_up_on")[:limit])
