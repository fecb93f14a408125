"""Staff pages: colleges, volunteers, draws, jurors, scores and the projection; the
jurors' own scoring pages (capability ``score``, seat checked on the server)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemicycle.accounts.access import require, workspace_view
from hemicycle.juries.forms import CollegeForm, DrawForm, JurorForm
from hemicycle.juries.models import Application, College
from hemicycle.juries.services import draws as services
from hemicycle.juries.services import scoring
from hemicycle.juries.services.campaigns import campaign_criteria, criteria_weights
from hemicycle.juries.views.common import (
    get_campaign_for_user,
    get_college_for_user,
    get_draw_for_user,
    get_juror_for_user,
)


@workspace_view("write")
def college_create(request: HttpRequest, code) -> HttpResponse:
    campaign = get_campaign_for_user(request, code, write=True)
    return _college_form(request, campaign, None)


@workspace_view("write")
def college_edit(request: HttpRequest, code) -> HttpResponse:
    college = get_college_for_user(request, code, write=True)
    return _college_form(request, college.campaign, college)


def _college_form(request, campaign, college) -> HttpResponse:
    form = CollegeForm(request.POST or None, instance=college)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            college = services.college_save(campaign=campaign, college=college,
                                            quotas=data.pop("quota_lines"), **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Collège enregistré."))
            return redirect("juries:college-detail", request.workspace.slug, college.code)
    return render(request, "juries/college_form.html", {
        "form": form, "campaign": campaign, "college": college})


@workspace_view("read")
def college_detail(request: HttpRequest, code) -> HttpResponse:
    college = get_college_for_user(request, code)
    draw = services.latest_draw(college)
    draw_form = DrawForm(request.POST or None)
    if request.method == "POST":
        require(request, "write")
        action = request.POST.get("action")
        try:
            if action == "draw" and draw_form.is_valid():
                new = services.draw_create(college=college, by=request.user,
                                           **draw_form.cleaned_data)
                return redirect("juries:draw-detail", request.workspace.slug, new.code)
            if action == "replace" and draw is not None:
                chosen = services.draw_replace(draw=draw, by=request.user,
                                               pseudonym=request.POST.get("pseudonym", ""))
                messages.success(request, _("Remplacé·e par %(p)s.") % {"p": chosen})
                return redirect(request.path)
            if action == "jurors" and draw is not None:
                made = services.draw_jurors_create(draw=draw, by=request.user)
                messages.success(request, _("%(n)d juré·e·s invité·e·s.") % {"n": made})
                return redirect(request.path)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.path)
    volunteers = college.volunteers.filter(workspace=request.workspace)
    return render(request, "juries/college_detail.html", {
        "college": college, "campaign": college.campaign, "draw": draw, "draw_form": draw_form,
        "volunteers": volunteers, "features": list(college.features()),
        "draws": college.draws.all(), "can_write": request.membership.can("write"),
        "is_drawn": college.method == College.Method.DRAWN})


@workspace_view("read")
def draw_detail(request: HttpRequest, code) -> HttpResponse:
    """The draw's staff page; while it runs, htmx polls the status panel."""
    draw = get_draw_for_user(request, code)
    template = "juries/draw_detail.html"
    if request.headers.get("HX-Request"):
        template += "#status"
    return render(request, template, {
        "draw": draw, "college": draw.college, "campaign": draw.college.campaign,
        "report": services.draw_report(draw) if draw.status == draw.Status.DONE else None})


@workspace_view("read")
def juror_list(request: HttpRequest, code) -> HttpResponse:
    campaign = get_campaign_for_user(request, code)
    form = JurorForm(request.POST or None, campaign=campaign)
    if request.method == "POST":
        require(request, "write")
        if form.is_valid():
            try:
                scoring.juror_create(campaign=campaign, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Juré·e ajouté·e : son invitation part par "
                                            "e-mail."))
                return redirect(request.path)
    return render(request, "juries/juror_list.html", {
        "campaign": campaign, "form": form, "progress": scoring.juror_progress(campaign),
        "inactive": campaign.jurors.filter(active=False),
        "can_write": request.membership.can("write")})


@require_POST
@workspace_view("write")
def juror_action(request: HttpRequest, code) -> HttpResponse:
    """Send the invitation again, or deactivate the juror (their scoring pages close)."""
    juror = get_juror_for_user(request, code, write=True)
    if request.POST.get("action") == "deactivate":
        scoring.juror_deactivate(juror=juror)
        messages.success(request, _("Juré·e retiré·e du jury."))
    else:
        scoring.juror_link_enqueue(juror=juror)
        messages.success(request, _("Invitation renvoyée."))
    return redirect("juries:juror-list", request.workspace.slug, juror.campaign.code)


@workspace_view("read")
def score_table(request: HttpRequest, code) -> HttpResponse:
    campaign = get_campaign_for_user(request, code)
    return render(request, "juries/score_table.html", {
        "campaign": campaign, "rows": scoring.scores_table(campaign),
        "criteria": campaign.criteria.filter(workspace=request.workspace),
        "progress": scoring.juror_progress(campaign)})


@workspace_view("read")
def projection(request: HttpRequest, code) -> HttpResponse:
    """Full-screen live ranking for the jury meeting (htmx refreshes the table)."""
    campaign = get_campaign_for_user(request, code)
    template = "juries/projection.html"
    if request.headers.get("HX-Request"):
        template += "#ranking"
    rows = scoring.scores_table(campaign)
    left, funded = campaign.envelope, set()
    for row in rows:  # the ranking's greedy line: what fits, in order
        amount = row["application"].amount_requested
        if row["mean"] is not None and amount <= left:
            funded.add(row["application"].pk)
            left -= amount
    return render(request, template, {"campaign": campaign, "rows": rows, "funded": funded,
                                      "left": left,
                                      "progress": scoring.juror_progress(campaign)})


# --- jurors' own pages --------------------------------------------------------------------


@workspace_view("score")
def juror_home(request: HttpRequest, code) -> HttpResponse:
    """A juror's list of the campaign's applications, with what is left to score."""
    juror = scoring.juror_for_user(request, code)
    reviews = {r.application_id: r for r in juror.reviews.filter(workspace=request.workspace)}
    weights = criteria_weights(juror.campaign)
    rows = [{"application": a, "review": reviews.get(a.pk),
             "done": a.pk in reviews and (reviews[a.pk].conflict or scoring.review_total(
                 reviews[a.pk], weights) is not None)}
            for a in scoring.reviewable(juror.campaign)]
    return render(request, "juries/juror_home.html", {
        "juror": juror, "campaign": juror.campaign, "rows": rows,
        "done": sum(r["done"] for r in rows)})


@workspace_view("score")
def juror_review(request: HttpRequest, code) -> HttpResponse:
    """Score one application, support it, or declare a conflict of interest."""
    application = Application.objects.filter(workspace=request.workspace, code=code).select_related(
        "campaign").first()
    if application is None:
        raise Http404
    juror = scoring.juror_for_user(request, application.campaign.code)
    campaign = juror.campaign
    if not scoring.reviewable(campaign).filter(pk=application.pk).exists():
        raise Http404
    criteria = list(campaign_criteria(campaign))
    review = juror.reviews.filter(workspace=request.workspace, application=application).first()
    error = ""
    if request.method == "POST":
        scores = {}
        for criterion in criteria:
            value = request.POST.get(f"score_{criterion.pk}", "")
            scores[str(criterion.pk)] = int(value) if value.isdigit() else None
        try:
            scoring.review_save(juror=juror, application=application, scores=scores,
                                approved=bool(request.POST.get("approved")),
                                conflict=bool(request.POST.get("conflict")),
                                comment=request.POST.get("comment", "")[:2000])
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect("juries:juror-home", request.workspace.slug, campaign.code)
    values = review.scores if review else {}
    return render(request, "juries/juror_review.html", {
        "juror": juror, "campaign": campaign, "application": application,
        "review": review, "error": error, "scale": range(campaign.score_scale + 1),
        "criteria": [(c, values.get(str(c.pk))) for c in criteria],
        "attachments": application.attachments.filter(workspace=request.workspace)})
