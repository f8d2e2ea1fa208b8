"""Who reaches a school admin's pages and API: school admins only. Everyone else (anonymous, students,
a guardian holding a link, teachers, co-teachers, other classes' teachers) is refused and nothing changes:
a page sends the anonymous to log in and answers 404 to the signed-in (a teacher learns nothing, not even
that the page exists); the API answers 401 and 404."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from flipmastery.accounts.models import User
from flipmastery.api.tokens import api_token_issue
from flipmastery.classroom.models import Section
from flipmastery.courses.models import Course
from tests.people.conftest import ROLES, person

pytestmark = pytest.mark.django_db


def school_state() -> dict[str, Any]:
    """Everything a school admin's operation could change, to show that a refusal changed nothing."""
    return {
        "people": sorted(
            User.objects.values_list("username", "role", "is_active", "is_superuser", "password")
        ),
        "course_teachers": sorted(Course.teachers.through.objects.values_list("course_id", "user_id")),
        "section_teachers": sorted(Section.teachers.through.objects.values_list("section_id", "user_id")),
    }


@dataclass(frozen=True)
class Op:
    name: str
    method: str
    url: Callable[[dict[str, Any]], str]
    ok: int
    data: Callable[[dict[str, Any]], dict[str, Any]] = lambda school: {}


PAGES = [
    Op("people page", "get", lambda s: "/school/people/", 200),
    Op(
        "teacher added",
        "post",
        lambda s: "/school/people/",
        200,
        lambda s: {"username": "ms_new", "name": "Ms New", "role": "teacher", "password": ""},
    ),
    Op(
        "teacher deactivated",
        "post",
        lambda s: "/school/people/mr_other/active/",
        302,
        lambda s: {"active": "0"},
    ),
    Op("courses page", "get", lambda s: "/school/courses/", 200),
    Op(
        "course teacher assigned",
        "post",
        lambda s: f"/school/courses/{s['course'].code}/teachers/",
        302,
        lambda s: {"username": "mr_other"},
    ),
    Op(
        "section teacher added",
        "post",
        lambda s: f"/school/sections/{s['section'].pk}/teachers/",
        302,
        lambda s: {"username": "mr_other"},
    ),
    Op(
        "section teacher removed",
        "post",
        lambda s: f"/school/sections/{s['section'].pk}/teachers/mr_co/remove/",
        302,
    ),
    Op("sections page", "get", lambda s: "/school/sections/", 200),
]


def given_course_teacher(school: dict[str, Any]) -> None:
    school["course"].teachers.add(school["other_teacher"])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("op", PAGES, ids=[o.name for o in PAGES])
def test_only_a_school_admin_reaches_the_school_pages(
    school: dict[str, Any], as_role: Callable[[str], Client], op: Op, role: str
) -> None:
    client = as_role(role)
    before = school_state()

    response = getattr(client, op.method)(op.url(school), op.data(school))

    if role == "admin":
        assert response.status_code == op.ok, response.content[:400]
        return
    if role in ("anonymous", "guardian"):
        assert response.status_code == 302 and response.url.startswith("/login/?next=")
    else:
        assert response.status_code == 404, response.content[:400]
        for secret in (b"People of the school", b"Principal", b"Chem 11-B", b"ms_new"):
            assert secret not in response.content
    assert school_state() == before


def test_a_course_teacher_is_taken_off_by_a_school_admin_only(
    school: dict[str, Any], as_role: Callable[[str], Client]
) -> None:
    given_course_teacher(school)
    url = f"/school/courses/{school['course'].code}/teachers/mr_other/remove/"
    before = school_state()
    refused = {role: as_role(role).post(url).status_code for role in ROLES if role != "admin"}

    assert refused == {
        "anonymous": 302,
        "student": 404,
        "other_student": 404,
        "guardian": 302,
        "teacher": 404,
        "co_teacher": 404,
        "other_teacher": 404,
    }
    assert school_state() == before
    assert as_role("admin").post(url).status_code == 302
    assert list(school["course"].teachers.all()) == []


API = [
    Op("list teachers", "get", lambda s: "/api/v1/school/teachers", 200),
    Op(
        "add a teacher",
        "post",
        lambda s: "/api/v1/school/teachers",
        201,
        lambda s: {"username": "ms_new", "name": "Ms New", "role": "teacher"},
    ),
    Op(
        "assign a course teacher",
        "post",
        lambda s: f"/api/v1/school/courses/{s['course'].code}/teachers",
        200,
        lambda s: {"username": "mr_other"},
    ),
    Op("every section", "get", lambda s: "/api/v1/school/sections", 200),
]


def api_client(school: dict[str, Any], role: str) -> Client:
    user = person(school, role)
    if user is None:
        return Client()
    return Client(headers={"Authorization": f"Bearer {api_token_issue(user=user)}"})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("op", API, ids=[o.name for o in API])
def test_only_a_school_admin_uses_the_school_api(school: dict[str, Any], op: Op, role: str) -> None:
    client = api_client(school, role)
    before = school_state()

    if op.method == "get":
        response = client.get(op.url(school))
    else:
        response = client.post(op.url(school), op.data(school), content_type="application/json")

    if role == "admin":
        assert response.status_code == op.ok, response.content[:400]
        return
    expected = 401 if role in ("anonymous", "guardian") else 404
    assert response.status_code == expected, response.content[:400]
    assert response.json()["error"] == ("not_authenticated" if expected == 401 else "not_found")
    assert school_state() == before
