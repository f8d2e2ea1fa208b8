"""URLs of exit slips: the teacher's (start, results, close, paper sheet and marks) and the student's."""

from django.urls import path

from flipmastery.web import views_exit_slips as v

urlpatterns = [
    path("sections/<int:section_id>/exit-slips/", v.slips, name="exit_slips"),
    path("sections/<int:section_id>/exit-slips/<int:slip_id>/", v.results, name="exit_slip"),
    path("sections/<int:section_id>/exit-slips/<int:slip_id>/close/", v.close, name="exit_slip_close"),
    path("sections/<int:section_id>/exit-slips/<int:slip_id>/sheet/", v.sheet, name="exit_slip_sheet"),
    path("sections/<int:section_id>/exit-slips/<int:slip_id>/paper/", v.paper, name="exit_slip_paper"),
    path("sections/<int:section_id>/exit-slip/", v.mine, name="my_exit_slip"),
    path(
        "sections/<int:section_id>/exit-slip/<int:slip_id>/<int:position>/",
        v.answer,
        name="my_exit_slip_answer",
    ),
]
