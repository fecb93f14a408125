"""A clipping's life in the inbox: read state, tone and topics, links, search."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hemicycle.mediawatch import matching
from hemicycle.mediawatch.models import Clipping, Topic


def clipping_mark(*, clipping: Clipping, read: bool) -> Clipping:
    clipping.read_at = timezone.now() if read else None
    clipping.save(update_fields=["read_at", "updated_at"])
    return clipping


def clippings_mark_read(*, clippings: QuerySet[Clipping]) -> int:
    return clippings.filter(read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def clipping_tag(*, clipping: Clipping, tone: str, topics: list[str]) -> Clipping:
    """Set the tone and the topics (by name; new names become topics of the workspace)."""
    clipping.tone = tone
    clipping.save(update_fields=["tone", "updated_at"])
    names = list(dict.fromkeys(name.strip()[:60] for name in topics if name.strip()))
    existing = {t.name.lower(): t for t in Topic.objects.filter(workspace=clipping.workspace)}
    chosen = []
    for name in names:
        topic = existing.get(name.lower())
        if topic is None:
            topic = Topic.objects.create(workspace=clipping.workspace, name=name)
            existing[name.lower()] = topic
        chosen.append(topic)
    clipping.topics.set(chosen)
    return clipping


LINK_KINDS = ("actor", "report")


def _relation(clipping: Clipping, kind: str):
    if kind not in LINK_KINDS:
        raise ValidationError(_("Type de lien inconnu."))
    return clipping.actors if kind == "actor" else clipping.reports


def clipping_link_add(*, clipping: Clipping, kind: str, target) -> Clipping:
    """Link the clipping to an actor of the directory or a council report of the same
    workspace (anything else is refused, whatever the caller checked)."""
    if target.workspace_id != clipping.workspace_id:
        raise ValidationError(_("Cette fiche n'appartient pas à cet espace."))
    _relation(clipping, kind).add(target)
    return clipping


def clipping_link_remove(*, clipping: Clipping, kind: str, code: str) -> Clipping:
    relation = _relation(clipping, kind)
    try:
        relation.remove(*relation.filter(code=code))
    except (ValueError, ValidationError):  # not a UUID: nothing to remove
        pass
    return clipping


def clipping_search(clippings: QuerySet[Clipping], text: str) -> QuerySet[Clipping]:
    """Filter with the council's French search syntax, in the database (raises
    QueryError): each term is a substring of the padded, folded and stemmed text."""
    parsed = matching.query_parse(text)
    for clause in parsed.clauses:
        either = Q()
        for term in clause:
            either |= Q(search_text__contains=matching.needle(term))
        clippings = clippings.filter(either)
    for term in parsed.excluded:
        clippings = clippings.exclude(search_text__contains=matching.needle(term))
    return clippings
