"""Search, saved searches, watch rules and the "À traiter" inbox."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hemicycle.accounts.access import get_object_for_user, workspace_view
from hemicycle.council.forms import SavedSearchForm, SearchForm, WatchlistForm
from hemicycle.council.models import InboxItem, SavedSearch, Watchlist
from hemicycle.council.queries import inbox_of
from hemicycle.council.search import KIND_LABELS, report_search
from hemicycle.council.services import saved_searches, watch

PAGE_SIZE = 20


@workspace_view("read")
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, workspace=request.workspace)
    results, page = None, None
    if form.is_valid() and form.cleaned_data["q"].strip():
        try:
            number = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            number = 1
        results = report_search(request.workspace, form.cleaned_data["q"],
                                form.filters(request.user), limit=PAGE_SIZE,
                                offset=(number - 1) * PAGE_SIZE, counts=True)
        page = Paginator(range(results.total), PAGE_SIZE).get_page(number)
    params = {k: v for k, v in request.GET.items() if k != "page"}
    kinds = []
    if results is not None and not results.error:
        for kind, label in KIND_LABELS.items():
            kinds.append({"kind": kind, "label": label, "count": results.kind_counts.get(kind, 0),
                          "active": params.get("kind") == kind,
                          "url": urlencode({**params, "kind": kind})})
    return render(request, "council/search.html", {
        "form": form, "results": results, "page": page, "params": urlencode(params),
        "all_kinds_url": urlencode({k: v for k, v in params.items() if k != "kind"}),
        "kinds": kinds, "query": request.GET.get("q", ""),
        "saved_searches": SavedSearch.objects.filter(workspace=request.workspace,
                                                     user=request.user),
        "save_form": SavedSearchForm(initial={"name": request.GET.get("q", "")[:120]})})


@require_POST
@workspace_view("read")
def saved_search_create(request: HttpRequest) -> HttpResponse:
    """Keep the search whose parameters the form carries (``params``, a query string)."""
    form = SavedSearchForm(request.POST)
    params = saved_searches.saved_search_params(request.POST.get("params", ""))
    url = reverse("council:search", args=[request.workspace.slug]) + "?" + urlencode(params)
    if not form.is_valid():
        messages.error(request, _("Donnez un nom à la recherche."))
        return redirect(url)
    try:
        saved_searches.saved_search_save(workspace=request.workspace, user=request.user,
                                         name=form.cleaned_data["name"], params=params)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Recherche enregistrée."))
    return redirect(url)


@require_POST
@workspace_view("read")
def saved_search_delete(request: HttpRequest, code) -> HttpResponse:
    # A saved search is personal: someone else's is a 404, like another workspace's.
    saved = get_object_for_user(request, SavedSearch.objects.filter(user=request.user), code)
    saved_searches.saved_search_delete(saved=saved)
    messages.success(request, _("Recherche enregistrée supprimée."))
    return redirect("council:search", request.workspace.slug)


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
