"""When a section's students see a learning object's answers (a worksheet's key, worked solutions).

The section's setting says when: when the student asks (a "Show answers" disclosure), after the teacher
allows it for that learning object, or never. Answers a student may not see yet never leave the server.
"""

from __future__ import annotations

from enum import Enum

from django.db import transaction
from django.utils.translation import gettext as _

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Section
from flipmastery.classroom.services import writable
from flipmastery.courses.models import LearningObject
from flipmastery.domain.errors import Invalid, Problem

MODES = Section.WorksheetAnswers


class Shown(Enum):
    """What a person's page shows of a learning object's answers."""

    NONE = "none"  # no answers written, or the section never shows them to students
    ASK = "ask"  # behind a "Show answers" disclosure the student opens
    WAIT = "wait"  # the teacher has not allowed them yet: the page says so, the answers stay on the server
    TEACHER = "teacher"  # a teacher of the section: always shown, with the allow/hide control when it matters


def answers_shown(section: Section, user: User, learning_object: LearningObject) -> Shown:
    if not learning_object.answers.strip():
        return Shown.NONE
    if not user.is_student:
        return Shown.TEACHER
    if section.worksheet_answers == MODES.NEVER:
        return Shown.NONE
    if section.worksheet_answers == MODES.TEACHER and learning_object.pk not in allowed_ids(section):
        return Shown.WAIT
    return Shown.ASK


def allowed_ids(section: Section) -> set[int]:
    return {int(i) for i in section.answers_allowed or [] if str(i).isdigit()}


@transaction.atomic
def section_answers_set(*, section: Section, mode: str) -> Section:
    """Change when the section's students see answers; an unknown mode changes nothing."""
    if mode not in MODES.values:
        raise Invalid([Problem(_("Choose when students see the answers: %(modes)s.") % {"modes": _modes()})])
    locked = Section.objects.select_for_update().get(pk=section.pk)
    writable(locked)
    locked.worksheet_answers = mode
    locked.save(update_fields=["worksheet_answers"])
    return locked


@transaction.atomic
def section_answers_allow(*, section: Section, learning_object: LearningObject, allowed: bool) -> Section:
    """Allow (or stop allowing) the section's students to see this learning object's answers."""
    locked = Section.objects.select_for_update().get(pk=section.pk)
    writable(locked)
    ids = allowed_ids(locked)
    if allowed:
        ids.add(learning_object.pk)
    else:
        ids.discard(learning_object.pk)
    locked.answers_allowed = sorted(ids)
    locked.save(update_fields=["answers_allowed"])
    return locked


def _modes() -> str:
    return ", ".join(MODES.values)
