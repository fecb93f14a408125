from django.contrib import admin

from hemicycle.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is never edited, not even by a superuser."""

    list_display = ["at", "workspace", "actor_label", "action", "verb", "object_repr"]
    list_filter = ["action", "workspace"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
