from django.urls import path

from hemicycle.audit import views

app_name = "audit"

urlpatterns = [
    path("w/<slug:slug>/historique/", views.event_list, name="event-list"),
]
