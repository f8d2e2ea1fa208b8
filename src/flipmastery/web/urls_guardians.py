"""URLs of guardian links: a guardian's page (/g/…, no sign-in) and where links are made and revoked."""

from django.urls import path

from flipmastery.web import views_guardians

urlpatterns = [
    path("g/", views_guardians.guardian_code, name="guardian_code"),
    path("g/<str:token>/", views_guardians.guardian_page, name="guardian_page"),
    path("me/guardian-links/", views_guardians.my_links, name="my_guardian_links"),
    path(
        "me/guardian-links/<int:link_id>/revoke/",
        views_guardians.my_link_revoke,
        name="my_guardian_link_revoke",
    ),
    path(
        "sections/<int:section_id>/students/<int:student_id>/guardian-links/",
        views_guardians.student_links,
        name="student_guardian_links",
    ),
    path(
        "sections/<int:section_id>/students/<int:student_id>/guardian-links/<int:link_id>/revoke/",
        views_guardians.student_link_revoke,
        name="student_guardian_link_revoke",
    ),
]
