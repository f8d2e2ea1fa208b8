"""URLs of the pages, login/logout and uploaded media."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from flipmastery.web import views, views_sign_in

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views_sign_in.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "sections/<int:section_id>/students/<int:student_id>/unlock/",
        views_sign_in.student_unlock,
        name="student_unlock",
    ),
    path("sections/<int:section_id>/outline/", views.course_outline, name="course_outline"),
    path("sections/<int:section_id>/playlist/", views.playlist, name="playlist"),
    path(
        "sections/<int:section_id>/learn/<int:learning_object_id>/",
        views.learning_object,
        name="learning_object",
    ),
    path("media/<path:path>", views.media, name="media"),
    path("", include("flipmastery.web.urls_sections")),  # the lists, settings, joining by code
    path("", include("flipmastery.web.urls_checks")),
    path("", include("flipmastery.web.urls_banks")),
    path("", include("flipmastery.web.urls_loop")),
    path("", include("flipmastery.web.urls_cockpit")),
    path("", include("flipmastery.web.urls_paper")),
    path("", include("flipmastery.web.urls_cards")),
    path("", include("flipmastery.web.urls_school")),  # a school admin's people, courses, sections
    path("", include("flipmastery.web.urls_guardians")),  # a guardian's page and its links
    path("", include("flipmastery.web.urls_my_checks")),  # a student's own checks, a unit's test and pre-test
    path("", include("flipmastery.web.urls_studio")),  # a teacher builds a course: units, objectives, export
    path("", include("flipmastery.sharing.urls")),  # /s/<code>/: short links to an objective or a playlist
    path("", include("flipmastery.notes.urls")),  # guided notes: the studio's editor, autosave, print
    path("", include("flipmastery.web.urls_exit_slips")),  # end-of-period checks and tomorrow's groups
]
