"""Access checks, on the server, for every view.

- ``workspace_view``: the decorator of every view under ``/w/<slug>/``. It requires a
  login, resolves the workspace from the URL, and sets ``request.workspace`` and
  ``request.membership``. Not a member → 404 (never reveal that a workspace exists);
  a member without the capability → 403.
- ``get_object_for_user``: the one way to load a domain object from its URL code, scoped
  to ``request.workspace``. Each app wraps it in a helper per object type
  (``get_elected_member_for_user``), as healthchecks does.
- ``public``: marks a view that anonymous visitors may open (login, public pages). The
  URL-walking test sends anonymous users to every other view and expects the login page.
"""

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse

from hemicycle.accounts.models import Membership, Workspace

M = TypeVar("M", bound=models.Model)
View = Callable[..., HttpResponse]


def public(view: View) -> View:
    view.is_public = True  # type: ignore[attr-defined]
    return view


def membership_for(user, workspace: Workspace) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, workspace=workspace).first()


def workspace_view(capability: str | None = "read") -> Callable[[View], View]:
    """Members of the workspace with the capability (None: any member, whatever the
    role — the dashboard, which then shows each one what their role allows)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            workspace = Workspace.objects.select_related("assembly").filter(slug=slug).first()
            membership = membership_for(request.user, workspace) if workspace else None
            if membership is None:
                raise Http404("No such workspace")
            if capability is not None and not membership.can(capability):
                raise PermissionDenied
            request.workspace = workspace
            request.membership = membership
            if request.user.last_workspace_id != workspace.id:
                request.user.last_workspace = workspace
                request.user.save(update_fields=["last_workspace"])
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def require(request: HttpRequest, capability: str) -> None:
    """Raise 403 unless the current member has the capability (for POST branches)."""
    if not request.membership.can(capability):
        raise PermissionDenied


def get_object_for_user(
    request: HttpRequest, queryset: models.QuerySet[M] | type[M], code, write: bool = False
) -> M:
    """The object with this code in the current workspace, or 404.

    ``write=True`` also requires the ``write`` capability, or ``write_own`` when the
    object's ``author`` is the current user.
    """
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    try:
        obj = queryset.get(workspace=request.workspace, code=code)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such object") from exc
    if write and not can_write(request, obj):
        raise PermissionDenied
    return obj


def can_write(request: HttpRequest, obj: models.Model | None = None) -> bool:
    membership = request.membership
    if membership.can("write"):
        return True
    author_id = getattr(obj, "author_id", None)
    return membership.can("write_own") and author_id is not None and author_id == request.user.id
