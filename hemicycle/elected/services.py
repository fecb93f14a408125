"""Workflows on elected members: the import from the Répertoire national des élus (RNE),
and creation and edition from the forms.

The import owns the public mandate data (the fields of ``_values``); the group's own data
(``in_group``, the linked ``user``, ``email``, ``phone``, ``notes``, ``commissions``) is
never touched by it. Members whose ``rne_key`` is set came from the RNE: when a later
file no longer lists one, their mandate is marked as ended (``mandate_end`` = today),
never deleted, so that their votes and notes keep their author.
"""

import contextlib
import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hemicycle.accounts.models import Membership, Workspace
from hemicycle.audit.context import acting_as
from hemicycle.audit.models import AuditEvent
from hemicycle.audit.services import audit_record
from hemicycle.elected import rne
from hemicycle.elected.models import ElectedMember
from hemicycle.territory.models import Assembly, Canton, Departement

# The national départemental file is about 600 KB; this leaves room without letting an
# upload fill the memory.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ERRORS = 50  # listed in a report; a wholly wrong file would list thousands



@dataclass
class FieldChange:
    field: str  # the field's label, in the interface language
    old: str
    new: str


@dataclass
class MemberUpdate:
    member: str
    changes: list[FieldChange]


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do). Errors mean nothing was written."""

    dry_run: bool = False
    rows: int = 0  # rows of the file for this workspace's assembly
    skipped: int = 0  # rows for other assemblies (the national files list them all)
    created: list[str] = field(default_factory=list)
    updated: list[MemberUpdate] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def headline(self) -> str:
        """The summary with the number of rows, and whether it was a simulation."""
        prefix = _("Simulation (rien n'a été enregistré) : ") if self.dry_run else ""
        rows = ngettext("%(n)d ligne pour l'assemblée.", "%(n)d lignes pour l'assemblée.",
                        self.rows) % {"n": self.rows}
        return f"{prefix}{rows} {self.summary()}"

    def summary(self) -> str:
        return _(
            "Import du Répertoire national des élus : %(created)d ajout(s), %(updated)d mise(s) "
            "à jour, %(unchanged)d inchangé(s), %(ended)d fin(s) de mandat, "
            "%(warnings)d avertissement(s)."
        ) % {
            "created": len(self.created), "updated": len(self.updated),
            "unchanged": len(self.unchanged), "ended": len(self.ended),
            "warnings": len(self.warnings),
        }


# --- import ----------------------------------------------------------------------------


def elected_import_rne(
    *, workspace: Workspace, file: BinaryIO | str | Path, by=None, dry_run: bool = False
) -> ImportReport:
    """Import the RNE file's members of the workspace's assembly: all or nothing.

    Re-importing the same file changes nothing. A dry run goes through the same steps
    and rolls back, so its report is exactly what the import would do.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        data = _read(file)
    except OSError as error:
        report.errors.append(_("Impossible de lire le fichier : %(error)s.") % {
            "error": error.strerror or error})
        return report
    parsed = rne.parse(data)
    report.errors += [_(error.template) % error.params for error in parsed.errors[:MAX_ERRORS]]
    if len(parsed.errors) > MAX_ERRORS:
        report.errors.append(_("… et %(n)d autres erreurs.") % {
            "n": len(parsed.errors) - MAX_ERRORS})
    rows = [] if report.errors else _rows_for(workspace.assembly, parsed, report)
    if report.errors:
        return report
    actor = acting_as(by) if by is not None else contextlib.nullcontext()
    with actor, transaction.atomic():
        _apply(workspace, rows, report)
        audit_record(action=AuditEvent.Action.OTHER, verb="elected.import",
                     workspace=workspace, message=report.summary())
        if dry_run:
            transaction.set_rollback(True)
    return report


def _read(file: BinaryIO | str | Path) -> bytes:
    if isinstance(file, str | Path):
        return Path(file).read_bytes()
    data = file.read()
    return data.encode() if isinstance(data, str) else data


def _same_code(a: str, b: str) -> bool:
    return a.strip().lstrip("0").upper() == b.strip().lstrip("0").upper()


def _rows_for(assembly: Assembly, parsed: rne.RneFile, report: ImportReport) -> list:
    """The rows of this assembly, or none with an error explaining why."""
    expected = {Assembly.Kind.DEPARTEMENT: rne.KIND_DEPARTEMENT,
                Assembly.Kind.REGION: rne.KIND_REGION}.get(assembly.kind)
    if expected is None:
        report.errors.append(_("Le Répertoire national des élus ne s'importe que pour un "
                               "conseil départemental ou régional."))
        return []
    if parsed.kind != expected:
        listed = (_("des conseiller·e·s départementaux·ales") if parsed.kind == rne.KIND_DEPARTEMENT
                  else _("des conseiller·e·s régionaux·ales"))
        report.errors.append(_(
            "Ce fichier liste %(listed)s, mais l'assemblée de cet espace est « %(assembly)s ».")
            % {"listed": listed, "assembly": assembly.name})
        return []
    rows = [row for row in parsed.rows if _same_code(row.assembly_code, assembly.code)]
    report.rows, report.skipped = len(rows), len(parsed.rows) - len(rows)
    if not rows:
        codes = sorted({row.assembly_code for row in parsed.rows})
        report.errors.append(_(
            "Aucune ligne de ce fichier ne concerne « %(assembly)s » (code %(code)s) ; "
            "codes trouvés : %(codes)s.") % {
            "assembly": assembly.name, "code": assembly.code, "codes": ", ".join(codes)})
    return rows


def _apply(workspace: Workspace, rows: list[rne.RneRow], report: ImportReport) -> None:
    members = list(ElectedMember.objects.filter(workspace=workspace)
                   .select_related("canton", "section"))
    by_key = {member.rne_key: member for member in members if member.rne_key}
    cantons = _lookup(Canton, {row.canton_code: row.canton_name for row in rows}, report,
                      _("canton(s) absent(s) du référentiel territorial"))
    sections = _lookup(Departement, {row.section_code: row.section_name for row in rows},
                       report, _("département(s) absent(s) du référentiel territorial"))
    seen = set()
    for row in rows:
        values = _values(row, cantons, sections)
        member = by_key.get(row.key) or _adoptable(members, row)
        if member is None:
            member = ElectedMember(workspace=workspace, rne_key=row.key, **values)
            member.save()
            report.created.append(_label(member))
        else:
            changes = _changes(member, {**values, "rne_key": row.key})
            if changes:
                for name, _old, new in changes:
                    setattr(member, name, new)
                member.save()
                report.updated.append(MemberUpdate(_label(member), [
                    FieldChange(_field_label(name), _display(name, old), _display(name, new))
                    for name, old, new in changes if name != "rne_key"]))
            else:
                report.unchanged.append(_label(member))
        seen.add(member.pk)
    today = timezone.localdate()
    for member in members:
        if member.from_rne and member.mandate_end is None and member.pk not in seen:
            member.mandate_end = today
            member.save()
            report.ended.append(_label(member))


def _lookup(model: type[models.Model], names: dict[str, str], report: ImportReport,
            what: str) -> dict[str, models.Model]:
    """Territory rows by code; a warning (not an error) for the codes not loaded."""
    names.pop("", None)
    found = {obj.code: obj for obj in model.objects.filter(code__in=list(names))}
    missing = sorted(code for code in names if code not in found)
    if missing:
        listed = ", ".join(f"{code} {names[code]}" for code in missing[:10])
        report.warnings.append(_(
            "%(count)d %(what)s (%(listed)s%(more)s) : ces élu·e·s sont importé·e·s sans "
            "circonscription. Chargez le territoire (hemicycle load_territory) puis relancez "
            "l'import.") % {"count": len(missing), "what": what, "listed": listed,
                            "more": ", …" if len(missing) > 10 else ""})
    return found


def _values(row: rne.RneRow, cantons: dict, sections: dict) -> dict[str, Any]:
    """What an RNE import writes. Everything else on the member belongs to the group."""
    values = {
        "last_name": row.last_name, "first_name": row.first_name, "gender": row.gender,
        "birth_date": row.birth_date, "profession": row.profession,
        "canton": cantons.get(row.canton_code), "section": sections.get(row.section_code),
        "mandate_start": row.mandate_start, "mandate_end": None,
        "functions": row.function, "function_start": row.function_start,
    }
    for name, value in values.items():  # what does not fit is cut rather than refused
        max_length = ElectedMember._meta.get_field(name).max_length
        if max_length and isinstance(value, str):
            values[name] = value[:max_length]
    return values


def _adoptable(members: list[ElectedMember], row: rne.RneRow) -> ElectedMember | None:
    """A member typed in by hand (no rne_key) who is this row's person: same names, and
    the same birth date or none. Adopted rather than duplicated, when there is only one."""
    candidates = [
        member for member in members
        if not member.rne_key
        and rne.normalise(member.last_name) == rne.normalise(row.last_name)
        and rne.normalise(member.first_name) == rne.normalise(row.first_name)
        and member.birth_date in (None, row.birth_date)
    ]
    return candidates[0] if len(candidates) == 1 else None


def _changes(member: ElectedMember, values: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    changes = []
    for name, new in values.items():
        old = getattr(member, name)
        if name in ("last_name", "first_name") and rne.normalise(old) == rne.normalise(new):
            continue  # the group may have fixed the casing ("de La Tour"): keep theirs
        if old != new:
            changes.append((name, old, new))
    return changes


def _label(member: ElectedMember) -> str:
    where = member.constituency
    return f"{member.first_name} {member.last_name}" + (f" — {where}" if where else "")


def _field_label(name: str) -> str:
    return str(ElectedMember._meta.get_field(name).verbose_name)


def _display(name: str, value: Any) -> str:
    if value in (None, ""):
        return "∅"
    choices = dict(ElectedMember._meta.get_field(name).flatchoices)
    if value in choices:
        return str(choices[value])
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


# --- forms -----------------------------------------------------------------------------


def _check_user(member: ElectedMember) -> None:
    """A linked account must be a member of the workspace, and linked only once."""
    if member.user_id is None:
        return
    if not Membership.objects.filter(workspace_id=member.workspace_id,
                                     user_id=member.user_id).exists():
        raise ValidationError({"user": _("Ce compte n'est pas membre de l'espace.")})
    taken = ElectedMember.objects.filter(workspace_id=member.workspace_id,
                                         user_id=member.user_id).exclude(pk=member.pk)
    if taken.exists():
        raise ValidationError({"user": _("Ce compte est déjà lié à %(member)s.") % {
            "member": taken.first()}})


@transaction.atomic
def elected_member_create(*, workspace: Workspace, **fields: Any) -> ElectedMember:
    member = ElectedMember(workspace=workspace, **fields)
    _check_user(member)
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def elected_member_update(*, member: ElectedMember, **fields: Any) -> ElectedMember:
    """Change the given fields only (an élu·e's own form sends just ``notes``)."""
    for name, value in fields.items():
        setattr(member, name, value)
    _check_user(member)
    member.full_clean()
    member.save()
    return member

