"""Bodies, sittings and reports: create, edit, move a sitting along its status, assign a
report to a member of the team."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hemicycle.accounts.models import Membership, User, Workspace
from hemicycle.council.models import Body, FollowStatus, Report, Sitting

# A sitting moves forward one status at a time (or straight to a later one); never back,
# except by an edit of the sitting itself.
STATUS_ORDER = [Sitting.Status.ANNOUNCED, Sitting.Status.DOCUMENTS_RECEIVED,
                Sitting.Status.HELD, Sitting.Status.MINUTES_PUBLISHED]
# Reports are due this many days before their sitting (the group meets before).
DUE_DAYS_BEFORE = 2


@transaction.atomic
def body_save(*, workspace: Workspace, body: Body | None = None, members=(), **fields) -> Body:
    body = body or Body(workspace=workspace)
    for name, value in fields.items():
        setattr(body, name, value)
    if Body.objects.filter(workspace=workspace, name=body.name).exclude(pk=body.pk).exists():
        raise ValidationError(_("Une instance porte déjà ce nom."))
    body.save()
    body.members.set(members)
    return body


@transaction.atomic
def sitting_save(*, workspace: Workspace, sitting: Sitting | None = None, **fields) -> Sitting:
    from hemicycle.council.search import search_index_sitting

    # Read from the database: a ModelForm has already changed the instance.
    before = (Sitting.objects.filter(pk=sitting.pk).values_list("starts_at", "body_id").first()
              if sitting is not None else None)
    sitting = sitting or Sitting(workspace=workspace)
    for name, value in fields.items():
        setattr(sitting, name, value)
    if sitting.body.workspace_id != workspace.id:
        raise ValidationError(_("Instance inconnue."))
    sitting.save()
    if before is not None and before != (sitting.starts_at, sitting.body_id):
        search_index_sitting(sitting)  # the index knows each report's body and year
    return sitting


def sitting_next_statuses(sitting: Sitting) -> list[Sitting.Status]:
    index = STATUS_ORDER.index(sitting.status)
    return STATUS_ORDER[index + 1:]


@transaction.atomic
def sitting_status_set(*, sitting: Sitting, status: str) -> Sitting:
    if status not in sitting_next_statuses(sitting):
        raise ValidationError(_("Une séance avance d'un statut au suivant, sans revenir en "
                                "arrière."))
    sitting.status = status
    sitting.save(update_fields=["status", "updated_at"])
    return sitting


def sitting_next_rank(sitting: Sitting | None) -> int:
    if sitting is None:
        return 1
    return (sitting.reports.aggregate(top=Max("rank"))["top"] or 0) + 1


@transaction.atomic
def report_save(*, workspace: Workspace, report: Report | None = None, **fields) -> Report:
    """Create or edit a report by hand; its entities, summary and index follow its text."""
    from hemicycle.council.search import search_index_report
    from hemicycle.council.services.ingestion import report_analyse

    creating = report is None
    report = report or Report(workspace=workspace)
    # Read from the database: a ModelForm has already changed the instance.
    old_text = (Report.objects.filter(pk=report.pk).values_list("text", flat=True).first()
                if report.pk else None)
    for name, value in fields.items():
        setattr(report, name, value)
    for related in (report.sitting, report.commission):
        if related is not None and related.workspace_id != workspace.id:
            raise ValidationError(_("Séance ou commission inconnue."))
    if creating and report.rank is None:
        report.rank = sitting_next_rank(report.sitting)
    if creating or report.text != old_text:
        report_analyse(report)
    report.save()
    search_index_report(report)
    return report


def report_default_due_date(report: Report) -> datetime.date | None:
    if report.sitting is None:
        return None
    return timezone.localdate(report.sitting.starts_at) - datetime.timedelta(
        days=DUE_DAYS_BEFORE)


def assignable_users(workspace: Workspace):
    """The team (staff, admins, élu·e·s) a report can be assigned to."""
    ids = Membership.objects.filter(workspace=workspace, role__in=["admin", "staff", "elected"])
    return User.objects.filter(id__in=ids.values("user_id"), is_active=True).order_by(
        "full_name")


@transaction.atomic
def report_assign(*, report: Report, user: User | None, due_date: datetime.date | None = None,
                  follow_status: str | None = None, by: User | None = None) -> Report:
    """Hand a report to someone (an e-mail tells them, once committed), set its due date
    (by default two days before the sitting) and where the work stands."""
    from hemicycle.council.services.watch import inbox_add
    from hemicycle.council.tasks import assignment_notify_task

    if user is not None and not assignable_users(report.workspace).filter(pk=user.pk).exists():
        raise ValidationError(_("Cette personne n'est pas membre de l'équipe."))
    newly_assigned = user is not None and user.pk != report.assigned_to_id
    report.assigned_to = user
    report.due_date = due_date or report.due_date or report_default_due_date(report)
    if follow_status:
        report.follow_status = follow_status
    elif newly_assigned and not report.follow_status:
        report.follow_status = FollowStatus.TO_ANALYSE
    report.save(update_fields=["assigned_to", "due_date", "follow_status", "updated_at"])
    if newly_assigned:
        inbox_add(user=user, report=report, reason=_("Vous a été confié"))
        if by is None or by.pk != user.pk:
            transaction.on_commit(lambda: assignment_notify_task.enqueue(
                report_id=report.pk, by_id=by.pk if by else None))
    return report
