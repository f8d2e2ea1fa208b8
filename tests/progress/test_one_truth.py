"""One truth about mastery (DESIGN §8): the submit answer, the result page, the playlist, the grid, the
gradebook, the audit trail and the queue all say what the domain's replay decided."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from flipmastery.assessments.models import Attempt
from flipmastery.progress.models import ProgressEvent, QueueEntry
from tests import factories
from tests.api.conftest import assert_error, bearer_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(db: None) -> dict[str, Any]:
    found = factories.small_classroom()
    for o in (found["a"], found["b"]):
        o.check_items = 2
        o.save()
        factories.bank(o, 8)
    return found


def api(room: dict[str, Any], person: Any) -> Client:
    return bearer_client(person)


def take_check(room: dict[str, Any], code: str, *, right: bool, student: Any = None) -> dict[str, Any]:
    """The student starts the check of `code`, answers every item (from the teacher's key, or wrongly)
    and submits; the submit answer."""
    student = student or room["students"][0]
    me = api(room, student)
    started = me.post(f"/api/v1/sections/{room['section'].pk}/objectives/{code}/attempts")
    assert started.status_code in (200, 201), started.content
    attempt = started.json()["id"]
    key = api(room, room["teacher"]).get(f"/api/v1/attempts/{attempt}/key").json()["items"]
    for item in key:
        response = item["correct_response"] if right else None
        saved = me.put(
            f"/api/v1/attempts/{attempt}/responses/{item['id']}",
            data=json.dumps({"response": response}),
            content_type="application/json",
        )
        assert saved.status_code == 200, saved.content
    submitted = me.post(f"/api/v1/attempts/{attempt}/submit")
    assert submitted.status_code == 200, submitted.content
    return dict(submitted.json())


def playlist_state(room: dict[str, Any], code: str, student: Any = None) -> str:
    me = api(room, student or room["students"][0])
    body = me.get(f"/api/v1/sections/{room['section'].pk}/playlist").json()
    return next(str(o["state"]) for o in body["objectives"] if o["code"] == code)


def grid_cell(room: dict[str, Any], code: str, student: Any = None) -> dict[str, Any]:
    who = (student or room["students"][0]).username
    grid = api(room, room["teacher"]).get(f"/api/v1/sections/{room['section'].pk}/progress").json()
    row = next(r for r in grid["students"] if r["student"]["username"] == who)
    return dict(row["objectives"][code])


def gradebook_cell(room: dict[str, Any], code: str) -> dict[str, Any]:
    book = api(room, room["teacher"]).get(f"/api/v1/sections/{room['section'].pk}/gradebook").json()
    row = next(r for r in book["students"] if r["student"]["username"] == room["students"][0].username)
    return dict(row["objectives"][code])


def test_a_passed_check_with_an_unsigned_activity_is_a_passed_check_not_mastery(room: dict[str, Any]) -> None:
    asha = room["students"][0]
    factories.mastered(room["section"], asha, room["a"])
    answer = take_check(room, "GAS-2", right=True)

    [outcome] = answer["objectives"]
    assert outcome["passed"] is True and outcome["mastered"] is False and outcome["state"] == "LEARNING"
    assert outcome["activities_missing"] == ["Boyle's Law Lab"]
    assert answer["next"]["kind"] == "signoff"
    assert answer["next"]["message"] == "Check passed. 1 activity still to be signed off by your teacher."
    again = api(room, asha).get(f"/api/v1/attempts/{answer['id']}").json()
    assert again["objectives"] == answer["objectives"] and again["next"] == answer["next"]

    client = Client()
    client.force_login(asha)
    page = client.get(f"/attempts/{answer['id']}/").content.decode()
    assert "Mastered" not in page
    assert "Check passed" in page and "Boyle&#x27;s Law Lab" in page

    assert playlist_state(room, "GAS-2") == "LEARNING"
    assert grid_cell(room, "GAS-2")["state"] == "LEARNING" and grid_cell(room, "GAS-2")["check_passed"]
    assert gradebook_cell(room, "GAS-2")["mastered"] is False
    teacher = Client()
    teacher.force_login(room["teacher"])
    grid = teacher.get(f"/sections/{room['section'].pk}/grid/").content.decode()
    assert '<td class="c state-LEARNING" title="needs: activity sign-off">' in grid
    assert "passed · sign off</small>" in grid
    result_event = ProgressEvent.objects.get(student=asha, objective=room["b"], kind="check_result")
    assert result_event.outcome is True and result_event.state == "LEARNING"

    queue = api(room, room["teacher"]).get(f"/api/v1/sections/{room['section'].pk}/queue").json()
    assert [(e["student"]["username"], e["objective"], e["reasons"]) for e in queue] == [
        ("asha", "GAS-2", ["signoff"])
    ]


def test_the_sign_off_makes_it_mastery_everywhere_and_answers_the_queue(room: dict[str, Any]) -> None:
    asha = room["students"][0]
    factories.mastered(room["section"], asha, room["a"])
    answer = take_check(room, "GAS-2", right=True)
    signed = api(room, room["teacher"]).post(
        f"/api/v1/sections/{room['section'].pk}/evidence",
        {"student": asha.pk, "objective": "GAS-2", "kind": "activity", "activity": room["lab"].pk},
        content_type="application/json",
    )
    assert signed.status_code == 200, signed.content
    later = api(room, asha).get(f"/api/v1/attempts/{answer['id']}").json()
    assert later["objectives"][0]["mastered"] is True and later["objectives"][0]["state"] == "MASTERED"
    assert later["next"]["kind"] == "mastered"
    assert playlist_state(room, "GAS-2") == "MASTERED"
    assert grid_cell(room, "GAS-2") == {
        "state": "MASTERED",
        "attempts": 1,
        "review_due": False,
        "gate": [],
        "check_passed": False,
    }
    assert gradebook_cell(room, "GAS-2")["mastered"] is True
    assert not QueueEntry.objects.filter(resolved_at__isnull=True).exists()


def test_a_passed_check_without_activities_is_mastery_at_once(room: dict[str, Any]) -> None:
    answer = take_check(room, "GAS-1", right=True)
    [outcome] = answer["objectives"]
    assert outcome == {
        "code": "GAS-1",
        "score": 1.0,
        "threshold": 0.8,
        "passed": True,
        "mastered": True,
        "state": "MASTERED",
        "pending": False,
        "activities_missing": [],
    }
    assert answer["next"]["kind"] == "mastered"
    assert playlist_state(room, "GAS-2") == "READY"  # the next objective opened


def test_spaced_review_and_unit_tests_read_mastery_from_the_replay_not_the_stored_event(
    room: dict[str, Any],
) -> None:
    """A passed check waiting for a sign-off is not mastered: a unit test still leaves it out (passed),
    and it is not a source of review items."""
    asha = room["students"][0]
    factories.mastered(room["section"], asha, room["a"])
    take_check(room, "GAS-2", right=True)
    started = api(room, asha).post(f"/api/v1/sections/{room['section'].pk}/units/GAS/attempts")
    body = assert_error(started, 409, "not_ready")
    assert "GAS-2" in body["message"] and "signs off" in body["message"]


# ---- the unit test and the pre-test go through the gate ---------------------------------------------------


def test_a_unit_test_leaves_out_locked_objectives_and_says_why(room: dict[str, Any]) -> None:
    asha = room["students"][0]
    started = api(room, asha).post(f"/api/v1/sections/{room['section'].pk}/units/GAS/attempts")
    assert started.status_code == 201, started.content
    body = started.json()
    assert {i["objective"] for i in body["items"]} == {"GAS-1"}
    assert list(body["thresholds"]) == ["GAS-1"]
    assert body["left_out"] == [
        {"code": "GAS-2", "reason": "locked", "message": "GAS-2 is locked: master its prerequisites first."}
    ]
    assert not ProgressEvent.objects.filter(objective=room["b"]).exists()


def test_a_unit_test_does_not_retest_a_not_yet_whose_retake_gate_is_closed(room: dict[str, Any]) -> None:
    asha = room["students"][0]
    factories.mastered(room["section"], asha, room["a"])
    take_check(room, "GAS-2", right=False)
    started = api(room, asha).post(f"/api/v1/sections/{room['section'].pk}/units/GAS/attempts")
    body = assert_error(started, 409, "not_ready")
    assert "GAS-2" in body["message"] and "talk with your teacher" in body["message"]
    assert Attempt.objects.filter(kind="unit_test").count() == 0
    assert playlist_state(room, "GAS-2") == "NOT_YET"


def test_once_the_gate_opens_the_unit_test_retests_it(room: dict[str, Any]) -> None:
    asha = room["students"][0]
    factories.mastered(room["section"], asha, room["a"])
    take_check(room, "GAS-2", right=False)
    api(room, room["teacher"]).post(
        f"/api/v1/sections/{room['section'].pk}/evidence",
        {"student": asha.pk, "objective": "GAS-2", "kind": "release"},
        content_type="application/json",
    )
    started = api(room, asha).post(f"/api/v1/sections/{room['section'].pk}/units/GAS/attempts")
    assert started.status_code == 201, started.content
    assert {i["objective"] for i in started.json()["items"]} == {"GAS-2"}
    assert started.json()["left_out"] == [
        {"code": "GAS-1", "reason": "mastered", "message": "You have mastered GAS-1 already."}
    ]


# ---- release ---------------------------------------------------------------------------------------------


def test_release_opens_the_retake_under_the_default_policy_and_records_who(room: dict[str, Any]) -> None:
    asha = room["students"][0]
    take_check(room, "GAS-1", right=False)
    assert playlist_state(room, "GAS-1") == "NOT_YET"
    released = api(room, room["teacher"]).post(
        f"/api/v1/sections/{room['section'].pk}/evidence",
        {"student": asha.pk, "objective": "GAS-1", "kind": "release"},
        content_type="application/json",
    )
    assert released.status_code == 200, released.content
    assert playlist_state(room, "GAS-1") == "READY_TO_RETAKE"
    event = ProgressEvent.objects.get(kind="release")
    assert event.actor == room["teacher"] and event.state == "READY_TO_RETAKE"
    assert not QueueEntry.objects.filter(resolved_at__isnull=True).exists()  # the conference is not needed
    again = api(room, asha).post(f"/api/v1/sections/{room['section'].pk}/objectives/GAS-1/attempts")
    assert again.status_code == 201


# ---- one queue entry per student and objective ----------------------------------------------------------


def test_help_after_a_not_yet_joins_the_conference_entry(room: dict[str, Any]) -> None:
    asha = room["students"][0]
    take_check(room, "GAS-1", right=False)
    asked = api(room, asha).post(
        f"/api/v1/sections/{room['section'].pk}/requests",
        {"kind": "help", "objective": "GAS-1", "note": "I don't get pressure"},
        content_type="application/json",
    )
    assert asked.status_code in (200, 201), asked.content
    queue = api(room, room["teacher"]).get(f"/api/v1/sections/{room['section'].pk}/queue").json()
    assert len(queue) == 1
    assert queue[0]["reasons"] == ["conference", "help"] and queue[0]["kind"] == "conference"
    assert queue[0]["note"] == "I don't get pressure"
    done = api(room, room["teacher"]).post(
        f"/api/v1/sections/{room['section'].pk}/evidence",
        {"student": asha.pk, "objective": "GAS-1", "kind": "conference"},
        content_type="application/json",
    )
    assert done.status_code == 200
    assert api(room, room["teacher"]).get(f"/api/v1/sections/{room['section'].pk}/queue").json() == []


def test_help_without_an_objective_stays_one_entry(room: dict[str, Any]) -> None:
    asha = room["students"][0]
    me = api(room, asha)
    for _ in range(2):
        asked = me.post(
            f"/api/v1/sections/{room['section'].pk}/requests",
            {"kind": "help"},
            content_type="application/json",
        )
        assert asked.status_code in (200, 201), asked.content
    assert QueueEntry.objects.filter(resolved_at__isnull=True).count() == 1


def test_a_prerequisite_passed_but_not_signed_off_keeps_the_next_objective_locked_everywhere(
    room: dict[str, Any],
) -> None:
    from django.utils import timezone

    from flipmastery.progress.services import learning_object_done, objective_standing

    asha = room["students"][0]
    factories.activity(room["a"], title="Pressure lab")
    take_check(room, "GAS-1", right=True)
    assert playlist_state(room, "GAS-1") == "LEARNING"  # passed, the lab still to sign off

    # The service every write goes through agrees with the playlist and grid: GAS-2 stays locked,
    # and what it stores on an event on GAS-2 says so.
    now = timezone.now()
    assert objective_standing(room["section"], asha, room["b"], now).state == "LOCKED"
    assert playlist_state(room, "GAS-2") == "LOCKED"
    video = room["b"].learning_objects.get()
    learning_object_done(section=room["section"], student=asha, learning_object=video, now=now)
    assert ProgressEvent.objects.get(objective=room["b"], kind="used").state == "LOCKED"
    assert grid_cell(room, "GAS-2")["state"] == "LOCKED"
