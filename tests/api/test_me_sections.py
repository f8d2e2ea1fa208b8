"""GET /me/sections: what a person teaches or studies; only teachers see the join code."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from flipmastery.accounts.models import Role
from tests import factories
from tests.api.conftest import assert_error, bearer_client

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/sections"


def test_a_teacher_gets_the_sections_they_teach_with_the_join_code(classroom: dict[str, Any]) -> None:
    section = classroom["section"]

    response = bearer_client(classroom["teacher"]).get(URL)

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": section.pk,
            "name": "Chem 11-A",
            "course": {"code": "CHEM", "title": "Chemistry"},
            "role": "teacher",
            "join_code": section.join_code,
            "archived": False,
        }
    ]


def test_a_student_gets_their_sections_without_the_join_code(classroom: dict[str, Any]) -> None:
    response = bearer_client(classroom["students"][0]).get(URL)

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": classroom["section"].pk,
            "name": "Chem 11-A",
            "course": {"code": "CHEM", "title": "Chemistry"},
            "role": "student",
            "archived": False,
        }
    ]
    assert classroom["section"].join_code.encode() not in response.content


def test_a_student_of_another_section_sees_only_theirs(classroom: dict[str, Any]) -> None:
    response = bearer_client(classroom["outsider"]).get(URL)

    assert [s["name"] for s in response.json()] == ["Chem 11-B"]


def test_a_school_admin_sees_every_section_as_a_teacher(classroom: dict[str, Any]) -> None:
    admin = factories.user(Role.ADMIN, username="principal")

    response = bearer_client(admin).get(URL)

    assert [(s["name"], s["role"], "join_code" in s) for s in response.json()] == [
        ("Chem 11-A", "teacher", True),
        ("Chem 11-B", "teacher", True),
    ]


def test_the_session_works_as_well_as_a_token(classroom: dict[str, Any]) -> None:
    client = Client()
    client.force_login(classroom["students"][1])

    assert [s["name"] for s in client.get(URL).json()] == ["Chem 11-A"]


def test_anonymous_gets_401_json(classroom: dict[str, Any]) -> None:
    assert_error(Client().get(URL), 401, "not_authenticated")


def test_an_archived_section_says_so(classroom: dict[str, Any]) -> None:
    from django.utils import timezone

    section = classroom["section"]
    section.archived_at = timezone.now()
    section.save()
    rows = bearer_client(classroom["students"][0]).get(URL).json()
    assert [(s["name"], s["archived"]) for s in rows] == [("Chem 11-A", True)]
