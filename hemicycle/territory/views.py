"""The territory pages of a workspace: its assembly's map, cantons, communes, search.

The territory is reference data shared by every workspace (nothing in it is the
group's), so any member may look at any canton or commune; the workspace in the URL
only gives the page its shell and its starting point, the assembly.
"""

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from hemicycle.accounts.access import workspace_view
from hemicycle.territory import maps, queries
from hemicycle.territory.models import (
    Assembly,
    Canton,
    Commune,
    CommuneCanton,
    Departement,
    Region,
)


class Links:
    """URLs of territory pages in the current workspace, for maps and JSON."""

    def __init__(self, request: HttpRequest):
        self.slug = request.workspace.slug

    def canton(self, canton: Canton) -> str:
        return reverse("territory:canton-detail", args=[self.slug, canton.code])

    def commune(self, commune: Commune) -> str:
        return reverse("territory:commune-detail", args=[self.slug, commune.insee_code])

    def departement(self, departement: Departement) -> str:
        return reverse("territory:departement-detail", args=[self.slug, departement.code])


@workspace_view("read")
def home(request: HttpRequest) -> HttpResponse:
    """The assembly's territory: a département's cantons, a région's départements…"""
    assembly = request.workspace.assembly
    if assembly.kind == Assembly.Kind.DEPARTEMENT:
        # An assembly made before the territory was loaded has no link yet: use its code.
        departement = assembly.departement or Departement.objects.filter(
            code=assembly.code).first()
        if departement is not None:
            return _departement_page(request, departement, is_home=True)
    if assembly.kind == Assembly.Kind.REGION:
        region = assembly.region or Region.objects.filter(code=assembly.code).first()
        if region is not None:
            return _region_page(request, region)
    if assembly.kind == Assembly.Kind.COMMUNE and assembly.commune_id:
        return _commune_page(request, assembly.commune)
    if assembly.kind == Assembly.Kind.EPCI and assembly.epci_id:
        return _epci_page(request, assembly.epci)
    return render(request, "territory/territory_empty.html", {"assembly": assembly})


@workspace_view("read")
def departement_detail(request: HttpRequest, code: str) -> HttpResponse:
    departement = get_object_or_404(Departement.objects.select_related("region"), code=code)
    return _departement_page(request, departement, is_home=False)


def _departement_page(request, departement: Departement, is_home: bool) -> HttpResponse:
    links = Links(request)
    cantons = departement.cantons.all()
    communes = departement.communes.all()
    return render(request, "territory/departement_detail.html", {
        "departement": departement, "is_home": is_home,
        "map": maps.departement_map(departement, links.canton),
        "rows": queries.canton_table(cantons),
        "n_communes": communes.count(),
        # Without cantons (not shipped for this département), list its largest communes.
        "largest": communes.order_by("-population")[:30] if not cantons.exists() else [],
    })


def _region_page(request, region) -> HttpResponse:
    links = Links(request)
    return render(request, "territory/region_detail.html", {
        "region": region,
        "map": maps.region_map(region, links.departement, links.canton),
        "rows": queries.departement_table(region.departements.all()),
    })


def _epci_page(request, epci) -> HttpResponse:
    communes = epci.communes.select_related("departement").order_by("-population", "name")
    return render(request, "territory/epci_detail.html", {
        "epci": epci, "communes": communes,
        "map": maps.communes_map(communes, Links(request).commune, epci.name),
    })


@workspace_view("read")
def canton_detail(request: HttpRequest, code: str) -> HttpResponse:
    canton = get_object_or_404(Canton.objects.select_related("departement"), code=code)
    links = list(CommuneCanton.objects.filter(canton=canton).select_related(
        "commune__epci").order_by("commune__name"))
    table = queries.canton_table(Canton.objects.filter(id=canton.id))[0]
    return render(request, "territory/canton_detail.html", {
        "canton": canton, "links": links, "row": table,
        "map": maps.canton_map(canton, links, Links(request).commune),
    })


@workspace_view("read")
def commune_detail(request: HttpRequest, insee_code: str) -> HttpResponse:
    commune = queries.commune_by_insee(insee_code)
    if commune is None:
        raise Http404("No such commune")
    return _commune_page(request, commune)


def _commune_page(request, commune: Commune) -> HttpResponse:
    links = queries.commune_cantons_of(commune)
    return render(request, "territory/commune_detail.html", {
        "commune": commune, "links": links,
        "map": maps.commune_map(commune, [link.canton for link in links], Links(request).canton),
    })


@workspace_view("read")
def commune_search(request: HttpRequest) -> HttpResponse:
    """The search page; htmx asks for its results fragment only, as the user types."""
    query = request.GET.get("q", "").strip()
    results = queries.commune_search(query, limit=20) if query else []
    template = "territory/commune_search.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, {"query": query, "results": results})


@workspace_view("read")
def communes_json(request: HttpRequest) -> JsonResponse:
    """For other modules' forms: [{insee_code, name, postal_codes, departement, cantons}]."""
    communes = queries.commune_search(request.GET.get("q", ""), limit=_limit(request))
    cantons = Prefetch("communecanton_set", to_attr="links", queryset=CommuneCanton.objects
                       .select_related("canton").order_by("-share"))
    prefetch_related_objects(communes, cantons)
    return JsonResponse([
        {"insee_code": c.insee_code, "name": c.name, "postal_codes": c.postal_code_list,
         "departement": c.departement.code if c.departement else "",
         "cantons": [{"code": link.canton.code, "name": link.canton.name}
                     for link in c.links]}
        for c in communes
    ], safe=False)


def _limit(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("limit", 10)), 50))
    except ValueError:
        return 10


@workspace_view("read")
def canton_json(request: HttpRequest) -> JsonResponse:
    """The canton at ?lat=&lon= (WGS84), or null when none of the loaded ones has it."""
    try:
        lat, lon = float(request.GET["lat"]), float(request.GET["lon"])
    except (KeyError, ValueError):
        return JsonResponse({"error": "lat and lon are required numbers"}, status=400)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return JsonResponse({"error": "lat or lon out of range"}, status=400)
    canton = queries.canton_for_point(lat, lon)
    if canton is None:
        return JsonResponse(None, safe=False)
    return JsonResponse({"code": canton.code, "name": canton.name,
                         "departement": canton.departement.code,
                         "url": Links(request).canton(canton)})
