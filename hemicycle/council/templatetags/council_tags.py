"""``{% reports_citing actor %}``: the "Cité dans les rapports" section of another
module's page (the actors directory), without that module importing the council."""

from django import template

from hemicycle.council.services.citations import reports_citing as reports_citing_query

register = template.Library()

SHOWN = 8
# The reference prefix of each kind of object another module shows (core/known_names).
REFERENCES = {("actors", "actor"): "actors.actor"}


@register.inclusion_tag("council/_reports_citing.html", takes_context=True)
def reports_citing(context, target) -> dict:
    request = context.get("request")
    workspace = getattr(request, "workspace", None)
    membership = getattr(request, "membership", None)
    prefix = REFERENCES.get((target._meta.app_label, target._meta.model_name))
    if (workspace is None or membership is None or not membership.can("read")
            or prefix is None or target.workspace_id != workspace.id):
        return {"show": False}
    reports = reports_citing_query(workspace, f"{prefix}:{target.code}")
    shown = list(reports[:SHOWN])
    count = len(shown) if len(shown) < SHOWN else reports.count()
    return {"show": True, "workspace": workspace, "reports": shown, "count": count,
            "more": count > len(shown)}
