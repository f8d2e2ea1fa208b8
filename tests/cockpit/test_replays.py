"""Kept replays (cockpit/replays.py) are reused only while nothing they depend on has changed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from flipmastery.classroom.models import Section
from flipmastery.cockpit.selectors import class_board
from flipmastery.domain.mastery import State
from tests import factories
from tests.cockpit.conftest import event, failed, scored


def look(room: dict[str, Any], now: Any = None) -> tuple[dict[str, Any], int]:
    """The board's cells by username, and how many queries the look took."""
    section = Section.objects.select_related("course").get(pk=room["section"].pk)
    with CaptureQueriesContext(connection) as queries:
        found = class_board(section, now or timezone.now())
    return {r.username: r.cells for r in found.rows}, len(queries)


def test_a_replay_is_kept_until_the_student_does_something(classroom: dict[str, Any]) -> None:
    asha, ben = classroom["students"]
    _, first = look(classroom)
    cells, again = look(classroom)
    # neither the events nor the attempts are read again, nor the course (kept under its token)
    assert again == first - 2 - 4
    failed(classroom, asha, classroom["a"])
    cells, after = look(classroom)
    assert after == again + 2 and cells["asha"]["GAS-1"].state is State.NOT_YET
    scored(classroom, ben, classroom["a"], 0.3)
    cells, _ = look(classroom)
    assert cells["ben"]["GAS-1"].last_score == 0.3


def test_a_new_student_and_a_changed_course_are_replayed(classroom: dict[str, Any]) -> None:
    asha = classroom["students"][0]
    failed(classroom, asha, classroom["a"])
    factories.learning_object(classroom["a"], kind="text", url="", title="Another way", order=9)
    look(classroom)
    section = classroom["section"]
    section.policy = {"retake_needs_conference": False, "retake_needs_corrective": False}
    section.save()
    cells, _ = look(classroom)
    assert cells["asha"]["GAS-1"].state is State.READY_TO_RETAKE  # the new policy's gate
    newcomer = factories.student(username="nia")
    section.students.add(newcomer)
    cells, _ = look(classroom)
    assert cells["nia"]["GAS-1"].state is State.READY


def test_with_a_cooldown_a_replay_lasts_a_minute_only(classroom: dict[str, Any]) -> None:
    section = classroom["section"]
    section.policy = {
        "retake_needs_conference": False,
        "retake_needs_corrective": False,
        "retake_cooldown_minutes": 5,
    }
    section.save()
    failed(classroom, classroom["students"][0], classroom["a"], ago=timedelta(minutes=14))  # failed 4 min ago
    now = timezone.now()
    cells, _ = look(classroom, now)
    assert cells["asha"]["GAS-1"].state is State.NOT_YET
    assert cells["asha"]["GAS-1"].gate == ("cooldown",)
    cells, _ = look(classroom, now + timedelta(minutes=2))
    assert cells["asha"]["GAS-1"].state is State.READY_TO_RETAKE


def test_an_override_later_in_time_but_recorded_with_an_earlier_time_still_counts(
    classroom: dict[str, Any],
) -> None:
    asha = classroom["students"][0]
    look(classroom)
    event(
        classroom, asha, classroom["a"], "override", "MASTERED", reason="paper check", ago=timedelta(days=30)
    )
    cells, _ = look(classroom)
    assert cells["asha"]["GAS-1"].state is State.MASTERED
