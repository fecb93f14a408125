"""The directory's organisations, known to the council's reports (see
hemicycle/core/known_names.py): a report that names one is linked to it."""

from django.urls import NoReverseMatch, reverse

from hemicycle.actors.models import Actor
from hemicycle.core.known_names import KnownNameSource


def organisation_names(workspace):
    """Name and code of each live organisation of the directory (not merged, dissolved
    or erased)."""
    return (Actor.objects.filter(workspace=workspace, type=Actor.Type.ORGANISATION,
                                 merged_into__isnull=True, dissolved_on__isnull=True,
                                 erased_at__isnull=True)
            .values_list("name", "code").iterator(chunk_size=5000))


def actor_url(workspace_slug: str, code: str) -> str:
    try:
        return reverse("actors:actor-detail", args=[workspace_slug, code])
    except NoReverseMatch:
        return ""


SOURCE = KnownNameSource("actors.actor", organisation_names, actor_url)
