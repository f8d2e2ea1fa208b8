"""One sitting, one medium: a printed copy of a check is worked on paper and entered by a teacher. The
student's screen never shows, resumes, autosaves or submits it; a second entry names the first one."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from flipmastery.assessments.models import Attempt, AttemptItem
from flipmastery.assessments.paper import paper_copies_make, paper_marks_enter
from flipmastery.assessments.services import attempt_start, attempt_submit
from flipmastery.domain.errors import DomainError
from flipmastery.domain.paper import shown_code
from flipmastery.progress.models import ProgressEvent
from tests import factories
from tests.api.conftest import assert_error, bearer_client

pytestmark = pytest.mark.django_db
ON_PAPER = "Your GAS-1 check is on paper: hand your sheet to your teacher."
HTMX = {"HX-Request": "true"}


@pytest.fixture
def room(db: None) -> dict[str, Any]:
    c = factories.small_classroom()
    for objective in (c["a"], c["b"]):
        objective.check_items = 5
        objective.save()
        factories.bank(objective, 12)
    return c


def print_copy(room: dict[str, Any], objective: Any = None, now: datetime | None = None) -> Attempt:
    printed = paper_copies_make(
        section=room["section"],
        objective=objective or room["a"],
        students=room["students"][:1],
        teacher=room["teacher"],
        now=now or timezone.now(),
    )
    assert printed.refused == []
    return printed.copies[0]


def student_client(room: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(room["students"][0])
    return client


def teacher_client(room: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(room["teacher"])
    return client


def unchanged(copy: Attempt) -> None:
    """Nothing the student did online touched the copy."""
    fresh = Attempt.objects.get(pk=copy.pk)
    assert fresh.state == "open" and fresh.submitted_at is None and fresh.paper_code == copy.paper_code
    assert not AttemptItem.objects.filter(attempt=copy, response__isnull=False).exists()
    assert Attempt.objects.filter(student=copy.student).count() == 1
    assert not ProgressEvent.objects.filter(kind="check_result").exists()


def test_the_playlist_says_the_check_is_on_paper_and_offers_nothing_to_finish(room: dict[str, Any]) -> None:
    copy = print_copy(room)
    page = student_client(room).get(f"/sections/{room['section'].pk}/playlist/")
    assert page.status_code == 200
    html = page.content.decode()
    assert ON_PAPER in html
    assert "Finish your GAS-1 check" not in html and "Continue your check" not in html
    assert f"/attempts/{copy.pk}/" not in html  # no way into the printed questions
    assert "/objectives/GAS-1/check/" not in html  # and no button that would start or resume it

    body = bearer_client(room["students"][0]).get(f"/api/v1/sections/{room['section'].pk}/playlist").json()
    assert body["next"]["message"] == ON_PAPER and body["next"]["kind"] == "paper"
    unchanged(copy)


def test_starting_the_check_online_resumes_nothing_and_says_it_is_on_paper(room: dict[str, Any]) -> None:
    copy = print_copy(room)
    with pytest.raises(DomainError, match=ON_PAPER) as refused:
        attempt_start(section=room["section"], student=copy.student, objective=room["a"], now=timezone.now())
    assert refused.value.code == "conflict"
    page = student_client(room).post(f"/sections/{room['section'].pk}/objectives/GAS-1/check/")
    assert page.status_code == 409
    assert ON_PAPER in page.content.decode()
    api = bearer_client(copy.student).post(f"/api/v1/sections/{room['section'].pk}/objectives/GAS-1/attempts")
    assert assert_error(api, 409, "conflict")["message"] == ON_PAPER
    unchanged(copy)


def test_the_check_pages_refuse_a_paper_copy_to_its_student(room: dict[str, Any]) -> None:
    copy = print_copy(room)
    client = student_client(room)
    first = AttemptItem.objects.filter(attempt=copy).order_by("position").first()
    assert first is not None
    for response in (
        client.get(f"/attempts/{copy.pk}/"),
        client.get(f"/attempts/{copy.pk}/submit/"),
        client.post(f"/attempts/{copy.pk}/submit/"),
        client.post(f"/attempts/{copy.pk}/items/1/", {"answer": "a"}),
    ):
        assert response.status_code == 409, response
        html = response.content.decode()
        assert ON_PAPER in html
        assert first.shown["prompt_html"] not in html  # the printed questions never show online
    saved = client.post(f"/attempts/{copy.pk}/items/1/", {"answer": "a"}, headers=HTMX)
    assert saved.status_code == 409 and ON_PAPER in saved.content.decode()
    unchanged(copy)
    # Its teacher still reads it.
    assert teacher_client(room).get(f"/attempts/{copy.pk}/").status_code == 200


def test_the_api_refuses_a_paper_copy_to_its_student(room: dict[str, Any]) -> None:
    copy = print_copy(room)
    client = bearer_client(copy.student)
    read = client.get(f"/api/v1/attempts/{copy.pk}")
    assert assert_error(read, 409, "conflict")["message"] == ON_PAPER
    saved = client.put(
        f"/api/v1/attempts/{copy.pk}/responses/1",
        data=json.dumps({"response": "a"}),
        content_type="application/json",
    )
    assert assert_error(saved, 409, "conflict")["message"] == ON_PAPER
    submitted = client.post(f"/api/v1/attempts/{copy.pk}/submit")
    assert assert_error(submitted, 409, "conflict")["message"] == ON_PAPER
    unchanged(copy)
    assert bearer_client(room["teacher"]).get(f"/api/v1/attempts/{copy.pk}").status_code == 200


def test_after_the_refusals_the_teacher_enters_the_copy_and_the_student_sees_the_result(
    room: dict[str, Any],
) -> None:
    copy = print_copy(room)
    client = student_client(room)
    client.post(f"/attempts/{copy.pk}/submit/")
    marks = {f"mark-{n}": "right" for n in range(1, 6)}
    entered = teacher_client(room).post(f"/paper/{copy.paper_code}/", {"mode": "marks", **marks})
    assert entered.status_code == 302
    result = client.get(f"/attempts/{copy.pk}/")
    assert result.status_code == 200 and ON_PAPER not in result.content.decode()
    playlist = client.get(f"/sections/{room['section'].pk}/playlist/").content.decode()
    assert ON_PAPER not in playlist


def test_a_lost_sheet_is_still_reprinted_as_the_same_copy(room: dict[str, Any]) -> None:
    copy = print_copy(room)
    again = print_copy(room)
    assert again.pk == copy.pk and again.paper_code == copy.paper_code
    assert Attempt.objects.filter(student=copy.student).count() == 1


def test_a_second_entry_names_who_entered_what_and_when(room: dict[str, Any]) -> None:
    room["teacher"].display_name = "Ms Rao"
    room["teacher"].save()
    when = datetime(2026, 12, 7, 22, 33, tzinfo=UTC)
    copy = print_copy(room, now=when)
    marks = {1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0, 5: 0.0}
    paper_marks_enter(attempt=copy, marks=marks, teacher=room["teacher"], now=when)
    again = teacher_client(room).post(
        f"/paper/{copy.paper_code}/", {"mode": "marks", **{f"mark-{n}": "wrong" for n in range(1, 6)}}
    )
    assert again.status_code == 409
    code = shown_code(copy.paper_code or "")
    said = f"{code} was already entered by Ms Rao on 7 Dec at 22:33: 4/5, GAS-1 passed"
    assert said in again.content.decode()
    assert Attempt.objects.get(pk=copy.pk).result["objectives"][0]["score"] == 0.8  # the first entry stands
    assert ProgressEvent.objects.filter(kind="check_result").count() == 1


def test_a_copy_submitted_online_before_is_named_so_when_entered(room: dict[str, Any]) -> None:
    when = datetime(2026, 12, 7, 22, 33, tzinfo=UTC)
    copy = print_copy(room, now=when)
    attempt_submit(attempt_id=copy.pk, student=copy.student, now=when)  # as it could be before this rule
    again = teacher_client(room).post(
        f"/paper/{copy.paper_code}/", {"mode": "marks", **{f"mark-{n}": "right" for n in range(1, 6)}}
    )
    assert again.status_code == 409
    code = shown_code(copy.paper_code or "")
    said = f"{code} was already submitted online by asha on 7 Dec at 22:33: 0/5, GAS-1 not yet"
    assert said in again.content.decode()


def test_the_paper_result_says_the_check_passed_and_what_the_student_reached(room: dict[str, Any]) -> None:
    """GAS-2 has a lab: a passed check waits for its sign-off before mastery (DESIGN §8)."""
    factories.mastered(room["section"], room["students"][0], room["a"])
    copy = print_copy(room, room["b"])
    marks = {f"mark-{n}": "right" for n in range(1, 6)}
    client = teacher_client(room)
    assert client.post(f"/paper/{copy.paper_code}/", {"mode": "marks", **marks}).status_code == 302
    html = client.get(f"/paper/{copy.paper_code}/").content.decode()
    assert "passed" in html
    assert "Boyle&#x27;s Law Lab waits for your sign-off" in html
    assert "mastered" not in html.split('id="paper-result"')[1].split("</section>")[0]
