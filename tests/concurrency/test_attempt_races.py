"""Races on checks with real threads and a real database: double clicks, two tabs, a whole class at once.

Threads collide on a barrier; then the database is read to prove that nothing was made twice, lost, or
changed after the submit. Each race is run for several rounds: one round may be won cleanly by chance.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from flipmastery.accounts.models import User
from flipmastery.assessments import services
from flipmastery.assessments.models import Attempt, AttemptItem
from flipmastery.assessments.selectors import access_attempt, attempt_key
from flipmastery.assessments.services import (
    AttemptClosed,
    NotReady,
    attempt_start,
    attempt_submit,
    response_save,
)
from flipmastery.classroom.models import Section
from flipmastery.courses.models import Objective
from flipmastery.domain.questions import Question as Q
from flipmastery.domain.questions import QuestionType, true_false_choices
from flipmastery.progress.models import ProgressEvent
from flipmastery.progress.services import evidence_record
from flipmastery.questions.models import Question, QuestionVersion
from flipmastery.questions.services import question_save
from tests import factories
from tests.concurrency.conftest import Crowd

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("real_db")]

ROUNDS = 8


@dataclass
class Check:
    section: Section
    objective: Objective
    teacher: User
    students: list[User] = field(default_factory=list)


def a_check(students: int, items: int = 4, bank: int = 12) -> Check:
    """A section of `students`, its teacher, and one objective whose check has `items` auto-graded items."""
    the_course = factories.course()
    objective = factories.objective(factories.unit(the_course), check_items=items)
    factories.bank(objective, bank)
    teacher = factories.teacher()
    people = [factories.student() for _ in range(students)]
    section = factories.section(the_course, teachers=[teacher], students=people)
    return Check(section, objective, teacher, people)


def start(check: Check, student: User) -> Attempt:
    return attempt_start(
        section=check.section, student=student, objective=check.objective, now=timezone.now()
    ).attempt


def key(check: Check, attempt_id: int) -> dict[int, Any]:
    """The teacher's key: per item a response that scores full marks."""
    attempt = access_attempt(check.teacher, attempt_id, teacher_only=True)
    return {i["id"]: i["correct_response"] for i in attempt_key(attempt)["items"]}


def save(attempt_id: int, student: User, position: int, response: Any) -> Any:
    """Autosave; returns the value as stored (cleaned), which is what the student's page is told."""
    saved = response_save(
        attempt_id=attempt_id, student=student, position=position, response=response, now=timezone.now()
    )
    return saved.response


def submit(attempt_id: int, student: User) -> Attempt:
    return attempt_submit(attempt_id=attempt_id, student=student, now=timezone.now())


def stored(attempt_id: int) -> dict[int, Any]:
    return dict(AttemptItem.objects.filter(attempt_id=attempt_id).values_list("position", "response"))


def decisions(student: User) -> list[str]:
    return list(
        ProgressEvent.objects.filter(student=student, kind="check_result").values_list("state", flat=True)
    )


def no_errors(crowd: Crowd) -> None:
    # A broken barrier only echoes the first failure: show that one.
    first = sorted(crowd.errors, key=lambda e: isinstance(e[1], threading.BrokenBarrierError))
    assert not first, f"{len(first)} threads failed; first: thread {first[0][0]}: {first[0][1]!r}"


# -- a double click on "start" --------------------------------------------------------------------


def click_start(check: Check, student: User, n: int, c: Crowd) -> tuple[int, bool]:
    c.barrier.wait()
    with c.request():
        started = attempt_start(
            section=check.section, student=student, objective=check.objective, now=timezone.now()
        )
    return started.attempt.pk, started.resumed


def test_a_double_start_opens_one_attempt_and_both_requests_get_it(
    crowd: Callable[[int], Crowd],
) -> None:
    check = a_check(students=ROUNDS)
    for student in check.students:
        both = crowd(2)
        (first, first_resumed), (second, second_resumed) = both.run(partial(click_start, check, student))
        no_errors(both)

        assert first == second
        assert sorted([first_resumed, second_resumed]) == [False, True]
        assert list(Attempt.objects.filter(student=student).values_list("pk", "state")) == [(first, "open")]
        assert AttemptItem.objects.filter(attempt=first).count() == 4
        assert ProgressEvent.objects.filter(student=student, kind="check_started").count() == 1


# -- what happens between a start's reads and its write ---------------------------------------------
# A start reads the gate and builds its version before its write transaction; whatever lands in between
# (found by counting the student's history again inside it) makes the start decide again, under the lock.


def in_between(monkeypatch: pytest.MonkeyPatch, happen: Callable[[], object]) -> None:
    """`happen` runs once, after the next start has planned and before it writes."""
    plan, done = services._plan, []

    def planned_then(*args: Any) -> Any:
        found = plan(*args)
        if not done:  # marked first: `happen` may start too
            done.append(True)
            happen()
        return found

    monkeypatch.setattr(services, "_plan", planned_then)


def test_a_start_planned_while_another_tab_started_resumes_that_tabs_attempt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    check = a_check(students=1)
    student = check.students[0]
    shown()
    other: list[Attempt] = []
    in_between(monkeypatch, lambda: other.append(start(check, student)))

    started = attempt_start(
        section=check.section, student=student, objective=check.objective, now=timezone.now()
    )

    assert started.resumed and started.attempt.pk == other[0].pk
    assert list(Attempt.objects.filter(student=student).values_list("pk", flat=True)) == [other[0].pk]
    assert ProgressEvent.objects.filter(student=student, kind="check_started").count() == 1


def test_a_start_planned_before_the_teacher_marked_it_mastered_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    check = a_check(students=1)
    student = check.students[0]
    shown()
    in_between(
        monkeypatch,
        lambda: evidence_record(
            section=check.section,
            teacher=check.teacher,
            student=student,
            objective=check.objective,
            kind="override",
            state="MASTERED",
            reason="showed it on the board",
            now=timezone.now(),
        ),
    )

    with pytest.raises(NotReady):
        attempt_start(section=check.section, student=student, objective=check.objective, now=timezone.now())
    assert not Attempt.objects.filter(student=student).exists()
    assert not ProgressEvent.objects.filter(student=student, kind="check_started").exists()


def test_a_start_that_first_shows_a_version_reads_it_again_under_the_lock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A version no student has seen is edited in place; the start shows what it says after the edit."""
    check = a_check(students=1, items=12, bank=12)  # every question is asked
    student = check.students[0]
    question = Question.objects.filter(objective=check.objective).order_by("pk").first()
    assert question is not None and not question.current.shown
    edited = Q(QuestionType.TRUE_FALSE, "Edited after the start read it.", choices=true_false_choices(True))
    in_between(monkeypatch, lambda: edit(question, edited))

    attempt = start(check, student)

    item = AttemptItem.objects.get(attempt=attempt, question=question)
    assert item.version_id == question.current_id  # edited in place: the same version, shown now
    assert "Edited after the start read it." in item.shown["prompt_html"]
    assert QuestionVersion.objects.get(pk=item.version_id).shown


def test_a_start_reads_nothing_under_the_lock_but_the_count_of_the_history(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    check = a_check(students=1)
    student = check.students[0]
    shown()
    inside: list[str] = []
    real = services._write

    def write(draft: Any) -> Any:
        with CaptureQueriesContext(connection) as written:
            found = real(draft)
        inside.extend(q["sql"].split()[0] for q in written.captured_queries)
        return found

    monkeypatch.setattr(services, "_write", write)
    with CaptureQueriesContext(connection) as everything:
        start(check, student)

    assert inside == ["INSERT", "INSERT", "INSERT"]  # the attempt, its items, its event
    sql = [q["sql"] for q in everything.captured_queries]
    counted = [n for n, q in enumerate(sql) if "SELECT COUNT(*) AS n FROM progress_progressevent" in q]
    counts = [n for n, q in enumerate(sql) if q.startswith("SELECT COUNT(*) FROM progress_progressevent")]
    begin = next(n for n, q in enumerate(sql) if q.startswith(("BEGIN", "SAVEPOINT")))
    # counted with the gate's history read, before the other reads, and again inside
    assert len(counted) == 1 and len(counts) == 1 and counted[0] < begin < counts[0]
    bank = [
        n for n, q in enumerate(sql) if "FROM questions_question" in q or "assessments_attemptitem i" in q
    ]
    assert bank and all(counted[0] < n < begin for n in bank)  # the bank and what was seen: read after it


def edit(question: Question, value: Q) -> None:
    with transaction.atomic():  # as the bank page saves it
        question_save(question=question, value=value, actor=None)


def shown() -> None:
    """Every version has been shown already, as in a class under way."""
    QuestionVersion.objects.update(shown=True)


def after_grading(monkeypatch: pytest.MonkeyPatch, happen: Callable[[], object]) -> None:
    """`happen` runs once, after the next submit has graded and decided and before it writes."""
    graded, done = services._grade, []

    def graded_then(*args: Any, **kwargs: Any) -> Any:
        found = graded(*args, **kwargs)
        if not done and not kwargs["locked"]:  # marked first: `happen` may submit too
            done.append(True)
            happen()
        return found

    monkeypatch.setattr(services, "_grade", graded_then)


def test_a_save_landing_after_the_submit_graded_is_graded_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    check = a_check(students=1)
    student = check.students[0]
    attempt = start(check, student)
    right = key(check, attempt.pk)
    for position, response in right.items():
        if position != 1:
            save(attempt.pk, student, position, response)
    after_grading(monkeypatch, lambda: save(attempt.pk, student, 1, right[1]))  # the last item's save

    result = submit(attempt.pk, student).result

    assert result["objectives"][0]["score"] == 1.0 and result["objectives"][0]["passed"] is True
    assert stored(attempt.pk)[1] is not None
    assert set(AttemptItem.objects.filter(attempt=attempt).values_list("score", flat=True)) == {1.0}
    assert decisions(student) == ["MASTERED"]


def test_a_second_submit_landing_after_the_first_graded_leaves_one_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    check = a_check(students=1)
    student = check.students[0]
    attempt = start(check, student)
    for position, response in key(check, attempt.pk).items():
        save(attempt.pk, student, position, response)
    other: list[Any] = []
    after_grading(monkeypatch, lambda: other.append(submit(attempt.pk, student).result))

    result = submit(attempt.pk, student).result

    assert result == other[0] and result["objectives"][0]["passed"] is True
    assert len(decisions(student)) == 1


def test_a_submit_reads_one_row_set_under_the_lock_before_it_writes() -> None:
    check = a_check(students=1)
    student = check.students[0]
    attempt = start(check, student)

    with CaptureQueriesContext(connection) as everything:
        submit(attempt.pk, student)

    sql = [q["sql"] for q in everything.captured_queries]
    begin = next(n for n, q in enumerate(sql) if q.startswith(("BEGIN", "SAVEPOINT")))
    first = begin + 1 + int(connection.features.has_select_for_update)  # after the row's lock, if any
    assert sql[first].startswith("SELECT a.state, (SELECT COUNT(*) FROM progress_progressevent")
    inside = sql[begin:]
    assert not any("progress_progressevent WHERE section_id" in q and "ORDER BY" in q for q in inside)
    assert not any('"assessments_attemptitem"."id"' in q for q in inside)  # the items are not read again
    writes = [n for n, q in enumerate(sql) if q.startswith(("UPDATE", "INSERT"))]
    assert begin < writes[0]  # the reads of grading and deciding come before the transaction
    # the history, with the count compared inside
    assert any(q.startswith("SELECT c.n, e.objective_id, e.kind") for q in sql[:begin])


# -- a double click on "submit" -------------------------------------------------------------------


def click_submit(attempt_id: int, student: User, n: int, c: Crowd) -> Any:
    c.barrier.wait()
    with c.request():
        return submit(attempt_id, student).result


def test_a_double_submit_gives_one_result_and_one_decision(crowd: Callable[[int], Crowd]) -> None:
    check = a_check(students=ROUNDS)
    full_marks = {"code": check.objective.code, "score": 1.0, "threshold": 0.8, "passed": True}
    for student in check.students:
        attempt = start(check, student)
        for position, response in key(check, attempt.pk).items():
            save(attempt.pk, student, position, response)

        both = crowd(2)
        first, second = both.run(partial(click_submit, attempt.pk, student))
        no_errors(both)

        assert first == second == {"objectives": [{**full_marks, "pending": False}]}
        attempt.refresh_from_db()
        assert attempt.state == "submitted" and attempt.result == first
        assert decisions(student) == ["MASTERED"]


# -- autosaves racing the submit --------------------------------------------------------------------

SAVERS, PER_SAVER = 3, 2


def autosave_until_closed(
    attempt_id: int, student: User, keys: dict[int, Any], n: int, c: Crowd
) -> tuple[dict[int, Any], int] | Attempt:
    """Thread SAVERS submits a moment after the others have begun autosaving their own items."""
    c.barrier.wait()
    if n == SAVERS:
        time.sleep(0.03)
        with c.request():
            return submit(attempt_id, student)
    mine = sorted(keys)[n * PER_SAVER : (n + 1) * PER_SAVER]
    acked: dict[int, Any] = {}
    refused = 0
    deadline = time.monotonic() + 20
    for i in itertools.count():
        position = mine[i % PER_SAVER]
        value = keys[position] if (i // PER_SAVER) % 2 == 0 else None  # right, cleared, right, …
        try:
            with c.request():
                acked[position] = save(attempt_id, student, position, value)
        except AttemptClosed:
            refused += 1
            if refused == 3:  # refused, and refused again: a closed attempt stays closed
                break
        else:
            assert not refused, "a save was accepted after one was refused"
        if time.monotonic() > deadline:
            break
        # Far faster than any page autosaves; the starvation test below has a stream with no pause at all.
        time.sleep(0.002)
    return acked, refused


def test_autosaves_racing_a_submit_land_before_it_and_are_graded_or_are_refused(
    crowd: Callable[[int], Crowd],
) -> None:
    check = a_check(students=ROUNDS, items=SAVERS * PER_SAVER)
    for student in check.students:
        attempt = start(check, student)
        keys = key(check, attempt.pk)

        everyone = crowd(SAVERS + 1)
        *savers, submitted = everyone.run(partial(autosave_until_closed, attempt.pk, student, keys))
        no_errors(everyone)

        last_acked: dict[int, Any] = {}
        for acked, refused in savers:
            assert refused == 3, "a saver never saw the attempt close"
            last_acked.update(acked)
        # Never lost silently: every item holds exactly the last save that was acknowledged.
        in_db = stored(attempt.pk)
        assert in_db == {p: last_acked.get(p) for p in keys}
        # Graded as saved, and never changed after: each score matches the stored response.
        scores = dict(AttemptItem.objects.filter(attempt=attempt).values_list("position", "score"))
        assert scores == {p: 1.0 if in_db[p] is not None else 0.0 for p in keys}
        right = sum(1 for p in keys if in_db[p] is not None)
        assert submitted.result["objectives"][0]["score"] == round(right / len(keys), 4)
        assert len(decisions(student)) == 1


# -- a submit while the rest of the class keeps the database busy -----------------------------------


def autosave_nonstop(attempt_id: int, student: User, keys: dict[int, Any], go: Any, stop: Any) -> None:
    try:
        go.wait()
        for i in itertools.count():
            if stop.is_set():
                return
            save(attempt_id, student, 1 + i % 2, keys[1 + i % 2])
    finally:
        connections.close_all()


def test_a_submit_is_not_starved_while_the_rest_of_the_class_keeps_autosaving() -> None:
    # SQLite alone starved about one round in three (its busy handler polls while the last writer takes
    # the lock back); flipmastery.sqlite serves the writers of a process in arrival order instead.
    rounds, stream_for, answered_within = 20, 1.0, 0.5
    check = a_check(students=rounds + 1, items=2)
    busy = check.students[-1]  # stands for the rest of the class: another student's tab, never pausing
    busy_attempt = start(check, busy)
    busy_keys = key(check, busy_attempt.pk)
    waited = []
    for student in check.students[:rounds]:
        attempt = start(check, student)
        go, stop = threading.Barrier(2, timeout=30), threading.Event()
        other = threading.Thread(target=autosave_nonstop, args=(busy_attempt.pk, busy, busy_keys, go, stop))
        other.start()
        go.wait()
        time.sleep(0.02)
        ends = threading.Timer(stream_for, stop.set)  # the stream stops: a starved submit gets in then
        ends.start()
        began = time.monotonic()
        submit(attempt.pk, student)
        waited.append(time.monotonic() - began)
        stop.set()
        ends.cancel()
        other.join()

    assert max(waited) <= answered_within, [round(w, 2) for w in waited]


# -- two tabs ----------------------------------------------------------------------------------------


def tab_autosaving(attempt_id: int, student: User, keys: dict[int, Any], n: int, c: Crowd) -> dict[int, Any]:
    """Tab 0 has the first half of the items, tab 1 the second; the last save of each is the answer."""
    half = len(keys) // 2
    mine = sorted(keys)[n * half : (n + 1) * half]
    c.barrier.wait()
    acked = {}
    for round_ in range(12):  # cleared, right, cleared, …, right
        for position in mine:
            with c.request():
                acked[position] = save(attempt_id, student, position, keys[position] if round_ % 2 else None)
    return acked


def test_two_tabs_autosaving_different_items_of_one_attempt_lose_nothing(
    crowd: Callable[[int], Crowd],
) -> None:
    check = a_check(students=ROUNDS, items=8)
    for student in check.students:
        attempt = start(check, student)
        keys = key(check, attempt.pk)

        both = crowd(2)
        first, second = both.run(partial(tab_autosaving, attempt.pk, student, keys))
        no_errors(both)

        assert stored(attempt.pk) == {**first, **second} == keys
        assert submit(attempt.pk, student).result["objectives"][0]["score"] == 1.0


# -- a whole class -----------------------------------------------------------------------------------


def student_works(
    check: Check, wrong_on_purpose: set[int], n: int, c: Crowd
) -> tuple[int, dict[int, Any], Any]:
    """Start, read the key as the teacher, autosave every item, then submit with everyone else."""
    student = check.students[n]
    c.barrier.wait()
    with c.request():
        attempt_id = start(check, student).pk
    with c.request():
        keys = key(check, attempt_id)
    acked = {}
    for position, response in keys.items():
        value = None if n in wrong_on_purpose and position == 1 else response
        with c.request():
            acked[position] = save(attempt_id, student, position, value)
    c.barrier.wait()  # everyone presses "submit" together
    with c.request():
        result = submit(attempt_id, student).result
    return attempt_id, acked, result


def test_a_whole_class_submitting_at_once_loses_nothing(crowd: Callable[[int], Crowd]) -> None:
    # 60 is a big class on one laptop (SQLite); PostgreSQL is for a school.
    size = 300 if connection.vendor == "postgresql" else 60
    check = a_check(students=size)
    wrong_on_purpose = set(range(0, size, 3))  # every third student leaves one item blank: "not yet"

    everyone = crowd(size)
    outcome = everyone.run(partial(student_works, check, wrong_on_purpose))
    no_errors(everyone)

    attempts = {a.pk: a for a in Attempt.objects.filter(section=check.section)}
    assert len(attempts) == size and {a.state for a in attempts.values()} == {"submitted"}
    in_db: dict[int, dict[int, Any]] = {a: {} for a in attempts}
    for attempt_id, position, response in AttemptItem.objects.filter(attempt__in=attempts).values_list(
        "attempt", "position", "response"
    ):
        in_db[attempt_id][position] = response
    for n, (attempt_id, acked, result) in enumerate(outcome):
        assert attempts[attempt_id].student_id == check.students[n].pk
        assert in_db[attempt_id] == acked, f"student {n} lost a response"
        assert attempts[attempt_id].result == result
        assert result["objectives"][0]["passed"] is (n not in wrong_on_purpose)
    decided = ProgressEvent.objects.filter(section=check.section, kind="check_result")
    assert decided.count() == size
    assert decided.filter(state="NOT_YET").count() == len(wrong_on_purpose)
