"""The student's playlist stays short (locked objectives folded away) and its next-step box follows what the
student just did; a worksheet's answers stay hidden until the student asks or the teacher allows."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from flipmastery.classroom.models import Section
from flipmastery.progress.models import LearningObjectUse
from tests import factories
from tests.web.test_check_pages import full_bank, started

ANSWERS = "**Answer:** $P_2 = 150$ kPa"
SHOWN = "<strong>Answer:</strong>"  # the Markdown, rendered


def get(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def playlist(client: Client, room: dict[str, Any], query: str = "") -> str:
    return get(client, f"/sections/{room['section'].pk}/playlist/{query}")


def next_box(page: str) -> str:
    return page.split('<section class="next"', 1)[1].split("</section>", 1)[0]


def used(client: Client, room: dict[str, Any], lo: Any, **headers: Any) -> Any:
    return client.post(f"/sections/{room['section'].pk}/learn/{lo.pk}/used/", **headers)


# --- locked objectives, folded ----------------------------------------------------------------------------


def test_locked_objectives_fold_into_one_closed_group(as_user: Any, classroom: dict[str, Any]) -> None:
    for n in range(3, 7):  # GAS-3 … GAS-6, each after GAS-2 (locked too)
        factories.objective(classroom["unit"], code=f"GAS-{n}", order=n, prerequisites=[classroom["b"]])

    page = playlist(as_user(classroom["students"][0]), classroom)

    opened, folded = page.split('<details class="locked-group" id="locked-GAS">', 1)
    folded = folded.split("</details>", 1)[0]
    assert "<summary>5 locked objectives: GAS-2, GAS-3, GAS-4, …</summary>" in folded
    assert " open" not in page.split('<details class="locked-group"', 1)[1].split(">", 1)[0]
    assert re.findall(r'id="obj-(GAS-\d)"', opened) == ["GAS-1"]
    assert re.findall(r'id="obj-(GAS-\d)"', folded) == ["GAS-2", "GAS-3", "GAS-4", "GAS-5", "GAS-6"]
    assert "Master first:" in folded  # each locked card still says what opens it


def test_nothing_is_folded_when_nothing_is_locked(as_user: Any, classroom: dict[str, Any]) -> None:
    student = classroom["students"][0]
    factories.mastered(classroom["section"], student, classroom["a"])

    page = playlist(as_user(student), classroom)

    assert "locked-group" not in page
    assert re.findall(r'id="obj-(GAS-\d)"', page) == ["GAS-1", "GAS-2"]


# --- the next step follows what was just done -------------------------------------------------------------


def test_after_using_a_way_to_learn_it_the_check_is_next(as_user: Any, classroom: dict[str, Any]) -> None:
    client = as_user(classroom["students"][0])
    assert "Work on GAS-1: start with Video 1." in next_box(playlist(client, classroom))

    fragment = used(client, classroom, classroom["primary"], HTTP_HX_REQUEST="true").content.decode()

    assert "<strong>Done ✓</strong>" in fragment
    assert "<p>You have learnt GAS-1 one way: take its check when you are ready.</p>" in fragment
    assert f'action="/sections/{classroom["section"].pk}/objectives/GAS-1/check/"' in fragment
    assert f'href="/sections/{classroom["section"].pk}/playlist/?after=GAS-1#obj-GAS-1"' in fragment
    box = next_box(playlist(client, classroom, "?after=GAS-1"))
    assert "You have learnt GAS-1 one way: take its check when you are ready." in box
    assert "start with Video 1" not in box
    # Coming back without the link says the same: the way to learn it is used, the check is next.
    assert "take its check when you are ready" in next_box(playlist(client, classroom))


def test_when_the_teacher_approves_checks_the_step_after_is_to_say_ready(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    Section.objects.filter(pk=classroom["section"].pk).update(policy={"check_mode": "approval"})
    client = as_user(classroom["students"][0])

    fragment = used(client, classroom, classroom["alternate"], HTTP_HX_REQUEST="true").content.decode()

    assert "tell your teacher you are ready for its check." in fragment
    assert ">I'm ready for my check</button>" in fragment.replace("&#x27;", "'")


def test_after_a_not_yet_and_another_way_used_the_teacher_is_next(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    full_bank(classroom["a"], free_response=False)
    client = as_user(classroom["students"][0])
    attempt = started(client, classroom)
    client.post(f"/attempts/{attempt.pk}/submit/")  # nothing answered: not yet
    assert "Learn it another way: Video 1." in next_box(playlist(client, classroom))

    page = get(client, f"/sections/{classroom['section'].pk}/learn/{classroom['primary'].pk}/")
    assert "Next step" not in page  # not used yet: nothing to follow
    used(client, classroom, classroom["primary"])  # a plain form post, back to the page
    page = get(client, f"/sections/{classroom['section'].pk}/learn/{classroom['primary'].pk}/")

    assert "<p>Not yet on GAS-1: talk with your teacher.</p>" in page
    assert "Not yet on GAS-1: talk with your teacher." in next_box(
        playlist(client, classroom, "?after=GAS-1")
    )


def test_after_names_an_open_objective_only(as_user: Any, classroom: dict[str, Any]) -> None:
    client = as_user(classroom["students"][0])

    box = next_box(playlist(client, classroom, "?after=GAS-2"))  # locked: the playlist's own step
    nowhere = next_box(playlist(client, classroom, "?after=NOPE-9"))

    assert "Work on GAS-1: start with Video 1." in box and "Work on GAS-1: start with Video 1." in nowhere


# --- worksheet answers ------------------------------------------------------------------------------------


@pytest.fixture
def worksheet(classroom: dict[str, Any]) -> Any:
    lo = classroom["alternate"]
    lo.kind, lo.answers = "worksheet", ANSWERS
    lo.save()
    return lo


def lo_page(client: Client, room: dict[str, Any], lo: Any) -> str:
    return get(client, f"/sections/{room['section'].pk}/learn/{lo.pk}/")


def set_mode(client: Client, room: dict[str, Any], mode: str) -> Any:
    return client.post(f"/sections/{room['section'].pk}/answers/", {"mode": mode})


def allow(client: Client, room: dict[str, Any], lo: Any, value: str) -> Any:
    return client.post(f"/sections/{room['section'].pk}/learn/{lo.pk}/answers/", {"allow": value})


def test_answers_wait_behind_show_answers_by_default(
    as_user: Any, classroom: dict[str, Any], worksheet: Any
) -> None:
    page = lo_page(as_user(classroom["students"][0]), classroom, worksheet)

    assert '<details class="card answers" id="answers">' in page  # closed: no "open"
    assert "<summary>Show answers</summary>" in page
    shown = page.split('<details class="card answers" id="answers">', 1)[1].split("</details>", 1)[0]
    assert SHOWN in shown and 'lang="en"' in shown


def test_never_keeps_the_answers_on_the_server(
    as_user: Any, client: Client, classroom: dict[str, Any], worksheet: Any
) -> None:
    teacher = as_user(classroom["teacher"])
    assert set_mode(teacher, classroom, "never").status_code == 302
    assert Section.objects.get(pk=classroom["section"].pk).worksheet_answers == "never"

    client.force_login(classroom["students"][0])
    page = lo_page(client, classroom, worksheet)

    assert "Answer:" not in page and "150" not in page and 'id="answers"' not in page


def test_after_the_teacher_allows_and_not_before(
    client: Client, classroom: dict[str, Any], worksheet: Any
) -> None:
    student, teacher = classroom["students"][0], classroom["teacher"]
    client.force_login(teacher)
    set_mode(client, classroom, "teacher")
    client.force_login(student)

    before = lo_page(client, classroom, worksheet)
    assert "Your teacher will let you see the answers." in before and "150" not in before

    client.force_login(teacher)
    teachers = lo_page(client, classroom, worksheet)
    assert SHOWN in teachers and "Students see them once you allow it." in teachers
    assert ">Let students see the answers</button>" in teachers
    assert allow(client, classroom, worksheet, "1").status_code == 302
    assert ">Hide the answers again</button>" in lo_page(client, classroom, worksheet)

    client.force_login(student)
    after = lo_page(client, classroom, worksheet)
    assert "<summary>Show answers</summary>" in after and SHOWN in after

    client.force_login(teacher)
    allow(client, classroom, worksheet, "0")
    client.force_login(student)
    assert "150" not in lo_page(client, classroom, worksheet)


def test_a_learning_object_without_answers_shows_no_answers_part(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    page = lo_page(as_user(classroom["students"][0]), classroom, classroom["primary"])
    assert 'id="answers"' not in page and "Show answers" not in page


def test_only_the_sections_teachers_decide_on_answers(
    client: Client, classroom: dict[str, Any], worksheet: Any
) -> None:
    section = Section.objects.get(pk=classroom["section"].pk)
    for someone in (classroom["students"][0], classroom["other_teacher"]):
        client.force_login(someone)
        assert set_mode(client, classroom, "never").status_code == 404
        assert allow(client, classroom, worksheet, "1").status_code == 404
    section.refresh_from_db()
    assert section.worksheet_answers == "ask" and section.answers_allowed == []


def test_a_bad_mode_or_an_archived_section_changes_nothing(
    as_user: Any, classroom: dict[str, Any], worksheet: Any
) -> None:
    teacher = as_user(classroom["teacher"])

    refused = set_mode(teacher, classroom, "sometimes")
    assert refused.status_code == 422
    assert "Choose when students see the answers: ask, teacher, never." in refused.content.decode()

    Section.objects.filter(pk=classroom["section"].pk).update(archived_at=timezone.now())
    assert set_mode(teacher, classroom, "never").status_code == 409
    assert allow(teacher, classroom, worksheet, "1").status_code == 409
    section = Section.objects.get(pk=classroom["section"].pk)
    assert section.worksheet_answers == "ask" and section.answers_allowed == []


def test_the_settings_page_says_when_students_see_answers(as_user: Any, classroom: dict[str, Any]) -> None:
    teacher = as_user(classroom["teacher"])
    set_mode(teacher, classroom, "teacher")

    page = get(teacher, f"/sections/{classroom['section'].pk}/settings/")

    assert '<section class="card" aria-labelledby="answers-h" id="answers">' in page
    assert 'value="teacher" id="answers-teacher" checked>' in page
    assert 'value="ask" id="answers-ask">' in page
    assert "Saved: when students see the answers." in page
    assert LearningObjectUse.objects.count() == 0
