"""Small factories for tests: each makes a real row with sensible defaults and takes overrides."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from flipmastery.accounts.models import Role, User
from flipmastery.classroom.models import Enrollment, Section
from flipmastery.courses.models import Activity, Course, LearningObject, Objective, Unit
from flipmastery.progress.models import ProgressEvent

_n = itertools.count(1)
PASSWORD = "pass-for-tests-1"


def user(role: str = Role.STUDENT, **fields: Any) -> User:
    n = next(_n)
    fields.setdefault("username", f"{role}{n}")
    person = User(role=role, **fields)
    person.set_password(PASSWORD)
    person.save()
    return person


def teacher(**fields: Any) -> User:
    return user(Role.TEACHER, **fields)


def student(**fields: Any) -> User:
    return user(Role.STUDENT, **fields)


def course(**fields: Any) -> Course:
    n = next(_n)
    fields.setdefault("code", f"C{n}")
    fields.setdefault("title", f"Course {n}")
    return Course.objects.create(**fields)


def unit(course_: Course | None = None, **fields: Any) -> Unit:
    n = next(_n)
    fields.setdefault("code", f"U{n}")
    fields.setdefault("title", f"Unit {n}")
    return Unit.objects.create(course=course_ or course(), **fields)


def objective(
    unit_: Unit | None = None, prerequisites: list[Objective] | None = None, **fields: Any
) -> Objective:
    the_unit = unit_ or unit()
    n = next(_n)
    fields.setdefault("code", f"OBJ-{n}")
    fields.setdefault("statement", f"Be able to do thing {n}.")
    fields.setdefault("order", n)
    made = Objective.objects.create(course=the_unit.course, unit=the_unit, **fields)
    if prerequisites:
        made.prerequisites.set(prerequisites)
    return made


def learning_object(objective_: Objective, **fields: Any) -> LearningObject:
    n = next(_n)
    fields.setdefault("kind", "video")
    fields.setdefault("title", f"Video {n}")
    fields.setdefault("url", "https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    fields.setdefault("order", n)
    return LearningObject.objects.create(objective=objective_, **fields)


def activity(objective_: Objective, **fields: Any) -> Activity:
    fields.setdefault("title", f"Lab {next(_n)}")
    return Activity.objects.create(objective=objective_, **fields)


def section(
    course_: Course | None = None,
    teachers: Sequence[User] = (),
    students: Sequence[User] = (),
    **fields: Any,
) -> Section:
    n = next(_n)
    fields.setdefault("name", f"Section {n}")
    made = Section.objects.create(course=course_ or course(), **fields)
    made.teachers.set(teachers)
    for s in students:
        Enrollment.objects.create(section=made, student=s)
    return made


def small_classroom() -> dict[str, Any]:
    """A course of two objectives (B needs A), a section with a teacher and two students, another section."""
    the_course = course(code="CHEM", title="Chemistry")
    the_unit = unit(the_course, code="GAS", title="Gas Laws")
    a = objective(the_unit, code="GAS-1", statement="Explain gas pressure.", order=1)
    b = objective(
        the_unit, code="GAS-2", statement="Use Boyle's law.", order=2, tier="nice_to_know", prerequisites=[a]
    )
    primary = learning_object(a, title="Video 1", is_primary=True, order=0)
    alternate = learning_object(
        a, kind="text", title="Text Section 12.1", url="", body="**Pressure** is force per area.", order=1
    )
    learning_object(b, title="Video 2", is_primary=True, order=0)
    lab = activity(b, title="Boyle's Law Lab")
    the_teacher = teacher(username="ms_rao")
    s1, s2 = student(username="asha"), student(username="ben")
    outsider = student(username="zed")
    mine = section(the_course, teachers=[the_teacher], students=[s1, s2], name="Chem 11-A")
    other_teacher = teacher(username="mr_other")
    other = section(the_course, teachers=[other_teacher], students=[outsider], name="Chem 11-B")
    return {
        "course": the_course,
        "unit": the_unit,
        "a": a,
        "b": b,
        "primary": primary,
        "alternate": alternate,
        "lab": lab,
        "teacher": the_teacher,
        "students": [s1, s2],
        "outsider": outsider,
        "section": mine,
        "other_section": other,
        "other_teacher": other_teacher,
    }


def mastered(section_: Section, student_: User, objective_: Objective, at: str = "2025-01-01T10:00Z") -> None:
    """Record that a student has mastered an objective (as a teacher override would)."""
    ProgressEvent.objects.create(
        section=section_, student=student_, objective=objective_, kind="override", state="MASTERED", at=at
    )
