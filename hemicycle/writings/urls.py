from django.urls import path

from hemicycle.writings import (
    drafting_views,
    recap_views,
    template_views,
    views,
    writing_views,
)

app_name = "writings"

W = "w/<slug:slug>/ecrits/"
DOCX, PDF, MD = {"fmt": "docx"}, {"fmt": "pdf"}, {"fmt": "md"}

urlpatterns = [
    path(W, writing_views.writing_index, name="writing-index"),
    path(W + "nouveau/", writing_views.writing_create, name="writing-create"),
    path(W + "<uuid:code>/", writing_views.writing_detail, name="writing-detail"),
    path(W + "<uuid:code>/modifier/", writing_views.writing_edit, name="writing-edit"),
    path(W + "<uuid:code>/statut/", writing_views.writing_status, name="writing-status"),
    path(W + "<uuid:code>/sort/", writing_views.writing_outcome, name="writing-outcome"),
    path(W + "<uuid:code>/partager/", writing_views.writing_share, name="writing-share"),
    path(W + "<uuid:code>/docx/", writing_views.writing_export, DOCX, name="writing-docx"),
    path(W + "<uuid:code>/pdf/", writing_views.writing_export, PDF, name="writing-pdf"),
    path(W + "version/<uuid:code>/", writing_views.version_detail, name="version-detail"),
    path(W + "<uuid:code>/brouillon/", drafting_views.writing_draft, name="writing-draft"),
    path(W + "rapport/<uuid:code>/note/brouillon/", drafting_views.note_draft,
         name="note-draft"),
    path(W + "brouillon/<uuid:code>/", drafting_views.draft_detail, name="draft-detail"),
    path(W + "modeles/", template_views.template_settings, name="template-settings"),
    path(W + "modeles/exemple.docx", template_views.template_sample, DOCX,
         name="template-sample-docx"),
    path(W + "modeles/exemple.pdf", template_views.template_sample, PDF,
         name="template-sample-pdf"),
    # a report: the group's note, position and writings
    path(W + "rapport/<uuid:code>/", views.report_work, name="report-work"),
    path(W + "rapport/<uuid:code>/note/", views.note_edit, name="note-edit"),
    path(W + "rapport/<uuid:code>/vote-propose/", views.position_propose,
         name="position-propose"),
    path(W + "rapport/<uuid:code>/vote/", views.position_decide, name="position-decide"),
    path(W + "rapport/<uuid:code>/vote-ligne/", views.vote_sheet_row, name="vote-sheet-row"),
    path(W + "rapport/<uuid:code>/orateurs/", views.position_speakers,
         name="position-speakers"),
    path(W + "rapport/<uuid:code>/dissidence/", views.dissent_add, name="dissent-add"),
    path(W + "dissidence/<uuid:code>/retirer/", views.dissent_remove, name="dissent-remove"),
    path(W + "note/<uuid:code>/docx/", views.note_export, DOCX, name="note-docx"),
    path(W + "note/<uuid:code>/pdf/", views.note_export, PDF, name="note-pdf"),
    # a sitting: the vote sheet and the recap
    path(W + "seance/<uuid:code>/votes/", views.vote_sheet, name="vote-sheet"),
    path(W + "seance/<uuid:code>/votes/docx/", views.vote_sheet_export, DOCX,
         name="vote-sheet-docx"),
    path(W + "seance/<uuid:code>/votes/pdf/", views.vote_sheet_export, PDF,
         name="vote-sheet-pdf"),
    path(W + "seance/<uuid:code>/recap/", recap_views.recap_edit, name="recap-edit"),
    path(W + "seance/<uuid:code>/recap/publier/", recap_views.recap_publish, name="recap-publish"),
    path(W + "seance/<uuid:code>/recap/partager/", recap_views.recap_share, name="recap-share"),
    path(W + "seance/<uuid:code>/recap/docx/", recap_views.recap_export, DOCX, name="recap-docx"),
    path(W + "seance/<uuid:code>/recap/pdf/", recap_views.recap_export, PDF, name="recap-pdf"),
    path(W + "seance/<uuid:code>/recap/md/", recap_views.recap_export, MD, name="recap-md"),
    path("recap/<uuid:code>/", recap_views.recap_public, name="recap-public"),
]
