"""``{% clippings_for actor %}``: the "Dans la presse" section of another module's page.

The actors and council modules show the clippings linked to one of their objects without
importing the media watch: their templates load this library. The section appears only
to members who may read the media watch, and only lists the clippings of the page's
workspace.
"""

from django import template
from django.db.models import F, Prefetch

from hemicycle.mediawatch.models import Clipping, Sighting

register = template.Library()

SHOWN = 5

# The relation of Clipping that points to each kind of object, and the inbox filter.
RELATIONS = {
    ("actors", "actor"): ("actors", "acteur"),
    ("council", "report"): ("reports", "rapport"),
}


@register.inclusion_tag("mediawatch/_clippings_for.html", takes_context=True)
def clippings_for(context, target) -> dict:
    request = context.get("request")
    workspace = getattr(request, "workspace", None)
    membership = getattr(request, "membership", None)
    relation = RELATIONS.get((target._meta.app_label, target._meta.model_name))
    if (workspace is None or membership is None or not membership.can("read")
            or relation is None or target.workspace_id != workspace.id):
        return {"show": False}
    field, inbox_filter = relation
    clippings = Clipping.objects.filter(workspace=workspace, **{field: target})
    shown = list(clippings.prefetch_related(
        Prefetch("sightings", queryset=Sighting.objects.select_related("source")),
    ).order_by(F("published_at").desc(nulls_last=True), "-created_at", "-pk")[:SHOWN])
    count = len(shown) if len(shown) < SHOWN else clippings.count()
    return {
        "show": True,
        "workspace": workspace,
        "clippings": shown,
        "count": count,
        "more": count > len(shown),
        "inbox_query": f"{inbox_filter}={target.code}",
    }
