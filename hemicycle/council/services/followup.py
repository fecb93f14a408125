"""The group's follow-up of a report: who follows it (several élu·e·s and staff, one of
them the lead), by when, how far the work is; and its discussion thread, where a comment
can @mention a member (they get an inbox item and an e-mail)."""

from __future__ import annotations

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hemicycle.accounts.models import Membership, User, Workspace
from hemicycle.accounts.roles import Role
from hemicycle.audit.models import AuditEvent
from hemicycle.audit.services import audit_record
from hemicycle.council.mentions import Directory, handle_of
from hemicycle.council.models import Comment, FollowStatus, InboxItem, Report

logger = logging.getLogger(__name__)

# Work on a report is due this many days before its sitting, when the group has not set
# the date of the meeting that prepares it.
DUE_DAYS_BEFORE = 2
COMMENT_MAX_LENGTH = 5000
# Who can be assigned a report, and who can be mentioned (they can read the report).
ASSIGNABLE_ROLES = [Role.ADMIN, Role.STAFF, Role.ELECTED]
MENTIONABLE_ROLES = [Role.ADMIN, Role.STAFF, Role.ELECTED, Role.OBSERVER]


def _members(workspace: Workspace, roles: list[str]) -> QuerySet[User]:
    ids = Membership.objects.filter(workspace=workspace, role__in=roles).values("user_id")
    return User.objects.filter(id__in=ids, is_active=True).order_by("full_name")


def assignable_users(workspace: Workspace) -> QuerySet[User]:
    """The team (staff, admins, élu·e·s) a report can be assigned to."""
    return _members(workspace, ASSIGNABLE_ROLES)


def report_default_due_date(report: Report) -> datetime.date | None:
    """The day of the group's preparatory meeting if set, else two days before the
    sitting."""
    sitting = report.sitting
    if sitting is None:
        return None
    if sitting.group_meeting_at is not None:
        return timezone.localdate(sitting.group_meeting_at)
    return timezone.localdate(sitting.starts_at) - datetime.timedelta(days=DUE_DAYS_BEFORE)


def _url(name: str, *args, anchor: str = "") -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args) + anchor


def _inbox_put(*, user: User, report: Report, reason: str,
               comment: Comment | None = None) -> InboxItem:
    """Put the report (back) in the user's inbox with this reason."""
    item, created = InboxItem.objects.get_or_create(
        user=user, report=report, defaults={"workspace_id": report.workspace_id,
                                            "reason": reason[:300], "comment": comment})
    if not created:
        item.reason, item.comment, item.done_at = reason[:300], comment, None
        item.save(update_fields=["reason", "comment", "done_at", "updated_at"])
    return item


# --- assignment --------------------------------------------------------------------------


@transaction.atomic
def report_assign(*, report: Report, users: list[User], lead: User | None = None,
                  due_date: datetime.date | None = None, follow_status: str | None = None,
                  by: User | None = None, notify: bool = True) -> Report:
    """Hand a report to one or more people (each newcomer finds it in their inbox and gets
    an e-mail, once committed), with a lead among them, a due date (by default the day of
    the group's meeting, or two days before the sitting) and where the work stands.
    ``notify=False`` (the demo) fills inboxes but sends no e-mail."""
    from hemicycle.council.tasks import assignment_notify_task

    chosen = {user.pk: user for user in users}
    if lead is not None:
        chosen.setdefault(lead.pk, lead)
    team = set(assignable_users(report.workspace).filter(pk__in=chosen)
               .values_list("pk", flat=True))
    if set(chosen) - team:
        raise ValidationError(_("Cette personne n'est pas membre de l'équipe."))
    if follow_status and follow_status not in FollowStatus.values:
        raise ValidationError(_("Avancement inconnu."))
    before = set(report.assignees.values_list("pk", flat=True))
    if lead is None and chosen:
        # Keep the lead while they stay; otherwise the first by name.
        lead = (chosen.get(report.assigned_to_id)
                or sorted(chosen.values(), key=lambda u: u.full_name)[0])
    report.assigned_to = lead
    report.due_date = due_date or report.due_date or report_default_due_date(report)
    if follow_status:
        report.follow_status = follow_status
    report.save(update_fields=["assigned_to", "due_date", "follow_status", "updated_at"])
    report.assignees.set(list(chosen.values()))
    if before != set(chosen):
        # Signals do not see many-to-many changes: one line in the trail says who follows.
        audit_record(action=AuditEvent.Action.UPDATE, obj=report, verb="council.assign",
                     changes={"assignees": [
                         sorted(User.objects.filter(pk__in=before)
                                .values_list("full_name", flat=True)),
                         sorted(u.full_name for u in chosen.values())]},
                     actor=by)
    for user in chosen.values():
        if user.pk in before:
            continue
        _inbox_put(user=user, report=report, reason=_("Vous a été confié"))
        if notify and (by is None or by.pk != user.pk):
            transaction.on_commit(lambda user_id=user.pk: assignment_notify_task.enqueue(
                report_id=report.pk, user_id=user_id, by_id=by.pk if by else None))
    return report


def assignment_notify(*, report_id: int, user_id: int, by_id: int | None = None) -> bool:
    """Tell someone a report was assigned to them. Returns whether the mail left."""
    report = Report.objects.select_related("workspace", "sitting").filter(pk=report_id).first()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if report is None or user is None or not report.assignees.filter(pk=user_id).exists():
        return False
    by = User.objects.filter(pk=by_id).first() if by_id else None
    with translation.override(user.language or "fr"):
        context = {"report": report, "user": user, "by": by, "workspace": report.workspace,
                   "url": _url("council:report-detail", report.workspace.slug, report.code),
                   "site_name": settings.SITE_NAME}
        subject = _("Rapport confié : %(report)s") % {"report": str(report)[:120]}
        body = render_to_string("council/email/assignment.txt", context)
    return _send(subject, body, user, report)


def _send(subject: str, body: str, user: User, report: Report) -> bool:
    try:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[user.email])
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("report %s: mail to user %s not sent: %s", report.pk, user.pk, error)
        return False
    InboxItem.objects.filter(user=user, report=report).update(notified_at=timezone.now())
    return True


# --- comments ----------------------------------------------------------------------------


def mentionable_users(workspace: Workspace) -> QuerySet[User]:
    """Members who can read the workspace's reports, so can be mentioned."""
    return _members(workspace, MENTIONABLE_ROLES)


def mention_directory(workspace: Workspace) -> Directory:
    return Directory(mentionable_users(workspace).values_list("id", "email", "full_name"))


def mention_suggestions(workspace: Workspace, prefix: str = "",
                        limit: int = 8) -> list[dict[str, str]]:
    """Members to offer after an "@": their handle and name, filtered by a prefix of
    either (accent-insensitive)."""
    from hemicycle.council.mentions import fold

    wanted = fold(prefix.lstrip("@"))
    found = []
    for user in mentionable_users(workspace).only("email", "full_name"):
        handle = handle_of(user.email)
        words = [handle, *fold(user.full_name).split()]
        if not wanted or any(fold(word).startswith(wanted) for word in words):
            found.append({"handle": handle, "name": user.full_name})
        if len(found) == limit:
            break
    return found


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Le commentaire est vide."))
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(_("Un commentaire tient en %(max)d caractères au plus.")
                              % {"max": COMMENT_MAX_LENGTH})
    return body


def _mention(comment: Comment, already: set[int], notify: bool = True) -> list[int]:
    """Record who the comment mentions; newcomers (not the author) get an inbox item and,
    once committed, an e-mail. Returns their ids."""
    from hemicycle.council.tasks import comment_mention_notify_task

    ids = mention_directory(comment.workspace).find(comment.body)
    comment.mentions.set(ids)
    new = [i for i in ids if i not in already and i != comment.author_id]
    author = comment.author.full_name if comment.author else _("Quelqu'un")
    for user in User.objects.filter(pk__in=new):
        _inbox_put(user=user, report=comment.report, comment=comment,
                   reason=_("%(author)s vous a mentionné·e") % {"author": author})
    if new and notify:
        transaction.on_commit(lambda: comment_mention_notify_task.enqueue(
            comment_id=comment.pk, user_ids=new))
    return new


def comment_can_edit(comment: Comment, user: User) -> bool:
    return comment.author_id is not None and comment.author_id == user.pk


@transaction.atomic
def comment_create(*, report: Report, author: User, body: str,
                   notify: bool = True) -> Comment:
    comment = Comment.objects.create(workspace_id=report.workspace_id, report=report,
                                     author=author, body=_clean_body(body))
    _mention(comment, set(), notify)
    return comment


@transaction.atomic
def comment_update(*, comment: Comment, by: User, body: str) -> Comment:
    """Its author rewrites a comment; only members newly mentioned are told."""
    if not comment_can_edit(comment, by):
        raise PermissionDenied
    comment.body = _clean_body(body)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at", "updated_at"])
    _mention(comment, set(comment.mentions.values_list("pk", flat=True)))
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, by: User) -> None:
    """Its author takes a comment back (the trail keeps that it existed)."""
    if not comment_can_edit(comment, by):
        raise PermissionDenied
    comment.delete()


def comment_mention_notify(*, comment_id: int, user_ids: list[int]) -> int:
    """E-mail the members a comment mentions. Returns how many mails left."""
    comment = (Comment.objects.select_related("report__workspace", "report__sitting", "author")
               .filter(pk=comment_id).first())
    if comment is None:
        return 0
    report, sent = comment.report, 0
    url = _url("council:report-detail", report.workspace.slug, report.code,
               anchor=f"#commentaire-{comment.code}")
    for user in comment.mentions.filter(pk__in=user_ids, is_active=True):
        with translation.override(user.language or "fr"):
            context = {"comment": comment, "report": report, "user": user, "url": url,
                       "workspace": report.workspace, "site_name": settings.SITE_NAME}
            author = comment.author.full_name if comment.author else _("Quelqu'un")
            subject = _("%(author)s vous a mentionné·e : %(report)s") % {
                "author": author, "report": str(report)[:100]}
            body = render_to_string("council/email/mention.txt", context)
        sent += _send(subject, body, user, report)
    return sent
