"""Checks through the API (DESIGN §6): start or resume, autosave, submit, read, key — and who may do what."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from flipmastery.assessments.models import Attempt, AttemptItem
from flipmastery.classroom.models import Enrollment
from flipmastery.progress.models import ProgressEvent
from flipmastery.questions.frozen import questions_of
from flipmastery.questions.models import QuestionVersion
from tests import factories
from tests.api.conftest import assert_error, bearer_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def check(classroom: dict[str, Any]) -> dict[str, Any]:
    a = classroom["a"]
    a.check_items = 6
    a.save()
    factories.bank(a, 12)
    return classroom


def start_url(c: dict[str, Any], code: str = "GAS-1") -> str:
    return f"/api/v1/sections/{c['section'].pk}/objectives/{code}/attempts"


def start(client: Client, c: dict[str, Any]) -> dict[str, Any]:
    response = client.post(start_url(c))
    assert response.status_code in (200, 201), response.content
    return response.json()


def put(client: Client, attempt: int, item: int, value: Any) -> Any:
    return client.put(
        f"/api/v1/attempts/{attempt}/responses/{item}",
        data=json.dumps({"response": value}),
        content_type="application/json",
    )


def key_of(c: dict[str, Any], attempt: int) -> dict[int, Any]:
    response = bearer_client(c["teacher"]).get(f"/api/v1/attempts/{attempt}/key")
    assert response.status_code == 200, response.content
    return {i["id"]: i["correct_response"] for i in response.json()["items"]}


def test_a_student_starts_a_check_and_gets_items_without_any_answer(check: dict[str, Any]) -> None:
    client = bearer_client(check["students"][0])
    response = client.post(start_url(check))
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "open" and body["objective"] == "GAS-1"
    assert [i["id"] for i in body["items"]] == [1, 2, 3, 4, 5, 6]
    assert {i["objective"] for i in body["items"]} == {"GAS-1"}
    assert all(i["prompt_html"] and i["type"] for i in body["items"])
    text = response.content.decode()
    for secret in (
        "fraction",
        "correct",
        "answers",
        "Boyle*",
        "formula",
        "P1 * V1",
        "tolerance",
        "pairs",
        'T constant", "P',
    ):
        assert secret not in text.replace('"correct_response"', ""), secret
    assert body["thresholds"] == {"GAS-1": 0.8}
    assert ProgressEvent.objects.filter(kind="check_started", state="CHECKING").count() == 1


def test_starting_again_resumes_the_open_attempt_with_its_saved_responses(check: dict[str, Any]) -> None:
    client = bearer_client(check["students"][0])
    first = start(client, check)
    assert put(client, first["id"], 1, None).status_code == 200
    again = client.post(start_url(check))
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    assert Attempt.objects.count() == 1


def test_full_marks_through_the_key_masters_and_records_the_decision(check: dict[str, Any]) -> None:
    client = bearer_client(check["students"][0])
    attempt = start(client, check)
    for item, response in key_of(check, attempt["id"]).items():
        saved = put(client, attempt["id"], item, response)
        assert saved.status_code == 200, saved.content
    result = client.post(f"/api/v1/attempts/{attempt['id']}/submit")
    assert result.status_code == 200
    body = result.json()
    assert body["state"] == "submitted"
    assert body["objectives"] == [
        {
            "code": "GAS-1",
            "score": 1.0,
            "threshold": 0.8,
            "passed": True,
            "mastered": True,
            "state": "MASTERED",
            "pending": False,
            "activities_missing": [],
        }
    ]
    assert body["next"]["kind"] == "mastered"
    assert all(i["status"] == "correct" for i in body["items"])
    assert ProgressEvent.objects.filter(kind="check_result", state="MASTERED").count() == 1


def test_blank_submission_is_not_yet_with_per_item_feedback(check: dict[str, Any]) -> None:
    client = bearer_client(check["students"][0])
    attempt = start(client, check)
    body = client.post(f"/api/v1/attempts/{attempt['id']}/submit").json()
    assert body["objectives"][0]["mastered"] is False and body["objectives"][0]["score"] == 0.0
    assert body["next"]["kind"] == "not_yet"
    assert {i["status"] for i in body["items"]} == {"unanswered"}
    assert ProgressEvent.objects.filter(kind="check_result", state="NOT_YET").count() == 1


def test_double_submit_gives_one_result_and_writes_after_submit_are_refused(check: dict[str, Any]) -> None:
    client = bearer_client(check["students"][0])
    attempt = start(client, check)
    keys = key_of(check, attempt["id"])
    put(client, attempt["id"], 1, keys[1])
    first = client.post(f"/api/v1/attempts/{attempt['id']}/submit").json()
    second = client.post(f"/api/v1/attempts/{attempt['id']}/submit").json()
    assert first == second
    assert ProgressEvent.objects.filter(kind="check_result").count() == 1
    late = put(client, attempt["id"], 2, keys[2])
    assert_error(late, 409, "conflict")
    assert AttemptItem.objects.get(attempt_id=attempt["id"], position=2).response is None


def test_a_retake_is_a_different_version_with_unseen_questions(check: dict[str, Any]) -> None:
    client = bearer_client(check["students"][0])
    first = start(client, check)
    client.post(f"/api/v1/attempts/{first['id']}/submit")
    gated = client.post(start_url(check))
    assert_error(gated, 409, "not_ready")
    assert (
        "learn it another way" in gated.json()["message"]
        and "talk with your teacher" in gated.json()["message"]
    )
    section = check["section"].pk
    assert (
        client.post(f"/api/v1/sections/{section}/learning-objects/{check['alternate'].pk}/done").status_code
        == 200
    )
    teacher = bearer_client(check["teacher"])
    conference = {"student": check["students"][0].username, "objective": "GAS-1", "kind": "conference"}
    assert (
        teacher.post(
            f"/api/v1/sections/{section}/evidence", data=conference, content_type="application/json"
        ).json()["state"]
        == "READY_TO_RETAKE"
    )
    second = start(client, check)
    assert second["id"] != first["id"]
    questions = [
        set(AttemptItem.objects.filter(attempt_id=a["id"]).values_list("question", flat=True))
        for a in (first, second)
    ]
    assert not questions[0] & questions[1]  # 12 questions, 6 per check: the retake sees the other 6


def test_malformed_responses_are_refused_with_the_expected_shape(check: dict[str, Any]) -> None:
    check["a"].check_items = 12  # every question, so every type
    check["a"].save()
    client = bearer_client(check["students"][0])
    attempt = start(client, check)
    by_type = {i["type"]: i["id"] for i in attempt["items"]}
    body = assert_error(put(client, attempt["id"], by_type["single_choice"], "zz"), 422, "invalid")
    assert "one of a, b, c" in body["message"]
    assert_error(put(client, attempt["id"], 99, "a"), 404, "not_found")
    assert_error(
        client.put(
            f"/api/v1/attempts/{attempt['id']}/responses/1", data="{", content_type="application/json"
        ),
        400,
        "bad_request",
    )
    assert AttemptItem.objects.filter(attempt_id=attempt["id"]).exclude(response=None).count() == 0


def test_nobody_else_reads_writes_or_submits_a_students_attempt(check: dict[str, Any]) -> None:
    owner, classmate = check["students"]
    attempt = start(bearer_client(owner), check)
    put(bearer_client(owner), attempt["id"], 1, None)
    for intruder in (classmate, check["outsider"], check["other_teacher"]):
        client = bearer_client(intruder)
        assert_error(client.get(f"/api/v1/attempts/{attempt['id']}"), 404, "not_found")
        assert_error(put(client, attempt["id"], 1, "a"), 404, "not_found")
        assert_error(client.post(f"/api/v1/attempts/{attempt['id']}/submit"), 404, "not_found")
        assert_error(client.get(f"/api/v1/attempts/{attempt['id']}/key"), 404, "not_found")
    assert_error(bearer_client(owner).get(f"/api/v1/attempts/{attempt['id']}/key"), 404, "not_found")
    assert Attempt.objects.get().state == "open"


def test_the_teacher_reads_the_attempt_and_a_key_that_scores_full_marks(check: dict[str, Any]) -> None:
    attempt = start(bearer_client(check["students"][0]), check)
    teacher = bearer_client(check["teacher"])
    assert teacher.get(f"/api/v1/attempts/{attempt['id']}").status_code == 200
    key = teacher.get(f"/api/v1/attempts/{attempt['id']}/key").json()
    assert [i["id"] for i in key["items"]] == [1, 2, 3, 4, 5, 6]
    assert all("correct_response" in i and i["answer"] for i in key["items"])


def test_students_cannot_start_a_check_of_a_locked_objective_or_outside_their_section(
    check: dict[str, Any],
) -> None:
    factories.bank(check["b"], 4)
    client = bearer_client(check["students"][0])
    body = assert_error(client.post(start_url(check, "GAS-2")), 409, "not_ready")
    assert "GAS-2 is locked: master its prerequisites first." in body["message"]
    assert_error(client.post(start_url(check, "NOPE-1")), 404, "not_found")
    assert_error(bearer_client(check["outsider"]).post(start_url(check)), 404, "not_found")
    assert_error(bearer_client(check["teacher"]).post(start_url(check)), 404, "not_found")
    assert Attempt.objects.count() == 0


def test_a_bank_too_small_for_the_check_is_a_clear_conflict(check: dict[str, Any]) -> None:
    a = check["a"]
    a.check_items = 20
    a.save()
    body = assert_error(bearer_client(check["students"][0]).post(start_url(check)), 409, "bank_too_small")
    assert "GAS-1 has 12 questions" in body["message"]
    assert Attempt.objects.count() == 0


def test_versions_shown_in_an_attempt_are_frozen_and_edits_make_new_versions(check: dict[str, Any]) -> None:
    from flipmastery.domain.question_codec import from_data
    from flipmastery.questions.services import question_save

    attempt = start(bearer_client(check["students"][0]), check)
    item = AttemptItem.objects.filter(attempt_id=attempt["id"]).select_related("question", "version").first()
    assert item is not None and item.version.shown
    old = item.version
    value = from_data(old.data)
    new = question_save(
        question=item.question, value=value.__class__(**{**value.__dict__, "text": "Edited."}), actor=None
    )
    assert new.pk != old.pk and new.number == old.number + 1
    old.refresh_from_db()
    assert from_data(old.data) == value  # the attempt still shows what it showed
    unseen = QuestionVersion.objects.filter(shown=False).first()
    assert unseen is not None
    edited = question_save(question=unseen.question, value=from_data(unseen.data), actor=None)
    assert edited.pk == unseen.pk  # never shown: edited in place


@pytest.mark.django_db(transaction=True)  # as served: outside any transaction, so versions shown are kept
def test_query_counts_of_start_autosave_and_submit_do_not_grow_with_the_check(
    classroom: dict[str, Any],
) -> None:
    counts = []
    for size, student in ((2, classroom["students"][0]), (10, classroom["students"][1])):
        a = classroom["a"]
        a.check_items = size
        a.save()
        if not a.questions.exists():
            factories.bank(a, 12)
        client = bearer_client(student)
        client.get("/api/v1/me/sections")  # warm the token
        with CaptureQueriesContext(connection) as started:
            attempt = start(client, classroom)
        with CaptureQueriesContext(connection) as saved:
            put(client, attempt["id"], 1, None)
        with CaptureQueriesContext(connection) as submitted:
            client.post(f"/api/v1/attempts/{attempt['id']}/submit")
        counts.append((len(started), len(saved), len(submitted)))
    assert counts[0] == counts[1]
    # the course just changed (check_items): its facts are read again, once (objectives, prerequisites,
    # learning objects, activities), then kept by every process until it changes again. These starts show
    # versions never shown before, which a teacher may be editing in place: their reads are made again
    # under the write lock (history, the versions with how often the student saw each, what the picked
    # versions say), after the history counted with the gate's read before them. The submit reads what its
    # versions say once; shown now, they are kept
    locks = int(connection.features.has_select_for_update)  # a submit locks the attempt's row first
    assert counts[0] == (20, 7, 15 + locks), counts  # one each: is the section archived? (web/archived.py)
    third = factories.student(username="chitra")
    Enrollment.objects.create(section=classroom["section"], student=third)
    client = bearer_client(third)
    client.get("/api/v1/me/sections")
    QuestionVersion.objects.update(shown=True)  # else the versions it happens to pick decide one more query
    questions_of(QuestionVersion.objects.values_list("pk", flat=True))  # as kept once a class is under way
    with CaptureQueriesContext(connection) as started:
        attempt = start(client, classroom)
    with CaptureQueriesContext(connection) as submitted:
        client.post(f"/api/v1/attempts/{attempt['id']}/submit")
    said = "\n".join(q["sql"][:150] for q in submitted.captured_queries)
    # a start's and a submit's reads come before their write transaction; the student's history is counted
    # in the same query as its history is read, and again inside the transaction (with the submit's state
    # and responses, in one query), which then only writes: the attempt, its items, its event; the grades,
    # the result, the decision, the queue. The questions that can be asked are read with how often the
    # student saw each, in one query
    assert (len(started), len(submitted)) == (12, 14 + locks), said


def test_a_written_answer_waits_for_the_teacher_then_the_check_decides(classroom: dict[str, Any]) -> None:
    from flipmastery.domain.questions import Question, QuestionType
    from flipmastery.questions.services import question_create

    a = classroom["a"]
    a.check_items, a.check_written = 0, 1  # free responses are asked only when the check says so
    a.save()
    question_create(
        objective=a,
        value=Question(QuestionType.FREE_RESPONSE, "Explain pressure.", rubric="Collisions."),
        actor=None,
    )
    student = bearer_client(classroom["students"][0])
    attempt = start(student, classroom)
    assert put(student, attempt["id"], 1, "Particles hit the walls.").status_code == 200
    body = student.post(f"/api/v1/attempts/{attempt['id']}/submit").json()
    assert body["objectives"][0]["pending"] is True and body["objectives"][0]["passed"] is None
    assert body["objectives"][0]["mastered"] is False and body["objectives"][0]["state"] == "CHECKING"
    assert body["next"]["kind"] == "wait"
    assert not ProgressEvent.objects.filter(kind="check_result").exists()
    grade_url = f"/api/v1/attempts/{attempt['id']}/items/1/grade"
    assert_error(
        student.post(grade_url, data={"score": 1}, content_type="application/json"), 404, "not_found"
    )
    teacher = bearer_client(classroom["teacher"])
    graded = teacher.post(
        grade_url, data={"score": 0.9, "feedback": "Good."}, content_type="application/json"
    )
    assert graded.status_code == 200, graded.content
    assert graded.json()["objectives"][0] == {
        "code": "GAS-1",
        "score": 0.9,
        "threshold": 0.8,
        "passed": True,
        "mastered": True,
        "state": "MASTERED",
        "pending": False,
        "activities_missing": [],
    }
    assert ProgressEvent.objects.filter(kind="check_result", state="MASTERED").count() == 1
    assert QuestionType.FREE_RESPONSE.value == graded.json()["items"][0]["type"]


def test_a_unit_test_decides_each_objective_and_a_retake_asks_only_what_is_not_mastered(
    classroom: dict[str, Any],
) -> None:
    factories.bank(classroom["a"], 6)
    factories.bank(classroom["b"], 6)
    classroom["b"].prerequisites.clear()  # both open at once (a locked one is left out: tests/progress)
    client = bearer_client(classroom["students"][0])
    url = f"/api/v1/sections/{classroom['section'].pk}/units/GAS/attempts"
    response = client.post(url)
    assert response.status_code == 201, response.content
    first = response.json()
    assert first["kind"] == "unit_test" and first["objective"] is None
    assert [i["objective"] for i in first["items"]] == ["GAS-1", "GAS-1", "GAS-2", "GAS-2"]
    assert client.post(url).json()["id"] == first["id"]  # resumed
    keys = key_of(classroom, first["id"])
    for item in first["items"]:
        if item["objective"] == "GAS-1":
            put(client, first["id"], item["id"], keys[item["id"]])
    result = client.post(f"/api/v1/attempts/{first['id']}/submit").json()
    assert [(o["code"], o["mastered"]) for o in result["objectives"]] == [("GAS-1", True), ("GAS-2", False)]
    states = dict(ProgressEvent.objects.filter(kind="check_result").values_list("objective__code", "state"))
    assert states == {"GAS-1": "MASTERED", "GAS-2": "NOT_YET"}
    assert client.post(url).status_code == 409  # GAS-2's retake gate is closed: nothing to test yet
    bearer_client(classroom["teacher"]).post(
        f"/api/v1/sections/{classroom['section'].pk}/evidence",
        {"student": classroom["students"][0].pk, "objective": "GAS-2", "kind": "release"},
        content_type="application/json",
    )
    retake = client.post(url).json()
    assert {i["objective"] for i in retake["items"]} == {"GAS-2"}
    assert [(o["code"], o["reason"]) for o in retake["left_out"]] == [("GAS-1", "mastered")]


def test_a_seed_makes_the_same_version_and_none_makes_different_ones(check: dict[str, Any]) -> None:
    from django.utils import timezone

    from flipmastery.assessments.services import attempt_start
    from flipmastery.classroom.models import Enrollment

    students = [*check["students"], factories.student(), factories.student()]
    for s in students[2:]:
        Enrollment.objects.create(section=check["section"], student=s)

    def version(student: Any, seed: int | None) -> list[tuple[int, Any]]:
        started = attempt_start(
            section=check["section"], student=student, objective=check["a"], now=timezone.now(), seed=seed
        )
        items = AttemptItem.objects.filter(attempt=started.attempt).order_by("position")
        return [(i.question_id, i.variant) for i in items]

    assert version(students[0], 42) == version(students[1], 42)
    assert version(students[2], None) != version(students[3], None)


def test_the_grades_written_out_name_the_models_table_and_columns() -> None:
    from flipmastery.assessments.services import STORE_GRADE

    columns = {f.name: f.column for f in AttemptItem._meta.concrete_fields}
    table = AttemptItem._meta.db_table
    assert STORE_GRADE.split()[:3] == ["UPDATE", table, "SET"]
    for name in ("score", "status", "feedback"):
        assert f"{columns[name]} = %s" in STORE_GRADE


def test_the_start_reads_written_out_name_the_models_tables_and_columns() -> None:
    from flipmastery.assessments.models import Attempt
    from flipmastery.assessments.services import CURRENT_VERSIONS
    from flipmastery.questions.models import Question

    question = {f.name: f.column for f in Question._meta.concrete_fields}
    version = {f.name: f.column for f in QuestionVersion._meta.concrete_fields}
    tables = (Question._meta.db_table, QuestionVersion._meta.db_table)
    assert "FROM {} q INNER JOIN {} v".format(*tables) in CURRENT_VERSIONS
    assert f"v.id = q.{question['current']}" in CURRENT_VERSIONS
    for column in (question["objective"], question["retired"]):
        assert f"q.{column}" in CURRENT_VERSIONS
    assert f"v.{version['type']}" in CURRENT_VERSIONS
    item = {f.name: f.column for f in AttemptItem._meta.concrete_fields}
    assert f"FROM {AttemptItem._meta.db_table} i INNER JOIN {Attempt._meta.db_table} a" in CURRENT_VERSIONS
    for column in (item["question"], item["attempt"]):
        assert f"i.{column}" in CURRENT_VERSIONS
    assert f"a.{Attempt._meta.get_field('student').column} = %s" in CURRENT_VERSIONS


def test_the_checks_under_the_write_lock_written_out_name_the_models_tables_and_columns() -> None:
    from flipmastery.assessments.models import Attempt
    from flipmastery.assessments.services import HISTORY_SIZE, LOCK_ATTEMPT, SUBMIT_STATE
    from flipmastery.progress.models import ProgressEvent

    event = {f.name: f.column for f in ProgressEvent._meta.concrete_fields}
    attempt = {f.name: f.column for f in Attempt._meta.concrete_fields}
    item = {f.name: f.column for f in AttemptItem._meta.concrete_fields}
    assert f"FROM {ProgressEvent._meta.db_table} WHERE" in HISTORY_SIZE
    assert f"FROM {ProgressEvent._meta.db_table} e" in SUBMIT_STATE
    for column in (event["section"], event["student"]):
        assert f"{column} = %s" in HISTORY_SIZE and f"e.{column} = a.{column}" in SUBMIT_STATE
    assert f"FROM {Attempt._meta.db_table} a INNER JOIN {AttemptItem._meta.db_table} i" in SUBMIT_STATE
    assert f"a.{attempt['state']}" in SUBMIT_STATE and f"i.{item['attempt']} = a.id" in SUBMIT_STATE
    assert f"i.{item['response']}" in SUBMIT_STATE
    from flipmastery.lti.models import Context

    lti = Context._meta
    assert (
        f"FROM {lti.db_table} c WHERE c.{lti.get_field('section').column} = a.{attempt['section']}"
        in SUBMIT_STATE
    )
    assert f"FROM {Attempt._meta.db_table} WHERE id = %s FOR UPDATE" in LOCK_ATTEMPT
