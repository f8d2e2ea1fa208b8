"""Exit slips through HTTP: a teacher starts one, students answer on their devices, the teacher reads the
results and tomorrow's groups; who may do what; the key never reaches a student; query counts pinned."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from flipmastery.exitslips.models import ExitSlip, SlipAnswer
from flipmastery.progress.models import ProgressEvent
from tests import factories

TYPED = {
    "objective": "GAS-1",
    "t1-kind": "single_choice",
    "t1-text": "What is pressure?",
    "t1-choices": "*Force per area\nThe force itself | force vs pressure\nThe area alone",
    "t2-kind": "true_false",
    "t2-text": "Gas pressure comes from molecules hitting the walls.",
    "t2-answer": "true",
    "t2-tag": "pressure is weight",
}


def login(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def start(room: dict[str, Any], data: dict[str, Any] | None = None) -> ExitSlip:
    teacher = login(room["teacher"])
    answer = teacher.post(f"/sections/{room['section'].pk}/exit-slips/", data or TYPED)
    slip = ExitSlip.objects.get()
    assert (
        answer.status_code == 302
        and answer["Location"] == f"/sections/{room['section'].pk}/exit-slips/{slip.pk}/"
    )
    return slip


def label(slip: ExitSlip, position: int, text: str) -> str:
    return next(c["id"] for c in slip.items.get(position=position).shown["choices"] if text in str(c["html"]))


def answer(
    client: Client, room: dict[str, Any], slip: ExitSlip, position: int, value: str, htmx: bool = True
) -> Any:
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(
        f"/sections/{room['section'].pk}/exit-slip/{slip.pk}/{position}/", {"answer": value}, **headers
    )


@pytest.mark.django_db
def test_a_teacher_runs_an_exit_slip_and_sees_tomorrows_groups(room: dict[str, Any]) -> None:
    section = room["section"]
    events = ProgressEvent.objects.count()
    form = login(room["teacher"]).get(f"/sections/{section.pk}/exit-slips/?objective=GAS-1").content.decode()
    assert "Q0: which law is PV = k?" in form and 'name="t1-text"' in form
    slip = start(room)
    asha, ben, carl = room["students"]
    phone_a, phone_b, phone_c = login(asha), login(ben), login(carl)

    playlist = phone_a.get(f"/sections/{section.pk}/playlist/").content.decode()
    assert "Exit slip: 2 questions" in playlist
    page = phone_a.get(f"/sections/{section.pk}/exit-slip/").content.decode()
    assert "What is pressure?" in page and "Question 2 of 2" in page

    saved = answer(phone_a, room, slip, 1, label(slip, 1, "Force per"))
    assert saved.status_code == 200 and "Thanks — your teacher will read it" in saved.content.decode()
    answer(phone_a, room, slip, 2, "true")
    answer(phone_b, room, slip, 1, label(slip, 1, "force itself"))
    answer(phone_b, room, slip, 2, "false")
    answer(phone_c, room, slip, 1, label(slip, 1, "force itself"))
    answer(phone_c, room, slip, 2, "true")

    teacher = login(room["teacher"])
    live = teacher.get(f"/sections/{section.pk}/exit-slips/{slip.pk}/").content.decode()
    assert (
        "3 of 3 students answered." in live
        and "33 % right (1 of 3)" in live
        and "67 % right (2 of 3)" in live
    )
    assert "force vs pressure × 2" in live
    assert teacher.post(f"/sections/{section.pk}/exit-slips/{slip.pk}/close/").status_code == 302
    assert ExitSlip.objects.get().closed_at is not None

    groups = teacher.get(f"/sections/{section.pk}/groups/").content.decode()
    block = groups[groups.index("From today") :]
    assert re.search(
        r"force vs pressure</span>\s*missed Q1</h3>\s*<ul class=\"members\"><li>ben</li><li>carl</li>", block
    )
    assert "Ready to move on:</strong> asha" in block
    ben_and_carl = [room["students"][1].pk, room["students"][2].pk]
    decide = {"objective": "GAS-1", "reason": "tag:force vs pressure", "student": ben_and_carl}
    assert (
        teacher.post(f"/sections/{section.pk}/groups/decide/", {**decide, "decision": "accept"}).status_code
        == 302
    )
    again = teacher.get(f"/sections/{section.pk}/groups/").content.decode()
    assert 'class="card group slip-group"' not in again and "Ready to move on:</strong> asha" in again
    assert 'class="card group is-accepted"' in again
    assert ProgressEvent.objects.count() == events  # evidence for the teacher, never a mastery decision
    assert "Exit slip:" not in phone_a.get(f"/sections/{section.pk}/playlist/").content.decode()


@pytest.mark.django_db
def test_a_student_never_receives_the_key_nor_a_score(room: dict[str, Any]) -> None:
    slip = start(room)
    phone = login(room["students"][0])
    wrong = answer(phone, room, slip, 1, label(slip, 1, "The area"), htmx=False)
    assert wrong.status_code == 302
    page = phone.get(f"/sections/{room['section'].pk}/exit-slip/").content.decode()
    for secret in ("fraction", "force vs pressure", "pressure is weight", "correct", "wrong", "%"):
        assert secret not in page
    assert "Thanks — your teacher will read it." in page


@pytest.mark.django_db
def test_only_the_sections_teachers_start_close_and_read_a_slip(room: dict[str, Any]) -> None:
    section = room["section"]
    base = f"/sections/{section.pk}/exit-slips/"
    for person in (room["students"][0], room["other_teacher"]):
        client = login(person)
        assert client.get(base).status_code == 404
        assert client.post(base, TYPED).status_code == 404
    assert not ExitSlip.objects.exists()
    slip = start(room)
    for person in (room["students"][0], room["other_teacher"]):
        client = login(person)
        for url in ("", "sheet/", "paper/", "?part=live"):
            assert client.get(f"{base}{slip.pk}/{url}").status_code == 404
        assert client.post(f"{base}{slip.pk}/close/").status_code == 404
        assert (
            client.post(f"{base}{slip.pk}/paper/", {f"m-{room['students'][1].pk}-1": "right"}).status_code
            == 404
        )
    assert ExitSlip.objects.get().closed_at is None and not SlipAnswer.objects.exists()


@pytest.mark.django_db
def test_only_enrolled_students_answer_and_only_while_it_is_open(room: dict[str, Any]) -> None:
    slip = start(room)
    outsider = login(room["outsider"])
    assert answer(outsider, room, slip, 1, "a").status_code == 404
    assert outsider.get(f"/sections/{room['section'].pk}/exit-slip/").status_code == 404
    phone = login(room["students"][0])
    refused = answer(phone, room, slip, 1, "zz")
    assert refused.status_code == 422 and "not a possible answer to question 1" in refused.content.decode()
    assert answer(phone, room, slip, 9, "a").status_code == 404
    login(room["teacher"]).post(f"/sections/{room['section'].pk}/exit-slips/{slip.pk}/close/")
    closed = answer(phone, room, slip, 1, label(slip, 1, "Force per"), htmx=False)
    assert closed.status_code == 422 and "No exit slip is open now." in closed.content.decode()
    assert not SlipAnswer.objects.exists()


@pytest.mark.django_db
def test_bad_start_says_what_and_where_and_makes_nothing(room: dict[str, Any]) -> None:
    teacher = login(room["teacher"])
    url = f"/sections/{room['section'].pk}/exit-slips/"
    bad = teacher.post(url, {**TYPED, "t1-choices": "Force per area\nThe force"})
    assert bad.status_code == 422
    assert "Typed question 1: mark exactly one choice as right" in bad.content.decode()
    none = teacher.post(url, {"objective": "GAS-1"})
    assert none.status_code == 422 and "1 to 3 questions" in none.content.decode()
    assert teacher.post(url, {**TYPED, "objective": "NOPE"}).status_code == 422
    assert not ExitSlip.objects.exists()


@pytest.mark.django_db
def test_paper_sheet_has_no_key_and_paper_marks_make_groups(room: dict[str, Any]) -> None:
    slip = start(room)
    teacher = login(room["teacher"])
    base = f"/sections/{room['section'].pk}/exit-slips/{slip.pk}/"
    sheet = teacher.get(f"{base}sheet/").content.decode()
    assert sheet.count('class="slip-sheet"') == 3 and "force vs pressure" not in sheet and "Name" in sheet
    asha, ben, carl = room["students"]
    marks = {
        f"m-{asha.pk}-1": "right", f"m-{asha.pk}-2": "right",
        f"m-{ben.pk}-1": "wrong", f"tag-{ben.pk}-1": "force vs pressure",
        f"m-{carl.pk}-1": "wrong", f"tag-{carl.pk}-1": "force vs pressure", f"m-{carl.pk}-2": "",
    }  # fmt: skip
    assert teacher.post(f"{base}paper/", marks).status_code == 302
    assert SlipAnswer.objects.filter(source="paper").count() == 4
    # the page comes back with every mark ticked: saving it again changes nothing, a device answer kept
    SlipAnswer.objects.filter(student=asha, item__position=1).update(source="device", response=True)
    assert teacher.post(f"{base}paper/", marks).status_code == 302
    assert SlipAnswer.objects.get(student=asha, item__position=1).source == "device"
    groups = teacher.get(f"/sections/{room['section'].pk}/groups/").content.decode()
    assert "<li>ben</li><li>carl</li>" in groups and "Ready to move on:</strong> asha" in groups


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_the_results_page_query_count_does_not_grow_with_the_class(
    room: dict[str, Any], django_assert_num_queries: Any, size: int
) -> None:
    slip = start(room)
    for i in range(size - 3):
        s = factories.student(username=f"s{i:02}")
        room["section"].enrollments.create(student=s)
        SlipAnswer.objects.create(
            item=slip.items.get(position=1),
            student=s,
            correct=i % 2 == 0,
            tag="t",
            answered_at=slip.started_at,
        )
    client = login(room["teacher"])
    url = f"/sections/{room['section'].pk}/exit-slips/{slip.pk}/"
    # session, user, section (access), slip, items, answers, roster
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(7):
        assert client.get(url + "?part=live").status_code == 200
