"""Who may do what with a section through the API: its teachers, co-teachers and school admins may; students,
other classes' teachers get a 404 that says nothing about the section, and change nothing; without a token
or session, a 401."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from tests.api.conftest import assert_error, bearer_client
from tests.classroom.conftest import ROLES, TEACHERS, a_school, person, state

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(db: None) -> dict[str, Any]:
    return a_school()


@pytest.fixture(autouse=True)
def _fresh_join_counts() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def base(school: dict[str, Any]) -> str:
    return f"/api/v1/sections/{school['section'].pk}"


@dataclass(frozen=True)
class Op:
    name: str
    method: str
    url: Callable[[dict[str, Any]], str]
    ok: int
    body: dict[str, Any] | None = None


OPS = [
    Op("update", "patch", base, 200, {"name": "Renamed", "policy": {"review_items": 1}}),
    Op("archive", "patch", base, 200, {"archived": True}),
    Op("add a teacher", "post", lambda s: f"{base(s)}/teachers/mr_other", 200),
    Op("remove a teacher", "delete", lambda s: f"{base(s)}/teachers/mr_co", 200),
    Op("list who waits", "get", lambda s: f"{base(s)}/join-requests", 200),
    Op("accept", "post", lambda s: f"{base(s)}/join-requests/{s['join_request'].pk}/accept", 200),
    Op("decline", "post", lambda s: f"{base(s)}/join-requests/{s['join_request'].pk}/decline", 200),
    Op(
        "reset a password",
        "post",
        lambda s: f"{base(s)}/students/ben/password",
        200,
        {"password": "new-pass-123"},
    ),
]


def client_for(school: dict[str, Any], role: str) -> Client:
    user = person(school, role)
    return Client() if user is None else bearer_client(user)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("op", OPS, ids=[o.name for o in OPS])
def test_only_the_sections_teachers_and_school_admins_manage_it(
    school: dict[str, Any], op: Op, role: str
) -> None:
    before = state(school["section"])
    client = client_for(school, role)

    if op.method == "get":
        response = client.get(op.url(school))
    else:
        body = json.dumps(op.body or {})
        response = getattr(client, op.method)(op.url(school), data=body, content_type="application/json")

    if role in TEACHERS:
        assert response.status_code == op.ok, response.content
        return
    if role == "anonymous":
        assert_error(response, 401, "not_authenticated")
    else:
        body = assert_error(response, 404, "not_found")
        assert "Chem 11-A" not in json.dumps(body)
    assert state(school["section"]) == before


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("student", 404),
        ("other_student", 404),
        ("teacher", 201),  # assigned to the course
        ("co_teacher", 404),  # not assigned to it
        ("other_teacher", 404),
        ("admin", 201),
    ],
)
def test_a_section_is_opened_only_for_a_course_one_may_use(
    school: dict[str, Any], role: str, status: int
) -> None:
    before = state(school["section"])
    response = client_for(school, role).post(
        "/api/v1/sections",
        data=json.dumps({"course": "CHEM", "name": "New"}),
        content_type="application/json",
    )
    assert response.status_code == status, response.content
    if status != 201:
        assert state(school["section"]) == before


@pytest.mark.parametrize(
    ("role", "status", "state_"),
    [
        ("anonymous", 401, None),
        ("student", 200, "enrolled"),  # already in: told so
        ("other_student", 200, "waiting"),
        ("teacher", 403, None),
        ("co_teacher", 403, None),
        ("other_teacher", 403, None),
        ("admin", 403, None),
    ],
)
def test_joining_by_code_is_for_students(
    school: dict[str, Any], role: str, status: int, state_: str | None
) -> None:
    response = client_for(school, role).post(
        "/api/v1/join",
        data=json.dumps({"code": school["section"].join_code}),
        content_type="application/json",
    )
    assert response.status_code == status, response.content
    if state_ is not None:
        assert response.json()["state"] == state_
