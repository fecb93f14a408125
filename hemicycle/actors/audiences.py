"""The directory as audiences for the communication modules (core/audiences.py).

- purpose "newsletter": each segment, restricted to people and organisations with an
  e-mail, a consent given, not marked "do not e-mail", not erased;
- purpose "press": the media organisations and the people linked to them (a
  journalist's professional address: legitimate interest), minus "do not e-mail".
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hemicycle.actors.models import Actor, Relation, Segment
from hemicycle.actors.queries import actor_filter, actors_of, clean_filters
from hemicycle.core.audiences import Audience, AudienceSource, Recipient

PRESS = "press"


def _mailable(actors: QuerySet) -> QuerySet:
    return actors.exclude(email="").filter(no_email=False, erased_at=None)


def newsletter_recipients_of(workspace, segment: Segment) -> QuerySet:
    return _mailable(actor_filter(workspace, clean_filters(segment.filters))).filter(
        consent_status=Actor.Consent.GIVEN)


def press_recipients_of(workspace) -> QuerySet:
    media = actors_of(workspace).filter(kind=Actor.Kind.MEDIA)
    people = Relation.objects.filter(workspace=workspace, target__in=media).values("source_id")
    return _mailable(actors_of(workspace).filter(
        kind=Actor.Kind.MEDIA) | actors_of(workspace).filter(pk__in=people))


def audiences(workspace, purpose: str) -> list[Audience]:
    if purpose == "newsletter":
        return [Audience(str(s.code), s.name, newsletter_recipients_of(workspace, s).count())
                for s in Segment.objects.filter(workspace=workspace)]
    if purpose == "press":
        return [Audience(PRESS, str(_("Médias et journalistes de l’annuaire")),
                         press_recipients_of(workspace).count())]
    return []


def recipients(workspace, code: str, purpose: str):
    if purpose == "press" and code == PRESS:
        actors = press_recipients_of(workspace)
    elif purpose == "newsletter":
        segment = Segment.objects.filter(workspace=workspace, code=code).first() \
            if len(code) == 36 else None
        if segment is None:
            return
        actors = newsletter_recipients_of(workspace, segment)
    else:
        return
    for actor in actors.order_by("name").iterator(2000):
        yield Recipient(email=actor.email, name=actor.name, origin=f"actors.actor:{actor.code}",
                        extra={"commune": actor.city})


def unsubscribe(workspace, origin: str) -> None:
    """Someone unsubscribed from a mailing sent to an audience of the directory: the
    actor is marked "do not e-mail", which every later audience respects."""
    kind, _sep, code = origin.partition(":")
    if kind != "actors.actor" or len(code) != 36:
        return
    actor = Actor.objects.filter(workspace=workspace, code=code).first()
    if actor is not None and not actor.no_email:
        actor.no_email = True
        actor.save(update_fields=["no_email", "updated_at"])


SOURCE = AudienceSource(key="actors.directory", label=_("Annuaire des acteurs"),
                        audiences=audiences, recipients=recipients, unsubscribe=unsubscribe)
