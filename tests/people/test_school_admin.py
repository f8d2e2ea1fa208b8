"""What a school admin does: add teachers (a password shown once), and school admins only when a superuser;
deactivate and reactivate people but never themselves or a superuser; assign teachers to courses and to
sections; see every section of the school with its teachers and students. Pages and API agree."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from flipmastery.accounts.models import Role, User
from flipmastery.api.tokens import api_token_issue
from flipmastery.classroom.models import Section
from tests import factories
from tests.people.test_school_access import school_state

pytestmark = pytest.mark.django_db


def bearer(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_issue(user=user)}"})


# --- people ---------------------------------------------------------------------------------------------


def test_a_new_teacher_gets_a_generated_password_shown_once_and_can_sign_in(
    as_role: Callable[[str], Client],
) -> None:
    admin = as_role("admin")

    response = admin.post("/school/people/", {"username": "ms_new", "name": " Ms  New ", "role": "teacher"})

    assert response.status_code == 200
    password = re.search(rb'<code id="new-password">([^<]+)</code>', response.content)
    assert password is not None
    made = User.objects.get(username="ms_new")
    assert (made.role, made.display_name, made.is_active, made.is_superuser) == (
        "teacher",
        "Ms New",
        True,
        False,
    )
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", password.group(1).decode())
    assert authenticate(username="ms_new", password=password.group(1).decode()) == made
    assert password.group(1) not in admin.get("/school/people/").content  # only that once


def test_a_school_admin_cannot_add_a_school_admin_nor_is_it_offered(as_role: Callable[[str], Client]) -> None:
    admin = as_role("admin")
    before = school_state()

    page = admin.get("/school/people/").content.decode()
    response = admin.post("/school/people/", {"username": "vp", "name": "Vice Principal", "role": "admin"})

    assert 'value="admin"' not in page and "Only a superuser adds or deactivates a school admin." in page
    assert response.status_code == 422
    assert school_state() == before


def test_a_superuser_adds_a_school_admin_with_the_password_they_chose(
    as_role: Callable[[str], Client],
) -> None:
    root = as_role("superuser")

    response = root.post(
        "/school/people/",
        {"username": "vp", "name": "Vice Principal", "role": "admin", "password": "a-long-pass-77"},
    )

    assert response.status_code == 200
    made = User.objects.get(username="vp")
    assert (made.role, made.is_superuser, made.is_staff) == (Role.ADMIN, False, False)
    assert made.check_password("a-long-pass-77")


def test_every_problem_of_a_new_person_is_said_and_nothing_is_saved(as_role: Callable[[str], Client]) -> None:
    before = school_state()

    response = as_role("admin").post(
        "/school/people/", {"username": "Ms_Rao", "name": "", "role": "teacher", "password": "short"}
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "the username Ms_Rao is taken" in page
    assert "write the name the school knows them by" in page
    assert "This password is too short." in page
    assert school_state() == before


def test_a_deactivated_teacher_is_signed_out_and_cannot_sign_in_until_reactivated(
    school: dict[str, Any], as_role: Callable[[str], Client]
) -> None:
    admin = as_role("admin")
    teacher = as_role("other_teacher")
    token = bearer(school["other_teacher"])
    assert teacher.get("/sections/").status_code == 200

    response = admin.post("/school/people/mr_other/active/", {"active": "0"})

    assert response.status_code == 302
    assert User.objects.get(username="mr_other").is_active is False
    assert teacher.get("/sections/").status_code == 302  # the session no longer signs them in
    assert token.get("/api/v1/me/sections").status_code == 401
    assert authenticate(username="mr_other", password=factories.PASSWORD) is None
    assert "deactivated" in admin.get("/school/people/").content.decode()

    admin.post("/school/people/mr_other/active/", {"active": "1"})

    assert authenticate(username="mr_other", password=factories.PASSWORD) == school["other_teacher"]


@pytest.mark.parametrize(
    ("who", "target", "words"),
    [
        ("admin", "principal", "you cannot change your own account here"),
        ("admin", "root", "root is a superuser"),
        ("admin", "vp", "only a superuser adds, deactivates or reactivates a school admin"),
        ("superuser", "root", "you cannot change your own account here"),
    ],
)
def test_nobody_deactivates_themselves_a_superuser_or_as_an_admin_another_admin(
    school: dict[str, Any], as_role: Callable[[str], Client], who: str, target: str, words: str
) -> None:
    factories.user(Role.ADMIN, username="vp")
    before = school_state()

    response = as_role(who).post(f"/school/people/{target}/active/", {"active": "0"})

    assert response.status_code == 403
    assert words in response.content.decode()
    assert school_state() == before


def test_a_superuser_deactivates_a_school_admin(
    school: dict[str, Any], as_role: Callable[[str], Client]
) -> None:
    response = as_role("superuser").post("/school/people/principal/active/", {"active": "0"})

    assert response.status_code == 302
    assert User.objects.get(username="principal").is_active is False


def test_the_people_page_lists_staff_never_students(as_role: Callable[[str], Client]) -> None:
    page = as_role("admin").get("/school/people/").content.decode()

    for staff in ("ms_rao", "mr_co", "mr_other", "principal", "root"):
        assert f'id="person-{staff}"' in page
    for student in ("asha", "ben", "zed"):
        assert f'id="person-{student}"' not in page


# --- courses and sections -------------------------------------------------------------------------------


def test_a_teacher_assigned_to_a_course_may_open_its_sections(
    school: dict[str, Any], as_role: Callable[[str], Client]
) -> None:
    course = school["course"]
    assert "Open a new section" not in as_role("other_teacher").get("/sections/").content.decode()

    response = as_role("admin").post(
        f"/school/courses/{course.code.lower()}/teachers/", {"username": "MR_OTHER"}
    )

    assert response.status_code == 302 and response.url == f"/school/courses/#course-{course.pk}"
    assert list(course.teachers.all()) == [school["other_teacher"]]
    assert "Open a new section" in as_role("other_teacher").get("/sections/").content.decode()


@pytest.mark.parametrize("username", ["asha", "nobody", ""])
def test_only_an_active_teacher_is_assigned_to_a_course(
    school: dict[str, Any], as_role: Callable[[str], Client], username: str
) -> None:
    before = school_state()

    response = as_role("admin").post(
        f"/school/courses/{school['course'].code}/teachers/", {"username": username}
    )

    assert response.status_code == 422
    assert f"there is no teacher with the username {username!r}" in html.unescape(response.content.decode())
    assert school_state() == before


def test_a_school_admin_puts_a_teacher_in_a_section_and_takes_one_off(
    school: dict[str, Any], as_role: Callable[[str], Client]
) -> None:
    section = school["section"]
    admin = as_role("admin")

    added = admin.post(f"/school/sections/{section.pk}/teachers/", {"username": "mr_other"})
    removed = admin.post(f"/school/sections/{section.pk}/teachers/ms_rao/remove/")

    assert added.status_code == removed.status_code == 302
    assert sorted(section.teachers.values_list("username", flat=True)) == ["mr_co", "mr_other"]
    assert as_role("other_teacher").get(f"/sections/{section.pk}/roster/").status_code == 200
    assert as_role("teacher").get(f"/sections/{section.pk}/roster/").status_code == 404


def test_the_last_teacher_of_a_section_stays(
    school: dict[str, Any], as_role: Callable[[str], Client]
) -> None:
    other = school["other_section"]
    before = school_state()

    response = as_role("admin").post(f"/school/sections/{other.pk}/teachers/mr_other/remove/")

    assert response.status_code == 409
    assert "the only teacher of this section" in response.content.decode()
    assert school_state() == before


def test_every_section_active_and_archived_with_teachers_and_students(
    school: dict[str, Any], as_role: Callable[[str], Client]
) -> None:
    old = factories.section(school["course"], teachers=[school["teacher"]], name="Chem 10-A (last year)")
    Section.objects.filter(pk=old.pk).update(archived_at=timezone.now())

    page = as_role("admin").get("/school/sections/").content.decode()

    active, archived = page.split('id="archived-h"')
    assert "Chem 11-A" in active and "Chem 11-B" in active and "Chem 10-A" not in active
    assert "Chem 10-A (last year)" in archived
    mine = active[active.index(f'id="section-{school["section"].pk}"') :]
    assert re.search(r'class="section-teachers">Mr Co, ms_rao<', mine)
    assert re.search(r'class="section-students">2<', mine)
    sid = school["section"].pk
    for page_of_it in ("grid", "gradebook", "queue", "roster", "settings"):
        assert f'href="/sections/{sid}/{page_of_it}/"' in mine
    assert as_role("admin").get(f"/sections/{school['other_section'].pk}/roster/").status_code == 200


def test_the_school_pages_read_in_a_fixed_number_of_queries(
    school: dict[str, Any], as_role: Callable[[str], Client]
) -> None:
    admin = as_role("admin")

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin.get(path).status_code == 200
        return len(captured)

    small = {p: queries(p) for p in ("/school/people/", "/school/courses/", "/school/sections/")}
    for n in range(5):
        course = factories.course(code=f"MORE{n}")
        extra = factories.teacher(username=f"t{n}")
        course.teachers.add(extra)
        factories.section(course, teachers=[extra], students=[factories.student(), factories.student()])
    large = {p: queries(p) for p in small}

    assert large == small


# --- the API --------------------------------------------------------------------------------------------


def test_the_api_adds_a_teacher_and_lists_the_staff(school: dict[str, Any]) -> None:
    admin = bearer(school["admin"])

    made = admin.post(
        "/api/v1/school/teachers", {"username": "ms_new", "name": "Ms New"}, content_type="application/json"
    )
    listed = admin.get("/api/v1/school/teachers")

    assert made.status_code == 201
    body = made.json()
    assert {k: body[k] for k in ("username", "name", "role", "active")} == {
        "username": "ms_new",
        "name": "Ms New",
        "role": "teacher",
        "active": True,
    }
    assert User.objects.get(username="ms_new").check_password(body["password"])
    assert [(p["username"], p["role"]) for p in listed.json()] == [
        ("mr_co", "teacher"),
        ("mr_other", "teacher"),
        ("ms_new", "teacher"),
        ("ms_rao", "teacher"),
        ("principal", "admin"),
        ("root", "superuser"),
    ]
    assert all("password" not in p for p in listed.json())


def test_the_api_refuses_a_school_admin_from_an_admin_and_lists_every_problem(school: dict[str, Any]) -> None:
    admin = bearer(school["admin"])
    before = school_state()

    as_admin = admin.post(
        "/api/v1/school/teachers",
        {"username": "vp", "name": "VP", "role": "admin"},
        content_type="application/json",
    )
    invalid = admin.post(
        "/api/v1/school/teachers",
        {"username": "a b", "name": " ", "password": "x"},
        content_type="application/json",
    )

    assert as_admin.status_code == 403 and as_admin.json()["error"] == "forbidden"
    assert invalid.status_code == 422
    assert [d["location"] for d in invalid.json()["details"]] == ["name", "password", "username"]
    assert school_state() == before
    root = bearer(school["superuser"])
    made = root.post(
        "/api/v1/school/teachers",
        {"username": "vp", "name": "VP", "role": "admin"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["role"] == "admin"


def test_the_api_assigns_a_course_teacher_once(school: dict[str, Any]) -> None:
    admin = bearer(school["admin"])
    url = f"/api/v1/school/courses/{school['course'].code}/teachers"

    first = admin.post(url, {"username": "mr_other"}, content_type="application/json")
    again = admin.post(url, {"username": "mr_other"}, content_type="application/json")
    missing = admin.post(
        "/api/v1/school/courses/NOPE/teachers", {"username": "mr_other"}, content_type="application/json"
    )

    assert first.status_code == again.status_code == 200
    assert first.json()["changed"] is True and again.json()["changed"] is False
    assert [t["username"] for t in again.json()["teachers"]] == ["mr_other"]
    assert missing.status_code == 404


def test_the_api_lists_every_section(school: dict[str, Any]) -> None:
    Section.objects.filter(pk=school["other_section"].pk).update(archived_at=timezone.now())

    found = bearer(school["admin"]).get("/api/v1/school/sections").json()

    assert [(s["name"], s["students"], s["archived"]) for s in found] == [
        ("Chem 11-A", 2, False),
        ("Chem 11-B", 1, True),
    ]
    assert [t["username"] for t in found[0]["teachers"]] == ["mr_co", "ms_rao"]
    assert found[0]["course"] == {"code": "CHEM", "title": "Chemistry"}
