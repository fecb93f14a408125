from django.urls import path

from hemicycle.actors.views import dedupe, directory, imports, interactions, map, privacy

app_name = "actors"

W = "w/<slug:slug>/acteurs/"

urlpatterns = [
    path(W, directory.actor_list, name="actor-list"),
    path(W + "nouveau/", directory.actor_create, name="actor-create"),
    path(W + "recherche/", directory.actor_search, name="actor-search"),
    path(W + "export.csv", directory.actor_export, {"fmt": "csv"}, name="export-csv"),
    path(W + "export.xlsx", directory.actor_export, {"fmt": "xlsx"}, name="export-xlsx"),
    path(W + "export.vcf", directory.actor_export, {"fmt": "vcf"}, name="export-vcf"),
    path(W + "themes/", directory.theme_list, name="theme-list"),
    path(W + "segments/", directory.segment_create, name="segment-create"),
    path(W + "themes/<uuid:code>/renommer/", directory.theme_rename, name="theme-rename"),
    path(W + "themes/<uuid:code>/supprimer/", directory.theme_delete, name="theme-delete"),
    path(W + "segments/<uuid:code>/", directory.segment_open, name="segment-open"),
    path(W + "segments/<uuid:code>/renommer/", directory.segment_rename,
         name="segment-rename"),
    path(W + "relations/<uuid:code>/terminer/", directory.relation_end, name="relation-end"),
    path(W + "relations/<uuid:code>/supprimer/", directory.relation_delete,
         name="relation-delete"),
    path(W + "echanges/", interactions.interaction_list, name="interaction-list"),
    path(W + "echanges/nouveau/", interactions.interaction_create, name="interaction-create"),
    path(W + "echanges/<uuid:code>/", interactions.interaction_edit, name="interaction-edit"),
    path(W + "imports/", imports.import_list, name="import-list"),
    path(W + "imports/<uuid:code>/", imports.import_detail, name="import-detail"),
    path(W + "doublons/", dedupe.duplicate_list, name="duplicate-list"),
    path(W + "doublons/<uuid:code>/", dedupe.duplicate_detail, name="duplicate-detail"),
    path(W + "carte/", map.actor_map, name="map"),
    path(W + "carte/imprimer/", map.actor_map_print, name="map-print"),
    path(W + "carte/points.json", map.map_points, name="map-points"),
    path(W + "carte/zones.json", map.map_areas, name="map-areas"),
    path(W + "rgpd/", privacy.privacy, name="privacy"),
    path(W + "<uuid:code>/", directory.actor_detail, name="actor-detail"),
    path(W + "<uuid:code>/modifier/", directory.actor_edit, name="actor-edit"),
    path(W + "<uuid:code>/relations/", directory.relation_add, name="relation-add"),
    path(W + "<uuid:code>/consentement/", privacy.consent_add, name="consent-add"),
    path(W + "<uuid:code>/donnees/", privacy.person_export, name="person-export"),
    path(W + "<uuid:code>/effacer/", privacy.person_erase, name="person-erase"),
]
