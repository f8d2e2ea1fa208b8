"""URLs of the student's check pages: start, take (with autosave), submit, result."""

from django.urls import path

from flipmastery.web import views_checks

urlpatterns = [
    path(
        "sections/<int:section_id>/objectives/<str:code>/check/",
        views_checks.check_start,
        name="check_start",
    ),
    path("attempts/<int:attempt_id>/", views_checks.attempt_page, name="attempt"),
    path("attempts/<int:attempt_id>/items/<int:position>/", views_checks.item_save, name="attempt_item"),
    path("attempts/<int:attempt_id>/submit/", views_checks.submit, name="attempt_submit"),
]
