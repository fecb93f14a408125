from django.urls import path

from hemicycle.territory import views

app_name = "territory"

urlpatterns = [
    path("w/<slug:slug>/territoire/", views.home, name="home"),
    path("w/<slug:slug>/territoire/communes/", views.commune_search, name="commune-search"),
    path("w/<slug:slug>/territoire/communes.json", views.communes_json, name="communes-json"),
    path("w/<slug:slug>/territoire/canton.json", views.canton_json, name="canton-json"),
    path("w/<slug:slug>/territoire/communes/<str:insee_code>/", views.commune_detail,
         name="commune-detail"),
    path("w/<slug:slug>/territoire/cantons/<str:code>/", views.canton_detail,
         name="canton-detail"),
    path("w/<slug:slug>/territoire/departements/<str:code>/", views.departement_detail,
         name="departement-detail"),
]
