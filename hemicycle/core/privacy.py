"""Personal data of a user, gathered from every module: for the GDPR right of access.

Each app that stores data about a user registers a function returning a JSON-ready
dict (or None) in its AppConfig.ready(); the profile's export calls them all.
"""

from collections.abc import Callable

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
