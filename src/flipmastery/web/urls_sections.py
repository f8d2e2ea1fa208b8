"""URLs of sections: the lists, opening one, its settings, teachers and archive; joining one by its code."""

from django.urls import path

from flipmastery.web import views_join, views_roster, views_sections

urlpatterns = [
    path("sections/", views_sections.sections, name="sections"),
    path("sections/new/", views_sections.section_new, name="section_new"),
    path("sections/<int:section_id>/settings/", views_sections.section_settings, name="section_settings"),
    path("sections/<int:section_id>/teachers/", views_sections.teacher_add, name="section_teacher_add"),
    path(
        "sections/<int:section_id>/teachers/<int:teacher_id>/remove/",
        views_sections.teacher_remove,
        name="section_teacher_remove",
    ),
    path("sections/<int:section_id>/archive/", views_sections.section_archive, name="section_archive"),
    path("sections/<int:section_id>/unarchive/", views_sections.section_unarchive, name="section_unarchive"),
    path(
        "sections/<int:section_id>/join-requests/<int:request_id>/<str:decision>/",
        views_roster.join_request_decide_view,
        name="join_request_decide",
    ),
    path(
        "sections/<int:section_id>/students/<int:student_id>/password/",
        views_roster.password_reset,
        name="student_password_reset",
    ),
    path("join/", views_join.join, name="join"),
    path("join/<str:code>/", views_join.join_code, name="join_code"),
]
