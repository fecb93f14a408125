from django.urls import path

from hemicycle.juries.views import campaigns, jury, public, results

app_name = "juries"

W = "w/<slug:slug>/appels/"

urlpatterns = [
    # Staff: campaigns and applications
    path(W, campaigns.campaign_list, name="campaign-list"),
    path(W + "nouveau/", campaigns.campaign_create, name="campaign-create"),
    path(W + "historique/", results.history, name="history"),
    path(W + "<uuid:code>/", campaigns.campaign_detail, name="campaign-detail"),
    path(W + "<uuid:code>/modifier/", campaigns.campaign_edit, name="campaign-edit"),
    path(W + "<uuid:code>/candidatures/nouvelle/", campaigns.application_create,
         name="application-create"),
    path(W + "<uuid:code>/candidatures/import/", campaigns.application_import,
         name="application-import"),
    path(W + "<uuid:code>/controles/", campaigns.application_recheck,
         name="application-recheck"),
    path(W + "candidatures/<uuid:code>/", campaigns.application_detail,
         name="application-detail"),
    path(W + "candidatures/<uuid:code>/piece/", campaigns.application_attachment,
         name="application-attachment"),
    # Staff: jury
    path(W + "<uuid:code>/colleges/nouveau/", jury.college_create, name="college-create"),
    path(W + "colleges/<uuid:code>/", jury.college_detail, name="college-detail"),
    path(W + "colleges/<uuid:code>/modifier/", jury.college_edit, name="college-edit"),
    path(W + "tirages/<uuid:code>/", jury.draw_detail, name="draw-detail"),
    path(W + "<uuid:code>/jures/", jury.juror_list, name="juror-list"),
    path(W + "jures/<uuid:code>/", jury.juror_action, name="juror-action"),
    path(W + "<uuid:code>/notes/", jury.score_table, name="score-table"),
    path(W + "<uuid:code>/projection/", jury.projection, name="projection"),
    # Jurors (role "juror" scoped to the campaign, or members sitting on the jury)
    path("w/<slug:slug>/jury/<uuid:code>/", jury.juror_home, name="juror-home"),
    path("w/<slug:slug>/jury/dossiers/<uuid:code>/", jury.juror_review, name="juror-review"),
    # Staff: allocation and results
    path(W + "<uuid:code>/repartition/", results.allocation_page, name="allocation-page"),
    path(W + "repartitions/<uuid:code>/", results.allocation_detail, name="allocation-detail"),
    path(W + "<uuid:code>/decisions.csv", results.decisions_csv, name="decisions-csv"),
    path(W + "<uuid:code>/decisions.xlsx", results.decisions_xlsx, name="decisions-xlsx"),
    path(W + "<uuid:code>/decisions.docx", results.decisions_docx, name="decisions-docx"),
    path(W + "<uuid:code>/votes.pb", results.votes_pb, name="votes-pb"),
    path(W + "<uuid:code>/notifier/", results.applications_notify, name="applications-notify"),
    path(W + "<uuid:code>/resultats/partager/", results.campaign_results_share,
         name="campaign-results-share"),
    path(W + "<uuid:code>/purger/", results.campaign_purge, name="campaign-purge"),
    # Public
    path("appels/<slug:campaign>/", public.campaign_public, name="campaign-public"),
    path("appels/<slug:campaign>/candidater/", public.campaign_apply, name="campaign-apply"),
    path("appels/<slug:campaign>/candidater/merci/", public.campaign_apply_done,
         name="campaign-apply-done"),
    path("appels/<slug:campaign>/volontaires/", public.volunteer_register,
         name="volunteer-register"),
    path("appels/<slug:campaign>/tirage/", public.draw_public, name="draw-public"),
    path("appels/<slug:campaign>/donnees.csv", public.open_data, name="open-data"),
    path("candidature/<str:token>/", public.application_private, name="application-private"),
]
