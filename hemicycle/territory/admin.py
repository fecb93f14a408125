from django.contrib import admin

from hemicycle.territory.models import (
    Assembly,
    Canton,
    Commune,
    CommuneCanton,
    Departement,
    Epci,
    Region,
)


class ReferenceAdmin(admin.ModelAdmin):
    """Read-only: these rows come from `hemicycle load_territory`, which would overwrite
    any edit on its next run. Outlines (GeoJSON) are left out of the pages."""

    exclude = ["geometry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ReferenceAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Departement)
class DepartementAdmin(ReferenceAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name"]


class CommuneCantonInline(admin.TabularInline):
    model = CommuneCanton
    extra = 0
    can_delete = False
    readonly_fields = ["commune", "canton", "share"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Canton)
class CantonAdmin(ReferenceAdmin):
    list_display = ["code", "name", "departement"]
    list_filter = ["departement"]
    search_fields = ["code", "name", "search_name"]
    inlines = [CommuneCantonInline]


@admin.register(Epci)
class EpciAdmin(ReferenceAdmin):
    exclude = []
    list_display = ["siren", "name", "kind", "population"]
    list_filter = ["kind"]
    search_fields = ["siren", "name"]


@admin.register(Commune)
class CommuneAdmin(ReferenceAdmin):
    list_display = ["insee_code", "name", "departement", "postal_codes", "population"]
    list_filter = ["departement"]
    search_fields = ["insee_code", "name", "search_name", "postal_codes"]
    list_select_related = ["departement"]
    inlines = [CommuneCantonInline]


@admin.register(Assembly)
class AssemblyAdmin(admin.ModelAdmin):
    """Editable: an assembly is chosen when a workspace is created."""

    list_display = ["name", "kind", "code"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    raw_id_fields = ["region", "departement", "commune", "epci"]
