"""Who attended a sitting: read from the roll call of its minutes, corrected by hand, and
matched to the group's élus.

A line set by hand wins: a later extraction (the minutes uploaded again, a corrected PV)
replaces only the lines it made itself.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from hemicycle.council import attendance as engine
from hemicycle.council.models import Attendance, Document, Sitting
from hemicycle.elected.models import ElectedMember

MAX_LINES = 500


@dataclass(frozen=True)
class AttendanceEntry:
    name: str
    state: str
    proxy_holder: str = ""


@dataclass
class AttendanceSummary:
    lines: list[Attendance]
    counts: dict[str, int]
    members: list[tuple[ElectedMember, Attendance | None]]  # the group's élus of this body

    @property
    def voters(self) -> int:
        return self.counts.get(Attendance.State.PRESENT, 0) + self.counts.get(
            Attendance.State.PROXY, 0)


def _member_finder(sitting: Sitting):
    """name key → the group's élu of that name (full name in either order, or a surname
    that only one élu bears)."""
    members = list(ElectedMember.objects.filter(workspace=sitting.workspace))
    full: dict[str, ElectedMember] = {}
    surnames: dict[str, list[ElectedMember]] = {}
    for member in members:
        first, last = engine.name_key(member.first_name), engine.name_key(member.last_name)
        full[f"{first} {last}"] = member
        full[f"{last} {first}"] = member
        surnames.setdefault(last, []).append(member)

    def find(key: str) -> ElectedMember | None:
        if key in full:
            return full[key]
        same = surnames.get(key, [])
        return same[0] if len(same) == 1 else None

    return find


@transaction.atomic
def attendance_from_text(*, sitting: Sitting, text: str) -> int:
    """Record the roll call found at the head of ``text`` (minutes); returns how many
    people were read. Lines set by hand are kept as they are."""
    found = engine.attendance_extract(text)
    if not found:
        return 0
    Attendance.objects.filter(sitting=sitting, source=Attendance.Source.MINUTES).delete()
    manual = set(Attendance.objects.filter(sitting=sitting).values_list("name_key", flat=True))
    find = _member_finder(sitting)
    rows = [Attendance(workspace=sitting.workspace, sitting=sitting, name=person.name[:200],
                       name_key=person.key[:200], state=person.state,
                       proxy_holder=person.proxy_holder[:200], member=find(person.key),
                       source=Attendance.Source.MINUTES, position=position)
            for position, person in enumerate(found) if person.key not in manual]
    Attendance.objects.bulk_create(rows)
    return len(found)


def attendance_from_documents(*, sitting: Sitting) -> int:
    """Read the roll call again from the sitting's minutes (or bundles), newest first."""
    documents = (Document.objects.filter(sitting=sitting, role__in=[Document.Role.MINUTES,
                                                                    Document.Role.BUNDLE])
                 .exclude(text="").order_by("-role", "-created_at"))  # minutes before bundles
    for document in documents:
        read = attendance_from_text(sitting=sitting, text=document.text)
        if read:
            return read
    return 0


@transaction.atomic
def attendance_save(*, sitting: Sitting, entries: list[AttendanceEntry]) -> list[Attendance]:
    """Replace the whole attendance of ``sitting`` by ``entries`` (set by hand)."""
    states = set(Attendance.State.values)
    errors, seen, clean = [], set(), []
    for number, entry in enumerate(entries, start=1):
        name = " ".join(entry.name.split())
        if not name:
            continue
        key = engine.name_key(name)
        if entry.state not in states:
            errors.append(_("Ligne %(n)d : état de présence inconnu.") % {"n": number})
        elif not key:
            errors.append(_("Ligne %(n)d : nom illisible.") % {"n": number})
        elif key in seen:
            errors.append(_("Ligne %(n)d : %(name)s figure deux fois.") % {"n": number,
                                                                            "name": name})
        elif len(name) > 200 or len(entry.proxy_holder) > 200:
            errors.append(_("Ligne %(n)d : nom trop long (200 caractères au plus).") % {
                "n": number})
        holder = " ".join(entry.proxy_holder.split())
        if entry.state == Attendance.State.PROXY and not holder:
            errors.append(_("Ligne %(n)d : indiquez qui porte la procuration de %(name)s.") % {
                "n": number, "name": name})
        seen.add(key)
        clean.append((name, key, entry.state, holder if entry.state == "proxy" else ""))
    if len(clean) > MAX_LINES:
        errors.append(_("Trop de lignes (%(max)d au plus).") % {"max": MAX_LINES})
    if errors:
        raise ValidationError(errors)
    existing = {row.name_key: row for row in Attendance.objects.filter(sitting=sitting)}
    find = _member_finder(sitting)
    Attendance.objects.filter(sitting=sitting).exclude(
        name_key__in=[key for _name, key, _state, _holder in clean]).delete()
    saved = []
    for position, (name, key, state, holder) in enumerate(clean):
        row = existing.get(key) or Attendance(workspace=sitting.workspace, sitting=sitting,
                                              name_key=key)
        changed = (row.pk is None or row.name != name or row.state != state
                   or row.proxy_holder != holder)
        row.name, row.state, row.proxy_holder, row.position = name, state, holder, position
        if changed:
            row.source = Attendance.Source.MANUAL
        row.member = find(key)
        row.save()
        saved.append(row)
    return saved


def attendance_summary(sitting: Sitting) -> AttendanceSummary:
    """The counts, every line, and where each of the group's élus stood: those who sit in
    the sitting's body, and any other élu of the group found in the roll call."""
    lines = list(sitting.attendances.select_related("member"))
    counts = Counter(line.state for line in lines)
    by_member = {line.member_id: line for line in lines if line.member_id}
    body_members = list(sitting.body.members.filter(in_group=True)) if sitting.body_id else []
    members = [(member, by_member.get(member.pk)) for member in body_members]
    listed = {member.pk for member in body_members}
    members += [(line.member, line) for line in lines
                if line.member_id and line.member.in_group and line.member_id not in listed]
    return AttendanceSummary(lines, dict(counts), members)


@dataclass
class MemberAttendance:
    member: ElectedMember
    counts: dict[str, int]

    @property
    def sittings(self) -> int:
        return sum(self.counts.values())

    @property
    def rate(self) -> int | None:
        """Percent of the recorded sittings the élu attended in person."""
        present = self.counts.get(Attendance.State.PRESENT, 0)
        return round(100 * present / self.sittings) if self.sittings else None


def attendance_by_member(workspace, *, body=None, year: int | None = None
                         ) -> list[MemberAttendance]:
    """How often each élu of the group attended the sittings whose attendance is
    recorded (one grouped query), the least present first."""
    lines = Attendance.objects.filter(workspace=workspace, member__in_group=True)
    if body is not None:
        lines = lines.filter(sitting__body=body)
    if year is not None:
        lines = lines.filter(sitting__starts_at__year=year)
    rows = (lines.values("member", "state").annotate(n=Count("id")).order_by())
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["member"], dict.fromkeys(Attendance.State.values, 0))[
            row["state"]] = row["n"]
    members = ElectedMember.objects.filter(workspace=workspace, pk__in=counts)
    result = [MemberAttendance(member, counts[member.pk]) for member in members]
    return sorted(result, key=lambda item: (item.rate, str(item.member)))
