from django.urls import path

from hemicycle.council import attendance_views, followup_views, search_views, stats_views, views

app_name = "council"

P = "w/<slug:slug>/seances/"

urlpatterns = [
    path(P, views.sitting_list, name="sitting-list"),
    path(P + "nouvelle/", views.sitting_create, name="sitting-create"),
    path(P + "<uuid:code>/", views.sitting_detail, name="sitting-detail"),
    path(P + "<uuid:code>/modifier/", views.sitting_edit, name="sitting-edit"),
    path(P + "<uuid:code>/statut/", views.sitting_status, name="sitting-status"),
    path(P + "<uuid:code>/scdl.csv", views.sitting_scdl, name="sitting-scdl"),
    path(P + "<uuid:code>/presences/", attendance_views.attendance_edit, name="attendance-edit"),
    path(P + "<uuid:code>/presences/extraire/", attendance_views.attendance_extract,
         name="attendance-extract"),
    path(P + "instances/", views.body_list, name="body-list"),
    path(P + "instances/nouvelle/", views.body_create, name="body-create"),
    path(P + "instances/<uuid:code>/modifier/", views.body_edit, name="body-edit"),
    path(P + "rapports/nouveau/", views.report_create, name="report-create"),
    path(P + "rapports/<uuid:code>/", views.report_detail, name="report-detail"),
    path(P + "rapports/<uuid:code>/modifier/", views.report_edit, name="report-edit"),
    path(P + "rapports/<uuid:code>/suivi/", followup_views.report_assign, name="report-assign"),
    path(P + "rapports/<uuid:code>/commentaires/", followup_views.comment_create,
         name="comment-create"),
    path(P + "commentaires/<uuid:code>/modifier/", followup_views.comment_edit,
         name="comment-edit"),
    path(P + "commentaires/<uuid:code>/supprimer/", followup_views.comment_delete,
         name="comment-delete"),
    path(P + "mentions/", followup_views.mention_suggest, name="mention-suggest"),
    path(P + "mes-mentions/", followup_views.mention_list, name="mention-list"),
    path(P + "statistiques/", stats_views.stats, name="stats"),
    path(P + "statistiques/votes.csv", stats_views.stats_csv, name="stats-csv"),
    path(P + "documents/<uuid:code>/fichier/", views.document_download,
         name="document-download"),
    path(P + "documents/<uuid:code>/decoupage/", views.document_split, name="document-split"),
    path(P + "import/", views.ingest, name="ingest"),
    path(P + "import/<uuid:code>/", views.batch_detail, name="batch-detail"),
    path(P + "import/<uuid:code>/reprendre/", views.batch_resume, name="batch-resume"),
    path(P + "import-scdl/", views.scdl_import, name="scdl-import"),
    path(P + "recherche/", search_views.search, name="search"),
    path(P + "recherche/enregistrer/", search_views.saved_search_create,
         name="saved-search-create"),
    path(P + "recherche/enregistrees/<uuid:code>/supprimer/", search_views.saved_search_delete,
         name="saved-search-delete"),
    path(P + "veille/", search_views.watchlist_list, name="watchlist-list"),
    path(P + "veille/<uuid:code>/", search_views.watchlist_edit, name="watchlist-edit"),
    path(P + "veille/<uuid:code>/supprimer/", search_views.watchlist_delete,
         name="watchlist-delete"),
    path(P + "a-traiter/", search_views.inbox, name="inbox"),
    path(P + "a-traiter/<uuid:code>/traite/", search_views.inbox_done, name="inbox-done"),
]
