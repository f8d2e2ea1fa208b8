"""Who may do what with a section, page by page: its teachers, its co-teachers and school admins may; its
students, other classes' students and other classes' teachers get a 404 (a section that is not theirs looks
like one that does not exist) and change nothing; an anonymous visitor is sent to log in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from flipmastery.classroom.models import Section
from tests.classroom.conftest import ROLES, TEACHERS, client_of, person, state

pytestmark = pytest.mark.django_db


def sid(school: dict[str, Any]) -> int:
    return int(school["section"].pk)


def archive(school: dict[str, Any]) -> None:
    Section.objects.filter(pk=sid(school)).update(archived_at=timezone.now())


@dataclass(frozen=True)
class Op:
    name: str
    method: str
    url: Callable[[dict[str, Any]], str]
    ok: int
    data: Callable[[dict[str, Any]], dict[str, str]] = lambda school: {}
    given: Callable[[dict[str, Any]], None] = field(default=lambda school: None)


SETTINGS = {
    "name": "Chem 11-A (renamed)",
    "join_mode": "open",
    "threshold": "75",
    "check_mode": "approval",
}

OPS = [
    Op("settings page", "get", lambda s: f"/sections/{sid(s)}/settings/", 200),
    Op("settings saved", "post", lambda s: f"/sections/{sid(s)}/settings/", 302, lambda s: SETTINGS),
    Op(
        "co-teacher added",
        "post",
        lambda s: f"/sections/{sid(s)}/teachers/",
        302,
        lambda s: {"username": "mr_other"},
    ),
    Op(
        "co-teacher removed",
        "post",
        lambda s: f"/sections/{sid(s)}/teachers/{s['co_teacher'].pk}/remove/",
        302,
    ),
    Op("archived", "post", lambda s: f"/sections/{sid(s)}/archive/", 302),
    Op("unarchived", "post", lambda s: f"/sections/{sid(s)}/unarchive/", 302, given=archive),
    Op("roster page", "get", lambda s: f"/sections/{sid(s)}/roster/", 200),
    Op(
        "join request accepted",
        "post",
        lambda s: f"/sections/{sid(s)}/join-requests/{s['join_request'].pk}/accept/",
        302,
    ),
    Op(
        "join request declined",
        "post",
        lambda s: f"/sections/{sid(s)}/join-requests/{s['join_request'].pk}/decline/",
        302,
    ),
    Op(
        "password reset",
        "post",
        lambda s: f"/sections/{sid(s)}/students/{s['students'][1].pk}/password/",
        200,
        lambda s: {"password": "a-new-pass-99"},
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("op", OPS, ids=[o.name for o in OPS])
def test_only_the_sections_teachers_and_school_admins_manage_it(
    school: dict[str, Any], op: Op, role: str
) -> None:
    op.given(school)
    before = state(school["section"])
    client = client_of(person(school, role))

    response = getattr(client, op.method)(op.url(school), op.data(school))

    if role in TEACHERS:
        assert response.status_code == op.ok, response.content[:400]
        return
    if role == "anonymous":
        assert response.status_code == 302 and response.url.startswith("/login/?next=")
    else:
        assert response.status_code == 404, response.content[:400]
        assert b"Chem 11-A" not in response.content
    assert state(school["section"]) == before


NEW = {"course": "", "name": "Chem 12-A", "join_mode": "approve"}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("student", 404),  # a teacher's page
        ("other_student", 404),
        ("teacher", 302),  # assigned to the course by a school admin
        ("co_teacher", 422),  # teaches a section of it, but is not assigned to the course: not a choice
        ("other_teacher", 422),
        ("admin", 302),  # any course
    ],
)
def test_a_section_is_opened_for_a_course_the_teacher_is_assigned_to(
    school: dict[str, Any], role: str, status: int
) -> None:
    before = Section.objects.count()
    client = client_of(person(school, role))

    response = client.post("/sections/new/", {**NEW, "course": str(school["course"].pk)})

    assert response.status_code == status
    assert Section.objects.count() == before + (1 if status == 302 and role != "anonymous" else 0)
    if role in ("teacher", "admin"):
        made = Section.objects.get(name="Chem 12-A")
        assert list(made.teachers.all()) == [person(school, role)]


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_the_read_every_section_page_makes_agrees_with_sections_for(
    school: dict[str, Any], role: str
) -> None:
    from flipmastery.classroom.selectors import access_section, sections_for
    from flipmastery.domain.errors import NotFound

    user = person(school, role)
    assert user is not None
    archive(school)  # archived sections are still found (read-only, not gone)
    for section in Section.objects.all():
        expected = sections_for(user).filter(pk=section.pk).first()
        if expected is None:
            with pytest.raises(NotFound):
                access_section(user, section.pk)
            continue
        found = access_section(user, section.pk)
        assert found == expected and found.course == expected.course and found.name == expected.name
    with pytest.raises(NotFound):
        access_section(user, 10**9)
    with pytest.raises(NotFound):
        access_section(user, 2**70)  # no column holds it: not found, not an error
