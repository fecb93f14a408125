"""The recap of a sitting: prepare, edit, publish, share, export; its public page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemicycle.accounts.access import public, workspace_view
from hemicycle.core.sharing import sharing_available
from hemicycle.council.models import Sitting
from hemicycle.writings import documents, markup, services
from hemicycle.writings.exports import export_response
from hemicycle.writings.forms import RecapForm
from hemicycle.writings.models import Recap
from hemicycle.writings.views import get_sitting_for_user

# --- sitting recap --------------------------------------------------------------------------


@workspace_view("read")
def recap_edit(request: HttpRequest, code) -> HttpResponse:
    sitting = get_sitting_for_user(request, code)
    recap = Recap.objects.filter(sitting=sitting).first()
    can_edit = request.membership.can("write")
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if recap is None:
            recap = services.recap_get_or_create(sitting=sitting, by=request.user)
            return redirect("writings:recap-edit", request.workspace.slug, sitting.code)
        form = RecapForm(request.POST)
        if request.POST.get("action") == "regenerate":
            services.recap_regenerate(recap=recap)
            messages.success(request, _("Texte regénéré depuis les décisions et positions."))
            return redirect("writings:recap-edit", request.workspace.slug, sitting.code)
        if form.is_valid():
            services.recap_update(recap=recap, **form.cleaned_data)
            messages.success(request, _("Récapitulatif enregistré."))
            return redirect("writings:recap-edit", request.workspace.slug, sitting.code)
    else:
        form = RecapForm(initial={"title": recap.title, "body": recap.body}) if recap else None
    return render(request, "writings/recap_form.html", {
        "sitting": sitting, "recap": recap, "form": form, "can_edit": can_edit,
        "preview": markup.to_html(recap.body) if recap else "",
        "held": sitting.status in (Sitting.Status.HELD, Sitting.Status.MINUTES_PUBLISHED),
        "sharing": sharing_available(),
        "public_url": request.build_absolute_uri(reverse("writings:recap-public", args=[
            recap.code])) if recap else "",
    })


def _get_recap(request: HttpRequest, code) -> Recap:
    sitting = get_sitting_for_user(request, code)
    recap = Recap.objects.filter(sitting=sitting).select_related("sitting__body").first()
    if recap is None:
        raise Http404("No recap yet")
    return recap


@require_POST
@workspace_view("write")
def recap_publish(request: HttpRequest, code) -> HttpResponse:
    recap = _get_recap(request, code)
    if request.POST.get("action") == "unpublish":
        services.recap_unpublish(recap=recap)
        messages.success(request, _("Récapitulatif retiré de la page publique."))
    else:
        try:
            services.recap_publish(recap=recap, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Récapitulatif publié."))
    return redirect("writings:recap-edit", request.workspace.slug, recap.sitting.code)


@require_POST
@workspace_view("write")
def recap_share(request: HttpRequest, code) -> HttpResponse:
    recap = _get_recap(request, code)
    if not sharing_available():
        raise Http404("No publishing module")
    link = request.build_absolute_uri(reverse("writings:recap-public", args=[recap.code]))
    return redirect(services.recap_share(recap=recap, by=request.user, link=link))


@workspace_view("read")
def recap_export(request: HttpRequest, code, fmt: str) -> HttpResponse:
    return export_response(documents.recap_document(_get_recap(request, code)), fmt)


@public
def recap_public(request: HttpRequest, code) -> HttpResponse:
    """The published recap, for anyone: only published ones, only what the recap says
    (its text names élu·e·s by their public names, nothing else about people). Its
    address is an unguessable UUID and it is a read-only page: no further anti-abuse."""
    recap = (Recap.objects.filter(code=code, published_at__isnull=False)
             .select_related("sitting__body", "workspace__assembly").first())
    if recap is None:
        raise Http404("No such recap")
    return render(request, "writings/recap_public.html", {
        "recap": recap, "body_html": markup.to_html(recap.body), "group": recap.workspace})
