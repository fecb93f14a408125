from django.urls import path

from hemicycle.accounts import views, workspace_views

app_name = "accounts"

urlpatterns = [
    path("compte/connexion/", views.login_view, name="login"),
    path("compte/connexion/code/", views.login_totp, name="login-totp"),
    path("compte/deconnexion/", views.logout_view, name="logout"),
    path("compte/profil/", views.profile, name="profile"),
    path("compte/double-authentification/", views.totp_setup, name="totp-setup"),
    path("compte/mes-donnees/", views.personal_data, name="personal-data"),
    path("compte/supprimer/", views.account_delete, name="account-delete"),
    path("compte/mot-de-passe/", views.password_reset, name="password-reset"),
    path("compte/mot-de-passe/envoye/", views.password_reset_done, name="password-reset-done"),
    path("compte/mot-de-passe/<uidb64>/<token>/", views.password_reset_confirm,
         name="password-reset-confirm"),
    path("compte/mot-de-passe/termine/", views.password_reset_complete,
         name="password-reset-complete"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("w/<slug:slug>/membres/", workspace_views.member_list, name="member-list"),
    path("w/<slug:slug>/membres/inviter/", workspace_views.invitation_create,
         name="invitation-create"),
    path("w/<slug:slug>/membres/invitations/<uuid:code>/renvoyer/",
         workspace_views.invitation_resend, name="invitation-resend"),
    path("w/<slug:slug>/membres/invitations/<uuid:code>/annuler/",
         workspace_views.invitation_revoke, name="invitation-revoke"),
    path("w/<slug:slug>/membres/<uuid:code>/", workspace_views.membership_edit,
         name="membership-edit"),
    path("w/<slug:slug>/logo/", workspace_views.workspace_logo, name="workspace-logo"),
    path("w/<slug:slug>/parametres/", workspace_views.workspace_settings,
         name="workspace-settings"),
]
