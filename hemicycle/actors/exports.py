"""The directory as files: CSV, XLSX and vCard. Rows are streamed from the database."""

import csv
import io
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

COLUMNS = [
    ("type", _("Type")), ("kind", _("Catégorie")), ("name", _("Nom")), ("email", _("E-mail")),
    ("phone", _("Téléphone")), ("website", _("Site web")), ("street", _("Adresse")),
    ("postal_code", _("Code postal")), ("city", _("Ville")), ("commune", _("Code INSEE")),
    ("rna_id", _("RNA")), ("siren", _("SIREN")), ("siret", _("SIRET")),
    ("last_contact_on", _("Dernier contact")), ("next_follow_up_on", _("Prochaine relance")),
]


def rows(actors: QuerySet) -> Iterator[list[str]]:
    actors = actors.select_related("commune").order_by("name", "pk")
    for actor in actors.iterator(2000):
        values = []
        for key, _column in COLUMNS:
            if key == "commune":
                value = actor.commune.insee_code if actor.commune_id else ""
            elif key in ("type", "kind"):
                value = getattr(actor, f"get_{key}_display")() if getattr(actor, key) else ""
            else:
                value = getattr(actor, key)
            values.append("" if value is None else str(value))
        yield values


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(actors: QuerySet) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([str(label) for _key, label in COLUMNS])
    for row in rows(actors):
        yield writer.writerow(row)


def xlsx_bytes(actors: QuerySet) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Acteurs")
    sheet.append([str(label) for _key, label in COLUMNS])
    for row in rows(actors):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _vcard_escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def vcard(actor) -> str:
    """One vCard 3.0 (RFC 2426) card."""
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{_vcard_escape(actor.name)}"]
    if actor.is_person:
        lines.append(f"N:{_vcard_escape(actor.last_name)};{_vcard_escape(actor.first_name)};;;")
    else:
        lines += [f"N:{_vcard_escape(actor.name)};;;;", f"ORG:{_vcard_escape(actor.name)}"]
    if actor.email:
        lines.append(f"EMAIL;TYPE=INTERNET:{actor.email}")
    if actor.phone:
        lines.append(f"TEL;TYPE=WORK:{_vcard_escape(actor.phone)}")
    if actor.street or actor.city:
        lines.append("ADR;TYPE=WORK:;;" + ";".join(_vcard_escape(v) for v in (
            actor.street, actor.city, "", actor.postal_code, "France")))
    if actor.website:
        lines.append(f"URL:{actor.website}")
    if actor.latitude is not None and actor.longitude is not None:
        lines.append(f"GEO:{actor.latitude:.5f};{actor.longitude:.5f}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def vcards(actors: Iterable) -> Iterator[str]:
    for actor in actors.iterator(2000) if hasattr(actors, "iterator") else actors:
        yield vcard(actor)
