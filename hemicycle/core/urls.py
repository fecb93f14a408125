from django.urls import path

from hemicycle.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("espaces/", views.workspace_choose, name="workspace-choose"),
    path("w/<slug:slug>/", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
]
