from django.contrib import admin

# Django's admin is for superusers only: a workspace admin manages their workspace
# from the interface, never from here.
admin.site.has_permission = lambda request: bool(
    request.user.is_active and request.user.is_superuser
)
admin.site.site_header = "Hémicycle — administration"
