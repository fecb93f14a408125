from django.contrib import admin

from hemicycle.publishing.models import Channel, Post, Publication, QuoteCard


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    # Secrets are encrypted and never shown, here neither.
    list_display = ["name", "kind", "workspace", "is_active", "is_placeholder"]
    list_filter = ["kind", "is_active"]
    exclude = ["credentials", "session"]


class PublicationInline(admin.TabularInline):
    model = Publication
    extra = 0
    fields = ["channel", "status", "attempts", "remote_id", "remote_url", "last_error"]
    readonly_fields = fields


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "workspace", "status", "scheduled_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    inlines = [PublicationInline]


@admin.register(QuoteCard)
class QuoteCardAdmin(admin.ModelAdmin):
    list_display = ["speaker_name", "workspace", "format", "created_at"]
