"""Public pages (no account): the call, the application form, the volunteer form, the
draw report, the results and open data; private links of applicants.

Anti-abuse: CSRF (Django's middleware), a honeypot field, a rate limit per IP on every
POST, and Django's autoescaping wherever submitted text is shown again.
"""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from hemicycle.accounts.access import public
from hemicycle.juries.forms import ApplicationForm, VolunteerForm
from hemicycle.juries.models import Application, Campaign, College, Draw
from hemicycle.juries.services import applications as services
from hemicycle.juries.services import draws as draw_services
from hemicycle.juries.services import results, scoring
from hemicycle.juries.services.allocation import adopted
from hemicycle.juries.services.campaigns import campaign_criteria
from hemicycle.juries.views.common import client_ip, download


def _campaign(slug: str) -> Campaign:
    return get_object_or_404(Campaign, public_slug=slug)


def _blocked(request: HttpRequest) -> bool:
    """Count this POST against the IP's hourly allowance; True when over it."""
    ip = client_ip(request)
    if services.attempt_is_blocked(ip=ip):
        return True
    services.attempt_record(ip=ip)
    return False


def _too_many(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    return render(request, "juries/public_blocked.html", {"campaign": campaign}, status=429)


def _draws(campaign: Campaign) -> list[Draw]:
    return [d for c in campaign.colleges.filter(method=College.Method.DRAWN)
            if (d := draw_services.latest_draw(c))]


@public
def campaign_public(request: HttpRequest, campaign: str) -> HttpResponse:
    """The call (how to apply, calendar, criteria) and, once published, the results."""
    campaign = _campaign(campaign)
    context = {"campaign": campaign, "criteria": campaign_criteria(campaign),
               "colleges": campaign.colleges.prefetch_related("jurors"),
               "volunteer_colleges": campaign.colleges.filter(
                   method=College.Method.DRAWN, volunteers_open=True),
               "draws": _draws(campaign)}
    if campaign.published:
        rows = scoring.scores_table(campaign)
        context.update({
            "rows": rows, "allocation": adopted(campaign),
            "funded": [r for r in rows if r["application"].status == Application.Status.GRANTED],
            "total": sum(r["application"].granted_amount or 0 for r in rows)})
    return render(request, "juries/campaign_public.html", context)


@public
def campaign_apply(request: HttpRequest, campaign: str) -> HttpResponse:
    campaign = _campaign(campaign)
    form = ApplicationForm(request.POST or None, request.FILES or None, campaign=campaign)
    if request.method == "POST" and campaign.is_open():
        if _blocked(request):
            return _too_many(request, campaign)
        if form.is_spam:  # a robot filled the honeypot: pretend all went well
            return redirect("juries:campaign-apply-done", campaign.public_slug)
        if form.is_valid():
            try:
                services.application_submit(
                    campaign=campaign, data=form.cleaned_data,
                    commune_name=form.cleaned_data["commune_name"],
                    files=form.cleaned_data["attachments"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("juries:campaign-apply-done", campaign.public_slug)
    return render(request, "juries/application_public_form.html", {
        "form": form, "campaign": campaign})


@public
def campaign_apply_done(request: HttpRequest, campaign: str) -> HttpResponse:
    return render(request, "juries/application_done.html", {"campaign": _campaign(campaign)})


@public
def application_private(request: HttpRequest, token: str) -> HttpResponse:
    """The applicant's private link: view and edit until the deadline, read-only after."""
    application = services.application_from_token(token)
    if application is None:
        raise Http404
    editable = services.application_is_editable(application)
    form = ApplicationForm(request.POST or None, request.FILES or None, instance=application,
                           campaign=application.campaign) if editable else None
    if request.method == "POST" and editable:
        if _blocked(request):
            return _too_many(request, application.campaign)
        if form.is_valid():
            try:
                services.application_update(
                    application=application, data=form.cleaned_data,
                    commune_name=form.cleaned_data["commune_name"],
                    files=form.cleaned_data["attachments"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return render(request, "juries/application_private.html", {
                    "application": application, "form": None, "saved": True,
                    "campaign": application.campaign,
                    "attachments": _attachments(application)})
    return render(request, "juries/application_private.html", {
        "application": application, "form": form, "campaign": application.campaign,
        "attachments": _attachments(application)})


def _attachments(application: Application):
    return application.attachments.filter(workspace=application.workspace_id)


@public
def volunteer_register(request: HttpRequest, campaign: str) -> HttpResponse:
    campaign = _campaign(campaign)
    colleges = campaign.colleges.filter(method=College.Method.DRAWN, volunteers_open=True)
    college = colleges.filter(code=request.GET.get("college") or None).first() \
        if _is_uuid(request.GET.get("college")) else colleges.first()
    if college is None:
        return render(request, "juries/volunteer_form.html", {"campaign": campaign,
                                                               "closed": True})
    form = VolunteerForm(request.POST or None, college=college)
    if request.method == "POST":
        if _blocked(request):
            return _too_many(request, campaign)
        if form.data.get("website"):
            return render(request, "juries/volunteer_form.html", {
                "campaign": campaign, "done": True})
        if form.is_valid():
            try:
                volunteer = draw_services.volunteer_register(
                    college=college, features=form.features(), **form.person())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return render(request, "juries/volunteer_form.html", {
                    "campaign": campaign, "done": True, "volunteer": volunteer})
    return render(request, "juries/volunteer_form.html", {
        "campaign": campaign, "college": college, "form": form})


def _is_uuid(value: str | None) -> bool:
    import uuid

    try:
        uuid.UUID(value or "")
    except ValueError:
        return False
    return True


@public
def draw_public(request: HttpRequest, campaign: str) -> HttpResponse:
    """The published draw reports; ?format=json gives everything needed to re-run them."""
    campaign = _campaign(campaign)
    reports = [draw_services.draw_report(d) for d in _draws(campaign)]
    if request.GET.get("format") == "json":
        return JsonResponse({"campaign": campaign.title, "draws": reports},
                            json_dumps_params={"ensure_ascii": False, "indent": 1})
    for report in reports:
        report["rows"] = sorted(
            ({"id": p["id"], "features": p["features"],
              "probability": report["probabilities"].get(p["id"], 0),
              "selected": p["id"] in report["panel"]} for p in report["pool"]),
            key=lambda row: row["id"])
    return render(request, "juries/draw_public.html", {"campaign": campaign,
                                                       "reports": reports})


@public
def open_data(request: HttpRequest, campaign: str) -> HttpResponse:
    campaign = _campaign(campaign)
    if not campaign.published:
        raise Http404
    return download(results.open_data_csv(campaign), f"{campaign.public_slug}.csv",
                    "text/csv; charset=utf-8")
