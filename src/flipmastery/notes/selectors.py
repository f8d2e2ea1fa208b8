"""Reading guided notes: a learning object's template, a student's notes, and "3/5 filled" for many
students at once (a fixed number of queries, whatever the queue's length)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Enrollment, Section
from flipmastery.classroom.selectors import access_section, access_section_as_teacher
from flipmastery.courses.models import LearningObject
from flipmastery.domain.errors import NotFound
from flipmastery.domain.guided_notes import NotesTemplate, filled, parse_template
from flipmastery.notes import models


@dataclass(frozen=True)
class Notes:
    """One template with what one student wrote in it (nothing, for a blank copy)."""

    row: models.NotesTemplate
    template: NotesTemplate
    answers: dict[str, dict[str, str]]
    saved_at: Any = None
    part_saved_at: dict[str, float] | None = None

    @property
    def learning_object(self) -> LearningObject:
        return self.row.learning_object

    @property
    def count(self) -> tuple[int, int]:
        return filled(self.template, self.answers)


def read_template(row: models.NotesTemplate) -> NotesTemplate:
    """The stored parts, checked when they were saved: read back the same way."""
    return parse_template(row.parts)


def template_of(learning_object: LearningObject) -> models.NotesTemplate | None:
    return models.NotesTemplate.objects.filter(learning_object=learning_object).first()


def my_notes(section: Section, student: User, learning_object: LearningObject) -> Notes | None:
    """The template of this learning object with the student's notes in it: two queries (one without one)."""
    row = template_of(learning_object)
    if row is None:
        return None
    entry = (
        models.NotesEntry.objects.filter(template=row, section=section, student=student)
        .values_list("answers", "saved_at", "part_saved_at")
        .first()
    )
    answers, saved_at, stamps = entry if entry else ({}, None, {})
    return Notes(row, read_template(row), answers or {}, saved_at, stamps or {})


def access_notes_reader(user: User, section_id: int, student_id: int) -> tuple[Section, int]:
    """The section and the student whose notes this person may read: the student themselves, or a teacher of
    the section (the student enrolled in it). Missing and forbidden read the same."""
    if user.is_student and not (user.is_teacher or user.is_school_admin):
        if user.pk != student_id:
            raise NotFound("notes not found")
        section = access_section(user, section_id)
    else:
        section = access_section_as_teacher(user, section_id)
    if not Enrollment.objects.filter(section=section, student_id=student_id).exists():
        raise NotFound("notes not found")
    return section, student_id


def objective_notes(section: Section, student_id: int, objective_id: int) -> list[Notes]:
    """The student's notes on every learning object of this objective that has a template, in order."""
    rows = list(
        models.NotesTemplate.objects.select_related("learning_object__objective")
        .filter(
            learning_object__objective_id=objective_id,
            learning_object__objective__course_id=section.course_id,
            learning_object__retired=False,
        )
        .order_by("learning_object__order", "learning_object_id")
    )
    entries = {
        t: (a, s)
        for t, a, s in models.NotesEntry.objects.filter(
            template__in=rows, section=section, student_id=student_id
        ).values_list("template_id", "answers", "saved_at")
    }
    return [Notes(r, read_template(r), *(entries.get(r.pk) or ({}, None))) for r in rows]


def notes_counts(
    section: Section, student_ids: set[int], objective_codes: set[str] | None = None
) -> dict[tuple[int, str], tuple[int, int]]:
    """(student, objective code) -> (boxes filled, boxes in all) over the objective's templates; only
    objectives that have a template appear. Two queries."""
    rows = models.NotesTemplate.objects.filter(
        learning_object__objective__course_id=section.course_id,
        learning_object__retired=False,
        learning_object__objective__retired=False,
    )
    if objective_codes is not None:
        rows = rows.filter(learning_object__objective__code__in=objective_codes)
    templates = {
        pk: (code, parse_template(parts))
        for pk, code, parts in rows.values_list("pk", "learning_object__objective__code", "parts")
    }
    if not templates or not student_ids:
        return {}
    answers = {
        (t, s): a
        for t, s, a in models.NotesEntry.objects.filter(
            section=section, student_id__in=student_ids, template_id__in=templates
        ).values_list("template_id", "student_id", "answers")
    }
    counts: dict[tuple[int, str], tuple[int, int]] = {}
    for student in student_ids:
        for pk, (code, template) in templates.items():
            done, total = filled(template, answers.get((pk, student)) or {})
            before = counts.get((student, code), (0, 0))
            counts[(student, code)] = (before[0] + done, before[1] + total)
    return counts
