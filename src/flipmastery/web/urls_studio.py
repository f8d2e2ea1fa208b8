"""URLs of the course studio: build a course (units, objectives, learning objects) and export it."""

from django.urls import path

from flipmastery.web import views_studio as course
from flipmastery.web import views_studio_objective as objective

PARTS = "teach/studio/<int:course_id>/objectives/<int:objective_id>/<str:part>"

urlpatterns = [
    path("teach/studio/", course.studio, name="studio"),
    path("teach/studio/<int:course_id>/", course.studio_course, name="studio_course"),
    path("teach/studio/<int:course_id>/export/", course.studio_export, name="studio_export"),
    path("teach/studio/<int:course_id>/units/new/", course.studio_unit_new, name="studio_unit_new"),
    path(
        "teach/studio/<int:course_id>/units/<int:unit_id>/", course.studio_unit_edit, name="studio_unit_edit"
    ),
    path(
        "teach/studio/<int:course_id>/units/<int:unit_id>/move/",
        course.studio_unit_move,
        name="studio_unit_move",
    ),
    path(
        "teach/studio/<int:course_id>/objectives/new/",
        objective.studio_objective_new,
        name="studio_objective_new",
    ),
    path(
        "teach/studio/<int:course_id>/objectives/<int:objective_id>/",
        objective.studio_objective,
        name="studio_objective",
    ),
    path(
        "teach/studio/<int:course_id>/objectives/<int:objective_id>/move/",
        objective.studio_objective_move,
        name="studio_objective_move",
    ),
    path(
        "teach/studio/<int:course_id>/objectives/<int:objective_id>/retire/",
        objective.studio_objective_retire,
        name="studio_objective_retire",
    ),
    path(
        "teach/studio/<int:course_id>/objectives/<int:objective_id>/restore/",
        objective.studio_objective_restore,
        name="studio_objective_restore",
    ),
    path("teach/studio/<int:course_id>/files/<int:item_id>/", objective.studio_file, name="studio_file"),
    path(f"{PARTS}/new/", objective.studio_part_new, name="studio_part_new"),
    path(f"{PARTS}/<int:item_id>/", objective.studio_part_edit, name="studio_part_edit"),
    path(f"{PARTS}/<int:item_id>/move/", objective.studio_part_move, name="studio_part_move"),
    path(f"{PARTS}/<int:item_id>/retire/", objective.studio_part_retire, name="studio_part_retire"),
]
