"""URLs of a student's own record of checks and of a unit's test and pre-test."""

from django.urls import path

from flipmastery.web import views_my_checks

urlpatterns = [
    path("sections/<int:section_id>/my-checks/", views_my_checks.my_checks, name="my_checks"),
    path(
        "sections/<int:section_id>/units/<str:code>/test/", views_my_checks.unit_test, name="unit_test_start"
    ),
    path(
        "sections/<int:section_id>/units/<str:code>/pretest/", views_my_checks.pretest, name="pretest_start"
    ),
]
