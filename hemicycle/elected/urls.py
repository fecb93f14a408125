from django.urls import path

from hemicycle.elected import views

app_name = "elected"

urlpatterns = [
    path("w/<slug:slug>/elus/", views.member_list, name="member-list"),
    path("w/<slug:slug>/elus/nouveau/", views.member_create, name="member-create"),
    path("w/<slug:slug>/elus/import/", views.member_import, name="member-import"),
    path("w/<slug:slug>/elus/<uuid:code>/", views.member_detail, name="member-detail"),
    path("w/<slug:slug>/elus/<uuid:code>/modifier/", views.member_edit, name="member-edit"),
]
