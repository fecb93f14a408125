"""One access helper per object type (outsiders get a 404, read-only members a 403 on
writes) and small response helpers."""

from django.http import HttpRequest, HttpResponse

from hemicycle.accounts.access import get_object_for_user
from hemicycle.juries.models import Allocation, Application, Campaign, College, Draw, Juror


def get_campaign_for_user(request: HttpRequest, code, write: bool = False) -> Campaign:
    return get_object_for_user(request, Campaign, code, write=write)


def get_application_for_user(request: HttpRequest, code, write: bool = False) -> Application:
    return get_object_for_user(
        request, Application.objects.select_related("campaign", "commune", "canton",
                                                    "duplicate_of"), code, write=write)


def get_college_for_user(request: HttpRequest, code, write: bool = False) -> College:
    return get_object_for_user(request, College.objects.select_related("campaign"), code,
                               write=write)


def get_draw_for_user(request: HttpRequest, code, write: bool = False) -> Draw:
    return get_object_for_user(request, Draw.objects.select_related("college__campaign"), code,
                               write=write)


def get_juror_for_user(request: HttpRequest, code, write: bool = False) -> Juror:
    return get_object_for_user(request, Juror.objects.select_related("campaign"), code,
                               write=write)


def get_allocation_for_user(request: HttpRequest, code, write: bool = False) -> Allocation:
    return get_object_for_user(request, Allocation.objects.select_related("campaign"), code,
                               write=write)


def download(content: str | bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None
