"""Roster CSV in, printable login cards out: all or nothing, problems by line, teachers only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Enrollment
from tests import factories

pytestmark = pytest.mark.django_db

ROSTER = "username,name,password\npriya,Priya Sharma,\nrahul,Rahul Verma,secret99\nasha,Asha,\n"


@pytest.fixture
def room(db: None) -> dict[str, Any]:
    return factories.small_classroom()


def teacher_client(room: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(room["teacher"])
    return client


def test_a_roster_creates_new_students_enrols_known_ones_and_prints_cards(room: dict[str, Any]) -> None:
    response = teacher_client(room).post(f"/sections/{room['section'].pk}/roster/load/", {"roster": ROSTER})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Priya Sharma" in html and "Rahul Verma" in html and "secret99" in html
    priya = User.objects.get(username="priya")
    assert priya.role == "student" and priya.display_name == "Priya Sharma"
    assert Client().login(username="rahul", password="secret99")
    assert set(
        Enrollment.objects.filter(section=room["section"]).values_list("student__username", flat=True)
    ) == {
        "asha",
        "ben",
        "priya",
        "rahul",
    }
    assert "1 already in the class" in html


def test_one_bad_line_changes_nothing_and_says_which_line(room: dict[str, Any]) -> None:
    before = User.objects.count()
    bad = ROSTER + "bad name!,X,\nms_rao,Teacher,\npriya,again,\n"
    response = teacher_client(room).post(f"/sections/{room['section'].pk}/roster/load/", {"roster": bad})
    assert response.status_code == 422
    html = response.content.decode()
    assert "roster.csv:5:" in html and "not a username" in html
    assert "roster.csv:7: priya appears twice (also on line 2)" in html
    assert User.objects.count() == before


def test_a_teacher_account_is_not_turned_into_a_student(room: dict[str, Any]) -> None:
    response = teacher_client(room).post(
        f"/sections/{room['section'].pk}/roster/load/", {"roster": "ms_rao,Ms Rao\n"}
    )
    assert response.status_code == 422 and "is a teacher account" in response.content.decode()


def test_dry_run_and_access(room: dict[str, Any]) -> None:
    url = f"/sections/{room['section'].pk}/roster/load/"
    assert teacher_client(room).post(url, {"roster": ROSTER, "dry_run": "1"}).status_code == 200
    assert not User.objects.filter(username="priya").exists()
    student = Client()
    student.force_login(room["students"][0])
    assert student.post(url, {"roster": ROSTER}).status_code == 404
    other = Client()
    other.force_login(room["other_teacher"])
    assert other.get(f"/sections/{room['section'].pk}/roster/").status_code == 404
    assert not User.objects.filter(username="priya").exists()
