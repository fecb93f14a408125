from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from hemicycle.accounts.access import public, workspace_view
from hemicycle.accounts.services import workspaces_for
from hemicycle.core.modules import DASHBOARD_PANELS


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Straight to the last workspace used; a chooser when there is a choice to make."""
    workspaces = list(workspaces_for(request.user))
    last = request.user.last_workspace_id
    for workspace in workspaces:
        if workspace.id == last or len(workspaces) == 1:
            return redirect("core:dashboard", workspace.slug)
    return render(request, "core/workspace_choose.html", {"workspaces": workspaces})


@login_required
def workspace_choose(request: HttpRequest) -> HttpResponse:
    return render(request, "core/workspace_choose.html",
                  {"workspaces": list(workspaces_for(request.user))})


@workspace_view(None)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every member lands here; each panel shows only to the roles it is meant for."""
    panels = []
    for panel in DASHBOARD_PANELS:
        if not request.membership.can(panel.capability):
            continue
        context = panel.context(request)
        if context is not None:
            panels.append({"template": panel.template, "key": panel.key, **context})
    return render(request, "core/dashboard.html", {"panels": panels})


@public
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and uptime checks: the app answers and the database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
