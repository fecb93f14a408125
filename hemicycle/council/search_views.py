"""Search, watch rules and the "À traiter" inbox."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemicycle.accounts.access import get_object_for_user, workspace_view
from hemicycle.council.forms import SearchForm, WatchlistForm
from hemicycle.council.models import InboxItem, Watchlist
from hemicycle.council.queries import inbox_of
from hemicycle.council.search import Filters, report_search
from hemicycle.council.services import watch

PAGE_SIZE = 20


@workspace_view("read")
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, workspace=request.workspace)
    results, page = None, None
    if form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        decision = data["decision"]
        filters = Filters(
            body=data["body"], date_from=data["date_from"], date_to=data["date_to"],
            policy_area=data["policy_area"], place=data["place"],
            decision=None if not decision else ("" if decision == "pending" else decision),
            assigned_to=request.user.id if data["mine"] else None)
        try:
            number = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            number = 1
        results = report_search(request.workspace, data["q"], filters,
                                limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
        page = Paginator(range(results.total), PAGE_SIZE).get_page(number)
    params = {k: v for k, v in request.GET.items() if k != "page"}
    return render(request, "council/search.html", {
        "form": form, "results": results, "page": page, "params": urlencode(params),
        "query": request.GET.get("q", "")})


@workspace_view("read")
def watchlist_list(request: HttpRequest) -> HttpResponse:
    """My watch rules, and a form to add one (prefilled from a search: "save this
    search")."""
    initial = {"query": request.GET.get("q", ""), "name": request.GET.get("q", "")[:120]}
    form = WatchlistForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            watch.watchlist_save(workspace=request.workspace, user=request.user,
                                 **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Veille enregistrée : les nouveaux rapports qui y "
                                        "répondent arriveront dans « À traiter »."))
            return redirect("council:watchlist-list", request.workspace.slug)
    return render(request, "council/watchlist_list.html", {
        "form": form,
        "watchlists": Watchlist.objects.filter(workspace=request.workspace,
                                               user=request.user)})


def _my_watchlist(request: HttpRequest, code) -> Watchlist:
    # A rule is personal: someone else's is a 404, like another workspace's.
    return get_object_for_user(request, Watchlist.objects.filter(user=request.user), code)


@workspace_view("read")
def watchlist_edit(request: HttpRequest, code) -> HttpResponse:
    watchlist = _my_watchlist(request, code)
    form = WatchlistForm(request.POST or None, instance=watchlist)
    if request.method == "POST" and form.is_valid():
        try:
            watch.watchlist_save(workspace=request.workspace, user=request.user,
                                 watchlist=watchlist, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Veille enregistrée."))
            return redirect("council:watchlist-list", request.workspace.slug)
    return render(request, "council/watchlist_form.html", {"form": form,
                                                           "watchlist": watchlist})


@require_POST
@workspace_view("read")
def watchlist_delete(request: HttpRequest, code) -> HttpResponse:
    _my_watchlist(request, code).delete()
    messages.success(request, _("Veille supprimée."))
    return redirect("council:watchlist-list", request.workspace.slug)


@workspace_view("read")
def inbox(request: HttpRequest) -> HttpResponse:
    done = request.GET.get("traites") == "1"
    return render(request, "council/inbox.html", {
        "items": inbox_of(request.workspace, request.user, done=done)[:200],
        "done": done})


@require_POST
@workspace_view("read")
def inbox_done(request: HttpRequest, code) -> HttpResponse:
    item = get_object_for_user(request, InboxItem.objects.filter(user=request.user), code)
    watch.inbox_item_done(item=item)
    return redirect("council:inbox", request.workspace.slug)
