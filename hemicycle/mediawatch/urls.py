from django.urls import path

from hemicycle.mediawatch import views

app_name = "mediawatch"

urlpatterns = [
    path("w/<slug:slug>/veille/", views.clipping_list, name="clipping-list"),
    path("w/<slug:slug>/veille/tout-lu/", views.clipping_read_all, name="clipping-read-all"),
    path("w/<slug:slug>/veille/revue-quotidienne/", views.digest_subscription,
         name="digest-subscription"),
    path("w/<slug:slug>/veille/articles/<uuid:code>/", views.clipping_detail,
         name="clipping-detail"),
    path("w/<slug:slug>/veille/articles/<uuid:code>/lu/", views.clipping_read,
         name="clipping-read"),
    path("w/<slug:slug>/veille/articles/<uuid:code>/etiquettes/", views.clipping_tag,
         name="clipping-tag"),
    path("w/<slug:slug>/veille/articles/<uuid:code>/liens/", views.clipping_link,
         name="clipping-link"),
    path("w/<slug:slug>/veille/sources/", views.source_list, name="source-list"),
    path("w/<slug:slug>/veille/sources/<uuid:code>/", views.source_detail,
         name="source-detail"),
    path("w/<slug:slug>/veille/sources/<uuid:code>/relever/", views.source_poll,
         name="source-poll"),
    path("w/<slug:slug>/veille/alertes/", views.rule_list, name="rule-list"),
    path("w/<slug:slug>/veille/alertes/modeles/", views.rule_presets, name="rule-presets"),
    path("w/<slug:slug>/veille/alertes/<uuid:code>/", views.rule_detail, name="rule-detail"),
]
