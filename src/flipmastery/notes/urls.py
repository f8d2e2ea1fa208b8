"""URLs of guided notes: the studio editor, a student's autosave, reading and printing, a diagram image."""

from django.urls import path

from flipmastery.notes import views

urlpatterns = [
    path(
        "teach/studio/<int:course_id>/learn/<int:learning_object_id>/notes/",
        views.notes_editor,
        name="notes_editor",
    ),
    path(
        "sections/<int:section_id>/learn/<int:learning_object_id>/notes/<str:part_id>/",
        views.notes_part_save,
        name="notes_part_save",
    ),
    path(
        "sections/<int:section_id>/learn/<int:learning_object_id>/notes-print/",
        views.blank_notes,
        name="notes_blank",
    ),
    path(
        "sections/<int:section_id>/students/<int:student_id>/objectives/<int:objective_id>/notes/",
        views.student_notes,
        name="notes_student",
    ),
    path("notes/<int:template_id>/images/<str:part_id>/", views.notes_image, name="notes_image"),
]
