"""The admin pages are for superusers only (DESIGN §9): staff status and model permissions open nothing,
so a teacher cannot make themselves a teacher of another section there and read its answer keys."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from flipmastery.accounts.models import User
from flipmastery.demo.services import demo_load
from tests import factories


@pytest.fixture
def staff_teacher(classroom: dict[str, Any]) -> User:
    """A teacher with staff status and every permission on courses and sections, as the Teachers group of
    old gave."""
    teacher: User = classroom["teacher"]
    teacher.is_staff = True
    teacher.save()
    teacher.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["classroom", "courses"])
    )
    return User.objects.get(pk=teacher.pk)  # no cached permissions


def change_url(section: Any) -> str:
    return f"/admin/classroom/section/{section.pk}/change/"


@pytest.mark.parametrize("path", ["/admin/", "/admin/classroom/section/", "/admin/auth/group/"])
def test_a_staff_teacher_gets_no_admin_page(
    as_user: Any, classroom: dict[str, Any], staff_teacher: User, path: str
) -> None:
    response = as_user(staff_teacher).get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={path}"


def test_a_staff_teacher_cannot_add_themselves_to_another_section(
    as_user: Any, classroom: dict[str, Any], staff_teacher: User
) -> None:
    other = classroom["other_section"]
    client = as_user(staff_teacher)

    assert client.get(change_url(other)).status_code == 302
    response = client.post(
        change_url(other),
        {
            "course": other.course_id,
            "name": other.name,
            "teachers": [classroom["other_teacher"].pk, staff_teacher.pk],
            "enrollments-TOTAL_FORMS": "0",
            "enrollments-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert [t.username for t in other.teachers.all()] == ["mr_other"]
    assert client.get(f"/sections/{other.pk}/outline/").status_code == 404


def test_a_staff_teacher_cannot_log_in_to_the_admin(classroom: dict[str, Any], staff_teacher: User) -> None:
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": staff_teacher.username, "password": factories.PASSWORD, "next": "/admin/"},
    )

    assert response.status_code == 200
    assert "password of a superuser" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_superuser_has_the_admin_and_can_change_a_section(classroom: dict[str, Any]) -> None:
    admin = factories.user("admin", is_staff=True, is_superuser=True)
    other = classroom["other_section"]
    client = Client()
    logged_in = client.post(
        "/admin/login/?next=/admin/", {"username": admin.username, "password": factories.PASSWORD}
    )
    assert logged_in.status_code == 302

    assert client.get("/admin/").status_code == 200
    response = client.post(
        change_url(other),
        {
            "course": other.course_id,
            "name": other.name,
            "join_mode": other.join_mode,
            "worksheet_answers": other.worksheet_answers,
            "teachers": [classroom["other_teacher"].pk, classroom["teacher"].pk],
            "enrollments-TOTAL_FORMS": "0",
            "enrollments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert sorted(t.username for t in other.teachers.all()) == ["mr_other", "ms_rao"]


def test_an_inactive_superuser_gets_no_admin_page(as_user: Any, db: None) -> None:
    admin = factories.user("admin", is_staff=True, is_superuser=True, is_active=False)
    assert as_user(admin).get("/admin/").status_code == 302


def test_a_staff_teacher_sees_no_admin_link_on_my_sections(
    as_user: Any, classroom: dict[str, Any], staff_teacher: User
) -> None:
    html = as_user(staff_teacher).get("/sections/").content.decode()
    assert "<h2>Chem 11-A</h2>" in html
    assert "/admin/" not in html


def test_the_demo_teacher_needs_no_admin_and_has_none(db: None) -> None:
    demo_load()
    teacher = User.objects.get(username="teacher")

    assert (teacher.is_staff, teacher.is_superuser, teacher.groups.count()) == (False, False, 0)
    client = Client()
    assert client.login(username="teacher", password="teacher")
    assert client.get("/admin/").status_code == 302
    assert "<h2>Chemistry 11-A</h2>" in client.get("/sections/").content.decode()


ADMIN_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'none'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)


@pytest.mark.parametrize("path", ["/admin/", "/admin/classroom/section/", "/admin/courses/objective/add/"])
def test_the_admin_pages_carry_a_content_security_policy(as_user: Any, db: None, path: str) -> None:
    """Checked in a real browser by tests/browser/test_admin_in_a_browser.py: the admin works under it."""
    response = as_user(factories.user("admin", is_staff=True, is_superuser=True)).get(path)

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == ADMIN_POLICY


def test_the_admin_login_page_carries_it_too(db: None) -> None:
    response = Client().get("/admin/login/")

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == ADMIN_POLICY
