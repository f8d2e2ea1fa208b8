"""Logging in and out, and where home sends each kind of person."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests import factories


@pytest.mark.django_db
def test_the_login_page_uses_our_template(client: Client) -> None:
    response = client.get("/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert 'href="#main"' in html  # skip link
    assert 'name="username"' in html and 'name="password"' in html


def test_login_with_the_right_password_goes_home_then_to_the_teachers_sections(
    client: Client, classroom: dict[str, Any]
) -> None:
    response = client.post("/login/", {"username": "ms_rao", "password": factories.PASSWORD})
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/").url == "/sections/"
    page = client.get("/sections/").content.decode()
    assert "Signed in as <strong>ms_rao</strong>" in page


def test_a_wrong_password_shows_an_error_and_logs_nobody_in(
    client: Client, classroom: dict[str, Any]
) -> None:
    response = client.post("/login/", {"username": "ms_rao", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="errors"' in html
    assert "Please enter a correct username and password" in html
    assert "_auth_user_id" not in client.session
    assert client.get("/sections/").status_code == 302


def test_logout_is_a_post_and_ends_the_session(as_user: Any, classroom: dict[str, Any]) -> None:
    client = as_user(classroom["teacher"])
    page = client.get("/sections/").content.decode()
    assert 'method="post" action="/logout/"' in page
    response = client.post("/logout/")
    assert response.status_code == 302 and response.url == "/login/"
    assert client.get("/sections/").url == "/login/?next=/sections/"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/sections/",
        "/sections/1/playlist/",
        "/sections/1/outline/",
        "/sections/1/learn/1/",
        "/media/learning-objects/2025/a.mp4",
    ],
)
def test_anonymous_is_sent_to_login(client: Client, classroom: dict[str, Any], path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith("/login/?next=")


def test_home_sends_a_student_of_one_section_to_their_playlist(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    response = as_user(classroom["students"][0]).get("/")
    assert response.url == f"/sections/{classroom['section'].pk}/playlist/"


def test_home_sends_a_student_of_two_sections_to_the_list_of_them(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    asha = classroom["students"][0]
    maths = factories.section(factories.course(title="Maths 7"), name="Maths 7-B", students=[asha])
    client = as_user(asha)
    assert client.get("/").url == "/sections/"
    page = client.get("/sections/").content.decode()
    assert f'href="/sections/{classroom["section"].pk}/playlist/">Chem 11-A</a>' in page
    assert f'href="/sections/{maths.pk}/playlist/">Maths 7-B</a>' in page
    assert "Join code" not in page


def test_home_sends_a_student_of_no_section_to_an_empty_list(as_user: Any, db: None) -> None:
    client = as_user(factories.student())
    assert client.get("/").url == "/sections/"
    assert "You are not in any section yet" in client.get("/sections/").content.decode()


def test_home_sends_a_school_admin_to_the_sections(as_user: Any, classroom: dict[str, Any]) -> None:
    admin = factories.user("admin")
    assert as_user(admin).get("/").url == "/sections/"
