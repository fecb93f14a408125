"""Names that other modules know, for the council's reports to recognise: the actors
directory's organisations, so that a report naming "Nord Nature Environnement" is linked
to that actor, and the actor's page lists the reports that cite it.

A source registers itself in its AppConfig.ready(). Plain functions, no framework; the
council never imports the actors module.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class KnownNameSource:
    key: str  # "actors.actor": the prefix of every reference this source gives
    # workspace -> (name, code) pairs; the reference of a name is f"{key}:{code}"
    names: Callable[[object], Iterable[tuple[str, str]]]
    # (workspace slug, code) -> the URL of the page of that name, or "" if it is gone
    url: Callable[[str, str], str]


KNOWN_NAME_SOURCES: dict[str, KnownNameSource] = {}


def known_name_source_register(source: KnownNameSource) -> None:
    KNOWN_NAME_SOURCES[source.key] = source


def known_names(workspace) -> list[tuple[str, str]]:
    """Every known (name, reference) of a workspace, e.g. ("Nord Nature Environnement",
    "actors.actor:6f1c…")."""
    return [(name, f"{key}:{code}") for key, source in sorted(KNOWN_NAME_SOURCES.items())
            for name, code in source.names(workspace)]


def known_name_url(workspace_slug: str, reference: str) -> str:
    key, _, code = reference.partition(":")
    source = KNOWN_NAME_SOURCES.get(key)
    return source.url(workspace_slug, code) if source is not None and code else ""
