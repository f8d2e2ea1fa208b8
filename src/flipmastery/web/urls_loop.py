"""URLs of the mastery loop: the student's "I used this", requests and course map; the teacher's queue."""

from django.urls import path

from flipmastery.web import views_answers, views_loop, views_queue

urlpatterns = [
    path(
        "sections/<int:section_id>/learn/<int:learning_object_id>/used/",
        views_loop.learning_object_used,
        name="learning_object_used",
    ),
    path(
        "sections/<int:section_id>/learn/<int:learning_object_id>/watched/",
        views_loop.learning_object_watched,
        name="learning_object_watched",
    ),
    path("sections/<int:section_id>/requests/", views_loop.ask, name="loop_ask"),
    path("sections/<int:section_id>/map/", views_loop.course_map, name="course_map"),
    path("sections/<int:section_id>/queue/", views_queue.queue_page, name="queue"),
    path("sections/<int:section_id>/queue/rows/", views_queue.queue_rows, name="queue_rows"),
    path("sections/<int:section_id>/queue/record/", views_queue.record, name="queue_record"),
    path("sections/<int:section_id>/answers/", views_answers.answers_setting, name="answers_setting"),
    path(
        "sections/<int:section_id>/learn/<int:learning_object_id>/answers/",
        views_answers.answers_allow,
        name="answers_allow",
    ),
]
