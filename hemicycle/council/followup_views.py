"""The follow-up of a report on its page: who follows it (assignment), and its discussion
thread (comments with @mentions). Thin views: services/followup.py does the work."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemicycle.accounts.access import get_object_for_user, workspace_view
from hemicycle.council.forms import AssignForm, CommentForm
from hemicycle.council.mentions import excerpt
from hemicycle.council.models import Comment, Report
from hemicycle.council.services import deadlines as deadlines_service
from hemicycle.council.services import followup
from hemicycle.council.services import mentions as mentions_service
from hemicycle.writings import markup

TEMPLATE = "council/_report_followup.html"


def followup_context(request: HttpRequest, report: Report, comment_form=None) -> dict:
    """What the report page's follow-up blocks need (assignment, thread)."""
    users = followup.assignable_users(request.workspace)
    assign_form = AssignForm(users=users, initial={
        "assignees": list(report.assignees.all()), "lead": report.assigned_to,
        "follow_status": report.follow_status,
        "due_date": report.due_date or followup.report_default_due_date(report)})
    directory = followup.mention_directory(request.workspace)
    comments = list(report.comments.select_related("author"))
    for comment in comments:
        comment.html = directory.mark(markup.to_html(comment.body))
        comment.editable = followup.comment_can_edit(comment, request.user)
    deadlines = (deadlines_service.upcoming_deadlines(request.workspace,
                                                      sitting=report.sitting)
                 if report.sitting_id else [])
    for deadline in deadlines:  # this report's writings only
        deadline.writings = [w for w in deadline.writings if w.report_id == report.pk]
    return {
        "report": report,
        "deadlines": deadlines,
        "assignees": list(report.assignees.all()),
        "default_due_date": followup.report_default_due_date(report),
        "assign_form": assign_form,
        "comments": comments,
        "comment_form": comment_form or CommentForm(),
        "can_assign": request.membership.can("write"),
        "can_comment": request.membership.can("write_own"),
    }


@require_POST
@workspace_view("write")
def report_assign(request: HttpRequest, code) -> HttpResponse:
    report = get_object_for_user(request, Report.objects.select_related("sitting"), code)
    form = AssignForm(request.POST, users=followup.assignable_users(request.workspace))
    if form.is_valid():
        data = form.cleaned_data
        try:
            followup.report_assign(report=report, users=list(data["assignees"]),
                                   lead=data["lead"], due_date=data["due_date"],
                                   follow_status=data["follow_status"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Suivi enregistré."))
    else:
        messages.error(request, _("Suivi non enregistré : vérifiez les personnes et la date."))
    return redirect("council:report-detail", request.workspace.slug, report.code)


def _thread(request: HttpRequest, report: Report, form=None) -> HttpResponse:
    """The thread alone for htmx; back to the report's page otherwise."""
    if request.headers.get("HX-Request"):
        return render(request, TEMPLATE + "#thread", {
            "workspace": request.workspace, **followup_context(request, report, form)})
    if form is not None and form.errors:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    url = redirect("council:report-detail", request.workspace.slug, report.code).url
    return redirect(url + "#commentaires")


@require_POST
@workspace_view("write_own")  # observers read the thread but do not write in it
def comment_create(request: HttpRequest, code) -> HttpResponse:
    report = get_object_for_user(request, Report, code)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            followup.comment_create(report=report, author=request.user,
                                    body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error("body", error)
        else:
            form = None
    return _thread(request, report, form)


def _my_comment(request: HttpRequest, code) -> Comment:
    comment = get_object_for_user(request, Comment.objects.select_related("report"), code)
    if not followup.comment_can_edit(comment, request.user):
        raise PermissionDenied
    return comment


@workspace_view("write_own")
def comment_edit(request: HttpRequest, code) -> HttpResponse:
    comment = _my_comment(request, code)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            followup.comment_update(comment=comment, by=request.user,
                                    body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error("body", error)
        else:
            messages.success(request, _("Commentaire modifié."))
            url = redirect("council:report-detail", request.workspace.slug,
                           comment.report.code).url
            return redirect(f"{url}#commentaire-{comment.code}")
    return render(request, "council/comment_form.html", {"comment": comment, "form": form})


@require_POST
@workspace_view("write_own")
def comment_delete(request: HttpRequest, code) -> HttpResponse:
    comment = _my_comment(request, code)
    report = comment.report
    followup.comment_delete(comment=comment, by=request.user)
    if not request.headers.get("HX-Request"):
        messages.success(request, _("Commentaire supprimé."))
    return _thread(request, report)


@workspace_view("write_own")
def mention_suggest(request: HttpRequest) -> HttpResponse:
    """Members to mention, for the comment box's "@" autocomplete."""
    return render(request, TEMPLATE + "#suggestions", {
        "suggestions": followup.mention_suggestions(request.workspace,
                                                    request.GET.get("q", "")[:60])})


MENTIONS_PER_PAGE = 25


@workspace_view("read")
def mention_list(request: HttpRequest) -> HttpResponse:
    """"Mes mentions": the comments that mention the current member, newest first; a POST
    marks one ("comment": its code) or all ("all") read."""
    workspace, user = request.workspace, request.user
    if request.method == "POST":
        comment = None
        if not request.POST.get("all"):
            comment = get_object_for_user(request, Comment, request.POST.get("comment"))
        mentions_service.mention_mark_read(workspace=workspace, user=user, comment=comment)
        page = request.POST.get("page", "")
        url = redirect("council:mention-list", workspace.slug).url
        return redirect(url + (f"?page={page}" if page.isdigit() else ""))
    page = Paginator(mentions_service.mentions_of(workspace, user),
                     MENTIONS_PER_PAGE).get_page(request.GET.get("page"))
    directory = followup.mention_directory(workspace)
    for comment in page:
        comment.excerpt_html = mark_safe(directory.mark(escape(excerpt(comment.body))))  # noqa: S308
    return render(request, "council/mention_list.html", {
        "page": page, "unread": mentions_service.mentions_unread_count(workspace, user)})
