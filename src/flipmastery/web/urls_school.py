"""URLs of a school admin's pages (web/views_school.py)."""

from django.urls import path

from flipmastery.web import views_school

urlpatterns = [
    path("school/people/", views_school.people, name="school_people"),
    path("school/people/<str:username>/active/", views_school.person_active, name="school_person_active"),
    path("school/courses/", views_school.courses, name="school_courses"),
    path("school/courses/<str:code>/teachers/", views_school.course_teacher, name="school_course_teacher"),
    path(
        "school/courses/<str:code>/teachers/<str:username>/remove/",
        views_school.course_teacher_off,
        name="school_course_teacher_remove",
    ),
    path(
        "school/sections/<int:section_id>/teachers/",
        views_school.section_teacher,
        name="school_section_teacher",
    ),
    path(
        "school/sections/<int:section_id>/teachers/<str:username>/remove/",
        views_school.section_teacher_off,
        name="school_section_teacher_remove",
    ),
    path("school/sections/", views_school.sections, name="school_sections"),
]
