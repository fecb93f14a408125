"""The council module on the dashboard: next sittings, reports assigned to me, my inbox."""

from django.http import HttpRequest

from hemicycle.council.queries import inbox_of, reports_assigned_to, sittings_upcoming


def council(request: HttpRequest) -> dict:
    workspace, user = request.workspace, request.user
    return {
        "sittings": list(sittings_upcoming(workspace, limit=4)),
        "assigned": list(reports_assigned_to(workspace, user)[:6]),
        "inbox_count": inbox_of(workspace, user).count(),
    }


def personal_data(user) -> dict:
    """A user's watch rules, inbox, assigned reports and comments (GDPR access)."""
    from hemicycle.council.models import Comment, InboxItem, Report, Watchlist

    return {
        "watchlists": [
            {"workspace": w.workspace.name, "name": w.name, "query": w.query,
             "policy_area": w.policy_area, "place": w.place,
             "min_amount": str(w.min_amount) if w.min_amount is not None else None,
             "active": w.active}
            for w in Watchlist.objects.filter(user=user).select_related("workspace")],
        "inbox": [
            {"workspace": i.workspace.name, "report": str(i.report), "reason": i.reason,
             "created_at": i.created_at.isoformat(),
             "done_at": i.done_at.isoformat() if i.done_at else None}
            for i in InboxItem.objects.filter(user=user).select_related("workspace", "report")],
        "assigned_reports": [
            {"workspace": r.workspace.name, "report": str(r),
             "due_date": r.due_date.isoformat() if r.due_date else None,
             "follow_status": r.follow_status}
            for r in Report.objects.filter(assignees=user).select_related("workspace")],
        "comments": [
            {"workspace": c.workspace.name, "report": str(c.report), "body": c.body,
             "created_at": c.created_at.isoformat()}
            for c in Comment.objects.filter(author=user).select_related("workspace",
                                                                        "report")],
    }


def deadlines(request: HttpRequest) -> dict | None:
    """The "Échéances" panel: filing deadlines of the coming weeks and the writings that
    must meet them (hidden when the bodies set none)."""
    from hemicycle.council.services.deadlines import upcoming_deadlines

    found = upcoming_deadlines(request.workspace, days=45)
    return {"deadlines": found[:8]} if found else None
