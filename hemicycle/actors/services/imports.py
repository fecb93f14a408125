"""Imports of actors: the RNA file and spreadsheets (CSV, XLSX), with deduplication,
offline geocoding, a dry run, per-row errors and undo.

One pipeline for both formats: a reader (rna.py) streams rows, ``_Importer`` turns
them into actors in chunks of CHUNK rows — one transaction and a few bulk queries per
chunk, so 200,000 rows take seconds and memory stays flat — and records the progress
on the ``ImportBatch`` between chunks (the page polls it). A large RNA file is read,
checked and decided (new, update, duplicate candidate) in a forked child process while
this one writes (two cores at work; see ``_Importer.run``). Bulk writes bypass the audit
signals: the batch records one summary event instead (audit/services.py).
"""

import csv
import io
import operator
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hemicycle.actors import identifiers, matching, rna
from hemicycle.actors.geocode import Gazetteer
from hemicycle.actors.matching import fast_normalize
from hemicycle.actors.models import (
    Actor,
    DuplicateCandidate,
    ImportBatch,
    ImportChange,
    Tag,
    actor_canton_sync,
)
from hemicycle.audit.models import AuditEvent
from hemicycle.audit.services import audit_record
from hemicycle.lib.forked import forked_map

__all__ = ["IMPORT_FIELDS", "ImportReport", "import_batch_create", "import_batch_run",
           "import_batch_undo", "import_batch_undo_start", "import_batch_undo_state",
           "import_file_header", "import_preview", "import_errors_csv",
           "import_cantons_undecided", "import_cantons_choose", "actors_import_file"]

# Rows per transaction. Each commit rewrites every index page its rows touched, and the
# list's covering indexes are ordered by name: with 20,000 rows a chunk, a 200,000-row
# file writes 2.5 times less to SQLite's journal than with 5,000 (bench_rna_import).
CHUNK = 20000
# From this size, an RNA file is read in a second process (forked_map, which forks only
# where there is a second core).
PARALLEL_MIN_BYTES = 4 * 1024 * 1024
# What _decide makes of a row.
_DUPLICATE_ROW, _SKIPPED, _UPDATE, _NEW = "duplicate-row", "skipped", "update", "new"
MAX_ERRORS = 1000
MAX_FILE_BYTES = 200 * 1024 * 1024

# Fields a spreadsheet column can be mapped to, with their French label.
IMPORT_FIELDS = {
    "name": _lazy("Nom (structure ou personne)"),
    "first_name": _lazy("Prénom"),
    "last_name": _lazy("Nom de famille"),
    "type": _lazy("Type (structure / personne)"),
    "kind": _lazy("Catégorie"),
    "email": _lazy("E-mail"),
    "phone": _lazy("Téléphone"),
    "website": _lazy("Site web"),
    "street": _lazy("Adresse"),
    "postal_code": _lazy("Code postal"),
    "city": _lazy("Ville"),
    "insee_code": _lazy("Code INSEE"),
    "rna_id": _lazy("Numéro RNA"),
    "siren": _lazy("SIREN"),
    "siret": _lazy("SIRET"),
    "latitude": _lazy("Latitude"),
    "longitude": _lazy("Longitude"),
    "description": _lazy("Objet, présentation"),
    "notes": _lazy("Notes"),
    "tags": _lazy("Étiquettes (séparées par des virgules)"),
}
# Spreadsheet headers recognised without a mapping screen (normalised).
HEADER_GUESSES = {
    "nom": "name", "raison sociale": "name", "structure": "name", "titre": "name",
    "prenom": "first_name", "nom de famille": "last_name", "type": "type",
    "categorie": "kind", "e mail": "email", "email": "email", "courriel": "email",
    "mail": "email", "telephone": "phone", "tel": "phone", "site web": "website",
    "site": "website", "adresse": "street", "code postal": "postal_code", "cp": "postal_code",
    "ville": "city", "commune": "city", "code insee": "insee_code", "insee": "insee_code",
    "rna": "rna_id", "numero rna": "rna_id", "siren": "siren", "siret": "siret",
    "latitude": "latitude", "lat": "latitude", "longitude": "longitude", "lon": "longitude",
    "objet": "description", "notes": "notes", "etiquettes": "tags", "tags": "tags",
}
# What a record holds when its file has no such column.
RECORD_DEFAULTS = {**dict.fromkeys(IMPORT_FIELDS, ""), "latitude": None, "longitude": None,
                   "created_on": None, "dissolved_on": None, "type": "organisation"}
UPDATABLE = ("name", "description", "street", "postal_code", "city", "commune_id",
             "latitude", "longitude", "approximate_position", "website", "siret",
             "created_on", "dissolved_on", "phone", "email", "kind", "siren", "rna_id")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0  # candidate pairs found for review
    skipped: int = 0  # dissolved associations left out
    undecided: int = 0  # created in a commune split between cantons, with no point
    errors: list[tuple[int, str]] = field(default_factory=list)
    rows: int = 0
    dry_run: bool = False

    def as_counts(self) -> dict:
        return {"rows": self.rows, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "duplicates": self.duplicates,
                "skipped": self.skipped, "undecided": self.undecided,
                "errors": len(self.errors)}


def guess_mapping(header: list[str]) -> dict[str, str]:
    from hemicycle.lib.text import normalize_name

    mapping, used = {}, set()
    for column in header:
        guess = HEADER_GUESSES.get(normalize_name(column))
        if guess and guess not in used:
            mapping[column] = guess
            used.add(guess)
    return mapping


def _open_rows(path: str, fmt: str) -> tuple[list[str], Iterator[rna.Row], object]:
    if path.lower().endswith(".xlsx"):
        header, rows = rna.read_xlsx(path)
        return header, rows, None
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller
    try:
        if fmt == ImportBatch.Format.RNA:
            header, rows = rna.read_csv(raw, delimiter=";", columns=rna.RNA_COLUMNS)
        else:
            header, rows = rna.read_csv(raw)
    except Exception:
        raw.close()
        raise
    return header, rows, raw


def import_file_header(path: str, fmt: str) -> list[str]:
    header, _rows, raw = _open_rows(path, fmt)
    if raw:
        raw.close()
    return header


def import_preview(path: str, fmt: str, mapping: dict, limit: int = 10) -> list[dict]:
    """The first rows as they would be imported (the mapping screen's preview)."""
    header, rows, raw = _open_rows(path, fmt)
    out = []
    try:
        for row in rows:
            record = _record(row.values, fmt, mapping)
            out.append({"line": row.line, "record": record, "error": _row_error(record)})
            if len(out) >= limit:
                break
    finally:
        if raw:
            raw.close()
    return out


def _record(values: dict, fmt: str, mapping: dict) -> dict:
    if fmt == ImportBatch.Format.RNA:
        record = rna.rna_record(values)
        record["kind"] = Actor.Kind.ASSOCIATION
        record["type"] = Actor.Type.ORGANISATION
        return record
    record = {ours: values.get(column, "") for column, ours in mapping.items() if ours}
    kind = record.get("type", "").lower()
    record["type"] = (Actor.Type.PERSON if kind.startswith(("pers", "indiv"))
                      or (not record.get("name") and record.get("last_name"))
                      else Actor.Type.ORGANISATION)
    # A "Type" column often holds the category ("Association", "Média"): use it so.
    type_word = kind.startswith(("pers", "indiv", "struct", "orga"))
    record["kind"] = _kind(record.get("kind", "") or ("" if type_word else kind))
    if record["type"] == Actor.Type.PERSON:
        record["kind"] = ""
    record["dissolved"] = False
    return record


def _kind(label: str) -> str:
    from hemicycle.lib.text import normalize_name

    key = normalize_name(label)
    if not key:
        return ""
    for value, text in Actor.Kind.choices:
        if key in (value, normalize_name(str(text))) or normalize_name(str(text)).startswith(key):
            return value
    return Actor.Kind.OTHER


def _row_error(record: dict) -> str:
    """A readable reason why the row cannot be imported, or "" (messages are translated
    only when needed: this runs 200,000 times)."""
    if not (record.get("name") or record.get("last_name")):
        return _("nom manquant")
    for key, check in (("rna_id", identifiers.is_rna), ("siren", identifiers.is_siren),
                       ("siret", identifiers.is_siret)):
        if record.get(key):
            record[key] = identifiers.clean(record[key])
            if not check(record[key]):
                labels = {"rna_id": _("numéro RNA invalide"), "siren": _("SIREN invalide"),
                          "siret": _("SIRET invalide")}
                return f"{labels[key]} : {record[key]}"
    if record.get("email"):
        record["email"] = matching.normalize_email(record["email"])
        try:
            validate_email(record["email"])
        except ValidationError:
            return _("e-mail invalide : %(email)s") % {"email": record["email"]}
    for key in ("latitude", "longitude"):
        if record.get(key):
            try:
                record[key] = float(str(record[key]).replace(",", "."))
            except ValueError:
                return _("coordonnée invalide : %(value)s") % {"value": record[key]}
        else:
            record[key] = None
    return ""


class _Importer:
    """State of one import: the workspace's keys and names, loaded once."""

    def __init__(self, batch: ImportBatch, skip_dissolved: bool = True):
        self.batch, self.workspace = batch, batch.workspace
        self.skip_dissolved = skip_dissolved
        self.report = ImportReport(dry_run=batch.dry_run)
        self.gazetteer = Gazetteer()
        self.by_key: dict[tuple[str, str], int] = {}
        self.names = matching.NameIndex()
        existing = Actor.objects.filter(workspace=self.workspace, merged_into=None)
        for pk, name, commune, rna_id, siren, email in existing.values_list(
                "pk", "name", "commune_id", "rna_id", "siren", "email").iterator(10000):
            self._remember(pk, matching.name_key(name), commune, rna_id, siren, email)
        # Temporary ids of the actors of this import (negative), and their real ones.
        self.fake_ids = -1
        self.real_ids: dict[int, int] = {}
        self.tags: dict[str, Tag] = {}
        self.cities: dict[str, str] = {}
        self.places: dict[tuple, object] = {}
        self.source = _("Import %(file)s") % {"file": batch.filename[:150]}
        self.writer = _Writer()

    def _remember(self, pk, key, commune, rna_id, siren, email) -> None:
        for kind, value in (("rna", rna_id), ("siren", siren), ("email", email)):
            if value:
                self.by_key[(kind, value.lower() if kind == "email" else value)] = pk
        if key:
            self.names.add_key(commune, key, pk)

    def match(self, record: dict) -> int | None:
        for key, name in (("rna", "rna_id"), ("siren", "siren"), ("email", "email")):
            value = record.get(name)
            if value and (key, value) in self.by_key:
                return self.by_key[(key, value)]
        return None

    def run(self, rows: Iterator[rna.Row], mapping: dict,
            progress: Callable[[int], None], *, parallel: bool = False) -> ImportReport:
        """Import the rows. Each row is read and checked, then decided (``_decide``:
        error, skipped, update, or new with its possible duplicate), then written with
        its chunk (``_write``). ``parallel``: reading and deciding run in a forked child
        process (forked_map) while this one writes — only for what needs no database
        (the RNA's rows, which carry no coordinates: see _place). Deciding needs only
        the keys and names known before the file and those of its earlier rows, which
        the child inherits and keeps up to date as this process would."""
        chunk: list[tuple] = []

        def prepare(row: rna.Row) -> tuple[int, int, str, tuple | None]:
            record = _record(row.values, self.batch.format, mapping)
            error = _row_error(record)
            if error:
                return row.line, row.bytes_read, error, None
            return row.line, row.bytes_read, "", self._decide(row.line, record)

        prepared = forked_map(rows, prepare) if parallel else map(prepare, rows)
        try:
            for line, bytes_read, error, decision in prepared:
                self.report.rows += 1
                if error:
                    self._error(line, error)
                    continue
                chunk.append(decision)
                if len(chunk) >= CHUNK:
                    self._write(chunk)
                    chunk = []
                    progress(bytes_read)
        finally:
            if parallel:
                prepared.close()  # stops the child if this one failed
        if chunk:
            self._write(chunk)
        return self.report

    def _decide(self, line: int, record: dict) -> tuple:
        """What to do with a checked row, in file order: (_DUPLICATE_ROW, line, message),
        (_SKIPPED,), (_UPDATE, actor id, values) or (_NEW, values) — a new actor's
        values hold its temporary id (``_temp``, negative) and the most similar name
        already known in its commune (``_similar``: (id, score) or None)."""
        existing = self.match(record)
        if existing is not None and existing < 0:
            # the same identifier twice in this file (its first row has a temporary id)
            return _DUPLICATE_ROW, line, _("identifiant déjà présent plus haut dans le fichier")
        if record.get("dissolved") and self.skip_dissolved and existing is None:
            return (_SKIPPED,)
        values = self._values(record)
        if existing is not None:
            return _UPDATE, existing, values
        # Known at once under a temporary id, so that a near-duplicate further down the
        # file is caught; the real id replaces it once inserted.
        self.fake_ids -= 1
        values["_temp"] = self.fake_ids
        values["_similar"] = (self.names.find_and_add(values["commune_id"], values["_key"],
                                                      self.fake_ids)
                              if values["_key"] else None)
        self._remember(self.fake_ids, "", values["commune_id"],
                       values["rna_id"], values["siren"], values["email"])
        return _NEW, values

    def _error(self, line: int, message: str) -> None:
        # Past MAX_ERRORS an error is counted, not kept.
        self.report.errors.append((line, message if len(self.report.errors) < MAX_ERRORS
                                   else ""))

    def _values(self, record: dict) -> dict:
        """The new actor's column values (attnames), with its cantons, tags and name key
        (runs once per row: plain dict look-ups, no model instance)."""
        r = {**RECORD_DEFAULTS, **record}
        place = self._place(r["insee_code"], r["postal_code"], r["city"], r["latitude"],
                            r["longitude"])
        person = r["type"] == Actor.Type.PERSON
        first_name, last_name = r["first_name"][:120], r["last_name"][:120]
        name = (f"{first_name} {last_name}".strip() if person and (first_name or last_name)
                else r["name"][:250])
        city = r["city"][:120]
        values = {
            "type": r["type"], "kind": r["kind"], "name": name, "first_name": first_name,
            "last_name": last_name, "description": r["description"],
            "street": r["street"][:250], "postal_code": r["postal_code"][:10], "city": city,
            "commune_id": place.commune_id, "latitude": place.latitude,
            "longitude": place.longitude, "approximate_position": place.approximate,
            "email": r["email"], "phone": r["phone"][:40], "website": r["website"][:200],
            "rna_id": r["rna_id"], "siren": r["siren"], "siret": r["siret"],
            "created_on": r["created_on"], "dissolved_on": r["dissolved_on"],
            "notes": r["notes"], "data_source": self.source,
            "lawful_basis": Actor.LawfulBasis.LEGITIMATE if person else "",
            "import_batch_id": self.batch.pk, "workspace_id": self.workspace.pk,
            "canton_id": place.canton_ids[0] if len(place.canton_ids) == 1 else None,
            "_cantons": place.canton_ids,
            "_tags": [t.strip() for t in r["tags"].split(",") if t.strip()] if r["tags"] else [],
        }
        # One normalisation per row: the search column and the duplicate key share it.
        normalized = fast_normalize(name)
        identifiers_text = " ".join(p for p in (r["rna_id"], r["siren"], r["email"]) if p)
        values["search_text"] = " ".join(p for p in (
            normalized, self._normalized_city(city), fast_normalize(identifiers_text)) if p
        )[:400]
        values["_key"] = matching.key_of_normalized(normalized)
        return values

    def _place(self, insee, postal_code, city, latitude, longitude):
        """The gazetteer's answer, remembered for rows without coordinates (most of an
        RNA file: a few hundred communes for 200,000 rows)."""
        if latitude is not None and longitude is not None:
            return self.gazetteer.locate(insee, postal_code, city, latitude, longitude)
        key = (insee, postal_code, city)
        if key not in self.places:
            self.places[key] = self.gazetteer.locate(insee, postal_code, city)
        return self.places[key]

    def _normalized_city(self, city: str) -> str:
        if city not in self.cities:
            self.cities[city] = fast_normalize(city)
        return self.cities[city]

    def _write(self, chunk: list[tuple]) -> None:
        """Apply a chunk of decisions (``_decide``): one transaction."""
        new: list[dict] = []
        updates: dict[int, dict] = {}
        pairs: list[tuple[dict, int, int]] = []
        for decision in chunk:
            kind = decision[0]
            if kind == _DUPLICATE_ROW:
                self._error(decision[1], decision[2])
                continue
            if kind == _SKIPPED:
                self.report.skipped += 1
                continue
            if kind == _UPDATE:
                updates[decision[1]] = decision[2]
                continue
            values = decision[1]
            if values["_similar"] is not None:
                pairs.append((values, *values["_similar"]))
            if len(values["_cantons"]) > 1:
                self.report.undecided += 1
            if self.batch.dry_run:
                self.report.created += 1
                continue
            new.append(values)
        if self.batch.dry_run:
            self.report.duplicates += len(pairs)
            self._count_updates(updates)
            return
        with transaction.atomic():
            self.writer.insert(new)
            for values in new:
                self.real_ids[values["_temp"]] = values["id"]
            self.writer.link("cantons", [(v["id"], c) for v in new for c in v["_cantons"]])
            self._tag(new)
            self._update(updates)
            found = [DuplicateCandidate(workspace=self.workspace,
                                        first_id=self.real_ids.get(other, other),
                                        second_id=values["id"], score=score,
                                        reason=_("Nom proche, même commune"))
                     for values, other, score in pairs if "id" in values]
            DuplicateCandidate.objects.bulk_create(found, ignore_conflicts=True)
        self.report.created += len(new)
        self.report.duplicates += len(found)

    def _tag(self, rows: list[dict]) -> None:
        links = []
        for values in rows:
            for name in values["_tags"]:
                if name not in self.tags:
                    self.tags[name], _created = Tag.objects.get_or_create(
                        workspace=self.workspace, name=name[:60])
                links.append((values["id"], self.tags[name].pk))
        self.writer.link("tags", list(dict.fromkeys(links)))

    def _changed(self, updates: dict[int, dict]) -> list[tuple[int, dict, dict]]:
        """(id, incoming values, before) for the actors whose file values differ: read
        as plain tuples (a re-import matches every row: no model instance per row)."""
        out = []
        ids = list(updates)
        for start in range(0, len(ids), 900):
            for pk, *row in Actor.objects.filter(pk__in=ids[start:start + 900]).order_by(
                    ).values_list("pk", *UPDATABLE):
                current = dict(zip(UPDATABLE, row, strict=True))
                incoming = updates[pk]
                before = {}
                for name in UPDATABLE:
                    new = incoming[name]
                    if new in ("", None) and name not in ("dissolved_on",):
                        continue  # an empty cell never erases what we know
                    if name in ("latitude", "longitude", "approximate_position") and \
                            incoming["approximate_position"] and \
                            not current["approximate_position"]:
                        continue  # a point typed by hand beats the commune's
                    if current[name] != new:
                        before[name] = current[name]
                out.append((pk, incoming, before))
        return out

    def _count_updates(self, updates: dict[int, dict]) -> None:
        real = {pk: a for pk, a in updates.items() if pk > 0}
        changed = [c for c in self._changed(real) if c[2]]
        self.report.updated += len(changed) + len(updates) - len(real)
        self.report.unchanged += len(real) - len(changed)

    def _update(self, updates: dict[int, dict]) -> None:
        changed = {}
        for pk, incoming, before in self._changed(updates):
            if not before:
                self.report.unchanged += 1
                continue
            changed[pk] = (incoming, before)
        if not changed:
            return
        changes, touched = [], []
        for current in Actor.objects.filter(pk__in=list(changed)):
            incoming, before = changed[current.pk]
            for name in before:
                setattr(current, name, incoming[name])
            current.fill_derived()
            touched.append(current)
            changes.append(ImportChange(batch=self.batch, actor=current,
                                        before={k: _json(v) for k, v in before.items()}))
            if "commune_id" in before:
                Actor.cantons.through.objects.filter(actor_id=current.pk).delete()
                Actor.cantons.through.objects.bulk_create(
                    [Actor.cantons.through(actor_id=current.pk, canton_id=c)
                     for c in incoming["_cantons"]])
        Actor.objects.bulk_update(touched, [*UPDATABLE, "search_text", "updated_at"])
        actor_canton_sync([a.pk for a in touched if "commune_id" in changed[a.pk][1]])
        ImportChange.objects.bulk_create(changes)
        self.report.updated += len(touched)


class _Writer:
    """Plain INSERTs for new actors and their links (executemany: no model instances,
    no signals), several times faster than bulk_create for 200,000 rows."""

    def __init__(self):
        self.connection = connections[router.db_for_write(Actor)]
        ops = self.connection.ops
        self.fields = [f for f in Actor._meta.concrete_fields if not f.primary_key]
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.table = ops.quote_name(Actor._meta.db_table)
        columns = ", ".join(ops.quote_name(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {self.table} ({columns}) VALUES ({marks})"
        self.dates = [f.attname for f in self.fields if f.get_internal_type() == "DateField"]
        # A row's values in column order, picked in C from its dict.
        self.getter = operator.itemgetter(*(f.attname for f in self.fields))

    def insert(self, rows: list[dict]) -> None:
        """Insert the rows and set each one's ``id`` and ``code``."""
        if not rows:
            return
        ops = self.connection.ops
        now = ops.adapt_datetimefield_value(timezone.now())
        base = {**self.defaults, "created_at": now, "updated_at": now}
        native_uuid = self.connection.features.has_native_uuid_field
        # Random version-4 UUIDs, 32 hex digits each, from one read of the OS's source
        # (uuid.uuid4() per row costs more than the rest of the row's values).
        noise = os.urandom(16 * len(rows)).hex()
        params, codes = [], []
        dates = self.dates
        for n, values in enumerate(rows):
            part = noise[32 * n:32 * n + 32]
            code = f"{part[:12]}4{part[13:16]}{'89ab'[int(part[16], 16) & 3]}{part[17:]}"
            codes.append(uuid.UUID(code) if native_uuid else code)
            values["code"] = code
            line = {**base, **values, "code": codes[-1]}
            for name in dates:
                line[name] = ops.adapt_datefield_value(line[name])
            params.append(self.getter(line))
        with self.connection.cursor() as cursor:
            cursor.executemany(self.sql, params)
            ids = self._ids_sqlite(cursor, codes) if self.connection.vendor == "sqlite" else None
            if ids is None:
                ids = {}
                for start in range(0, len(codes), 1000):
                    part = codes[start:start + 1000]
                    cursor.execute(f"SELECT code, id FROM {self.table} WHERE code IN "
                                   f"({', '.join(['%s'] * len(part))})", part)
                    ids.update((str(code).replace("-", ""), pk)
                               for code, pk in cursor.fetchall())
        for values in rows:
            values["id"] = ids[values["code"]]

    def _ids_sqlite(self, cursor, codes: list[str]) -> dict[str, int] | None:
        """The ids of the rows just inserted without reading them back: in one write
        transaction SQLite numbers them consecutively up to last_insert_rowid(). Checked
        on the first and last row; None (read them back) if that ever does not hold."""
        cursor.execute("SELECT last_insert_rowid()")
        last = cursor.fetchone()[0]
        first = last - len(codes) + 1
        cursor.execute(f"SELECT id, code FROM {self.table} WHERE id IN (%s, %s)",
                       [first, last])
        found = {pk: str(code).replace("-", "") for pk, code in cursor.fetchall()}
        if found.get(first) != codes[0] or found.get(last) != codes[-1]:
            return None
        return dict(zip(codes, range(first, last + 1), strict=True))

    def link(self, name: str, pairs: list[tuple[int, int]]) -> None:
        """Rows of a many-to-many table of Actor: (actor id, other id)."""
        if not pairs:
            return
        through = getattr(Actor, name).through
        ops = self.connection.ops
        target = getattr(Actor, name).field.m2m_reverse_name()
        sql = (f"INSERT INTO {ops.quote_name(through._meta.db_table)} "
               f"({ops.quote_name('actor_id')}, {ops.quote_name(target)}) VALUES (%s, %s)")
        with self.connection.cursor() as cursor:
            cursor.executemany(sql, pairs)


def _json(value):
    import datetime

    return value.isoformat() if isinstance(value, datetime.date) else value


def _unjson(name: str, value):
    import datetime

    if value and name in ("created_on", "dissolved_on"):
        return datetime.date.fromisoformat(value)
    return value


# --- batches ---------------------------------------------------------------------


def import_dir() -> str:
    from django.conf import settings

    path = os.path.join(settings.MEDIA_ROOT, "imports")
    os.makedirs(path, exist_ok=True)
    return path


def import_batch_create(*, workspace, upload, fmt: str, by=None) -> ImportBatch:
    """Store the uploaded file (not in memory: chunk by chunk) and open a batch."""
    extension = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
    path = os.path.join(import_dir(), f"{uuid.uuid4()}{extension}")
    with open(path, "wb") as out:
        for piece in upload.chunks():
            out.write(piece)
    try:
        header = import_file_header(path, fmt)
    except (rna.UnreadableFile, OSError, UnicodeError, csv.Error) as error:
        os.remove(path)
        raise ValidationError(_("Fichier illisible : ce n'est ni un CSV ni un XLSX.")) from error
    if fmt == ImportBatch.Format.RNA and "id" not in header:
        os.remove(path)
        raise ValidationError(_("Ce fichier n'a pas les colonnes du RNA (id, titre…)."))
    return ImportBatch.objects.create(
        workspace=workspace, format=fmt, filename=os.path.basename(upload.name)[:250],
        path=path, total_bytes=os.path.getsize(path), author=by,
        mapping=guess_mapping(header) if fmt == ImportBatch.Format.CSV else {})


def import_batch_run(*, batch: ImportBatch, skip_dissolved: bool = True,
                     on_progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Run a batch (from the task or the command); the batch holds counts and errors."""
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING)
    try:
        header, rows, raw = _open_rows(batch.path, batch.format)
    except (rna.UnreadableFile, OSError) as error:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.FAILED, message=str(error)[:300])
        raise
    importer = _Importer(batch, skip_dissolved=skip_dissolved)

    def progress(done: int) -> None:
        ImportBatch.objects.filter(pk=batch.pk).update(
            done_bytes=done, counts=importer.report.as_counts())
        if on_progress:
            on_progress(done, batch.total_bytes)

    # forked_map itself stays in this process where it cannot fork (one core, a thread).
    parallel = (batch.format == ImportBatch.Format.RNA
                and batch.total_bytes >= PARALLEL_MIN_BYTES)
    try:
        report = importer.run(rows, batch.mapping, progress, parallel=parallel)
    except Exception as error:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.FAILED, message=type(error).__name__)
        raise
    finally:
        if raw:
            raw.close()
    batch.status = ImportBatch.Status.DONE
    batch.counts = report.as_counts()
    batch.errors = [[line, msg] for line, msg in report.errors if msg]
    batch.done_bytes = batch.total_bytes
    batch.save(update_fields=["status", "counts", "errors", "done_bytes", "updated_at"])
    if not batch.dry_run:
        audit_record(action=AuditEvent.Action.OTHER, obj=batch, verb="actors.import",
                     message=_("%(created)s créés, %(updated)s mis à jour, %(duplicates)s "
                               "doublons possibles, %(skipped)s ignorés, %(errors)s erreurs")
                     % batch.counts)
    return report


UNDO_CHUNK = 1000
UNDO_STALE_SECONDS = 120  # an undo silent for this long may be resumed from the page


def import_batch_undo_state(batch: ImportBatch) -> dict | None:
    """The undo under way, kept in the batch's counts: {"total", "done", "deleted",
    "at"} (done = actors deleted + actors restored so far), or None."""
    return (batch.counts or {}).get("undo") if batch.status == ImportBatch.Status.DONE \
        else None


def _undo_remaining(batch: ImportBatch) -> int:
    return (Actor.objects.filter(workspace=batch.workspace, import_batch=batch).count()
            + batch.changes.count())


@transaction.atomic
def import_batch_undo_start(*, batch: ImportBatch, by=None) -> bool:
    """Mark the batch for undoing (the task does the work, chunk by chunk). True when the
    task is to be enqueued: a new undo, or one that stopped (worker gone) and resumes."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.DONE or batch.dry_run:
        raise ValidationError(_("Seul un import terminé peut être annulé."))
    state = import_batch_undo_state(batch)
    if state:
        import datetime

        quiet = (timezone.now() - datetime.datetime.fromisoformat(state["at"])).total_seconds()
        if quiet < UNDO_STALE_SECONDS:
            raise ValidationError(_("L'annulation de cet import est déjà en cours."))
        state["at"] = timezone.now().isoformat()
    else:
        state = {"total": _undo_remaining(batch), "done": 0, "deleted": 0,
                 "at": timezone.now().isoformat(), "by": getattr(by, "pk", None)}
    batch.counts = {**batch.counts, "undo": state}
    batch.save(update_fields=["counts", "updated_at"])
    return True


def _undo_step(batch: ImportBatch, state: dict, done: int, deleted: int = 0) -> None:
    state["done"] += done
    state["deleted"] += deleted
    state["at"] = timezone.now().isoformat()
    batch.counts = {**batch.counts, "undo": state}
    ImportBatch.objects.filter(pk=batch.pk).update(counts=batch.counts)


def import_batch_undo(*, batch: ImportBatch, chunk: int | None = None) -> int:
    """Delete the actors the batch created and restore those it updated, ``chunk``
    actors per transaction, each chunk recorded with its progress: stopped half-way, the
    batch stays "done" with its undo under way, every actor either still there or gone
    with its links, and running it again resumes where it stopped. Actors edited or
    merged since the import are deleted too (their Merge records go with them)."""
    chunk = chunk or UNDO_CHUNK
    batch = ImportBatch.objects.select_related("workspace").get(pk=batch.pk)
    if batch.status == ImportBatch.Status.UNDONE:
        return (batch.counts.get("undo") or {}).get("deleted", 0)
    if batch.status != ImportBatch.Status.DONE or batch.dry_run:
        raise ValidationError(_("Seul un import terminé peut être annulé."))
    state = import_batch_undo_state(batch)
    if state is None:
        state = {"total": _undo_remaining(batch), "done": 0, "deleted": 0,
                 "at": timezone.now().isoformat(), "by": None}
    created = Actor.objects.filter(workspace=batch.workspace, import_batch=batch)
    last = 0  # ids in order, each chunk read from the last one on (no rescan)
    while True:
        with transaction.atomic():
            ids = list(created.filter(pk__gt=last).order_by("pk").values_list(
                "pk", flat=True)[:chunk])
            if not ids:
                break
            Actor.objects.filter(pk__in=ids).delete()
            _undo_step(batch, state, len(ids), len(ids))
        last = ids[-1]
    while True:
        with transaction.atomic():
            changes = list(batch.changes.select_related("actor").order_by("pk")[:chunk])
            if not changes:
                break
            for change in changes:
                actor = change.actor
                for name, value in change.before.items():
                    setattr(actor, name, _unjson(name, value))
                actor.save()
            ImportChange.objects.filter(pk__in=[c.pk for c in changes]).delete()
            _undo_step(batch, state, len(changes))
    with transaction.atomic():
        state["total"] = state["done"]
        batch.counts = {**batch.counts, "undo": state}
        batch.status = ImportBatch.Status.UNDONE
        batch.save(update_fields=["status", "counts", "updated_at"])
        audit_record(action=AuditEvent.Action.OTHER, obj=batch, verb="actors.import_undo",
                     message=_("%(count)s acteurs supprimés") % {"count": state["deleted"]})
    return state["deleted"]


# --- communes split between cantons -------------------------------------------------


def _undecided(batch: ImportBatch):
    """The batch's actors still waiting for their canton: in a commune of several
    cantons, imported without a point (all the commune's cantons kept meanwhile)."""
    from django.db.models import Count

    return (Actor.objects.filter(workspace=batch.workspace, import_batch=batch,
                                 merged_into=None, canton=None, cantons_chosen=False,
                                 commune__isnull=False)
            .annotate(n_cantons=Count("cantons")).filter(n_cantons__gt=1))


def import_cantons_undecided(*, batch: ImportBatch, limit: int = 100) -> tuple[int, list]:
    """(how many, the first ``limit``) actors of the batch whose canton is to choose,
    each with ``choices``: the cantons of its commune, the largest share first."""
    from hemicycle.territory.models import CommuneCanton

    pending = _undecided(batch)
    total = pending.count()
    actors = list(pending.select_related("commune").order_by("commune__name", "name")[:limit])
    choices: dict[int, list] = {}
    for link in CommuneCanton.objects.filter(
            commune_id__in={a.commune_id for a in actors}).select_related(
            "canton").order_by("-share", "canton__name"):
        choices.setdefault(link.commune_id, []).append(link.canton)
    for actor in actors:
        actor.choices = choices.get(actor.commune_id, [])
    return total, actors


@transaction.atomic
def import_cantons_choose(*, batch: ImportBatch, choices: dict[str, str]) -> int:
    """Set the canton of the batch's undecided actors: ``choices`` maps an actor's code
    to a canton id (empty: still undecided). A canton outside the actor's commune is
    refused, nothing is written then. Returns how many actors got their canton."""
    from hemicycle.territory.models import CommuneCanton

    wanted = {code: value for code, value in choices.items() if value}
    if not wanted:
        return 0
    actors = {str(a.code): a for a in _undecided(batch).filter(code__in=list(wanted))}
    allowed = set(CommuneCanton.objects.filter(
        commune_id__in={a.commune_id for a in actors.values()}).values_list(
        "commune_id", "canton_id"))
    picked: dict[int, int] = {}
    for code, value in wanted.items():
        actor = actors.get(code)
        if actor is None:
            continue  # decided meanwhile, or not of this batch
        try:
            canton_id = int(value)
        except (TypeError, ValueError):
            canton_id = None
        if (actor.commune_id, canton_id) not in allowed:
            raise ValidationError(_("Canton impossible pour %(name)s : il doit être un de "
                                    "ceux de sa commune.") % {"name": actor.name})
        picked[actor.pk] = canton_id
    through = Actor.cantons.through
    through.objects.filter(actor_id__in=list(picked)).delete()
    through.objects.bulk_create([through(actor_id=pk, canton_id=c) for pk, c in picked.items()])
    actor_canton_sync(list(picked))
    if picked:
        audit_record(action=AuditEvent.Action.OTHER, obj=batch, verb="actors.import_cantons",
                     message=_("%(count)s cantons précisés") % {"count": len(picked)})
    return len(picked)


def import_errors_csv(batch: ImportBatch) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("ligne"), _("erreur")])
    writer.writerows(batch.errors)
    return out.getvalue()


def actors_import_file(*, workspace, path: str, fmt: str, dry_run: bool = False,
                       by=None, skip_dissolved: bool = True,
                       on_progress: Callable[[int, int], None] | None = None,
                       ) -> tuple[ImportBatch, ImportReport]:
    """The command line's import: the file stays where it is."""
    header = import_file_header(path, fmt)  # raises UnreadableFile / OSError
    batch = ImportBatch.objects.create(
        workspace=workspace, format=fmt, filename=os.path.basename(path)[:250], path=path,
        total_bytes=os.path.getsize(path), dry_run=dry_run, author=by,
        mapping=guess_mapping(header) if fmt == ImportBatch.Format.CSV else {})
    report = import_batch_run(batch=batch, skip_dissolved=skip_dissolved,
                              on_progress=on_progress)
    return batch, report
