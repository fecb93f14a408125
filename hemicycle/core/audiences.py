"""Who a message can go to, gathered from every module: the hook between the modules
that know people (actors: segments of the directory, press contacts) and the modules
that write to them (newsletters, press releases).

A source registers itself in its AppConfig.ready(). Plain functions, no framework.
Recipients are only those who may be written to: a source must leave out anyone without
the consent the purpose needs, anyone marked "do not contact", and anyone erased.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str = ""
    # Where the address comes from, e.g. "actors.person:<uuid>": a newsletter keeps it to
    # honour an unsubscribe or an erasure back in the source.
    origin: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Audience:
    code: str  # stable within the source, e.g. a segment's UUID
    label: str
    count: int | None = None  # how many recipients, when cheap to know


@dataclass(frozen=True)
class AudienceSource:
    key: str  # "actors.segments", "actors.press"
    label: str  # lazy translation, shown as the group heading in a chooser
    # purpose: "newsletter" or "press"; returns the audiences a workspace has
    audiences: Callable[[object, str], list[Audience]]
    # (workspace, audience code, purpose) -> the recipients, consent already applied
    recipients: Callable[[object, str, str], Iterable[Recipient]]
    # (workspace, recipient origin): the person unsubscribed from a message sent to this
    # audience; the source records it (e.g. "do not e-mail") so no module writes again.
    unsubscribe: Callable[[object, str], None] | None = None


AUDIENCE_SOURCES: dict[str, AudienceSource] = {}


def audience_source_register(source: AudienceSource) -> None:
    AUDIENCE_SOURCES[source.key] = source


def audience_list(workspace, purpose: str) -> list[tuple[AudienceSource, list[Audience]]]:
    return [(source, source.audiences(workspace, purpose))
            for _key, source in sorted(AUDIENCE_SOURCES.items())]


def audience_recipients(workspace, source_key: str, code: str, purpose: str) -> list[Recipient]:
    """The recipients of one audience, deduplicated by e-mail (case-insensitive)."""
    source = AUDIENCE_SOURCES.get(source_key)
    if source is None:
        return []
    seen, unique = set(), []
    for recipient in source.recipients(workspace, code, purpose):
        key = recipient.email.strip().lower()
        if key and key not in seen:
            seen.add(key)
            unique.append(recipient)
    return unique


def audience_unsubscribe(workspace, origin: str) -> bool:
    """Tell the source a recipient came from that they unsubscribed; True if one did."""
    for source in AUDIENCE_SOURCES.values():
        if source.unsubscribe is not None and origin.startswith(f"{source.key.split('.')[0]}."):
            source.unsubscribe(workspace, origin)
            return True
    return False
