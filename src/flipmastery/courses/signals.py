"""A course's `facts_version` is drawn anew at every change the mastery loop reads, in the same transaction.

Each process keeps the course's facts (progress/standings.course_facts) under the course's id and this
number, which it reads with the section anyway; so a change made by any process, on any node, is seen by
the next request everywhere, and no cache has to be told. Saves and deletes go through the signals here;
the few bulk writes that bypass signals call `facts_changed` themselves.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from flipmastery.cockpit.versions import course_changed
from flipmastery.courses.models import Activity, Course, LearningObject, Objective, Unit, new_facts_version


def facts_changed(course_id: int) -> None:
    """One UPDATE, under the course row's lock until the transaction ends; and this process forgets what
    it kept of the course, since a Course object loaded before the change still carries the old number."""
    from flipmastery.progress.standings import forget_course_facts

    Course.objects.filter(pk=course_id).update(facts_version=new_facts_version())
    forget_course_facts(course_id)
    course_changed(course_id)  # its sections' grids, on every server (cockpit/versions.py)


def _course_changed(sender: Any, instance: Course, raw: bool = False, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if (
        raw
        or kwargs.get("created")
        or (update_fields is not None and set(update_fields) == {"facts_version"})
    ):
        return
    facts_changed(instance.pk)  # its policy or threshold may have changed


def _part_changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    course_id = getattr(instance, "course_id", None)
    if course_id is None:  # a learning object or an activity: its objective's course
        objective_id = getattr(instance, "objective_id", None)
        if objective_id is None:
            return
        course_id = Objective.objects.filter(pk=objective_id).values_list("course_id", flat=True).first()
    if course_id is not None:
        facts_changed(course_id)


def _prerequisites_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Objective):
        facts_changed(instance.course_id)


def connect() -> None:
    post_save.connect(_course_changed, sender=Course, dispatch_uid="facts-course")
    for model in (Unit, Objective, LearningObject, Activity):
        post_save.connect(_part_changed, sender=model, dispatch_uid=f"facts-save-{model.__name__}")
        post_delete.connect(_part_changed, sender=model, dispatch_uid=f"facts-delete-{model.__name__}")
    m2m_changed.connect(
        _prerequisites_changed, sender=Objective.prerequisites.through, dispatch_uid="facts-prerequisites"
    )
