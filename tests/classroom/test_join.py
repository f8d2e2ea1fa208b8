"""Joining a section by its code: typed at /join/ (any case, spaces ignored) or opened from the QR code at
/join/<code>/, with an account made on the spot or after logging in; waiting in a section that approves each
student, in at once in an open one; refused when closed or archived; wrong codes throttled per address."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from flipmastery.accounts.models import User
from flipmastery.classroom.join_throttle import WRONG_CODES_ALLOWED
from flipmastery.classroom.models import Enrollment, JoinRequest, Section
from tests.classroom.conftest import client_of, state

pytestmark = pytest.mark.django_db


def text(response: Any, status: int = 200) -> str:
    assert response.status_code == status, response.content[:600]
    return html.unescape(response.content.decode())


def spaced(code: str) -> str:
    """How a student may type it: small letters, a space in the middle."""
    return f" {code[:3].lower()} {code[3:].lower()} "


def set_mode(section: Section, mode: str) -> None:
    Section.objects.filter(pk=section.pk).update(join_mode=mode)


def test_a_signed_in_student_types_the_code_and_waits_for_the_teacher(school: dict[str, Any]) -> None:
    section = school["section"]
    zed = client_of(school["outsider"])

    response = zed.post("/join/", {"code": spaced(section.join_code)})

    assert response.status_code == 302 and response.url == f"/join/{section.join_code}/"
    waiting = JoinRequest.objects.get(section=section, student=school["outsider"])
    assert waiting.decided_at is None
    assert not Enrollment.objects.filter(section=section, student=school["outsider"]).exists()
    page = text(zed.get(response.url))
    assert "Waiting for your teacher." in page and "You asked to join Chem 11-A." in page
    mine = text(zed.get("/sections/"))
    assert (
        "You asked to join Chem 11-A. Your teacher will accept you soon." in mine.split('id="waiting-h"')[1]
    )

    again = zed.post("/join/", {"code": section.join_code})  # a second tap changes nothing
    assert again.status_code == 302
    assert JoinRequest.objects.filter(section=section, student=school["outsider"]).count() == 1


def test_in_an_open_section_the_student_is_in_at_once_and_sees_the_playlist(school: dict[str, Any]) -> None:
    section = school["section"]
    set_mode(section, "open")
    zed = client_of(school["outsider"])

    response = zed.post("/join/", {"code": section.join_code.lower()})

    assert response.status_code == 302 and response.url == f"/sections/{section.pk}/playlist/"
    assert Enrollment.objects.filter(section=section, student=school["outsider"]).exists()
    assert not JoinRequest.objects.filter(student=school["outsider"]).exists()
    assert "My playlist" in text(zed.get(response.url))


def test_a_student_already_in_the_section_is_told_so(school: dict[str, Any]) -> None:
    section = school["section"]
    asha = client_of(school["students"][0])
    before = state(section)

    response = asha.post("/join/", {"code": section.join_code})

    assert response.status_code == 302 and response.url == f"/join/{section.join_code}/"
    page = text(asha.get(response.url))
    assert "You are already in Chem 11-A." in page and f'href="/sections/{section.pk}/playlist/"' in page
    assert state(section) == before


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ("closed", "Chem 11-A is not taking new students now. Ask your teacher to open joining."),
        ("archived", "Chem 11-A is archived: it takes no new students."),
    ],
)
def test_a_closed_or_archived_section_refuses_with_the_reason(
    school: dict[str, Any], given: str, words: str
) -> None:
    section = school["section"]
    if given == "closed":
        set_mode(section, "closed")
    else:
        Section.objects.filter(pk=section.pk).update(archived_at=timezone.now())
    before = state(section)
    users = User.objects.count()

    typed = client_of(school["outsider"]).post("/join/", {"code": section.join_code})
    assert words in text(typed, 409)
    opened = client_of(school["outsider"]).post(f"/join/{section.join_code}/")
    assert words in text(opened, 409)
    anonymous = Client()
    shown = text(anonymous.get(f"/join/{section.join_code}/"))
    assert words in shown and 'id="sign-up"' not in shown  # no account for a class that takes nobody
    signed_up = anonymous.post(
        f"/join/{section.join_code}/", {"name": "Nia", "username": "nia", "password": "a-long-pass-1"}
    )
    assert words in text(signed_up, 409)
    assert User.objects.count() == users
    assert state(section) == before


def test_a_new_student_makes_an_account_from_the_qr_link_and_waits(school: dict[str, Any]) -> None:
    section = school["section"]
    client = Client()
    page = text(client.get(f"/join/{section.join_code.lower()}/"))
    assert "Join Chem 11-A" in page and 'id="sign-up"' in page
    assert f'href="/login/?next=/join/{section.join_code}/"' in page

    response = client.post(
        f"/join/{section.join_code}/",
        {"name": " Nia Kapoor ", "username": "nia.k", "password": "a-long-pass-1"},
    )

    assert response.status_code == 302 and response.url == f"/join/{section.join_code}/"
    nia = User.objects.get(username="nia.k")
    assert (nia.role, nia.display_name) == ("student", "Nia Kapoor")
    assert Client().login(username="nia.k", password="a-long-pass-1")
    assert JoinRequest.objects.filter(section=section, student=nia, decided_at__isnull=True).exists()
    assert "Waiting for your teacher." in text(client.get(response.url))  # and signed in


def test_a_new_student_in_an_open_section_lands_on_the_playlist(school: dict[str, Any]) -> None:
    section = school["section"]
    set_mode(section, "open")
    client = Client()
    response = client.post(
        f"/join/{section.join_code}/", {"name": "Nia", "username": "nia", "password": "a-long-pass-1"}
    )
    assert response.status_code == 302 and response.url == f"/sections/{section.pk}/playlist/"
    assert "My playlist" in text(client.get(response.url))


def test_a_new_account_needs_a_free_username_and_a_password_the_server_accepts(
    school: dict[str, Any],
) -> None:
    section = school["section"]
    users = User.objects.count()
    client = Client()

    taken = text(
        client.post(
            f"/join/{section.join_code}/", {"name": "A", "username": "ASHA", "password": "a-long-pass-1"}
        ),
        422,
    )
    assert "The username ASHA is taken: choose another, or log in if it is yours." in taken
    short = text(
        client.post(f"/join/{section.join_code}/", {"name": "B", "username": "bea", "password": "short"}), 422
    )
    assert "This password is too short. It must contain at least 8 characters." in short
    spaces = text(
        client.post(
            f"/join/{section.join_code}/", {"name": "C", "username": "c d", "password": "a-long-pass-1"}
        ),
        422,
    )
    assert "A username has letters, digits and . @ + - _ only, and no spaces." in spaces
    assert 'value="c d"' in spaces  # what was typed stays
    assert User.objects.count() == users
    assert JoinRequest.objects.count() == 1  # only the fixture's


def test_a_student_who_has_an_account_logs_in_first_and_comes_back_to_join(school: dict[str, Any]) -> None:
    section = school["section"]
    set_mode(section, "open")
    client = Client()
    response = client.post(
        f"/login/?next=/join/{section.join_code}/",
        {"username": "zed", "password": "pass-for-tests-1", "next": f"/join/{section.join_code}/"},
    )
    assert response.status_code == 302 and response.url == f"/join/{section.join_code}/"
    page = text(client.get(response.url))
    assert 'id="join-now"' in page
    assert client.post(response.url).url == f"/sections/{section.pk}/playlist/"
    assert Enrollment.objects.filter(section=section, student=school["outsider"]).exists()


def test_a_teacher_is_told_that_codes_are_for_students(school: dict[str, Any]) -> None:
    before = state(school["section"])
    client = client_of(school["other_teacher"])
    page = text(client.get(f"/join/{school['section'].join_code}/"))
    assert "Students join a section with its code; you are signed in as a teacher." in page
    assert (
        'href="/sections/' not in page.split('id="join-state"')[1].split("</p>")[0]
    )  # not theirs: no roster link
    client.post("/join/", {"code": school["section"].join_code})
    assert state(school["section"]) == before


def test_a_wrong_code_says_so_and_wrong_codes_are_throttled_per_address(school: dict[str, Any]) -> None:
    section = school["section"]
    client = client_of(school["outsider"])
    page = text(client.post("/join/", {"code": "zzzzzz"}), 404)
    assert "No section has the code zzzzzz. Check it with your teacher." in page and 'value="zzzzzz"' in page
    empty = text(client.post("/join/", {"code": "  "}), 422)
    assert "Type the join code your teacher shows you." in empty.split('id="join-problem"')[1]

    for _ in range(WRONG_CODES_ALLOWED - 2):
        assert client.post("/join/", {"code": "ZZZZZZ"}).status_code == 404
    assert Client().get("/join/YYYYYY/").status_code == 404  # the 30th wrong code, from the same address
    throttled = client.post("/join/", {"code": section.join_code})
    assert "Too many wrong join codes were typed on this network. Try again in 10 minutes." in text(
        throttled, 429
    )
    assert Client().get(f"/join/{section.join_code}/").status_code == 429
    other_network = Client(REMOTE_ADDR="10.0.0.9")
    assert other_network.get(f"/join/{section.join_code}/").status_code == 200
    assert not JoinRequest.objects.filter(student=school["outsider"]).exists()


def test_the_sign_in_page_and_the_students_sections_page_lead_to_joining(school: dict[str, Any]) -> None:
    assert 'href="/join/"' in text(Client().get("/login/"))
    assert 'href="/join/"' in text(client_of(school["students"][0]).get("/sections/"))
