"""The group's work in other pages: the per-report panel (for the council's report page),
the dashboard panel and the GDPR export."""

from django.http import HttpRequest

from hemicycle.accounts.access import can_write
from hemicycle.council.models import Report
from hemicycle.writings import markup, queries, services


def report_panel(request: HttpRequest, report: Report) -> dict:
    """Context of ``writings/_report_panel.html`` for one report: include it with
    ``{% include "writings/_report_panel.html" with panel=writings_panel %}``."""
    note = queries.note_of(report)
    membership = request.membership
    return {
        "report": report,
        "note": note,
        "note_html": markup.to_html(note.body) if note else "",
        "can_write_note": (can_write(request, note) if note else membership.can("write_own")),
        "position": queries.position_of(report),
        "can_propose": membership.can("write"),
        "can_decide": services.position_can_decide(membership),
        "writings": list(queries.writings_of_report(report)),
        "can_create_writing": membership.can("write_own"),
        "next": request.get_full_path(),
    }


def dashboard(request: HttpRequest) -> dict:
    workspace = request.workspace
    sitting = queries.next_sitting(workspace)
    return {
        "to_review": list(queries.writings_to_review(workspace)[:8]),
        "next_sitting": sitting,
        "undecided": queries.undecided_reports(sitting)[:10] if sitting else [],
    }


def personal_data(user) -> dict | None:
    """The writings and notes this user authored, and the votes they decided (GDPR)."""
    from hemicycle.writings.models import DraftProposal, Note, Position, Writing

    writings = [
        {"workspace": w.workspace.name, "kind": w.kind, "title": w.title, "body": w.body,
         "status": w.status, "created_at": w.created_at.isoformat(),
         "versions": [{"number": v.number, "title": v.title, "body": v.body,
                       "created_at": v.created_at.isoformat()}
                      for v in w.versions.filter(author=user)]}
        for w in Writing.objects.filter(author=user).select_related("workspace")]
    notes = [{"workspace": n.workspace.name, "report": str(n.report), "body": n.body,
              "status": n.status, "created_at": n.created_at.isoformat()}
             for n in Note.objects.filter(author=user).select_related("workspace", "report")]
    decided = [{"workspace": p.workspace.name, "report": str(p.report), "vote": p.vote,
                "explanation": p.explanation,
                "decided_at": p.decided_at.isoformat() if p.decided_at else None}
               for p in Position.objects.filter(decided_by=user).select_related(
                   "workspace", "report")]
    drafts = [{"workspace": d.workspace.name, "model": d.model_name, "messages": d.messages,
               "result": d.result, "status": d.status, "created_at": d.created_at.isoformat()}
              for d in DraftProposal.objects.filter(requested_by=user).select_related(
                  "workspace")]
    if not (writings or notes or decided or drafts):
        return None
    return {"writings": writings, "notes": notes, "decided_votes": decided,
            "draft_proposals": drafts}
