"""A student's own record of checks, and taking a unit's test and pre-test from the playlist, over HTTP."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from flipmastery.assessments.models import Attempt
from flipmastery.assessments.selectors import attempt_key, decided
from flipmastery.assessments.services import response_save
from flipmastery.progress.models import ProgressEvent
from tests import factories


@pytest.fixture
def room(classroom: dict[str, Any]) -> dict[str, Any]:
    factories.bank(classroom["a"], 12)
    factories.bank(classroom["b"], 12)
    return classroom


def sid(room: dict[str, Any]) -> int:
    return int(room["section"].pk)


def text(response: Any, status: int = 200) -> str:
    assert response.status_code == status, response.content[:500]
    return str(response.content.decode())


def entry(page: str, attempt: Attempt) -> str:
    return page.split(f'id="attempt-{attempt.pk}"')[1].split("</li>\n\n<li")[0].split("</ol>")[0]


def line(block: str, code: str) -> str:
    return re.sub(r"\s+", " ", block.split(f'data-code="{code}"')[1].split("</li>")[0])


def answer_all(attempt: Attempt, student: Any) -> None:
    for item in attempt_key(attempt)["items"]:
        response_save(
            attempt_id=attempt.pk,
            student=student,
            position=item["id"],
            response=item["correct_response"],
            now=timezone.now(),
        )


def later_unit(room: dict[str, Any]) -> Any:
    """A second unit whose objective needs GAS-1 from the first: the unit has a pre-test."""
    vol = factories.unit(room["course"], code="VOL", title="Volume", order=2)
    c = factories.objective(vol, code="VOL-1", statement="Read a volume.", order=1, prerequisites=[room["a"]])
    factories.bank(c, 6)
    return vol


# --- the unit test and pre-test buttons --------------------------------------------------------------


def test_playlist_offers_the_unit_test_and_a_pretest_only_where_an_earlier_unit_is_needed(
    as_user: Any, room: dict[str, Any]
) -> None:
    later_unit(room)
    page = text(as_user(room["students"][0]).get(f"/sections/{sid(room)}/playlist/"))
    gas = page.split('id="unit-tests-GAS"')[1].split("</div>")[0]
    vol = page.split('id="unit-tests-VOL"')[1].split("</div>")[0]
    assert f'action="/sections/{sid(room)}/units/GAS/test/"' in gas and "Take the unit test" in gas
    assert "pretest" not in gas  # GAS-2 needs GAS-1, in the same unit: nothing earlier to check
    assert (
        'hx-boost="false"' in gas
    )  # a full page load, as "Take the check": the check page runs its own script
    assert f'action="/sections/{sid(room)}/units/VOL/pretest/"' in vol and "Take the pre-test" in vol
    assert 'name="csrfmiddlewaretoken"' in vol
    assert (
        f'href="/sections/{sid(room)}/my-checks/"' in page.split('class="small map-link"')[1].split("</p>")[0]
    )


def test_taking_the_unit_test_starts_it_resumes_it_and_says_what_is_left_out(
    as_user: Any, room: dict[str, Any]
) -> None:
    asha = as_user(room["students"][0])
    response = asha.post(f"/sections/{sid(room)}/units/GAS/test/")
    attempt = Attempt.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/attempts/{attempt.pk}/"
    assert (attempt.kind, attempt.unit, set(attempt.thresholds)) == ("unit_test", room["unit"], {"GAS-1"})
    again = asha.post(f"/sections/{sid(room)}/units/GAS/test/")  # a double click resumes, never a second
    assert again["Location"] == f"/attempts/{attempt.pk}/" and Attempt.objects.count() == 1
    page = text(asha.get(f"/attempts/{attempt.pk}/"))
    left = page.split('id="left-out"')[1].split("</section>")[0]
    assert "Not in this test:" in left
    assert re.findall(r'<li data-code="([^"]+)">([^<]*)</li>', left) == [
        ("GAS-2", "GAS-2 is locked: master its prerequisites first.")
    ]


def test_a_check_page_names_nothing_left_out(as_user: Any, room: dict[str, Any]) -> None:
    client = as_user(room["students"][0])
    client.post(f"/sections/{sid(room)}/objectives/GAS-1/check/")
    assert 'id="left-out"' not in text(client.get(f"/attempts/{Attempt.objects.get().pk}/"))


def test_a_refused_unit_test_is_said_in_place_and_starts_nothing(as_user: Any, room: dict[str, Any]) -> None:
    asha = room["students"][0]
    for o in (room["a"], room["b"]):
        factories.mastered(room["section"], asha, o)
    events = ProgressEvent.objects.count()
    client = as_user(asha)
    response = client.post(f"/sections/{sid(room)}/units/GAS/test/")
    page = text(response, 409)
    assert (
        "You cannot take the unit test now" in page
        and "Every objective of Gas Laws is mastered already." in page
    )
    htmx = client.post(f"/sections/{sid(room)}/units/GAS/test/", headers={"HX-Request": "true"})
    assert htmx.status_code == 409 and 'role="alert"' in htmx.content.decode()
    assert Attempt.objects.count() == 0 and ProgressEvent.objects.count() == events


def test_the_pretest_starts_over_the_earlier_units_prerequisites(as_user: Any, room: dict[str, Any]) -> None:
    later_unit(room)
    response = as_user(room["students"][0]).post(f"/sections/{sid(room)}/units/VOL/pretest/")
    attempt = Attempt.objects.get()
    assert response["Location"] == f"/attempts/{attempt.pk}/"
    assert (attempt.kind, set(attempt.thresholds), attempt.items.count()) == ("pretest", {"GAS-1"}, 1)


def test_unit_tests_are_only_for_the_sections_students(as_user: Any, room: dict[str, Any]) -> None:
    assert as_user(room["outsider"]).post(f"/sections/{sid(room)}/units/GAS/test/").status_code == 404
    assert as_user(room["teacher"]).post(f"/sections/{sid(room)}/units/GAS/test/").status_code == 404
    assert as_user(room["students"][0]).post(f"/sections/{sid(room)}/units/NOPE/test/").status_code == 404
    assert as_user(room["students"][0]).get(f"/sections/{sid(room)}/units/GAS/test/").status_code == 405
    assert Attempt.objects.count() == 0


def test_starting_a_unit_test_needs_the_csrf_token(room: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(room["students"][0])
    assert client.post(f"/sections/{sid(room)}/units/GAS/test/").status_code == 403
    assert Attempt.objects.count() == 0


# --- the history page ----------------------------------------------------------------------------------


def test_history_lists_every_attempt_newest_first_with_verdict_and_the_domains_state_now(
    as_user: Any, room: dict[str, Any]
) -> None:
    asha = room["students"][0]
    client = as_user(asha)
    client.post(f"/sections/{sid(room)}/objectives/GAS-1/check/")
    first = Attempt.objects.get()
    answer_all(first, asha)
    assert client.post(f"/attempts/{first.pk}/submit/").status_code == 302  # GAS-1 mastered
    client.post(f"/sections/{sid(room)}/units/GAS/test/")
    second = Attempt.objects.get(kind="unit_test")
    assert set(second.thresholds) == {"GAS-2"}  # GAS-1 is mastered: the test leaves it out
    answer_all(second, asha)
    client.post(f"/attempts/{second.pk}/submit/")  # passed, but the lab is still to be signed off

    page = text(client.get(f"/sections/{sid(room)}/my-checks/"))
    assert page.index(f'id="attempt-{second.pk}"') < page.index(f'id="attempt-{first.pk}"')
    one, two = entry(page, first), entry(page, second)
    assert "100 %" in line(one, "GAS-1") and "check passed" in line(one, "GAS-1")
    assert "state-MASTERED" in line(one, "GAS-1") and f'href="/attempts/{first.pk}/"' in one
    second.refresh_from_db()
    truth = {o["code"]: o for o in decided(second)}
    assert (truth["GAS-2"]["passed"], truth["GAS-2"]["mastered"]) == (True, False)
    assert "check passed" in line(two, "GAS-2") and f"state-{truth['GAS-2']['state']}" in line(two, "GAS-2")
    assert "Unit test GAS" in two and f'href="/attempts/{second.pk}/"' in two
    assert "in progress" not in page
    assert "on paper" not in page


def test_history_marks_an_open_unit_test_in_progress(as_user: Any, room: dict[str, Any]) -> None:
    client = as_user(room["students"][0])
    client.post(f"/sections/{sid(room)}/units/GAS/test/")
    attempt = Attempt.objects.get()
    block = entry(text(client.get(f"/sections/{sid(room)}/my-checks/")), attempt)
    assert "Unit test GAS" in block and "in progress" in block and f'href="/attempts/{attempt.pk}/"' in block
    assert "check passed" not in block and "Not yet" not in block and "%" not in line(block, "GAS-1")


def test_history_marks_paper_copies_and_links_no_open_sheet(as_user: Any, room: dict[str, Any]) -> None:
    asha = room["students"][0]
    now = timezone.now()
    sheet = Attempt.objects.create(
        section=room["section"], student=asha, objective=room["a"], seed=1, started_at=now,
        thresholds={"GAS-1": 0.8}, paper_code="ABCD2345",
    )  # fmt: skip
    page = text(as_user(asha).get(f"/sections/{sid(room)}/my-checks/"))
    block = entry(page, sheet)
    assert "on paper" in block and "in progress" in block and "/attempts/" not in block


def test_history_shows_only_the_students_own_attempts(as_user: Any, room: dict[str, Any]) -> None:
    asha, ben = room["students"]
    now = timezone.now()
    theirs = Attempt.objects.create(
        section=room["section"], student=ben, objective=room["a"], seed=1, started_at=now,
        thresholds={"GAS-1": 0.8},
    )  # fmt: skip
    page = text(as_user(asha).get(f"/sections/{sid(room)}/my-checks/"))
    assert f"attempt-{theirs.pk}" not in page and "You have not taken a check in this class yet." in page


@pytest.mark.parametrize("who", ["outsider", "teacher"])
def test_history_is_a_404_for_anyone_but_the_sections_students(
    as_user: Any, room: dict[str, Any], who: str
) -> None:
    assert as_user(room[who]).get(f"/sections/{sid(room)}/my-checks/").status_code == 404


def test_history_sends_the_anonymous_to_log_in(client: Client, room: dict[str, Any]) -> None:
    response = client.get(f"/sections/{sid(room)}/my-checks/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def make_attempts(room: dict[str, Any], n: int, first: int = 0) -> None:
    asha = room["students"][0]
    start = timezone.now() - timedelta(days=30)
    for i in range(first, first + n):
        kind = ("check", "unit_test", "pretest")[i % 3]
        code = ("GAS-1", "GAS-2")[i % 2]
        Attempt.objects.create(
            section=room["section"],
            student=asha,
            objective=room["a"] if kind == "check" else None,
            unit=room["unit"] if kind != "check" else None,
            kind=kind,
            state="submitted",
            seed=i,
            started_at=start + timedelta(hours=i),
            submitted_at=start + timedelta(hours=i, minutes=10),
            thresholds={code: 0.8},
            result={
                "objectives": [
                    {"code": code, "score": 0.5, "threshold": 0.8, "passed": False, "pending": False}
                ]
            },
            paper_code=f"PAPR{i:04d}" if i % 4 == 0 else None,
        )


def test_history_costs_the_same_queries_for_2_and_12_attempts(as_user: Any, room: dict[str, Any]) -> None:
    client = as_user(room["students"][0])
    url = f"/sections/{sid(room)}/my-checks/"
    make_attempts(room, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        text(client.get(url))
    make_attempts(room, 10, first=2)
    with CaptureQueriesContext(connection) as many:
        page = text(client.get(url))
    assert page.count('class="card my-check"') == 12
    assert len(many.captured_queries) == len(few.captured_queries)


def test_history_and_unit_test_button_in_hindi(as_user: Any, room: dict[str, Any], settings: Any) -> None:
    client = as_user(room["students"][0])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    client.post(f"/sections/{sid(room)}/units/GAS/test/")
    page = text(client.get(f"/sections/{sid(room)}/my-checks/"))
    assert "मेरी जाँचें" in page and "इकाई परीक्षा GAS" in page and "चल रही है" in page
    assert "इस परीक्षा में नहीं:" in text(client.get(f"/attempts/{Attempt.objects.get().pk}/"))
    assert "इकाई परीक्षा दें" in text(client.get(f"/sections/{sid(room)}/playlist/"))


def test_an_archived_sections_playlist_offers_no_unit_test(as_user: Any, room: dict[str, Any]) -> None:
    room["section"].archived_at = timezone.now()
    room["section"].save(update_fields=["archived_at"])
    page = text(as_user(room["students"][0]).get(f"/sections/{sid(room)}/playlist/"))
    assert 'id="unit-tests-GAS"' not in page and "/my-checks/" in page
