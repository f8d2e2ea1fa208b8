"""A grid cell opened and acted on over HTTP: the panel says what the replay says, every action goes through
the queue's service and the grid then shows the new state; refusals are said and write nothing; a student
or another section's teacher gets nothing; the panel reads a fixed number of queries."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from flipmastery.cockpit.replays import forget
from flipmastery.progress.models import ProgressEvent
from tests import factories
from tests.cockpit.conftest import event, failed, scored

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _fresh_replays() -> Iterator[None]:
    forget()
    yield
    forget()


def cell_url(room: dict[str, Any], student: Any, objective: Any, tail: str = "") -> str:
    return f"/sections/{room['section'].pk}/grid/cell/{student.pk}/{objective.pk}/{tail}"


def grid_state(client: Client, room: dict[str, Any], student: Any, objective: Any) -> str:
    """The state word the class grid shows in this student's cell of this objective."""
    page = client.get(f"/sections/{room['section'].pk}/grid/").content.decode()
    link = f'<a class="cell" href="{cell_url(room, student, objective)}"'
    found = re.search(r'<td class="c state-([A-Z_]+)"[^>]*>' + re.escape(link), page)
    assert found, "the cell is not on the grid"
    return found.group(1)


def panel_state(page: str) -> str:
    found = re.search(r'<span class="badge state-([A-Z_]+)" id="cell-state">', page)
    assert found, "the panel shows no state"
    return found.group(1)


def post(client: Client, room: dict[str, Any], student: Any, objective: Any, **form: Any) -> Any:
    return client.post(cell_url(room, student, objective, "record/"), form, **HTMX)


# --- the panel ---------------------------------------------------------------------------------------------


def test_the_panel_shows_the_state_history_attempts_and_the_actions_that_apply(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    asha, _ben = classroom["students"]
    failed(classroom, asha, classroom["a"])
    attempt = scored(classroom, asha, classroom["a"], 0.5)
    client = as_user(classroom["teacher"])
    whole = client.get(cell_url(classroom, asha, classroom["a"]))
    alone = client.get(cell_url(classroom, asha, classroom["a"]), **HTMX)
    assert whole.status_code == alone.status_code == 200
    page, part = whole.content.decode(), alone.content.decode()
    assert "<html" in page and "<html" not in part  # htmx gets the panel alone, for the dialog
    assert 'href="/sections/' in page and "Back to the class grid" in page
    assert page.count("<h1") == 1 and '<h1 id="cell-title"' in page  # the page's own heading
    assert "<h1" not in part and '<h2 id="cell-title"' in part  # in the grid's dialog, under its h1
    for shown in (page, part):
        assert panel_state(shown) == "NOT_YET" == grid_state(client, classroom, asha, classroom["a"])
        assert "Explain gas pressure." in shown and "GAS-1" in shown
        assert "a retake needs:" in shown and "another way to learn it" in shown and "a conference" in shown
        assert f'href="/attempts/{attempt.pk}/"' in shown and "50%" in shown  # the attempt, its score, a link
        assert shown.count('<tr class="kind-') == 2  # its history: the check started, and its result
        assert 'value="release"' in shown  # the retake is still closed: a release is offered
        assert 'value="pass"' in shown and 'value="not_yet"' in shown and 'value="override"' in shown
        assert 'name="reason"' in shown and "required" in shown
    ready = client.get(cell_url(classroom, classroom["students"][1], classroom["a"]), **HTMX).content.decode()
    assert panel_state(ready) == "READY"
    assert 'value="release"' not in ready  # nothing to release


def test_a_sign_off_is_offered_for_each_missing_required_activity(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    _asha, ben = classroom["students"]
    factories.mastered(classroom["section"], ben, classroom["a"])
    event(classroom, ben, classroom["b"], "check_result", "LEARNING", outcome=True)
    page = (
        as_user(classroom["teacher"]).get(cell_url(classroom, ben, classroom["b"]), **HTMX).content.decode()
    )
    assert panel_state(page) == "LEARNING" and "check passed: activities to sign off" in page
    assert f'name="activity" value="{classroom["lab"].pk}"' in page and re.search(
        r"Sign off: <span lang=\"\w+\">Boyle&#x27;s Law Lab</span>", page
    )


# --- each action changes what the grid shows ----------------------------------------------------------------


def test_a_verbal_check_opens_the_retake_after_the_other_way_to_learn_it(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    asha, _ben = classroom["students"]
    failed(classroom, asha, classroom["a"])
    event(classroom, asha, classroom["a"], "used", "NOT_YET", ref=str(classroom["alternate"].pk))
    client = as_user(classroom["teacher"])
    assert grid_state(client, classroom, asha, classroom["a"]) == "NOT_YET"
    response = post(client, classroom, asha, classroom["a"], action="pass", note="explained it", tags="units")
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "grid-changed"  # the grid asks for its rows
    page = response.content.decode()
    assert "Verbal check recorded: understands." in page and panel_state(page) == "READY_TO_RETAKE"
    assert grid_state(client, classroom, asha, classroom["a"]) == "READY_TO_RETAKE"
    recorded = ProgressEvent.objects.get(student=asha, kind="verbal")
    assert (recorded.outcome, recorded.note, recorded.tags, recorded.actor) == (
        True,
        "explained it",
        ["units"],
        classroom["teacher"],
    )
    assert "explained it" in page  # in the panel's history at once


def test_signing_off_the_last_activity_of_a_passed_check_is_mastery(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    _asha, ben = classroom["students"]
    factories.mastered(classroom["section"], ben, classroom["b"].prerequisites.get())
    event(classroom, ben, classroom["b"], "check_result", "LEARNING", outcome=True)
    client = as_user(classroom["teacher"])
    assert grid_state(client, classroom, ben, classroom["b"]) == "LEARNING"
    response = post(client, classroom, ben, classroom["b"], action="activity", activity=classroom["lab"].pk)
    assert "Activity signed off." in response.content.decode()
    assert panel_state(response.content.decode()) == "MASTERED"
    assert grid_state(client, classroom, ben, classroom["b"]) == "MASTERED"


def test_a_release_opens_the_retake(as_user: Any, classroom: dict[str, Any]) -> None:
    asha, _ben = classroom["students"]
    failed(classroom, asha, classroom["a"])
    client = as_user(classroom["teacher"])
    response = post(client, classroom, asha, classroom["a"], action="release")
    assert "Retake released." in response.content.decode()
    assert grid_state(client, classroom, asha, classroom["a"]) == "READY_TO_RETAKE"
    assert 'value="release"' not in response.content.decode()  # open now: no release offered


def test_an_override_with_a_reason_sets_the_state(as_user: Any, classroom: dict[str, Any]) -> None:
    asha, _ben = classroom["students"]
    client = as_user(classroom["teacher"])
    response = post(
        client,
        classroom,
        asha,
        classroom["a"],
        action="override",
        state="MASTERED",
        reason="showed me in lab",
    )
    assert "State set." in response.content.decode()
    assert grid_state(client, classroom, asha, classroom["a"]) == "MASTERED"
    assert grid_state(client, classroom, asha, classroom["b"]) == "READY"  # GAS-2 opened with it
    assert ProgressEvent.objects.get(student=asha, kind="override").reason == "showed me in lab"


def test_a_plain_form_post_comes_back_to_the_cells_page(as_user: Any, classroom: dict[str, Any]) -> None:
    asha, _ben = classroom["students"]
    client = as_user(classroom["teacher"])
    query = "?sort=behind&projector=1&names=initials"
    response = client.post(
        cell_url(classroom, asha, classroom["a"], "record/" + query),
        {"action": "override", "state": "MASTERED", "reason": "r"},
    )
    assert response.status_code == 302
    assert (
        response.headers["Location"] == cell_url(classroom, asha, classroom["a"]) + query + "&done=override"
    )
    page = client.get(response.headers["Location"]).content.decode()
    assert "State set." in page and panel_state(page) == "MASTERED"


# --- refusals ---------------------------------------------------------------------------------------


def test_an_override_without_a_reason_is_refused_and_changes_nothing(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    asha, _ben = classroom["students"]
    client = as_user(classroom["teacher"])
    before = ProgressEvent.objects.count()
    response = post(client, classroom, asha, classroom["a"], action="override", state="MASTERED", reason="  ")
    assert response.status_code == 200  # htmx swaps only 2xx: the panel says it
    page = response.content.decode()
    assert 'role="alert"' in page and "an override needs the state to set and a reason" in page
    assert 'aria-invalid="true"' in page and "HX-Trigger" not in response.headers
    assert ProgressEvent.objects.count() == before
    assert grid_state(client, classroom, asha, classroom["a"]) == "READY"
    plain = client.post(cell_url(classroom, asha, classroom["a"], "record/"), {"action": "override"})
    assert plain.status_code == 422 and "a reason" in plain.content.decode()
    nothing = post(client, classroom, asha, classroom["a"], action="dance")
    assert "choose what to record" in nothing.content.decode()
    assert ProgressEvent.objects.count() == before


@pytest.mark.parametrize("who", ["student", "other_teacher"])
def test_a_student_and_another_sections_teacher_are_refused(
    as_user: Any, classroom: dict[str, Any], who: str
) -> None:
    asha, _ben = classroom["students"]
    person = asha if who == "student" else classroom["other_teacher"]
    client = as_user(person)
    before = ProgressEvent.objects.count()
    assert client.get(cell_url(classroom, asha, classroom["a"])).status_code == 404
    form = {"action": "override", "state": "MASTERED", "reason": "me"}
    assert client.post(cell_url(classroom, asha, classroom["a"], "record/"), form).status_code == 404
    signoff = f"/sections/{classroom['section'].pk}/grid/signoff/"
    assert client.get(signoff).status_code == 404
    assert client.post(signoff, {"activity": classroom["lab"].pk, "student": asha.pk}).status_code == 404
    assert ProgressEvent.objects.count() == before


def test_a_student_or_objective_outside_the_section_is_not_found(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    asha, _ben = classroom["students"]
    client = as_user(classroom["teacher"])
    elsewhere = factories.objective(factories.unit(), code="ELSE-1")
    form = {"action": "override", "state": "MASTERED", "reason": "r"}
    for student, objective in ((classroom["outsider"], classroom["a"]), (asha, elsewhere)):
        assert client.get(cell_url(classroom, student, objective)).status_code == 404
        assert client.post(cell_url(classroom, student, objective, "record/"), form).status_code == 404
    assert ProgressEvent.objects.count() == 0


# --- what the panel costs ---------------------------------------------------------------------------

# session, user, section (access); student, objective; the student's events (the replay; the course's facts
# are kept by the process once a page has read them); the objective's activities, attempts,
# history; the objective's guided notes templates (and, only when it has some, the student's notes)
PANEL_QUERIES = 10


@pytest.mark.parametrize("checks", [1, 12])
def test_the_panel_reads_a_fixed_number_of_queries(
    as_user: Any, classroom: dict[str, Any], django_assert_num_queries: Any, checks: int
) -> None:
    asha, _ben = classroom["students"]
    for n in range(checks):
        failed(classroom, asha, classroom["a"], ago=timedelta(hours=3 * checks - 3 * n))
        scored(classroom, asha, classroom["a"], 0.5, ago=timedelta(hours=3 * checks - 3 * n - 1))
    client = as_user(classroom["teacher"])
    client.get(cell_url(classroom, asha, classroom["b"]), **HTMX)  # the course's facts, read once
    with django_assert_num_queries(PANEL_QUERIES + 1):  # + the prescribed ways' titles, after "not yet"
        page = client.get(cell_url(classroom, asha, classroom["a"]), **HTMX).content.decode()
    assert page.count('href="/attempts/') == checks
    ben = classroom["students"][1]
    with django_assert_num_queries(PANEL_QUERIES):
        client.get(cell_url(classroom, ben, classroom["a"]), **HTMX)


def test_the_history_and_attempts_are_newest_first(as_user: Any, classroom: dict[str, Any]) -> None:
    asha, _ben = classroom["students"]
    old = scored(classroom, asha, classroom["a"], 0.4, ago=timedelta(days=2))
    new = scored(classroom, asha, classroom["a"], 0.9, ago=timedelta(hours=1))
    event(classroom, asha, classroom["a"], "help", "READY", ago=timedelta(days=3))
    page = (
        as_user(classroom["teacher"]).get(cell_url(classroom, asha, classroom["a"]), **HTMX).content.decode()
    )
    assert page.index(f"/attempts/{new.pk}/") < page.index(f"/attempts/{old.pk}/")
    assert "90%" in page and "40%" in page
    assert "GAS-2" not in page.split("History", 1)[1]  # the history of the other objective is not here


@pytest.mark.parametrize(("names", "shown"), [("initials", "A. V."), ("first", "Asha"), ("numbers", "#1")])
def test_on_the_projector_the_panel_names_the_student_as_the_grid_does(
    as_user: Any, classroom: dict[str, Any], names: str, shown: str
) -> None:
    asha, ben = classroom["students"]
    asha.first_name, asha.last_name = "Asha", "Verma"
    asha.save()
    ben.first_name, ben.last_name = "Ben", "Thomas"
    ben.save()
    client = as_user(classroom["teacher"])
    query = f"?projector=1&names={names}"
    page = client.get(cell_url(classroom, asha, classroom["a"]) + query, **HTMX).content.decode()
    assert f'<span class="cell-who">{shown}</span>' in page
    words = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)  # a random token may hold anything
    assert "Verma" not in words and "asha" not in words and "/history" not in words  # no way into the record
    assert (
        f'hx-post="{cell_url(classroom, asha, classroom["a"], "record/")}?projector=1&amp;names={names}"'
        in page
    )
    grid = client.get(f"/sections/{classroom['section'].pk}/grid/{query}").content.decode()
    assert f'<span class="anon">{shown}</span>' in grid and "grid-changed from:body" in grid


def test_an_archived_sections_cells_and_sign_offs_are_read_only(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    asha, _ben = classroom["students"]
    section = classroom["section"]
    section.archived_at = section.created_at
    section.save()
    client = as_user(classroom["teacher"])
    assert client.get(cell_url(classroom, asha, classroom["a"])).status_code == 200  # still there to read
    form = {"action": "override", "state": "MASTERED", "reason": "r"}
    assert client.post(cell_url(classroom, asha, classroom["a"], "record/"), form).status_code == 409
    signoff = {"activity": classroom["lab"].pk, "student": [asha.pk], "who": "ticked"}
    assert client.post(f"/sections/{section.pk}/grid/signoff/", signoff).status_code == 409
    assert ProgressEvent.objects.count() == 0
