"""URLs of the teacher's cockpit pages: class grid (its cells and bulk sign-off), gradebook, item analysis,
groups, pacing."""

from django.urls import path

from flipmastery.web import (
    views_cockpit,
    views_cockpit_cell,
    views_cockpit_groups,
    views_cockpit_reports,
    views_cockpit_signoff,
    views_roster,
)

urlpatterns = [
    path("sections/<int:section_id>/roster/", views_roster.roster, name="roster"),
    path("sections/<int:section_id>/roster/load/", views_roster.roster_load, name="roster_load"),
    path("sections/<int:section_id>/grid/", views_cockpit.grid, name="cockpit_grid"),
    path("sections/<int:section_id>/grid/rows/", views_cockpit.grid_rows, name="cockpit_grid_rows"),
    path("sections/<int:section_id>/grid/plan/", views_cockpit.plan_save, name="cockpit_plan"),
    path(
        "sections/<int:section_id>/grid/cell/<int:student_id>/<int:objective_id>/",
        views_cockpit_cell.cell,
        name="cockpit_cell",
    ),
    path(
        "sections/<int:section_id>/grid/cell/<int:student_id>/<int:objective_id>/record/",
        views_cockpit_cell.cell_record,
        name="cockpit_cell_record",
    ),
    path("sections/<int:section_id>/grid/signoff/", views_cockpit_signoff.signoff, name="cockpit_signoff"),
    path("sections/<int:section_id>/pacing/", views_cockpit.pacing, name="cockpit_pacing"),
    path("sections/<int:section_id>/gradebook/", views_cockpit_reports.gradebook, name="cockpit_gradebook"),
    path(
        "sections/<int:section_id>/students/<int:student_id>/history/",
        views_cockpit_reports.history,
        name="cockpit_history",
    ),
    path("sections/<int:section_id>/items/", views_cockpit_reports.items, name="cockpit_items"),
    path("sections/<int:section_id>/groups/", views_cockpit_groups.groups, name="cockpit_groups"),
    path(
        "sections/<int:section_id>/groups/decide/",
        views_cockpit_groups.group_decide,
        name="cockpit_group_decide",
    ),
    path(
        "sections/<int:section_id>/groups/<int:group_id>/members/",
        views_cockpit_groups.group_members,
        name="cockpit_group_members",
    ),
    path(
        "sections/<int:section_id>/groups/<int:group_id>/done/",
        views_cockpit_groups.group_done,
        name="cockpit_group_done",
    ),
]
