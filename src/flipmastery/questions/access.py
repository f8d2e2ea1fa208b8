"""Who may manage which question bank: a teacher of the objective's course (one who builds it in the
studio, or who teaches any section of it) or a school admin.

Like the section helpers, each access_* helper fetches and checks in one step and says "not found" for
both missing and forbidden, so probing ids tells nothing about other courses' banks.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Section
from flipmastery.courses.models import Course, Objective
from flipmastery.domain.errors import NotFound
from flipmastery.questions.models import Question


def _teaches_course(user: User, course_field: str) -> Q:
    builds = Exists(Course.teachers.through.objects.filter(course=OuterRef(course_field), user=user))
    return builds | Exists(Section.objects.filter(course=OuterRef(course_field), teachers=user))


def managed_objectives(user: User) -> QuerySet[Objective]:
    """Objectives whose bank this person may manage (none for students)."""
    base = Objective.objects.select_related("course", "unit")
    if user.is_school_admin:
        return base
    if not user.is_teacher:
        return base.none()
    return base.filter(_teaches_course(user, "course"))


def access_objective_as_teacher(user: User, objective_id: int) -> Objective:
    objective = managed_objectives(user).filter(pk=objective_id).first()
    if objective is None:
        raise NotFound("objective not found")
    return objective


def access_question_as_teacher(user: User, question_id: int) -> Question:
    """A question of a bank this person may manage, with its objective and current version."""
    found = Question.objects.select_related("objective__course", "objective__unit", "current").filter(
        pk=question_id
    )
    if not user.is_school_admin:
        if not user.is_teacher:
            raise NotFound("question not found")
        found = found.filter(_teaches_course(user, "objective__course"))
    question = found.first()
    if question is None:
        raise NotFound("question not found")
    return question
