"""Paper mode: printed versions go through the same gate, assembly, grading and decision as a screen."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from flipmastery.assessments.models import Attempt, AttemptItem, PaperBatch
from flipmastery.assessments.paper import (
    paper_answers_enter,
    paper_copies_make,
    paper_copy,
    paper_marks_enter,
)
from flipmastery.assessments.selectors import attempt_key
from flipmastery.assessments.services import AttemptClosed, attempt_start, response_save
from flipmastery.domain.errors import Invalid, NotFound
from flipmastery.domain.paper import shown_code
from flipmastery.progress.models import ProgressEvent, QueueEntry
from flipmastery.progress.services import objective_standing
from tests import factories

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def room(db: None) -> dict[str, Any]:
    c = factories.small_classroom()
    c["a"].check_items = 5
    c["a"].save()
    factories.bank(c["a"], 12)
    return c


def make(room: dict[str, Any], students: list[Any] | None = None) -> Any:
    return paper_copies_make(
        section=room["section"],
        objective=room["a"],
        students=room["students"] if students is None else students,
        teacher=room["teacher"],
        now=NOW,
    )


def key(attempt: Attempt) -> dict[int, Any]:
    return {i["id"]: i["correct_response"] for i in attempt_key(attempt)["items"]}


def test_each_student_gets_a_different_version_with_its_own_code(room: dict[str, Any]) -> None:
    printed = make(room)
    assert printed.refused == [] and printed.batch is not None
    first, second = printed.copies
    assert first.paper_code and second.paper_code and first.paper_code != second.paper_code
    assert {first.student, second.student} == set(room["students"])
    assert first.seed != second.seed
    assert all(a.state == "open" and a.paper_batch == printed.batch for a in printed.copies)
    assert AttemptItem.objects.filter(attempt=first).count() == 5
    # The student is in the middle of a check, as on a screen.
    assert objective_standing(room["section"], first.student, room["a"], NOW).state == "CHECKING"


def test_a_lost_sheet_is_reprinted_not_replaced(room: dict[str, Any]) -> None:
    first = make(room, room["students"][:1]).copies[0]
    again = make(room, room["students"][:1]).copies[0]
    assert again.pk == first.pk and again.paper_code == first.paper_code
    assert Attempt.objects.count() == 1


def test_students_the_gate_stops_get_no_copy_and_the_teacher_reads_why(room: dict[str, Any]) -> None:
    asha, ben = room["students"]
    factories.mastered(room["section"], asha, room["a"])
    printed = make(room)
    assert [s for s, _ in printed.refused] == [asha]
    assert printed.refused[0][1] == "has mastered GAS-1 already"
    assert [a.student for a in printed.copies] == [ben]
    locked = paper_copies_make(
        section=room["section"], objective=room["b"], students=[ben], teacher=room["teacher"], now=NOW
    )
    assert locked.batch is None and locked.copies == []
    assert locked.refused[0][1] == "GAS-2 is locked: its prerequisites are not mastered yet"
    assert PaperBatch.objects.count() == 1  # no empty batch is left behind


def test_a_check_open_on_a_screen_with_answers_stays_on_the_screen(room: dict[str, Any]) -> None:
    asha = room["students"][0]
    online = attempt_start(section=room["section"], student=asha, objective=room["a"], now=NOW).attempt
    first = next(iter(key(online).items()))
    response_save(attempt_id=online.pk, student=asha, position=first[0], response=first[1], now=NOW)
    printed = make(room, [asha])
    assert printed.copies == [] and "open on a screen" in printed.refused[0][1]
    assert Attempt.objects.get(pk=online.pk).paper_code is None


def test_printing_is_the_approval_where_the_teacher_approves_checks(room: dict[str, Any]) -> None:
    room["section"].policy = {"check_mode": "approval"}
    room["section"].save()
    printed = make(room)
    assert len(printed.copies) == 2
    assert ProgressEvent.objects.filter(kind="approve", actor=room["teacher"]).count() == 2


def test_students_of_another_class_are_refused(room: dict[str, Any]) -> None:
    with pytest.raises(Invalid, match="not in Chem 11-A: zed"):
        make(room, [room["students"][0], room["outsider"]])
    assert not Attempt.objects.exists() and not PaperBatch.objects.exists()


def test_answers_typed_from_paper_are_graded_and_decided_as_on_a_screen(room: dict[str, Any]) -> None:
    copy = make(room).copies[0]
    done = paper_answers_enter(attempt=copy, responses=key(copy), teacher=room["teacher"], now=NOW)
    assert done.state == "submitted" and done.entered_by == room["teacher"]
    assert done.result["objectives"][0]["score"] == 1.0 and done.result["objectives"][0]["passed"]
    decision = ProgressEvent.objects.get(kind="check_result", student=copy.student)
    assert decision.actor == room["teacher"] and decision.state == "MASTERED"
    assert f"paper copy {shown_code(copy.paper_code or '')}" in decision.reason
    assert objective_standing(room["section"], copy.student, room["a"], NOW).state == "MASTERED"


def test_a_not_yet_from_paper_queues_the_conference_like_any_other(room: dict[str, Any]) -> None:
    copy = make(room).copies[0]
    done = paper_answers_enter(attempt=copy, responses={}, teacher=room["teacher"], now=NOW)
    assert done.result["objectives"][0]["passed"] is False
    assert QueueEntry.objects.filter(student=copy.student, kind="conference").exists()
    assert objective_standing(room["section"], copy.student, room["a"], NOW).state == "NOT_YET"


def test_a_wrong_shaped_answer_is_named_and_nothing_is_saved(room: dict[str, Any]) -> None:
    copy = make(room).copies[0]
    answers = key(copy)
    choice = 3
    answers[choice] = [42]  # no item takes a list of numbers
    answers[99] = "a"
    with pytest.raises(Invalid) as refused:
        paper_answers_enter(attempt=copy, responses=answers, teacher=room["teacher"], now=NOW)
    assert f"question {choice}: " in str(refused.value)
    assert "this copy has no question 99" in str(refused.value)
    assert Attempt.objects.get(pk=copy.pk).state == "open"
    assert not AttemptItem.objects.filter(attempt=copy, response__isnull=False).exists()


def test_marks_from_paper_decide_per_objective(room: dict[str, Any]) -> None:
    copy = make(room).copies[0]
    with pytest.raises(Invalid, match="question 5: mark it right, wrong or half right"):
        paper_marks_enter(attempt=copy, marks={1: 1, 2: 1, 3: 1, 4: 1}, teacher=room["teacher"], now=NOW)
    with pytest.raises(Invalid, match="from 0 to 1"):
        paper_marks_enter(attempt=copy, marks={n: 2.0 for n in range(1, 6)}, teacher=room["teacher"], now=NOW)
    assert Attempt.objects.get(pk=copy.pk).state == "open"
    marks = {1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0, 5: 0.0}  # 4 of 5 = 80 %: the threshold, mastered
    done = paper_marks_enter(attempt=copy, marks=marks, teacher=room["teacher"], now=NOW)
    assert done.result["objectives"][0]["score"] == 0.8 and done.result["objectives"][0]["passed"]
    assert [i.score for i in AttemptItem.objects.filter(attempt=copy)] == [1.0, 1.0, 1.0, 1.0, 0.0]


def test_a_copy_is_entered_once(room: dict[str, Any]) -> None:
    copy = make(room).copies[0]
    paper_marks_enter(attempt=copy, marks={n: 1.0 for n in range(1, 6)}, teacher=room["teacher"], now=NOW)
    with pytest.raises(AttemptClosed, match="already entered"):
        paper_answers_enter(attempt=copy, responses={}, teacher=room["teacher"], now=NOW)
    assert ProgressEvent.objects.filter(kind="check_result").count() == 1


def test_only_the_sections_teachers_find_a_copy_by_its_code(room: dict[str, Any]) -> None:
    copy = make(room).copies[0]
    code = copy.paper_code or ""
    typed = f" {code[:4].lower()}-{code[4:].lower()} "
    assert paper_copy(room["teacher"], typed).pk == copy.pk
    for stranger in (room["other_teacher"], copy.student, room["outsider"]):
        with pytest.raises(NotFound, match="There is no paper copy with code"):
            paper_copy(stranger, code)
    with pytest.raises(NotFound, match="is not a version code"):
        paper_copy(room["teacher"], "<b>hello</b>")
