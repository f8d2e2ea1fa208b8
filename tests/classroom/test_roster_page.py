"""The roster page: the join code and its QR code for the projector, students waiting to join accepted or
declined in one click (htmx swaps the row; a refusal is said in the row), and a new password for a student,
typed or made, shown once on a login card."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from flipmastery.classroom.models import Enrollment, JoinRequest
from tests import factories
from tests.classroom.conftest import HTMX, client_of, state

pytestmark = pytest.mark.django_db


def text(response: Any, status: int = 200) -> str:
    assert response.status_code == status, response.content[:600]
    return html.unescape(response.content.decode())


def roster_url(school: dict[str, Any]) -> str:
    return f"/sections/{school['section'].pk}/roster/"


def decide_url(school: dict[str, Any], decision: str, jr: JoinRequest | None = None) -> str:
    found = jr or school["join_request"]
    return f"/sections/{school['section'].pk}/join-requests/{found.pk}/{decision}/"


def test_the_roster_shows_the_code_its_qr_code_who_waits_and_who_is_in(school: dict[str, Any]) -> None:
    page = text(client_of(school["teacher"]).get(roster_url(school)))
    section = school["section"]

    poster = page.split('id="join"')[1].split("</section>")[0]
    assert section.join_code in poster and "http://testserver/join/" in poster
    assert "<svg" in poster and 'class="qr"' in poster
    assert f"Join Chem 11-A: http://testserver/join/{section.join_code}/" in poster  # the QR code's title
    waiting = page.split('id="waiting"')[1].split("</section>")[0]
    assert "Wanda Waits" in waiting and f'id="accept-{school["join_request"].pk}"' in waiting
    students = page.split('id="students"')[1].split("</section>")[0]
    assert "asha" in students and "ben" in students and "Wanda" not in students and "zed" not in students
    assert 'id="roster"' in page  # the class list form is still there


def test_accept_in_one_click_enrols_the_student_and_answers_htmx_with_the_row(school: dict[str, Any]) -> None:
    jr = school["join_request"]

    row = text(client_of(school["co_teacher"]).post(decide_url(school, "accept"), headers=HTMX))

    assert row.startswith('<li class="waiting-row is-decided"') or 'class="waiting-row is-decided"' in row
    assert "✓ Accepted: Wanda Waits is in the class." in row and "<html" not in row
    jr.refresh_from_db()
    assert jr.accepted is True and jr.decided_by == school["co_teacher"] and jr.decided_at is not None
    assert Enrollment.objects.filter(section=school["section"], student=school["waiting"]).exists()
    wanda = client_of(school["waiting"])
    assert "My playlist" in text(wanda.get(f"/sections/{school['section'].pk}/playlist/"))
    assert (
        "Wanda"
        not in text(client_of(school["teacher"]).get(roster_url(school)))
        .split('id="waiting"')[1]
        .split("</section>")[0]
    )


def test_decline_leaves_the_student_out_and_they_may_ask_again(school: dict[str, Any]) -> None:
    response = client_of(school["teacher"]).post(decide_url(school, "decline"))
    assert response.status_code == 302 and response.url == roster_url(school)
    assert not Enrollment.objects.filter(section=school["section"], student=school["waiting"]).exists()
    assert JoinRequest.objects.get(pk=school["join_request"].pk).accepted is False
    again = client_of(school["waiting"]).post("/join/", {"code": school["section"].join_code})
    assert again.status_code == 302
    assert JoinRequest.objects.filter(student=school["waiting"], decided_at__isnull=True).count() == 1


def test_the_same_answer_twice_changes_nothing_and_the_other_answer_is_refused_in_the_row(
    school: dict[str, Any],
) -> None:
    teacher = client_of(school["teacher"])
    teacher.post(decide_url(school, "accept"), headers=HTMX)
    before = state(school["section"])

    again = text(teacher.post(decide_url(school, "accept"), headers=HTMX))
    assert "✓ Accepted" in again and 'role="alert"' not in again
    refused = text(client_of(school["co_teacher"]).post(decide_url(school, "decline"), headers=HTMX))
    assert 'role="alert"' in refused and "Wanda Waits was accepted already" in refused
    plain = text(teacher.post(decide_url(school, "decline")), 409)
    assert "Wanda Waits was accepted already" in plain
    assert state(school["section"]) == before


def test_an_unknown_decision_or_another_sections_request_is_not_found(school: dict[str, Any]) -> None:
    other = JoinRequest.objects.create(
        section=school["other_section"], student=factories.student(), created_at=timezone.now()
    )
    teacher = client_of(school["teacher"])
    assert teacher.post(decide_url(school, "maybe")).status_code == 404
    assert teacher.post(decide_url(school, "accept", other)).status_code == 404
    other.refresh_from_db()
    assert other.decided_at is None


def test_a_teacher_sets_a_students_new_password_shown_once_on_a_card(school: dict[str, Any]) -> None:
    ben = school["students"][1]
    ben_device = client_of(ben)
    url = f"/sections/{school['section'].pk}/students/{ben.pk}/password/"

    card = text(client_of(school["teacher"]).post(url, {"password": "  new-pass-123 "}))

    assert 'id="new-password">new-pass-123<' in card and "shown only this once" in card
    assert 'class="login-card"' in card and "ben" in card
    assert Client().login(username="ben", password="new-pass-123")
    assert not Client().login(username="ben", password=factories.PASSWORD)
    assert ben_device.get("/sections/").status_code == 302  # signed out where they were signed in


def test_an_empty_password_makes_one(school: dict[str, Any]) -> None:
    ben = school["students"][1]
    url = f"/sections/{school['section'].pk}/students/{ben.pk}/password/"
    card = text(client_of(school["admin"]).post(url, {"password": ""}))
    made = re.search(r'id="new-password">([^<]+)<', card)
    assert made is not None and re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}", made.group(1))
    assert Client().login(username="ben", password=made.group(1))


def test_a_password_too_short_is_refused_by_the_student_and_nothing_changes(school: dict[str, Any]) -> None:
    ben = school["students"][1]
    before = state(school["section"])
    page = text(
        client_of(school["teacher"]).post(
            f"/sections/{school['section'].pk}/students/{ben.pk}/password/", {"password": "abc"}
        ),
        422,
    )
    row = page.split(f'id="student-{ben.pk}"')[1].split("</li>")[0]
    assert "<details" in row and " open>" in row
    assert "This password is too short. It must contain at least 8 characters." in row
    assert state(school["section"]) == before


def test_only_a_student_of_this_section_gets_a_new_password_here(school: dict[str, Any]) -> None:
    before = state(school["section"])
    teacher = client_of(school["teacher"])
    for someone in (school["outsider"], school["co_teacher"], school["waiting"]):
        url = f"/sections/{school['section'].pk}/students/{someone.pk}/password/"
        assert teacher.post(url, {"password": "new-pass-123"}).status_code == 404
    assert state(school["section"]) == before
