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


def bank(objective_: Objective, size: int = 6) -> list[Any]:
    """A bank of `size` questions for an objective, cycling through every auto-graded type."""
    from flipmastery.domain.questions import (
        Choice,
        Derived,
        MatchPair,
        NumericAnswer,
        Question,
        QuestionType,
        TextAnswer,
        Tolerance,
        Variable,
        true_false_choices,
    )
    from flipmastery.questions.services import question_create

    def make(i: int) -> Question:
        kind = i % 6
        key = f"{objective_.code}-q{i}"
        if kind == 0:
            choices = (
                Choice("Boyle's law", 1.0, "Yes."),
                Choice("Charles's law", 0.0, "No: V/T."),
                Choice("Ohm", 0.0),
            )
            return Question(
                QuestionType.SINGLE_CHOICE, f"Q{i}: which law is PV = k?", key=key, choices=choices
            )
        if kind == 1:
            return Question(
                QuestionType.CALCULATED,
                f"Q{i}: {{V1}} L at {{P1}} kPa is squeezed to {{V2}} L. New pressure?",
                key=key,
                variables=(
                    Variable("V1", 2, 6, decimals=1),
                    Variable("P1", 90, 120, step=5),
                    Variable("V2", values=(1.0, 1.5)),
                ),
                derived=(Derived("P2", "P1 * V1 / V2"),),
                numeric_answers=(
                    NumericAnswer(formula="P2", tolerance=0.02, tolerance_mode=Tolerance.RELATIVE),
                ),
                unit="kPa",
            )
        if kind == 2:
            return Question(
                QuestionType.TRUE_FALSE,
                f"Q{i}: gases are compressible.",
                key=key,
                choices=true_false_choices(True),
            )
        if kind == 3:
            return Question(
                QuestionType.NUMERIC,
                f"Q{i}: standard pressure?",
                key=key,
                numeric_answers=(NumericAnswer(1.0, tolerance=0.01),),
                unit="atm",
            )
        if kind == 4:
            return Question(
                QuestionType.SHORT_TEXT,
                f"Q{i}: the law PV = k is named after?",
                key=key,
                answers=(TextAnswer("Boyle*"),),
            )
        return Question(
            QuestionType.MATCHING,
            f"Q{i}: match.",
            key=key,
            pairs=(
                MatchPair("Boyle", "T constant"),
                MatchPair("Charles", "P constant"),
                MatchPair("Gay-Lussac", "V constant"),
            ),
        )

    return [question_create(objective=objective_, value=make(i), actor=None) for i in range(size)]
