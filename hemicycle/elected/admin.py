from django.contrib import admin

from hemicycle.elected.models import ElectedMember


@admin.register(ElectedMember)
class ElectedMemberAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "workspace", "canton", "section", "in_group",
                    "mandate_end"]
    list_filter = ["workspace", "in_group"]
    search_fields = ["last_name", "first_name", "rne_key"]
    raw_id_fields = ["canton", "section", "user"]
    readonly_fields = ["code", "created_at", "updated_at"]
