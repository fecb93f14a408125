"""Reads shared by the list, the dashboard panel and the forms."""

import json
from collections.abc import Callable

from django.db.models import Q, QuerySet
from django.utils.safestring import SafeString, mark_safe

from hemicycle.accounts.models import Workspace
from hemicycle.elected.models import ElectedMember
from hemicycle.lib import svgmap
from hemicycle.lib.text import normalize_name
from hemicycle.territory.models import Assembly, Canton, Departement


def elected_members_of(workspace: Workspace) -> QuerySet[ElectedMember]:
    return ElectedMember.objects.filter(workspace=workspace).select_related(
        "canton", "section", "user")


def group_members(workspace: Workspace) -> QuerySet[ElectedMember]:
    """The group's own élu·e·s whose mandate runs."""
    return elected_members_of(workspace).filter(in_group=True, mandate_end=None)


def elected_member_filter(
    members: QuerySet[ElectedMember], *, group: str = "", status: str = "", division: str = "",
    search: str = "",
) -> QuerySet[ElectedMember]:
    """The list's filters. ``status``: "" (current), "ended" or "all"."""
    if group == "1":
        members = members.filter(in_group=True)
    if status == "ended":
        members = members.exclude(mandate_end=None)
    elif status != "all":
        members = members.filter(mandate_end=None)
    if division:
        members = members.filter(Q(canton__code=division) | Q(section__code=division))
    for word in normalize_name(search).split():
        members = members.filter(search_name__contains=word)
    return members


def divisions_of(assembly: Assembly) -> QuerySet:
    """Where the assembly's members are elected: the cantons of a département, the
    départements (sections) of a région; nothing for other assemblies."""
    if assembly.kind == Assembly.Kind.DEPARTEMENT:
        if assembly.departement_id:
            return Canton.objects.filter(departement_id=assembly.departement_id)
        return Canton.objects.filter(departement__code=assembly.code)
    if assembly.kind == Assembly.Kind.REGION:
        if assembly.region_id:
            return Departement.objects.filter(region_id=assembly.region_id)
        return Departement.objects.filter(region__code=assembly.code)
    return Canton.objects.none()


def _geometry(text: str) -> dict | None:
    """A Polygon or MultiPolygon from GeoJSON text (a bare geometry or a Feature)."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if isinstance(data, dict) and data.get("type") in ("Polygon", "MultiPolygon"):
        return data
    return None


def assembly_map(
    workspace: Workspace, *, title: str, href: Callable[[object], str] | None = None,
) -> SafeString:
    """The assembly's map with the group's cantons (or sections) highlighted; "" when no
    outline is loaded."""
    highlighted = set()
    for member in group_members(workspace):
        if member.constituency is not None:
            highlighted.add(member.constituency.code)
    shapes = []
    for division in divisions_of(workspace.assembly).exclude(geometry="").only(
            "code", "name", "geometry"):
        geometry = _geometry(division.geometry)
        if geometry is None:
            continue
        shapes.append(svgmap.Shape(
            geometry=geometry, label=division.name, href=href(division) if href else "",
            css_class="hl" if division.code in highlighted else "", data={"code": division.code},
        ))
    # svgmap.render escapes every label and attribute it writes.
    return mark_safe(svgmap.render(shapes, title=title))
