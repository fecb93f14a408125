from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hemicycle.accounts.access import workspace_view
from hemicycle.accounts.models import Membership
from hemicycle.audit.models import AuditEvent


@workspace_view("read")
def event_list(request: HttpRequest) -> HttpResponse:
    """The workspace's whole trail, filterable by kind of object, person, action, dates."""
    events = AuditEvent.objects.filter(workspace=request.workspace).select_related(
        "actor", "content_type"
    )
    filters = {k: request.GET.get(k, "") for k in ("type", "actor", "action", "since", "until")}
    if filters["type"].isdigit():
        events = events.filter(content_type_id=int(filters["type"]))
    if filters["actor"].isdigit():
        events = events.filter(actor_id=int(filters["actor"]))
    if filters["action"] in AuditEvent.Action.values:
        events = events.filter(action=filters["action"])
    if filters["since"]:
        events = events.filter(at__date__gte=filters["since"])
    if filters["until"]:
        events = events.filter(at__date__lte=filters["until"])
    type_ids = AuditEvent.objects.filter(workspace=request.workspace).values_list(
        "content_type_id", flat=True).distinct()
    types = sorted(
        ((ct.id, str(ct.model_class()._meta.verbose_name).capitalize())
         for ct in ContentType.objects.filter(id__in=type_ids) if ct.model_class()),
        key=lambda pair: pair[1],
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    members = Membership.objects.filter(workspace=request.workspace).select_related("user")
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/event_list.html", {
        "page": page, "filters": filters, "types": types, "members": members,
        "actions": AuditEvent.Action.choices, "query": query.urlencode(),
    })
