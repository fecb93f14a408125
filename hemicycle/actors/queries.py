"""Reads shared by the list, the map, segments, exports and the audience hook.

The filters are a plain dict of strings (a query string, or a saved segment's
``filters``); ``actor_filter`` applies them to the workspace's actors. Every query
starts from the workspace, and leaves out actors merged into another.
"""

import datetime

from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce

from hemicycle.actors.models import Actor, Tag, Theme
from hemicycle.lib.text import normalize_name

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


def actor_filter(workspace, filters: dict[str, str]) -> QuerySet[Actor]:
    """The workspace's actors matching every filter given (unknown values match none)."""
    actors = actors_of(workspace)
    for word in search_terms(filters.get("q", "")):
        actors = actors.filter(search_text__contains=word)
    if filters.get("type") in Actor.Type.values:
        actors = actors.filter(type=filters["type"])
    if filters.get("categorie"):
        actors = actors.filter(kind=filters["categorie"])
    if filters.get("theme"):
        theme = Theme.objects.filter(workspace=workspace, code=_uuid(filters["theme"])).first()
        ids = theme.descendant_ids() if theme else set()
        actors = actors.filter(
            pk__in=Actor.themes.through.objects.filter(theme_id__in=ids).values("actor_id"))
    if filters.get("etiquette"):
        tag = Tag.objects.filter(workspace=workspace, name=filters["etiquette"]).first()
        actors = actors.filter(
            pk__in=Actor.tags.through.objects.filter(tag_id=tag.pk if tag else 0)
            .values("actor_id"))
    if filters.get("canton"):
        actors = actors.filter(pk__in=Actor.cantons.through.objects.filter(
            canton__code=filters["canton"]).values("actor_id"))
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
