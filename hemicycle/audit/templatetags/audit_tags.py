from django import template

from hemicycle.audit.services import audit_history

register = template.Library()


@register.inclusion_tag("audit/_history.html")
def history_for(obj, limit: int = 20) -> dict:
    """The "Historique" block of an object's page."""
    events = list(audit_history(obj)[: limit + 1])
    return {"events": events[:limit], "more": len(events) > limit}


@register.filter
def field_label(event, field_name: str) -> str:
    model = event.content_type.model_class() if event.content_type_id else None
    if model is None:
        return field_name
    try:
        return str(model._meta.get_field(field_name).verbose_name)
    except Exception:
        return field_name
