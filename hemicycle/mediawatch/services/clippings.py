"""A clipping's life in the inbox: read state, tone and topics, links, search."""

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from hemicycle.mediawatch import query
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


def clipping_link_add(*, clipping: Clipping, kind: str, label: str, url: str = "",
                      code: str = "") -> Clipping:
    """Link to an actor or a report: a generic reference (kind + code), with the label
    and address it had, so that the link still reads well if the target goes away."""
    links = [link for link in clipping.links
             if not (link.get("kind") == kind and (link.get("code") or link.get("label"))
                     == (code or label))]
    links.append({"kind": kind, "code": code, "label": label, "url": url})
    clipping.links = links
    clipping.save(update_fields=["links", "updated_at"])
    return clipping


def clipping_link_remove(*, clipping: Clipping, index: int) -> Clipping:
    if 0 <= index < len(clipping.links):
        clipping.links = [link for i, link in enumerate(clipping.links) if i != index]
        clipping.save(update_fields=["links", "updated_at"])
    return clipping


def clipping_search(clippings: QuerySet[Clipping], text: str) -> QuerySet[Clipping]:
    """Filter with the French search syntax, in the database (raises QueryError)."""
    node = query.parse(text)
    return clippings if node is None else clippings.filter(_q(node))


def _q(node) -> Q:
    if isinstance(node, query.Term):
        found = Q()
        for needle in node.needles():
            found |= Q(search_text__contains=needle)
        return found
    if isinstance(node, query.Not):
        return ~_q(node.node)
    combined = Q()
    for child in node.nodes:
        combined = (combined & _q(child)) if isinstance(node, query.And) else (
            combined | _q(child))
    return combined
