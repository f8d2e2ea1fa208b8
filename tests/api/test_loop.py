"""The mastery loop through the API: correctives, the queue, the teacher's evidence, the gate and the grid."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from flipmastery.progress.models import LearningObjectUse, ProgressEvent, QueueEntry
from tests import factories
from tests.api.conftest import assert_error, bearer_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(classroom: dict[str, Any]) -> dict[str, Any]:
    factories.bank(classroom["a"], 12)
    factories.bank(classroom["b"], 6)
    return classroom


def post(client: Client, url: str, body: Any = None) -> Any:
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def base(room: dict[str, Any]) -> str:
    return f"/api/v1/sections/{room['section'].pk}"


def fail_check(client: Client, room: dict[str, Any], code: str = "GAS-1") -> dict[str, Any]:
    started = client.post(f"{base(room)}/objectives/{code}/attempts")
    assert started.status_code in (200, 201), started.content
    result: dict[str, Any] = client.post(f"/api/v1/attempts/{started.json()['id']}/submit").json()
    assert result["objectives"][0]["mastered"] is False
    return result


def pass_check(client: Client, room: dict[str, Any], code: str = "GAS-1") -> dict[str, Any]:
    started = client.post(f"{base(room)}/objectives/{code}/attempts")
    assert started.status_code in (200, 201), started.content
    attempt = started.json()["id"]
    key = bearer_client(room["teacher"]).get(f"/api/v1/attempts/{attempt}/key").json()
    for item in key["items"]:
        client.put(
            f"/api/v1/attempts/{attempt}/responses/{item['id']}",
            data=json.dumps({"response": item["correct_response"]}),
            content_type="application/json",
        )
    result: dict[str, Any] = client.post(f"/api/v1/attempts/{attempt}/submit").json()
    return result


def playlist_item(client: Client, room: dict[str, Any], code: str) -> dict[str, Any]:
    found = client.get(f"{base(room)}/playlist").json()
    return next(o for o in found["objectives"] if o["code"] == code)


def test_not_yet_prescribes_an_alternate_and_a_conference_then_the_retake_opens(room: dict[str, Any]) -> None:
    asha = bearer_client(room["students"][0])
    teacher = bearer_client(room["teacher"])
    fail_check(asha, room)
    gas1 = playlist_item(asha, room, "GAS-1")
    assert gas1["state"] == "NOT_YET"
    assert {(c["kind"], c["done"]) for c in gas1["correctives"]} == {
        ("learning_object", False),
        ("learning_object", False),
        ("conference", False),
    }
    queue = teacher.get(f"{base(room)}/queue").json()
    assert [(q["kind"], q["student"]["username"], q["objective"]) for q in queue] == [
        ("conference", "asha", "GAS-1")
    ]
    assert (
        post(asha, f"{base(room)}/learning-objects/{room['alternate'].pk}/done").json()["first_time"] is True
    )
    assert (
        post(asha, f"{base(room)}/learning-objects/{room['alternate'].pk}/done").json()["first_time"] is False
    )
    assert playlist_item(asha, room, "GAS-1")["state"] == "NOT_YET"  # the conference is still to come
    event = post(
        teacher,
        f"{base(room)}/evidence",
        {"student": "asha", "objective": "GAS-1", "kind": "conference", "note": "Talked through P = F/A"},
    )
    assert event.status_code == 200 and event.json()["state"] == "READY_TO_RETAKE"
    assert teacher.get(f"{base(room)}/queue").json() == []
    result = pass_check(asha, room)
    assert result["objectives"][0]["mastered"] is True
    assert playlist_item(asha, room, "GAS-2")["state"] == "READY"  # the next objective unlocks


def test_help_and_check_requests_join_the_queue_once_oldest_first(room: dict[str, Any]) -> None:
    asha, ben = (bearer_client(s) for s in room["students"])
    help_ = post(ben, f"{base(room)}/requests", {"kind": "help", "objective": "GAS-1", "note": "stuck on Q2"})
    assert help_.json()["queued"] is True
    again = post(ben, f"{base(room)}/requests", {"kind": "help", "objective": "GAS-1"})
    assert again.json()["entry"] == help_.json()["entry"]
    ready = post(asha, f"{base(room)}/requests", {"kind": "check", "objective": "GAS-1"})
    assert ready.json() == {
        "queued": False,
        "entry": None,
        "message": "You can start the check of GAS-1 now.",
    }
    queue = bearer_client(room["teacher"]).get(f"{base(room)}/queue").json()
    assert [(q["kind"], q["student"]["username"], q["note"]) for q in queue] == [
        ("help", "ben", "stuck on Q2")
    ]
    assert queue[0]["waiting_seconds"] >= 0
    assert_error(
        post(asha, f"{base(room)}/requests", {"kind": "check", "objective": "GAS-2"}), 409, "not_ready"
    )


def test_approval_mode_puts_check_requests_in_the_queue_and_the_approval_opens_the_check(
    room: dict[str, Any],
) -> None:
    section = room["section"]
    section.policy = {"check_mode": "approval"}
    section.save()
    asha = bearer_client(room["students"][0])
    assert_error(asha.post(f"{base(room)}/objectives/GAS-1/attempts"), 409, "not_ready")
    asked = post(asha, f"{base(room)}/requests", {"kind": "check", "objective": "GAS-1"})
    assert asked.json()["queued"] is True
    assert playlist_item(asha, room, "GAS-1")["state"] == "CHECK_REQUESTED"
    teacher = bearer_client(room["teacher"])
    assert (
        post(
            teacher, f"{base(room)}/evidence", {"student": "asha", "objective": "GAS-1", "kind": "approve"}
        ).status_code
        == 200
    )
    assert teacher.get(f"{base(room)}/queue").json() == []
    assert asha.post(f"{base(room)}/objectives/GAS-1/attempts").status_code == 201


def test_mastery_needs_the_required_activity_signed_off(room: dict[str, Any]) -> None:
    asha = bearer_client(room["students"][0])
    teacher = bearer_client(room["teacher"])
    factories.mastered(room["section"], room["students"][0], room["a"])
    outcome = pass_check(asha, room, "GAS-2")["objectives"][0]
    assert (outcome["passed"], outcome["mastered"], outcome["state"]) == (True, False, "LEARNING")
    gas2 = playlist_item(asha, room, "GAS-2")
    assert gas2["state"] == "LEARNING" and gas2["activities"][0]["signed_off"] is False
    signed = post(
        teacher,
        f"{base(room)}/evidence",
        {"student": "asha", "objective": "GAS-2", "kind": "activity", "activity": room["lab"].pk},
    )
    assert signed.json()["state"] == "MASTERED"
    assert playlist_item(asha, room, "GAS-2")["activities"][0]["signed_off"] is True


def test_overrides_need_a_reason_and_evidence_is_checked(room: dict[str, Any]) -> None:
    teacher = bearer_client(room["teacher"])
    url = f"{base(room)}/evidence"
    before = ProgressEvent.objects.count()
    assert_error(
        post(
            teacher, url, {"student": "asha", "objective": "GAS-1", "kind": "override", "state": "MASTERED"}
        ),
        422,
        "invalid",
    )
    assert_error(
        post(teacher, url, {"student": "asha", "objective": "GAS-1", "kind": "verbal"}), 422, "invalid"
    )
    assert_error(
        post(teacher, url, {"student": "zed", "objective": "GAS-1", "kind": "conference"}), 404, "not_found"
    )
    assert_error(
        post(
            teacher,
            url,
            {"student": "asha", "objective": "GAS-1", "kind": "activity", "activity": room["lab"].pk},
        ),
        404,
        "not_found",
    )
    assert ProgressEvent.objects.count() == before
    done = post(
        teacher,
        url,
        {
            "student": "asha",
            "objective": "GAS-1",
            "kind": "override",
            "state": "MASTERED",
            "reason": "Explained it at the board",
        },
    )
    assert done.json()["state"] == "MASTERED"
    verbal = post(
        teacher,
        url,
        {
            "student": "ben",
            "objective": "GAS-1",
            "kind": "verbal",
            "outcome": "not_yet",
            "tags": ["pressure-is-force"],
        },
    )
    assert verbal.status_code == 200
    assert ProgressEvent.objects.get(pk=verbal.json()["id"]).tags == ["pressure-is-force"]


def test_students_cannot_record_evidence_or_read_the_queue_and_others_cannot_mark_use(
    room: dict[str, Any],
) -> None:
    asha = bearer_client(room["students"][0])
    body = {"student": "asha", "objective": "GAS-1", "kind": "override", "state": "MASTERED", "reason": "me"}
    assert_error(post(asha, f"{base(room)}/evidence", body), 404, "not_found")
    assert_error(asha.get(f"{base(room)}/queue"), 404, "not_found")
    assert_error(asha.get(f"{base(room)}/progress"), 404, "not_found")
    assert_error(bearer_client(room["other_teacher"]).get(f"{base(room)}/queue"), 404, "not_found")
    outsider = bearer_client(room["outsider"])
    assert_error(
        post(outsider, f"{base(room)}/learning-objects/{room['alternate'].pk}/done"), 404, "not_found"
    )
    assert (
        not ProgressEvent.objects.exists()
        and not LearningObjectUse.objects.exists()
        and not QueueEntry.objects.exists()
    )


def test_the_class_grid_has_every_student_and_objective_in_a_fixed_number_of_queries(
    room: dict[str, Any],
) -> None:
    teacher = bearer_client(room["teacher"])
    fail_check(bearer_client(room["students"][0]), room)
    teacher.get("/api/v1/me/sections")
    teacher.get(f"{base(room)}/progress")  # the course's facts are read once, then kept
    room["section"].students.add(factories.student(username="first"))  # the class changed: read again
    with CaptureQueriesContext(connection) as few:
        grid = teacher.get(f"{base(room)}/progress").json()
    assert grid["objectives"] == ["GAS-1", "GAS-2"]
    rows = {r["student"]["username"]: r["objectives"] for r in grid["students"]}
    assert rows["asha"]["GAS-1"] == {
        "state": "NOT_YET",
        "attempts": 1,
        "review_due": False,
        "gate": ["corrective", "conference"],
        "check_passed": False,
    }
    assert rows["ben"]["GAS-2"]["state"] == "LOCKED"
    for n in range(10):
        extra = factories.student(username=f"extra{n}")
        room["section"].students.add(extra)
        factories.mastered(room["section"], extra, room["a"])
    with CaptureQueriesContext(connection) as many:
        grid = teacher.get(f"{base(room)}/progress").json()
    assert len(grid["students"]) == 13
    assert len(many) == len(few)


def test_spaced_review_items_come_from_mastered_objectives_and_a_miss_flags_review_due(
    room: dict[str, Any],
) -> None:
    section = room["section"]
    section.policy = {"review_items": 1}
    section.save()
    asha = bearer_client(room["students"][0])
    teacher = bearer_client(room["teacher"])
    factories.mastered(section, room["students"][0], room["a"])
    started = asha.post(f"{base(room)}/objectives/GAS-2/attempts").json()
    review = [i for i in started["items"] if i["review"]]
    assert [i["objective"] for i in review] == ["GAS-1"]
    result = asha.post(f"/api/v1/attempts/{started['id']}/submit").json()
    assert [o["code"] for o in result["objectives"]] == [
        "GAS-2"
    ]  # review items do not count toward the check
    grid = teacher.get(f"{base(room)}/progress").json()
    gas1 = next(r for r in grid["students"] if r["student"]["username"] == "asha")["objectives"]["GAS-1"]
    assert gas1["state"] == "MASTERED" and gas1["review_due"] is True


def test_enrichment_opens_once_the_objective_is_mastered(room: dict[str, Any]) -> None:
    from flipmastery.courses.models import Enrichment

    Enrichment.objects.create(objective=room["a"], title="Build a barometer")
    asha = bearer_client(room["students"][0])
    assert playlist_item(asha, room, "GAS-1")["enrichment"] == []
    factories.mastered(room["section"], room["students"][0], room["a"])
    assert [e["title"] for e in playlist_item(asha, room, "GAS-1")["enrichment"]] == ["Build a barometer"]


def test_a_pre_test_masters_prerequisites_passed_and_prescribes_the_gaps(room: dict[str, Any]) -> None:
    from flipmastery.courses.models import Unit

    later = Unit.objects.create(course=room["course"], code="STO", title="Stoichiometry", order=2)
    factories.objective(later, code="STO-1", statement="Use moles.", prerequisites=[room["a"], room["b"]])
    asha = bearer_client(room["students"][0])
    factories.mastered(room["section"], room["students"][0], room["a"])
    started = asha.post(f"{base(room)}/units/STO/pretest")
    assert started.status_code == 201, started.content
    body = started.json()
    assert body["kind"] == "pretest" and [i["objective"] for i in body["items"]] == ["GAS-2"]
    assert [o["code"] for o in body["left_out"]] == ["GAS-1"]  # mastered already
    result = asha.post(f"/api/v1/attempts/{body['id']}/submit").json()  # nothing answered: a gap
    assert [(o["code"], o["passed"], o["state"]) for o in result["objectives"]] == [("GAS-2", False, "READY")]
    assert result["next"] == {"kind": "pretest_gaps", "message": "Pre-teaching first: GAS-2."}
    assert playlist_item(asha, room, "GAS-2")["state"] == "READY"  # a gap, not a "not yet": no conference due
    assert not QueueEntry.objects.exists()
    again = asha.post(f"{base(room)}/units/STO/pretest").json()
    key = bearer_client(room["teacher"]).get(f"/api/v1/attempts/{again['id']}/key").json()
    first = key["items"][0]
    asha.put(
        f"/api/v1/attempts/{again['id']}/responses/{first['id']}",
        data=json.dumps({"response": first["correct_response"]}),
        content_type="application/json",
    )
    passed = asha.post(f"/api/v1/attempts/{again['id']}/submit").json()
    # a pre-test's pass counts as the check, so GAS-2 waits for its lab like any passed check
    assert [(o["code"], o["passed"], o["state"]) for o in passed["objectives"]] == [
        ("GAS-2", True, "LEARNING")
    ]


def test_a_pre_test_leaves_out_what_is_locked(room: dict[str, Any]) -> None:
    from flipmastery.courses.models import Unit

    later = Unit.objects.create(course=room["course"], code="STO", title="Stoichiometry", order=2)
    factories.objective(later, code="STO-1", statement="Use moles.", prerequisites=[room["a"], room["b"]])
    asha = bearer_client(room["students"][0])
    body = asha.post(f"{base(room)}/units/STO/pretest").json()
    assert [i["objective"] for i in body["items"]] == ["GAS-1"]
    assert body["left_out"] == [
        {"code": "GAS-2", "reason": "locked", "message": "GAS-2 is locked: master its prerequisites first."}
    ]
