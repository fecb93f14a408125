"""Personal data across modules, for the GDPR.

- Right of access: each app that stores data about a user registers a function
  returning a JSON-ready dict (or None) in its AppConfig.ready(); the profile's export
  calls them all.
- Register of processing activities: each app declares its processing
  (``processing_register``); the directory's privacy page shows the whole register.
"""

from collections.abc import Callable
from dataclasses import dataclass

PersonalDataExporter = Callable[[object], dict | list | None]

PERSONAL_DATA_EXPORTERS: dict[str, PersonalDataExporter] = {}


def personal_data_exporter_register(key: str, exporter: PersonalDataExporter) -> None:
    PERSONAL_DATA_EXPORTERS[key] = exporter


def personal_data_export(user) -> dict:
    data = {}
    for key, exporter in sorted(PERSONAL_DATA_EXPORTERS.items()):
        section = exporter(user)
        if section:
            data[key] = section
    return data


# --- the register of processing activities (GDPR article 30) --------------------------
#
# Each module that processes personal data declares its processing in its
# AppConfig.ready(): a function of the workspace returning ``Processing`` entries (it may
# read the workspace's settings, e.g. whether a campaign measures opens). The directory's
# privacy page lists them all after its own entry.


@dataclass(frozen=True)
class Processing:
    title: str
    purpose: str
    lawful_basis: str
    data: str
    retention: str
    recipients: str
    # What this workspace has turned on, and what to watch (CNIL recommendations).
    notes: tuple[str, ...] = ()
    # The module's page, for "where is it managed".
    url: str = ""


ProcessingDescriber = Callable[[object], list[Processing]]

PROCESSING_DESCRIBERS: dict[str, tuple[int, ProcessingDescriber]] = {}


def processing_register(key: str, describe: ProcessingDescriber, order: int = 100) -> None:
    PROCESSING_DESCRIBERS[key] = (order, describe)


def processing_list(workspace) -> list[Processing]:
    entries = []
    for _order, describe in sorted(PROCESSING_DESCRIBERS.values(), key=lambda v: v[0]):
        entries.extend(describe(workspace))
    return entries
