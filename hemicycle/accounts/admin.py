from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from hemicycle.accounts.models import Invitation, Membership, User, Workspace


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_superuser", "date_joined"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["totp_confirmed_at", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "password", "language"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "totp_confirmed_at"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"],
                             "fields": ["email", "full_name", "password1", "password2"]})]
    filter_horizontal = []
    list_filter = ["is_active", "is_superuser"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "title"]
    autocomplete_fields = ["user"]


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "assembly", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "workspace", "role", "sent_at", "accepted_at", "revoked_at"]
    list_filter = ["workspace"]
    exclude = ["token_hash"]
