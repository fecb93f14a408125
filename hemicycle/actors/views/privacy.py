"""GDPR pages: a person's data export, erasure, consent proofs, the processing register
and the retention list."""

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemicycle.accounts.access import require, workspace_view
from hemicycle.actors import services
from hemicycle.actors.forms import ConsentForm
from hemicycle.actors.views.directory import get_actor_for_user
from hemicycle.core.privacy import processing_list


@workspace_view("write")
def person_export(request: HttpRequest, code) -> HttpResponse:
    """Everything about one actor (right of access): JSON, or CSV with ?format=csv."""
    actor = get_actor_for_user(request, code, write=True)
    stem = f"donnees-{actor.code}"
    if request.GET.get("format") == "csv":
        response = HttpResponse(services.person_export_csv(actor),
                                content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
        return response
    response = HttpResponse(json.dumps(services.person_export(actor), ensure_ascii=False,
                                       indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{stem}.json"'
    return response


@workspace_view("write")
def person_erase(request: HttpRequest, code) -> HttpResponse:
    """GET: what erasure does, and a confirm button. POST: anonymise."""
    actor = get_actor_for_user(request, code, write=True)
    if request.method == "POST" and not actor.erased_at:
        services.person_anonymise(actor=actor, by=request.user)
        messages.success(request, _("Les données de la personne ont été effacées."))
        return redirect("actors:actor-detail", request.workspace.slug, actor.code)
    return render(request, "actors/person_erase.html", {"actor": actor})


@require_POST
@workspace_view("write")
def consent_add(request: HttpRequest, code) -> HttpResponse:
    actor = get_actor_for_user(request, code, write=True)
    form = ConsentForm(request.POST)
    if form.is_valid() and not actor.erased_at:
        data = form.cleaned_data
        services.consent_record(actor=actor, given=data["given"], purpose=data["purpose"],
                                at=data["at"], ip=data["ip"],
                                text_version=data["text_version"], source=data["source"])
        messages.success(request, _("Preuve de consentement enregistrée."))
    else:
        messages.error(request, _("Consentement non enregistré : vérifiez la date et "
                                  "l'adresse IP."))
    return redirect("actors:actor-detail", request.workspace.slug, actor.code)


@workspace_view("read")
def privacy(request: HttpRequest) -> HttpResponse:
    """The processing register of the directory, and the retention list (admins act)."""
    workspace = request.workspace
    if request.method == "POST":
        require(request, "manage")
        if request.POST.get("action") == "warn":
            count = services.retention_warn(workspace)
            messages.success(request, _("%(n)s personne(s) marquée(s) comme averties.")
                             % {"n": count})
        elif request.POST.get("action") == "purge":
            count = services.retention_purge(workspace, by=request.user)
            messages.success(request, _("%(n)s personne(s) anonymisée(s).") % {"n": count})
        return redirect("actors:privacy", workspace.slug)
    due = services.retention_due(workspace)
    return render(request, "actors/privacy.html", {
        "due": due[:200], "due_count": due.count(), "years": services.retention_years(),
        "warn_days": services.privacy.WARN_DAYS, "can_manage": request.membership.can("manage"),
        # The other modules' processing (newsletters, press, media watch, publishing).
        "processings": processing_list(workspace),
    })
