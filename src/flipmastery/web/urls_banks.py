"""URLs of the teacher's question bank pages: list, edit with preview, import, preview versions."""

from django.urls import path

from flipmastery.web import views_banks as views

urlpatterns = [
    path("teach/objectives/<int:objective_id>/bank/", views.bank, name="bank"),
    path("teach/objectives/<int:objective_id>/bank/new/", views.question_new, name="bank_question_new"),
    path(
        "teach/objectives/<int:objective_id>/bank/preview-question/",
        views.question_preview,
        name="bank_question_preview",
    ),
    path("teach/objectives/<int:objective_id>/bank/import/", views.bank_import_page, name="bank_import"),
    path("teach/objectives/<int:objective_id>/bank/export/<str:fmt>/", views.bank_export, name="bank_export"),
    path("teach/objectives/<int:objective_id>/bank/preview/", views.bank_preview, name="bank_preview"),
    path("teach/questions/<int:question_id>/edit/", views.question_edit_page, name="bank_question_edit"),
    path(
        "teach/questions/<int:question_id>/versions/", views.question_versions, name="bank_question_versions"
    ),
    path(
        "teach/questions/<int:question_id>/retire/", views.question_retire_action, name="bank_question_retire"
    ),
]
