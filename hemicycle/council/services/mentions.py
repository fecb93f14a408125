"""A member's mentions: the comments of a workspace that @mention them, newest first,
read or not (a mention is unread while the inbox item it put there is open)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from hemicycle.accounts.models import User, Workspace
from hemicycle.council.models import Comment, InboxItem


def _open_items(workspace: Workspace, user: User) -> QuerySet[InboxItem]:
    return InboxItem.objects.filter(workspace=workspace, user=user, comment__isnull=False,
                                    done_at__isnull=True)


def mentions_of(workspace: Workspace, user: User) -> QuerySet[Comment]:
    """The comments that mention ``user`` in ``workspace`` (not their own), newest first,
    each with ``unread``."""
    unread = _open_items(workspace, user).filter(comment=OuterRef("pk"))
    return (Comment.objects.filter(workspace=workspace, mentions=user)
            .exclude(author=user)
            .select_related("author", "report", "report__sitting")
            .annotate(unread=Exists(unread))
            .order_by("-created_at", "-id"))


def mentions_unread_count(workspace: Workspace, user: User) -> int:
    return _open_items(workspace, user).count()


@transaction.atomic
def mention_mark_read(*, workspace: Workspace, user: User,
                      comment: Comment | None = None) -> int:
    """Mark one mention (or all of them) read: the inbox items they opened are done.
    Returns how many were unread."""
    items = _open_items(workspace, user)
    if comment is not None:
        items = items.filter(comment=comment)
    now = timezone.now()
    return items.update(done_at=now, updated_at=now)
