"""Sections through the API: a teacher opens, changes, shares and archives a section, answers the students
who wait to join and resets a password; a student joins by code. Errors are the one JSON shape."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from flipmastery.accounts.models import User
from flipmastery.classroom.join_throttle import WRONG_CODES_ALLOWED
from flipmastery.classroom.models import Enrollment, JoinRequest, Section
from tests import factories
from tests.api.conftest import assert_error, bearer_client
from tests.classroom.conftest import a_school, state

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(db: None) -> dict[str, Any]:
    return a_school()


@pytest.fixture(autouse=True)
def _fresh_join_counts() -> Iterator[None]:
    """Wrong join codes are counted in the cache, which outlives a test's database."""
    cache.clear()
    yield
    cache.clear()


def send(client: Client, method: str, url: str, body: Any = None) -> Any:
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(url, data=data, content_type="application/json")


def base(school: dict[str, Any]) -> str:
    return f"/api/v1/sections/{school['section'].pk}"


def test_a_teacher_opens_a_section_by_course_code(school: dict[str, Any]) -> None:
    response = send(
        bearer_client(school["teacher"]), "post", "/api/v1/sections", {"course": "chem", "name": "Chem 12-A"}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    made = Section.objects.get(pk=body["id"])
    assert (
        body["name"] == "Chem 12-A" and body["join_code"] == made.join_code and body["join_mode"] == "approve"
    )
    assert body["course"] == {"code": "CHEM", "title": "Chemistry"}
    assert body["teachers"] == [{"username": "ms_rao", "name": school["teacher"].shown_name()}]
    assert body["archived"] is False and body["archived_at"] is None and body["policy"] == {}
    assert (
        body["policy_in_force"]
        == body["course_default"]
        == {
            "threshold": 0.8,
            "check_mode": "self_serve",
            "retake_needs_corrective": True,
            "retake_needs_conference": True,
            "retake_cooldown_minutes": 0,
            "retake_needs_release": False,
            "review_items": 0,
            "essentials_first": True,
        }
    )


def test_a_course_not_assigned_is_not_found(school: dict[str, Any]) -> None:
    before = Section.objects.count()
    client = bearer_client(school["co_teacher"])
    assert_error(
        send(client, "post", "/api/v1/sections", {"course": school["course"].pk, "name": "X"}),
        404,
        "not_found",
    )
    body = assert_error(
        send(bearer_client(school["teacher"]), "post", "/api/v1/sections", {"course": "CHEM", "name": " "}),
        422,
        "invalid",
    )
    assert body["details"] == [
        {"message": "the section needs a name, e.g. Chemistry 11-A", "location": "name"}
    ]
    assert Section.objects.count() == before


def test_patch_sets_policies_merging_and_null_goes_back_to_the_course(school: dict[str, Any]) -> None:
    client = bearer_client(school["teacher"])
    first = send(
        client,
        "patch",
        base(school),
        {
            "name": "Chem 11-A2",
            "join_mode": "open",
            "policy": {"threshold": 0.7, "check_mode": "approval", "review_items": 2},
        },
    )
    assert first.status_code == 200, first.content
    assert first.json()["policy"] == {"threshold": 0.7, "check_mode": "approval", "review_items": 2}
    assert first.json()["policy_in_force"]["threshold"] == 0.7

    second = send(client, "patch", base(school), {"policy": {"threshold": None, "essentials_first": False}})
    body = second.json()
    assert body["policy"] == {"check_mode": "approval", "review_items": 2, "essentials_first": False}
    assert (
        body["policy_in_force"]["threshold"] == 0.8
        and body["name"] == "Chem 11-A2"
        and body["join_mode"] == "open"
    )
    section = Section.objects.get(pk=school["section"].pk)
    assert section.threshold is None and section.policy == {
        "check_mode": "approval",
        "review_items": 2,
        "essentials_first": False,
    }


def test_a_wrong_policy_is_refused_with_every_problem_in_the_loops_words(school: dict[str, Any]) -> None:
    before = state(school["section"])
    body = assert_error(
        send(
            bearer_client(school["teacher"]),
            "patch",
            base(school),
            {"name": "new", "policy": {"threshold": 1.5, "check_mode": "sometimes", "retakes": 3}},
        ),
        422,
        "invalid",
    )
    assert body["details"] == [
        {"location": "check_mode", "message": "policy setting 'check_mode' cannot be 'sometimes'"},
        {
            "location": "retakes",
            "message": "unknown policy setting 'retakes'; known: threshold, check_mode, "
            "retake_needs_corrective, retake_needs_conference, retake_cooldown_minutes, "
            "retake_needs_release, review_items, essentials_first",
        },
        {"location": "threshold", "message": "the threshold is a fraction between 0 and 1, e.g. 0.8"},
    ]
    assert state(school["section"]) == before


def test_archive_then_only_unarchive_is_taken(school: dict[str, Any]) -> None:
    client = bearer_client(school["teacher"])
    archived = send(client, "patch", base(school), {"archived": True})
    assert archived.json()["archived"] is True and archived.json()["archived_at"]
    before = state(school["section"])
    body = assert_error(send(client, "patch", base(school), {"name": "x"}), 409, "archived")
    assert "unarchive it first" in body["message"]
    assert_error(send(client, "post", f"{base(school)}/teachers/mr_other"), 409, "archived")
    assert state(school["section"]) == before
    back = send(client, "patch", base(school), {"archived": False, "name": "Chem 11-A again"})
    assert back.json()["archived"] is False and back.json()["name"] == "Chem 11-A again"


def test_co_teachers_are_added_and_removed_by_username_never_the_last(school: dict[str, Any]) -> None:
    client = bearer_client(school["teacher"])
    added = send(client, "post", f"{base(school)}/teachers/MR_OTHER")
    assert added.status_code == 200 and added.json()["changed"] is True
    assert {t["username"] for t in added.json()["teachers"]} == {"ms_rao", "mr_co", "mr_other"}
    assert send(client, "post", f"{base(school)}/teachers/mr_other").json()["changed"] is False
    body = assert_error(send(client, "post", f"{base(school)}/teachers/zed"), 422, "invalid")
    assert body["details"][0] == {
        "message": "there is no teacher with the username 'zed'",
        "location": "username",
    }

    for username in ("mr_other", "mr_co"):
        assert send(client, "delete", f"{base(school)}/teachers/{username}").status_code == 200
    assert_error(send(client, "delete", f"{base(school)}/teachers/mr_co"), 404, "not_found")
    body = assert_error(send(client, "delete", f"{base(school)}/teachers/ms_rao"), 409, "conflict")
    assert "only teacher" in body["message"]
    assert list(school["section"].teachers.values_list("username", flat=True)) == ["ms_rao"]


def test_the_teacher_lists_and_answers_who_waits_to_join(school: dict[str, Any]) -> None:
    client = bearer_client(school["co_teacher"])
    listed = client.get(f"{base(school)}/join-requests")
    jr = school["join_request"]
    assert listed.json() == [
        {
            "id": jr.pk,
            "student": {"id": school["waiting"].pk, "username": "wanda", "name": "Wanda Waits"},
            "created_at": listed.json()[0]["created_at"],
            "state": "waiting",
        }
    ]
    accepted = client.post(f"{base(school)}/join-requests/{jr.pk}/accept")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    assert Enrollment.objects.filter(section=school["section"], student=school["waiting"]).exists()
    assert client.post(f"{base(school)}/join-requests/{jr.pk}/accept").json()["state"] == "accepted"
    assert_error(client.post(f"{base(school)}/join-requests/{jr.pk}/decline"), 409, "conflict")
    assert client.get(f"{base(school)}/join-requests").json() == []


def test_a_password_reset_gives_the_new_password_once(school: dict[str, Any]) -> None:
    client = bearer_client(school["teacher"])
    chosen = send(client, "post", f"{base(school)}/students/ben/password", {"password": "new-pass-123"})
    assert chosen.json() == {
        "username": "ben",
        "name": school["students"][1].shown_name(),
        "password": "new-pass-123",
    }
    assert Client().login(username="ben", password="new-pass-123")
    made = send(client, "post", f"{base(school)}/students/{school['students'][1].pk}/password")  # no password
    assert made.status_code == 200 and Client().login(username="ben", password=made.json()["password"])
    body = assert_error(
        send(client, "post", f"{base(school)}/students/ben/password", {"password": "abc"}), 422, "invalid"
    )
    assert body["details"][0]["location"] == "password"
    assert_error(send(client, "post", f"{base(school)}/students/zed/password"), 404, "not_found")


# --- joining by code ------------------------------------------------------------------------------------


def join(client: Client, code: str) -> Any:
    return send(client, "post", "/api/v1/join", {"code": code})


def test_a_student_joins_by_code_and_waits_or_is_in(school: dict[str, Any]) -> None:
    section = school["section"]
    zed = bearer_client(school["outsider"])
    waiting = join(zed, f" {section.join_code.lower()} ")
    assert waiting.json() == {
        "section": {"id": section.pk, "name": "Chem 11-A"},
        "state": "waiting",
        "already": False,
        "message": "You asked to join Chem 11-A. Your teacher will accept you soon.",
    }
    assert join(zed, section.join_code).json()["already"] is True
    Section.objects.filter(pk=section.pk).update(join_mode="open")
    enrolled = join(zed, section.join_code).json()
    assert (enrolled["state"], enrolled["already"]) == ("enrolled", False)
    assert JoinRequest.objects.get(student=school["outsider"]).accepted is True  # the waiting one is answered
    assert join(zed, section.join_code).json()["message"] == "You are already in Chem 11-A."


def test_joining_is_refused_when_closed_or_archived_and_for_teachers(school: dict[str, Any]) -> None:
    section = school["section"]
    before = state(section)
    Section.objects.filter(pk=section.pk).update(join_mode="closed")
    assert_error(join(bearer_client(school["outsider"]), section.join_code), 409, "join_closed")
    Section.objects.filter(pk=section.pk).update(join_mode="open", archived_at=timezone.now())
    assert_error(join(bearer_client(school["outsider"]), section.join_code), 409, "archived")
    assert_error(join(bearer_client(school["other_teacher"]), section.join_code), 403, "forbidden")
    assert_error(join(Client(), section.join_code), 401, "not_authenticated")
    Section.objects.filter(pk=section.pk).update(join_mode="approve", archived_at=None)
    assert state(section) == before


def test_wrong_codes_are_throttled_per_address(school: dict[str, Any]) -> None:
    zed = bearer_client(school["outsider"])
    for _ in range(WRONG_CODES_ALLOWED):
        assert_error(join(zed, "ZZZZZZ"), 404, "not_found")
    body = assert_error(join(zed, school["section"].join_code), 429, "throttled")
    assert body["message"] == "Too many wrong join codes were typed on this network. Try again in 10 minutes."
    assert not JoinRequest.objects.filter(student=school["outsider"]).exists()
    assert User.objects.filter(username="zed").exists()


def test_the_schema_documents_every_operation(school: dict[str, Any]) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    ids = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {
        "section_create",
        "section_update",
        "section_teacher_add",
        "section_teacher_remove",
        "section_join",
        "section_join_requests",
        "join_request_accept",
        "join_request_decline",
        "student_password_reset",
    } <= ids
    assert (
        "/api/v1/join" in schema["paths"] and "/api/v1/sections/{section_id}/join-requests" in schema["paths"]
    )


def test_a_section_of_another_course_is_made_by_a_school_admin(school: dict[str, Any]) -> None:
    factories.course(code="MATH7", title="Maths 7")
    made = send(bearer_client(school["admin"]), "post", "/api/v1/sections", {"course": "MATH7", "name": "M7"})
    assert made.status_code == 201 and made.json()["teachers"][0]["username"] == "principal"
