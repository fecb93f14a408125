"""Staff pages: campaigns and the instruction of applications."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemicycle.accounts.access import require, workspace_view
from hemicycle.core.sharing import sharing_available
from hemicycle.juries.forms import (
    ApplicationForm,
    ApplicationImportForm,
    CampaignForm,
    DecisionForm,
    MissingDocumentForm,
)
from hemicycle.juries.models import Application, Criterion
from hemicycle.juries.services import applications as services
from hemicycle.juries.services import campaigns as campaign_services
from hemicycle.juries.services.allocation import adopted
from hemicycle.juries.services.applications import CSV_COLUMNS
from hemicycle.juries.services.draws import latest_draw
from hemicycle.juries.services.scoring import juror_progress
from hemicycle.juries.views.common import get_application_for_user, get_campaign_for_user


@workspace_view("read")
def campaign_list(request: HttpRequest) -> HttpResponse:
    return render(request, "juries/campaign_list.html", {
        "campaigns": campaign_services.campaigns_of(request.workspace),
        "can_write": request.membership.can("write")})


@workspace_view("write")
def campaign_create(request: HttpRequest) -> HttpResponse:
    return _campaign_form(request, None)


@workspace_view("write")
def campaign_edit(request: HttpRequest, code) -> HttpResponse:
    return _campaign_form(request, get_campaign_for_user(request, code, write=True))


def _campaign_form(request: HttpRequest, campaign) -> HttpResponse:
    form = CampaignForm(request.POST or None, instance=campaign, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_services.campaign_save(
                workspace=request.workspace, campaign=campaign, **form.service_kwargs())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Appel enregistré."))
            return redirect("juries:campaign-detail", request.workspace.slug, campaign.code)
    return render(request, "juries/campaign_form.html", {"form": form, "campaign": campaign})


@workspace_view("read")
def campaign_detail(request: HttpRequest, code) -> HttpResponse:
    campaign = get_campaign_for_user(request, code)
    applications = campaign.applications.select_related("commune", "duplicate_of")
    status = request.GET.get("etat", "")
    if status in Application.Status.values:
        applications = applications.filter(status=status)
    counts = {s: 0 for s in Application.Status.values}
    for value in campaign.applications.values_list("status", flat=True):
        counts[value] += 1
    colleges = [(c, latest_draw(c)) for c in campaign.colleges.all()]
    return render(request, "juries/campaign_detail.html", {
        "campaign": campaign, "applications": applications, "status": status,
        "counts": [(s, label, counts[s]) for s, label in Application.Status.choices],
        "colleges": colleges, "progress": juror_progress(campaign),
        "criteria": Criterion.objects.filter(workspace=request.workspace, campaign=campaign),
        "adopted": adopted(campaign), "can_write": request.membership.can("write"),
        "sharing": sharing_available()})


@workspace_view("write")
def application_create(request: HttpRequest, code) -> HttpResponse:
    """A paper application, typed in by the staff."""
    campaign = get_campaign_for_user(request, code, write=True)
    form = ApplicationForm(request.POST or None, request.FILES or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                campaign=campaign, data=form.cleaned_data, source=Application.Source.PAPER,
                commune_name=form.cleaned_data["commune_name"],
                files=form.cleaned_data["attachments"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Dossier papier %(ref)s enregistré.") % {
                "ref": application.reference})
            return redirect("juries:application-detail", request.workspace.slug,
                            application.code)
    return render(request, "juries/application_form.html", {
        "form": form, "campaign": campaign, "paper": True})


@workspace_view("write")
def application_import(request: HttpRequest, code) -> HttpResponse:
    campaign = get_campaign_for_user(request, code, write=True)
    form = ApplicationImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        count, errors = services.applications_import(
            campaign=campaign, content=form.cleaned_data["file"].read(), by=request.user)
        if not errors:
            messages.success(request, _("%(n)d dossiers importés.") % {"n": count})
            return redirect("juries:campaign-detail", request.workspace.slug, campaign.code)
    return render(request, "juries/application_import.html", {
        "form": form, "campaign": campaign, "errors": errors, "columns": CSV_COLUMNS})


@workspace_view("read")
def application_detail(request: HttpRequest, code) -> HttpResponse:
    application = get_application_for_user(request, code)
    decision_form = DecisionForm(initial={"status": application.status,
                                          "reason": application.decision_reason})
    missing_form = MissingDocumentForm()
    if request.method == "POST":
        require(request, "write")
        action = request.POST.get("action")
        try:
            if action == "decide":
                decision_form = DecisionForm(request.POST)
                if decision_form.is_valid():
                    services.application_decide(application=application, by=request.user,
                                                **decision_form.cleaned_data)
                    messages.success(request, _("Décision enregistrée."))
                    return redirect(request.path)
            elif action == "missing":
                missing_form = MissingDocumentForm(request.POST)
                if missing_form.is_valid():
                    services.application_request_document(
                        application=application, by=request.user,
                        message=missing_form.cleaned_data["message"])
                    messages.success(request, _("Demande envoyée au porteur de projet."))
                    return redirect(request.path)
        except ValidationError as error:
            form = decision_form if action == "decide" else missing_form
            form.add_error(None, error)
    return render(request, "juries/application_detail.html", {
        "application": application, "campaign": application.campaign,
        "decision_form": decision_form, "missing_form": missing_form,
        "reviews": application.reviews.filter(workspace=request.workspace).select_related(
            "juror"),
        "attachments": application.attachments.filter(workspace=request.workspace),
        "can_write": request.membership.can("write")})


@workspace_view("read")
def application_attachment(request: HttpRequest, code) -> HttpResponse:
    """An attachment, through access control (never served from MEDIA_ROOT directly)."""
    application = get_application_for_user(request, code)
    attachment = application.attachments.filter(
        workspace=request.workspace, pk=request.GET.get("piece") or 0).first() \
        if (request.GET.get("piece") or "").isdigit() else None
    if attachment is None:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True,
                        filename=attachment.name, content_type=attachment.content_type)


@require_POST
@workspace_view("write")
def application_recheck(request: HttpRequest, code) -> HttpResponse:
    """Run the automatic checks of every application again (after a rule changed)."""
    campaign = get_campaign_for_user(request, code, write=True)
    for application in campaign.applications.all():
        application.checks = services.application_checks(application)
        application.duplicate_of = services.duplicate_find(application)
        application.save(update_fields=["checks", "duplicate_of", "updated_at"])
    messages.success(request, _("Contrôles automatiques relancés."))
    return redirect("juries:campaign-detail", request.workspace.slug, campaign.code)
