"""Demo data of the follow-up: the group's preparatory meetings, the bodies' filing
deadlines, reports followed by an élue and a collaborator, a discussion with a mention.
Idempotent, like every demo step."""

import datetime

from django.db import transaction

from hemicycle.accounts.roles import Role
from hemicycle.core.demo import DemoResult
from hemicycle.council.models import Body, Comment, FollowStatus, Report, Sitting
from hemicycle.council.services.attendance import AttendanceEntry, attendance_save
from hemicycle.council.services.followup import comment_create, report_assign
from hemicycle.elected.models import ElectedMember


@transaction.atomic
def demo_followup(result: DemoResult) -> dict[str, int]:
    workspace = result.workspace
    staff, elected = result.users.get(Role.STAFF), result.users.get(Role.ELECTED)
    # The group meets on the Monday evening before each sitting to come.
    for sitting in Sitting.objects.filter(workspace=workspace, group_meeting_at=None,
                                          status__in=[Sitting.Status.ANNOUNCED,
                                                      Sitting.Status.DOCUMENTS_RECEIVED]):
        day = sitting.starts_at - datetime.timedelta(days=3)
        day -= datetime.timedelta(days=day.weekday())
        sitting.group_meeting_at = day.replace(hour=18, minute=30)
        sitting.save(update_fields=["group_meeting_at", "updated_at"])
    # The Nord's rules of procedure (invented figures): amendments and motions a week
    # before a plenary, oral questions five days before; three days for the commission.
    for body in Body.objects.filter(workspace=workspace, amendment_deadline_days=None,
                                    kind__in=[Body.Kind.PLENARY,
                                              Body.Kind.STANDING_COMMITTEE]):
        plenary = body.kind == Body.Kind.PLENARY
        body.amendment_deadline_days = 7 if plenary else 3
        body.oral_question_deadline_days = 5 if plenary else None
        body.motion_deadline_days = 7 if plenary else None
        body.save()
    attended = _demo_attendance(workspace)
    if staff is None or elected is None:
        return {"attendance": attended}
    followed = 0
    reports = Report.objects.filter(workspace=workspace, assignees=None).exclude(
        assigned_to=None)
    for report in reports.select_related("sitting"):
        report_assign(report=report, users=[report.assigned_to, elected],
                      lead=report.assigned_to, follow_status=report.follow_status
                      or FollowStatus.IN_PROGRESS, notify=False)
        followed += 1
    comments = 0
    report = (Report.objects.filter(workspace=workspace, assignees=elected)
              .order_by("rank").first())
    if report is not None and not Comment.objects.filter(report=report).exists():
        handle = staff.email.split("@")[0]
        comment_create(report=report, author=elected, body=(
            f"@{handle} peux-tu vérifier les **montants par canton** avant la réunion de "
            "groupe ? Je voudrais comparer avec l'an dernier."), notify=False)
        comment_create(report=report, author=staff, body=(
            "C'est noté : tableau comparatif dans la note d'ici jeudi.\n\n"
            "- Lille-3 : en hausse\n- Lille-5 : stable"), notify=False)
        comments = 2
    return {"followed_reports": followed, "comments": comments, "attendance": attended}


def _demo_attendance(workspace) -> int:
    """The group's élus at the sittings already held, entered by hand (the demo's
    generated bundles carry no roll call): all present but one, who gave a proxy."""
    members = [str(member) for member in ElectedMember.objects.filter(workspace=workspace,
                                                                      in_group=True)]
    recorded = 0
    held = Sitting.objects.filter(workspace=workspace, attendances=None, status__in=[
        Sitting.Status.HELD, Sitting.Status.MINUTES_PUBLISHED]).order_by("starts_at")
    for number, sitting in enumerate(held):
        if len(members) < 2:
            break
        away = members[(number + 1) % len(members)]
        entries = [AttendanceEntry(name, "present") if name != away else
                   AttendanceEntry(name, "proxy", members[0] if name != members[0]
                                   else members[1]) for name in members]
        attendance_save(sitting=sitting, entries=entries)
        recorded += 1
    return recorded
