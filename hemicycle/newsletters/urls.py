from django.urls import path

from hemicycle.newsletters import press_views, views

app_name = "newsletters"

W = "w/<slug:slug>/lettres/"
P = "w/<slug:slug>/presse/"

urlpatterns = [
    path(W, views.index, name="index"),
    path(W + "listes/nouvelle/", views.list_create, name="list-create"),
    path(W + "listes/<uuid:code>/", views.list_detail, name="list-detail"),
    path(W + "listes/<uuid:code>/modifier/", views.list_edit, name="list-edit"),
    path(W + "listes/<uuid:code>/import/", views.list_import, name="list-import"),
    path(W + "adresses/", views.addresses, name="addresses"),
    path(W + "campagnes/nouvelle/", views.campaign_create, name="campaign-create"),
    path(W + "campagnes/<uuid:code>/", views.campaign_detail, name="campaign-detail"),
    path(W + "campagnes/<uuid:code>/modifier/", views.campaign_edit, name="campaign-edit"),
    path(W + "campagnes/<uuid:code>/apercu/", views.campaign_preview, name="campaign-preview"),
    path(W + "campagnes/<uuid:code>/essai/", views.campaign_test, name="campaign-test"),
    path(W + "campagnes/<uuid:code>/envoyer/", views.campaign_send, name="campaign-send"),
    path(W + "campagnes/<uuid:code>/annuler/", views.campaign_cancel, name="campaign-cancel"),
    path(P, press_views.press_index, name="press-index"),
    path(P + "communiques/nouveau/", press_views.release_create, name="release-create"),
    path(P + "communiques/<uuid:code>/", press_views.release_detail, name="release-detail"),
    path(P + "communiques/<uuid:code>/modifier/", press_views.release_edit,
         name="release-edit"),
    path(P + "communiques/<uuid:code>/pdf/", press_views.release_pdf, name="release-pdf"),
    path(P + "communiques/<uuid:code>/envoi/", press_views.release_mailing,
         name="release-mailing"),
    path(P + "communiques/<uuid:code>/publier/", press_views.release_publish,
         name="release-publish"),
    path(P + "conferences/nouvelle/", press_views.conference_create, name="conference-create"),
    path(P + "conferences/<uuid:code>/", press_views.conference_detail,
         name="conference-detail"),
    path(P + "conferences/<uuid:code>/modifier/", press_views.conference_edit,
         name="conference-edit"),
    path(P + "conferences/<uuid:code>/inviter/", press_views.conference_invite,
         name="conference-invite"),
    # Public pages: their own anti-abuse (rate limit, honeypot, unguessable keys).
    path("lettres/<uuid:list_key>/", views.subscribe, name="subscribe"),
    path("lettres/<uuid:list_key>/archives/", views.archive_list, name="archive-list"),
    path("lettres/archives/<uuid:campaign_key>/", views.archive_detail, name="archive-detail"),
    path("lettres/logo/<uuid:campaign_key>/", views.campaign_logo, name="campaign-logo"),
    path("lettres/confirmation/<str:token>/", views.subscription_confirm,
         name="subscription-confirm"),
    path("lettres/desinscription/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("lettres/o/<str:token>/", views.track_open, name="track-open"),
    path("lettres/c/<str:token>/<int:link>/", views.track_click, name="track-click"),
]
