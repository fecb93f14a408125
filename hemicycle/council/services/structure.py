"""Bodies, sittings and reports: create, edit, move a sitting along its status (the
assignment of a report is in followup.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from hemicycle.accounts.models import Workspace
from hemicycle.council.models import Body, Report, Sitting

# A sitting moves forward one status at a time (or straight to a later one); never back,
# except by an edit of the sitting itself.
STATUS_ORDER = [Sitting.Status.ANNOUNCED, Sitting.Status.DOCUMENTS_RECEIVED,
                Sitting.Status.HELD, Sitting.Status.MINUTES_PUBLISHED]


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
