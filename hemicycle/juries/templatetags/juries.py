from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """{{ dict|get:key }}"""
    return (mapping or {}).get(key, "")


@register.simple_tag
def pool_count(volunteers, feature: str, value: str) -> int:
    return sum(1 for v in volunteers if v.features.get(feature) == value
               and v.status != "declined")


@register.filter
def percent(value) -> str:
    return f"{float(value or 0) * 100:.1f}\u00a0%".replace(".", ",")


@register.filter
def mark(value) -> str:
    return "—" if value is None else f"{float(value):.2f}".replace(".", ",")


@register.filter
def euros(value) -> str:
    """11500 → "11 500 €" (narrow no-break spaces, as in budgeting.money)."""
    from hemicycle.juries.budgeting import money

    if value in (None, ""):
        return "—"
    return money(value)
