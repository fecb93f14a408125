from django.urls import path

from hemicycle.publishing import views

app_name = "publishing"

P = "w/<slug:slug>/publications/"

urlpatterns = [
    path(P, views.calendar_view, name="calendar"),
    path(P + "canaux/", views.channel_list, name="channel-list"),
    path(P + "canaux/nouveau/", views.channel_edit, name="channel-create"),
    path(P + "canaux/<uuid:code>/", views.channel_edit, name="channel-edit"),
    path(P + "canaux/<uuid:code>/tester/", views.channel_test, name="channel-test"),
    path(P + "nouvelle/", views.post_edit, name="post-create"),
    path(P + "<uuid:code>/", views.post_detail, name="post-detail"),
    path(P + "<uuid:code>/modifier/", views.post_edit, name="post-edit"),
    path(P + "<uuid:code>/action/", views.post_action, name="post-action"),
    path(P + "<uuid:code>/images/", views.post_image_add, name="post-image-add"),
    path(P + "images/<uuid:code>/retirer/", views.post_image_remove, name="post-image-remove"),
    path(P + "images/<uuid:code>/", views.image_file, name="image"),
    path(P + "page-presse/", views.press_page, name="press-page"),
    path(P + "page-presse/mettre-a-jour/", views.press_page_refresh, name="press-page-refresh"),
    path(P + "visuels/", views.card_list, name="card-list"),
    path(P + "visuels/apercu/", views.card_preview, name="card-preview"),
    path("p/publications/image/<str:token>/", views.image_public, name="image-public"),
]
