from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from hemicycle.core.modules import MODULES


def shell(request: HttpRequest) -> dict:
    """What the page shell needs: current workspace, menu, other workspaces."""
    workspace = getattr(request, "workspace", None)
    membership = getattr(request, "membership", None)
    nav = []
    if workspace is not None and membership is not None:
        for module in MODULES:
            if membership.can(module.capability):
                url = reverse(module.url_name, args=[workspace.slug])
                nav.append({"key": module.key, "label": module.label, "url": url,
                            "active": request.path.startswith(url) and (
                                url != reverse("core:dashboard", args=[workspace.slug])
                                or request.path == url)})
    workspaces = []
    if request.user.is_authenticated:
        from hemicycle.accounts.services import workspaces_for

        workspaces = list(workspaces_for(request.user))
    return {
        "site_name": settings.SITE_NAME,
        "workspace": workspace,
        "membership": membership,
        "nav": nav,
        "user_workspaces": workspaces,
    }
