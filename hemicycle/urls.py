from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from hemicycle.accounts.access import public

urlpatterns = [
    path("", include("hemicycle.core.urls")),
    path("", include("hemicycle.accounts.urls")),
    path("", include("hemicycle.audit.urls")),
    path("", include("hemicycle.territory.urls")),
    path("", include("hemicycle.elected.urls")),
    path("", include("hemicycle.council.urls")),
    path("", include("hemicycle.writings.urls")),
    path("", include("hemicycle.juries.urls")),
    path("", include("hemicycle.actors.urls")),
    path("", include("hemicycle.publishing.urls")),
    path("", include("hemicycle.newsletters.urls")),
    path("", include("hemicycle.mediawatch.urls")),
    path("langue/", public(set_language), name="set-language"),
    path("admin/", admin.site.urls),
]

# Uploaded files are never served from MEDIA_ROOT directly: each goes through a view
# that checks access (a workspace's logo, later its documents).
