"""Paper checks through HTTP, as a teacher uses them: choose students, print, print keys, type a copy back."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from flipmastery.assessments.models import Attempt, AttemptItem, PaperBatch
from flipmastery.assessments.selectors import attempt_key
from flipmastery.domain.paper import shown_code
from flipmastery.progress.models import ProgressEvent
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(db: None) -> dict[str, Any]:
    c = factories.small_classroom()
    c["a"].check_items = 12  # the whole bank: every type of item is on every copy
    c["a"].save()
    factories.bank(c["a"], 12)
    return c


def teacher_client(room: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(room["teacher"])
    return client


def print_for_everyone(client: Client, room: dict[str, Any]) -> PaperBatch:
    section = room["section"]
    response = client.post(
        f"/sections/{section.pk}/paper/print/",
        {"objective": "GAS-1", "student": [s.pk for s in room["students"]]},
    )
    assert response.status_code == 200, response.content
    assert b"2 copies of the GAS-1 check ready." in response.content
    return PaperBatch.objects.get()


def form_of(copy: Attempt, key: dict[int, Any]) -> dict[str, Any]:
    """The entry form filled with the key, the way the page names its fields."""
    data: dict[str, Any] = {"mode": "answers"}
    for n, right in key.items():
        if isinstance(right, dict):
            data.update({f"q{n}-match-{p}": a for p, a in right.items()})
        elif isinstance(right, bool):
            data[f"q{n}-answer"] = "true" if right else "false"
        else:
            data[f"q{n}-answer"] = right
    return data


def test_the_teacher_sees_who_may_take_the_check_ticked(room: dict[str, Any]) -> None:
    asha, ben = room["students"]
    factories.mastered(room["section"], asha, room["a"])
    page = teacher_client(room).get(f"/sections/{room['section'].pk}/paper/?objective=GAS-1")
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(rf'value="{ben.pk}" id="s-{ben.pk}" checked', html)
    assert not re.search(rf'value="{asha.pk}" id="s-{asha.pk}" checked', html)
    assert "has mastered GAS-1 already" in html


def test_printed_sheets_carry_code_qr_and_questions_but_never_an_answer(room: dict[str, Any]) -> None:
    client = teacher_client(room)
    batch = print_for_everyone(client, room)
    page = client.get(f"/paper/batches/{batch.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    for copy in batch.copies.all():
        code = shown_code(copy.paper_code or "")
        assert html.count(f'id="sheet-{code}"') == 1
        assert f"http://testserver/paper/{copy.paper_code}/" in html  # what the QR code says
        for item in AttemptItem.objects.filter(attempt=copy):
            assert item.shown["prompt_html"] in html
    assert len(re.findall(r'<svg viewBox="0 0 \d+ \d+" class="qr"><title>', html)) == 2
    # No key on the sheets: the texts that only the key holds never appear.
    assert "Boyle*" not in html and "fraction" not in html
    keys = client.get(f"/paper/batches/{batch.pk}/keys/").content.decode()
    for copy in batch.copies.all():
        assert f'id="key-{shown_code(copy.paper_code or "")}"' in keys
        for entry in attempt_key(copy)["items"]:
            assert str(entry["answer"]).split(";")[0].replace("'", "&#x27;") in keys


def test_typing_the_key_back_masters_the_objective(room: dict[str, Any]) -> None:
    client = teacher_client(room)
    batch = print_for_everyone(client, room)
    copy = batch.copies.order_by("student__username").first()
    assert copy is not None and copy.paper_code
    found = client.get("/paper/", {"code": copy.paper_code.lower()[:4] + " " + copy.paper_code[4:]})
    assert found.status_code == 302 and found["Location"] == f"/paper/{copy.paper_code}/"
    key = {i["id"]: i["correct_response"] for i in attempt_key(copy)["items"]}
    done = client.post(f"/paper/{copy.paper_code}/", form_of(copy, key))
    assert done.status_code == 302
    result = client.get(f"/paper/{copy.paper_code}/").content.decode()
    assert "mastered" in result and "100 %" in result
    copy.refresh_from_db()
    assert copy.state == "submitted" and copy.entered_by == room["teacher"]
    assert ProgressEvent.objects.get(kind="check_result", student=copy.student).state == "MASTERED"


def test_a_wrong_shaped_answer_comes_back_with_everything_typed(room: dict[str, Any]) -> None:
    client = teacher_client(room)
    copy = print_for_everyone(client, room).copies.order_by("student__username").first()
    assert copy is not None
    key = {i["id"]: i["correct_response"] for i in attempt_key(copy)["items"]}
    data = form_of(copy, key)
    choice = next(n for n, r in key.items() if isinstance(r, str) and len(r) == 1)
    number = next(n for n, r in key.items() if isinstance(r, str) and any(c.isdigit() for c in r))
    data[f"q{choice}-answer"] = "q"
    page = client.post(f"/paper/{copy.paper_code}/", data)
    assert page.status_code == 422
    html = page.content.decode()
    assert f"question {choice}: " in html
    assert f'value="{key[number]}"' in html  # what was typed is still there
    copy.refresh_from_db()
    assert copy.state == "open"


def test_marks_from_the_paper(room: dict[str, Any]) -> None:
    client = teacher_client(room)
    copy = print_for_everyone(client, room).copies.order_by("student__username").first()
    assert copy is not None
    marks = {f"mark-{n}": "right" for n in range(1, 12)}
    missing = client.post(f"/paper/{copy.paper_code}/", {"mode": "marks", **marks})
    assert missing.status_code == 422
    assert b"question 12: mark it right, wrong or half right" in missing.content
    assert b'value="right" aria-label="Question 1 right" checked' in missing.content
    done = client.post(f"/paper/{copy.paper_code}/", {"mode": "marks", **marks, "mark-12": "half"})
    assert done.status_code == 302
    copy.refresh_from_db()
    assert copy.result["objectives"][0]["score"] == pytest.approx(11.5 / 12, abs=1e-4)
    again = client.post(f"/paper/{copy.paper_code}/", {"mode": "marks", **marks, "mark-12": "wrong"})
    assert again.status_code == 409 and b"already entered" in again.content  # the first entry stands
    assert b"Entered by" in again.content
    copy.refresh_from_db()
    assert copy.result["objectives"][0]["score"] == pytest.approx(11.5 / 12, abs=1e-4)


def test_nobody_else_reaches_a_copy_its_sheets_or_its_keys(room: dict[str, Any]) -> None:
    batch = print_for_everyone(teacher_client(room), room)
    copy = batch.copies.order_by("student__username").first()
    assert copy is not None
    urls = [
        f"/paper/{copy.paper_code}/",
        f"/paper/batches/{batch.pk}/",
        f"/paper/batches/{batch.pk}/keys/",
        f"/sections/{room['section'].pk}/paper/",
        f"/paper/?code={copy.paper_code}",
    ]
    for who in (room["other_teacher"], copy.student, room["outsider"]):
        client = Client()
        client.force_login(who)
        for url in urls:
            assert client.get(url).status_code == 404, (who, url)
        refused = client.post(f"/paper/{copy.paper_code}/", {"mode": "marks"})
        assert refused.status_code == 404
        made = client.post(
            f"/sections/{room['section'].pk}/paper/print/",
            {"objective": "GAS-1", "student": [s.pk for s in room["students"]]},
        )
        assert made.status_code == 404
    anonymous = Client().get(f"/paper/{copy.paper_code}/")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert PaperBatch.objects.count() == 1


def test_a_code_that_is_not_one_is_said_so_safely(room: dict[str, Any]) -> None:
    page = teacher_client(room).get("/paper/", {"code": "<script>alert(1)</script>"})
    assert page.status_code == 404
    assert b"<script>alert" not in page.content and b"is not a version code" in page.content


def test_a_check_without_questions_is_refused_with_a_reason_and_nothing_made(db: None) -> None:
    room = factories.small_classroom()  # GAS-1 has no bank here
    response = teacher_client(room).post(
        f"/sections/{room['section'].pk}/paper/print/",
        {"objective": "GAS-1", "student": [s.pk for s in room["students"]]},
    )
    assert response.status_code == 422
    assert b'id="print-errors"' in response.content and b"Traceback" not in response.content
    assert not Attempt.objects.exists() and not PaperBatch.objects.exists()
