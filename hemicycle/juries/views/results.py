"""Staff pages: allocation (run, compare, adopt), exports, notifications, history."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemicycle.accounts.access import require, workspace_view
from hemicycle.core.sharing import sharing_available
from hemicycle.juries.forms import AllocationForm
from hemicycle.juries.services import allocation as services
from hemicycle.juries.services import results
from hemicycle.juries.services.scoring import reviewable
from hemicycle.juries.views.common import (
    download,
    get_allocation_for_user,
    get_campaign_for_user,
)
from hemicycle.territory.models import Canton


@workspace_view("read")
def allocation_page(request: HttpRequest, code) -> HttpResponse:
    campaign = get_campaign_for_user(request, code)
    form = AllocationForm(request.POST or None, initial={
        "rule": campaign.rule, "partial_min_share": campaign.partial_min_share})
    if request.method == "POST":
        require(request, "write")
        if form.is_valid():
            try:
                allocation = services.allocation_run(campaign=campaign, by=request.user,
                                                     **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("juries:allocation-detail", request.workspace.slug,
                                allocation.code)
    return render(request, "juries/allocation_page.html", {
        "campaign": campaign, "form": form, "comparison": services.allocations_compare(campaign),
        "allocations": campaign.allocations.all(), "can_write": request.membership.can("write")})


@workspace_view("read")
def allocation_detail(request: HttpRequest, code) -> HttpResponse:
    allocation = get_allocation_for_user(request, code)
    if request.method == "POST":
        require(request, "write")
        services.allocation_adopt(allocation=allocation, by=request.user)
        messages.success(request, _("Répartition retenue : les dossiers sont à jour."))
        return redirect(request.path)
    result = allocation.result
    rows = []
    for application in reviewable(allocation.campaign):
        pid = str(application.number)
        amount = application.amount_requested if pid in result["selected"] else \
            result["partial"].get(pid, 0)
        rows.append({"application": application, "amount": amount,
                     "text": result["explanations"].get(pid, "")})
    rows.sort(key=lambda r: (r["amount"] == 0, r["application"].number))
    return render(request, "juries/allocation_detail.html", {
        "allocation": allocation, "campaign": allocation.campaign, "rows": rows,
        "can_write": request.membership.can("write"),
        "can_share": sharing_available() and allocation.adopted
        and allocation.campaign.published})


@workspace_view("read")
def decisions_csv(request: HttpRequest, code) -> HttpResponse:
    campaign = get_campaign_for_user(request, code)
    return download(results.decisions_csv(campaign), f"decisions-{campaign.public_slug}.csv",
                    "text/csv; charset=utf-8")


@workspace_view("read")
def decisions_xlsx(request: HttpRequest, code) -> HttpResponse:
    campaign = get_campaign_for_user(request, code)
    return download(results.decisions_xlsx(campaign), f"decisions-{campaign.public_slug}.xlsx",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@workspace_view("read")
def decisions_docx(request: HttpRequest, code) -> HttpResponse:
    campaign = get_campaign_for_user(request, code)
    return download(results.decisions_docx(campaign), f"decisions-{campaign.public_slug}.docx",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@workspace_view("read")
def votes_pb(request: HttpRequest, code) -> HttpResponse:
    campaign = get_campaign_for_user(request, code)
    return download(services.votes_pb(campaign), f"{campaign.public_slug}.pb",
                    "text/plain; charset=utf-8")


@require_POST
@workspace_view("write")
def applications_notify(request: HttpRequest, code) -> HttpResponse:
    campaign = get_campaign_for_user(request, code, write=True)
    count = results.applications_notify(campaign=campaign, by=request.user)
    messages.success(request, _("%(n)d e-mails de décision envoyés.") % {"n": count})
    return redirect("juries:campaign-detail", request.workspace.slug, campaign.code)


@workspace_view("read")
def history(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    canton_ids = workspace.juries_campaign_set.values_list("cantons", flat=True)
    cantons = Canton.objects.filter(id__in=canton_ids).order_by("name")
    canton = cantons.filter(code=request.GET.get("canton", "")).first()
    data = results.canton_history(workspace, canton)
    return render(request, "juries/history.html", {
        "cantons": cantons, "canton": canton, "data": data,
        "chart": mark_safe(results.bar_chart(  # noqa: S308 - built with escape()
            {str(y): t or 0 for y, t in data["by_year"].items()},
            title=_("Montants accordés par année"))),
        "theme_chart": mark_safe(results.hbar_chart(  # noqa: S308 - built with escape()
            data["by_theme"], title=_("Montants accordés par thème"))),
        "commune_chart": mark_safe(results.hbar_chart(  # noqa: S308 - built with escape()
            data["by_commune"], title=_("Montants accordés par commune")))})


@require_POST
@workspace_view("write")
def campaign_results_share(request: HttpRequest, code) -> HttpResponse:
    """The final results as a draft post in the editorial calendar."""
    campaign = get_campaign_for_user(request, code, write=True)
    if not sharing_available():
        raise Http404("No publishing module")
    link = request.build_absolute_uri(reverse("juries:campaign-public",
                                              args=[campaign.public_slug]))
    try:
        return redirect(results.campaign_results_share(campaign=campaign, by=request.user,
                                                       link=link))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("juries:campaign-detail", request.workspace.slug, campaign.code)


@require_POST
@workspace_view("write")
def campaign_purge(request: HttpRequest, code) -> HttpResponse:
    """Erase the volunteers' personal data (GDPR retention) once the campaign is over."""
    from hemicycle.juries.services.draws import volunteers_purge

    campaign = get_campaign_for_user(request, code, write=True)
    if not campaign.is_closed():
        messages.error(request, _("L'appel n'est pas terminé."))
    else:
        count = volunteers_purge(campaign=campaign)
        messages.success(request, _("%(n)d fiches de volontaires effacées.") % {"n": count})
    return redirect("juries:campaign-detail", request.workspace.slug, campaign.code)
