"""The mastery loop's pages over HTTP: "I used this", the correctives after "not yet", requests, the course
map, and the teacher's queue with its one-click answers and its cheap 304 poll."""

from __future__ import annotations

import html as html_lib
import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from flipmastery.assessments.models import Attempt
from flipmastery.assessments.selectors import attempt_key
from flipmastery.assessments.services import response_save
from flipmastery.progress.models import LearningObjectUse, ProgressEvent, QueueEntry
from flipmastery.progress.services import evidence_record, request_create
from tests import factories

HTMX = {"HX-Request": "true"}


@pytest.fixture
def room(classroom: dict[str, Any]) -> dict[str, Any]:
    factories.bank(classroom["a"], 12)
    factories.bank(classroom["b"], 6)
    return classroom


def sid(room: dict[str, Any]) -> int:
    return int(room["section"].pk)


def text(response: Any, status: int = 200) -> str:
    assert response.status_code == status, response.content[:500]
    return str(response.content.decode())


def card(page: str, code: str) -> str:
    """The playlist card of one objective."""
    return page.split(f'id="obj-{code}"')[1].split("</li>\n\n<li")[0].split("</ol>")[0]


def row(page: str, entry: QueueEntry) -> str:
    return page.split(f'id="entry-{entry.pk}"')[1].split("</li>")[0]


def start(client: Client, room: dict[str, Any], code: str = "GAS-1") -> Attempt:
    response = client.post(f"/sections/{sid(room)}/objectives/{code}/check/")
    assert response.status_code == 302, response.content[:300]
    return Attempt.objects.filter(objective__code=code).order_by("-id").first()  # type: ignore[return-value]


def fail_check(client: Client, room: dict[str, Any], code: str = "GAS-1") -> Attempt:
    attempt = start(client, room, code)
    assert client.post(f"/attempts/{attempt.pk}/submit/").status_code == 302  # nothing answered: not yet
    return attempt


def pass_check(client: Client, room: dict[str, Any], student: Any, code: str = "GAS-1") -> Attempt:
    attempt = start(client, room, code)
    for item in attempt_key(attempt)["items"]:  # the teacher's key
        response_save(
            attempt_id=attempt.pk,
            student=student,
            position=item["id"],
            response=item["correct_response"],
            now=timezone.now(),
        )
    assert client.post(f"/attempts/{attempt.pk}/submit/").status_code == 302
    return attempt


def playlist(client: Client, room: dict[str, Any]) -> str:
    return text(client.get(f"/sections/{sid(room)}/playlist/"))


def queue(client: Client, room: dict[str, Any]) -> str:
    return text(client.get(f"/sections/{sid(room)}/queue/"))


def record(client: Client, room: dict[str, Any], htmx: bool = True, **fields: Any) -> Any:
    return client.post(f"/sections/{sid(room)}/queue/record/", fields, headers=HTMX if htmx else {})


def snapshot() -> tuple[Any, ...]:
    """Everything an action could change, to check that a refused one changed nothing."""
    return (
        list(ProgressEvent.objects.values_list("id", "state")),
        list(QueueEntry.objects.values_list("id", "resolved_at")),
        list(LearningObjectUse.objects.values_list("id")),
        list(Attempt.objects.values_list("id", "state")),
    )


# --- the student: "I used this" -------------------------------------------------------------------------


def test_i_used_this_says_done_and_counts_once(as_user: Any, room: dict[str, Any]) -> None:
    asha = as_user(room["students"][0])
    url = f"/sections/{sid(room)}/learn/{room['alternate'].pk}/"
    page = text(asha.get(url))
    assert f'hx-post="{url}used/"' in page and ">I used this</button>" in page
    assert 'name="csrfmiddlewaretoken"' in page.split('class="used-form"')[1]

    done = text(asha.post(f"{url}used/", headers=HTMX))

    assert "<strong>Done ✓</strong>" in done and "<html" not in done  # the piece htmx swaps in
    assert LearningObjectUse.objects.filter(learning_object=room["alternate"]).count() == 1
    events = ProgressEvent.objects.count()
    assert asha.post(f"{url}used/").headers["Location"] == url  # a plain post goes back to the page
    assert ProgressEvent.objects.count() == events  # saying it twice changes nothing
    again = text(asha.get(url))
    assert "<strong>Done ✓</strong>" in again and ">I used this</button>" not in again
    assert "✓ used" in card(playlist(asha, room), "GAS-1")


def test_only_the_sections_students_may_say_i_used_this(as_user: Any, room: dict[str, Any]) -> None:
    url = f"/sections/{sid(room)}/learn/{room['alternate'].pk}/"
    teacher = as_user(room["teacher"])
    assert ">I used this</button>" not in text(teacher.get(url))  # the teacher previews it
    before = snapshot()
    for person in (room["teacher"], room["outsider"], room["other_teacher"]):
        assert as_user(person).post(f"{url}used/", headers=HTMX).status_code == 404
    other_lo = factories.learning_object(factories.objective())  # of another course
    asha = as_user(room["students"][0])
    assert asha.post(f"/sections/{sid(room)}/learn/{other_lo.pk}/used/").status_code == 404
    assert asha.get(f"{url}used/").status_code == 405
    assert snapshot() == before


# --- the student: not yet, and the way to a new version --------------------------------------------------


def test_not_yet_shows_why_and_the_correctives_on_the_playlist_and_the_result(
    as_user: Any, room: dict[str, Any]
) -> None:
    asha = as_user(room["students"][0])
    attempt = fail_check(asha, room)

    gas1 = card(playlist(asha, room), "GAS-1")
    assert '<span class="badge state-NOT_YET">NOT YET</span>' in gas1
    assert "<strong>Not yet: 0 % of 80 %.</strong>" in gas1
    assert "Before a new version of the check:" in gas1
    assert "Learn it another way (one is enough):" in gas1
    alternate = f"/sections/{sid(room)}/learn/{room['alternate'].pk}/"
    assert (
        f'<a href="{alternate}" lang="en">Text Section 12.1</a> <span class="step-state">(not used yet)'
        in gas1
    )
    assert 'A conference with your teacher <span class="step-state">(waiting: number 1 in the queue)' in gas1
    assert "check-start" not in gas1 and "Take a new version" not in gas1  # the gate is not open yet
    result = text(asha.get(f"/attempts/{attempt.pk}/"))
    steps = result.split('<div class="next">')[1]
    assert "<strong>Not yet: 0 % of 80 %.</strong>" in steps and "Text Section 12.1" in steps
    assert "(waiting: number 1 in the queue)" in steps

    asha.post(f"{alternate}used/", headers=HTMX)

    gas1 = card(playlist(asha, room), "GAS-1")
    assert f'<a href="{alternate}" lang="en">Text Section 12.1</a> <span class="step-state">(used ✓)' in gas1
    assert (
        '<li class="is-done"><span class="step-mark" aria-hidden="true">✓</span> Learn it another way' in gas1
    )
    assert "Take a new version" not in gas1  # the conference is still to come


def test_the_next_step_leads_to_the_corrective_then_to_the_new_version(
    as_user: Any, room: dict[str, Any]
) -> None:
    asha = as_user(room["students"][0])
    asha.post(f"/sections/{sid(room)}/learn/{room['primary'].pk}/used/")
    fail_check(asha, room)  # the primary video was used before: the text is the way left
    top = playlist(asha, room).split('<section class="next"')[1].split("</section>")[0]
    assert "Not yet on GAS-1. Learn it another way: Text Section 12.1." in top
    assert f'href="/sections/{sid(room)}/learn/{room["alternate"].pk}/"' in top

    asha.post(f"/sections/{sid(room)}/learn/{room['alternate'].pk}/used/")
    record(as_user(room["teacher"]), room, entry=QueueEntry.objects.get().pk, action="conference")
    asha = as_user(room["students"][0])

    page = playlist(asha, room)
    top = page.split('<section class="next"')[1].split("</section>")[0]
    assert "Take a new version of the GAS-1 check." in top
    assert f'action="/sections/{sid(room)}/objectives/GAS-1/check/"' in top
    gas1 = card(page, "GAS-1")
    assert "Every step is done: you may take a new version of the check." in gas1
    assert ">Take a new version</button>" in gas1


# --- the student: requests ----------------------------------------------------------------------------


def test_i_need_help_gives_a_place_in_the_queue_once(as_user: Any, room: dict[str, Any]) -> None:
    ben = as_user(room["students"][1])
    first = text(
        ben.post(f"/sections/{sid(room)}/requests/", {"kind": "help", "objective": "GAS-1"}, headers=HTMX)
    )
    assert "You are in the queue: number 1. Your teacher will come to you." in first
    asha = as_user(room["students"][0])
    gas1 = card(playlist(asha, room), "GAS-1")
    assert '>I need help<span class="vh"> (GAS-1)</span></button>' in gas1
    assert 'hx-post="/sections/' in gas1 and 'name="kind" value="help"' in gas1

    second = text(
        asha.post(f"/sections/{sid(room)}/requests/", {"kind": "help", "objective": "GAS-1"}, headers=HTMX)
    )
    again = asha.post(f"/sections/{sid(room)}/requests/", {"kind": "help", "objective": "GAS-1"})

    assert "You are in the queue: number 2." in second
    assert again.headers["Location"] == f"/sections/{sid(room)}/playlist/#obj-GAS-1"
    assert QueueEntry.objects.filter(kind="help").count() == 2  # asking twice keeps one place
    gas1 = card(playlist(asha, room), "GAS-1")
    assert "You are in the queue: number 2. Your teacher will come to you." in gas1
    assert ">I need help" not in gas1


def test_in_an_approval_class_i_am_ready_waits_for_the_teacher_who_approves_from_the_queue(
    as_user: Any, room: dict[str, Any]
) -> None:
    room["section"].policy = {"check_mode": "approval"}
    room["section"].save()
    asha = as_user(room["students"][0])
    gas1 = card(playlist(asha, room), "GAS-1")
    assert ">I'm ready for my check</button>" in gas1 or ">I&#x27;m ready for my check</button>" in gas1
    assert "check-start" not in gas1  # no "Take the check" until the teacher approves

    asked = asha.post(f"/sections/{sid(room)}/requests/", {"kind": "check", "objective": "GAS-1"})

    assert asked.headers["Location"] == f"/sections/{sid(room)}/playlist/#obj-GAS-1"
    page = playlist(asha, room)
    assert "You are in the queue: number 1. Wait for your teacher to approve your check." in card(
        page, "GAS-1"
    )
    assert '<span class="badge state-CHECK_REQUESTED">CHECK REQUESTED</span>' in card(page, "GAS-1")
    entry = QueueEntry.objects.get(kind="check")
    teacher = as_user(room["teacher"])
    shown = row(queue(teacher, room), entry)
    assert "Check request" in shown and ">Approve</button>" in shown

    approved = text(record(teacher, room, entry=entry.pk, action="approve"))

    assert f'id="entry-{entry.pk}"' in approved and "✓ Check approved. No longer waiting." in approved
    assert "<html" not in approved
    asha = as_user(room["students"][0])
    assert ">Take the check</button>" in card(playlist(asha, room), "GAS-1")


def test_in_a_self_serve_class_i_am_ready_goes_straight_to_the_check(
    as_user: Any, room: dict[str, Any]
) -> None:
    asha = as_user(room["students"][0])
    assert ">I'm ready for my check" not in playlist(asha, room)  # "Take the check" is the button here

    response = asha.post(f"/sections/{sid(room)}/requests/", {"kind": "check", "objective": "GAS-1"})

    attempt = Attempt.objects.get()
    assert response.status_code == 302 and response.headers["Location"] == f"/attempts/{attempt.pk}/"
    assert not QueueEntry.objects.exists()


def test_a_refused_request_says_why_and_changes_nothing(as_user: Any, room: dict[str, Any]) -> None:
    asha = as_user(room["students"][0])
    before = snapshot()
    locked = asha.post(f"/sections/{sid(room)}/requests/", {"kind": "check", "objective": "GAS-2"})
    page = text(locked, 409)
    assert "You cannot ask for this check now" in page and "GAS-2 is locked" in page
    assert text(asha.post(f"/sections/{sid(room)}/requests/", {"kind": "nap"}), 422)
    assert (
        asha.post(f"/sections/{sid(room)}/requests/", {"kind": "help", "objective": "NOPE"}).status_code
        == 404
    )
    for person in (room["teacher"], room["outsider"]):
        response = as_user(person).post(f"/sections/{sid(room)}/requests/", {"kind": "help"})
        assert response.status_code == 404
    assert snapshot() == before


# --- the student: the course map ----------------------------------------------------------------------


def test_the_map_shows_every_objective_with_state_tier_and_prerequisites(
    as_user: Any, room: dict[str, Any]
) -> None:
    asha = as_user(room["students"][0])
    assert f'href="/sections/{sid(room)}/map/"' in playlist(asha, room)

    page = text(asha.get(f"/sections/{sid(room)}/map/"))

    assert "<h1>Course map</h1>" in page and "Mastered 0 of 2 objectives" in page
    assert '<span lang="en">Gas Laws</span>' in page and "0 of 2 mastered" in page
    gas1 = page.split('id="map-GAS-1"')[1].split("</li>")[0]
    gas2 = page.split('id="map-GAS-2"')[1].split("</li>")[0]
    assert '<span class="badge state-READY">READY</span>' in gas1 and "essential" in gas1
    assert '<span class="badge state-LOCKED">LOCKED</span>' in gas2 and "nice to know" in gas2
    assert 'class="map-tile is-LOCKED tile-nice_to_know"' in page
    assert (
        'Needs: <a class="code" href="#map-GAS-1">GAS-1</a> <span class="step-state">(not mastered yet)'
        in gas2
    )

    factories.mastered(room["section"], room["students"][0], room["a"])
    page = text(asha.get(f"/sections/{sid(room)}/map/"))
    gas2 = page.split('id="map-GAS-2"')[1].split("</li>")[0]
    assert (
        '<span class="badge state-READY">READY</span>' in gas2
        and '<span class="vh"> (mastered)</span>' in gas2
    )
    assert "1 of 2 mastered" in page


def test_the_map_is_not_found_for_anyone_but_the_sections_students(
    as_user: Any, room: dict[str, Any]
) -> None:
    for person in (room["teacher"], room["outsider"], room["other_teacher"]):
        assert as_user(person).get(f"/sections/{sid(room)}/map/").status_code == 404
    assert as_user(room["students"][0]).get("/sections/999999/map/").status_code == 404


# --- the teacher: the queue ---------------------------------------------------------------------------


def ask_help(
    room: dict[str, Any], who: Any, code: str | None, minutes_ago: int, note: str = ""
) -> QueueEntry:
    objective = room["a"] if code == "GAS-1" else room["b"] if code == "GAS-2" else None
    made = request_create(
        section=room["section"],
        student=who,
        kind="help",
        objective=objective,
        note=note,
        now=timezone.now() - timedelta(minutes=minutes_ago),
    )
    assert made.entry is not None
    return made.entry


def test_the_queue_lists_who_waits_for_what_oldest_first(as_user: Any, room: dict[str, Any]) -> None:
    asha, ben = room["students"]
    fail_check(as_user(asha), room)  # a conference, now
    ask_help(room, ben, "GAS-1", 12, note="stuck on Q2")
    ask_help(room, ben, None, 75)
    teacher = as_user(room["teacher"])
    assert f'href="/sections/{sid(room)}/queue/"' in text(teacher.get("/sections/"))
    assert f'href="/sections/{sid(room)}/queue/"' in text(teacher.get(f"/sections/{sid(room)}/outline/"))

    page = queue(teacher, room)

    assert '<strong id="queue-count" role="status">3 requests waiting</strong>' in page
    names = re.findall(
        r'<h3 id="entry-\d+-h"><span class="qrow-name">(\w+)</span>( · <span class="code">[\w-]+)?', page
    )
    assert [(n, c.split(">")[-1]) for n, c in names] == [("ben", ""), ("ben", "GAS-1"), ("asha", "GAS-1")]
    general, helped, conference = QueueEntry.objects.order_by("created_at")
    assert "waiting 1 h 15 min" in row(page, general) and "Help" in row(page, general)
    assert "<option selected>GAS-1</option>" in row(page, general)  # help with no objective: pick one
    shown = row(page, helped)
    assert "waiting 12 min" in shown and "“stuck on Q2”" in shown
    assert '<span class="badge state-READY">READY</span>' in shown
    assert ">Understands (pass)</button>" in shown and ">Not yet</button>" in shown
    shown = row(page, conference)
    assert "Conference after a check" in shown and "waiting less than a minute" in shown
    assert '<span class="badge state-NOT_YET">NOT YET</span>' in shown
    assert "a retake needs: another way to learn it, a conference" in shown
    assert (
        'Other ways to learn it: <span lang="en">Video 1</span> (not used yet) · '
        '<span lang="en">Text Section 12.1</span> (not used yet)'
    ) in shown  # the course's titles in the course's language
    attempt = Attempt.objects.get(student=asha)
    assert f'href="/attempts/{attempt.pk}/"' in shown and "1 check" in shown
    assert ">Conference done</button>" in shown and ">Release retake</button>" in shown
    assert 'hx-post="/sections/' in shown and f'hx-target="#entry-{conference.pk}"' in shown
    assert 'hx-trigger="every 15s, queue-changed delay:4s from:body"' in page


def test_conference_done_records_note_and_tags_and_opens_the_retake(
    as_user: Any, room: dict[str, Any]
) -> None:
    asha = room["students"][0]
    student = as_user(asha)
    fail_check(student, room)
    student.post(f"/sections/{sid(room)}/learn/{room['alternate'].pk}/used/")
    entry = QueueEntry.objects.get()
    teacher = as_user(room["teacher"])

    response = record(
        teacher, room, entry=entry.pk, action="conference", note="P = F/A", tags="area, units ,"
    )
    answered = text(response)
    assert response.headers["HX-Trigger"] == "queue-changed"  # the list refreshes itself a moment later

    assert "✓ Conference recorded. No longer waiting." in answered
    # and once more above the list, where the list's own refresh cannot take it away before it is read
    said = answered[answered.index('id="queue-said"') :]
    assert 'hx-swap-oob="innerHTML"' in said  # the live region stays; its words change
    assert f"✓ Conference recorded. {asha.shown_name()} on GAS-1. No longer waiting." in said
    assert '<span class="badge state-READY_TO_RETAKE">READY TO RETAKE</span>' in answered
    assert "Conference done" not in answered  # nothing more to do in this row
    event = ProgressEvent.objects.get(kind="conference")
    assert (event.note, event.tags, event.actor, event.state) == (
        "P = F/A",
        ["area", "units"],
        room["teacher"],
        "READY_TO_RETAKE",
    )
    assert QueueEntry.objects.get().resolved_at is not None
    assert "Nobody is waiting" in queue(teacher, room)
    again = text(record(teacher, room, entry=entry.pk, action="conference"))
    assert "This request was already answered." in again
    assert ProgressEvent.objects.filter(kind="conference").count() == 1


def test_release_retake_opens_the_retake_and_answers_the_conference(
    as_user: Any, room: dict[str, Any]
) -> None:
    asha = room["students"][0]
    fail_check(as_user(asha), room)
    entry = QueueEntry.objects.get()
    teacher = as_user(room["teacher"])
    assert ">Release retake</button>" in queue(teacher, room)  # offered while the retake is closed
    answered = text(record(teacher, room, entry=entry.pk, action="release"))
    assert "✓ Retake released. No longer waiting." in answered
    event = ProgressEvent.objects.get(kind="release")
    assert (event.actor, event.state) == (room["teacher"], "READY_TO_RETAKE")
    assert QueueEntry.objects.get().resolved_by == room["teacher"]


def test_release_is_not_offered_once_the_retake_is_open(as_user: Any, room: dict[str, Any]) -> None:
    asha = room["students"][0]
    fail_check(as_user(asha), room)
    ask_help(room, asha, "GAS-1", 1)
    evidence_record(
        section=room["section"],
        teacher=room["teacher"],
        student=asha,
        objective=room["a"],
        kind="release",
        now=timezone.now(),
    )
    page = queue(as_user(room["teacher"]), room)
    assert ">Understands (pass)</button>" in page  # the help is still to answer
    assert ">Release retake</button>" not in page


@pytest.mark.parametrize(
    ("action", "outcome", "words"), [("pass", True, "understands"), ("not_yet", False, "not yet")]
)
def test_helped_records_a_verbal_check(
    as_user: Any, room: dict[str, Any], action: str, outcome: bool, words: str
) -> None:
    entry = ask_help(room, room["students"][1], None, 3)
    teacher = as_user(room["teacher"])
    answered = text(record(teacher, room, entry=entry.pk, action=action, objective="GAS-1", note="ok"))
    assert f"✓ Verbal check recorded: {words}. No longer waiting." in answered
    event = ProgressEvent.objects.get(kind="verbal")
    assert (event.outcome, event.objective, event.student, event.note) == (
        outcome,
        room["a"],
        room["students"][1],
        "ok",
    )


def test_sign_off_from_the_form_for_any_student_masters_a_passed_check(
    as_user: Any, room: dict[str, Any]
) -> None:
    asha = room["students"][0]
    factories.mastered(room["section"], asha, room["a"])
    pass_check(as_user(asha), room, asha, "GAS-2")  # passed; the lab is still to sign off
    teacher = as_user(room["teacher"])
    page = queue(teacher, room)
    assert f'<option value="{room["lab"].pk}" lang="en">GAS-2 · Boyle&#x27;s Law Lab</option>' in page

    done = text(record(teacher, room, action="activity", student=asha.pk, activity=room["lab"].pk))

    assert "✓ Activity signed off. asha on GAS-2." in done
    assert ProgressEvent.objects.filter(kind="activity").latest("id").state == "MASTERED"
    assert (
        as_user(room["teacher"])
        .post(  # a plain form post goes back to the page
            f"/sections/{sid(room)}/queue/record/",
            {"action": "activity", "student": asha.pk, "activity": room["lab"].pk},
        )
        .headers["Location"]
        == f"/sections/{sid(room)}/queue/"
    )


def test_an_override_needs_a_reason_and_without_one_changes_nothing(
    as_user: Any, room: dict[str, Any]
) -> None:
    fail_check(as_user(room["students"][0]), room)
    entry = QueueEntry.objects.get()
    teacher = as_user(room["teacher"])
    before = snapshot()

    response = record(teacher, room, entry=entry.pk, action="override", state="MASTERED", reason="  ")
    refused = text(response)
    assert "HX-Trigger" not in response.headers
    plain = text(record(teacher, room, htmx=False, entry=entry.pk, action="override", state="MASTERED"), 422)
    general = text(
        record(
            teacher,
            room,
            action="override",
            student=room["students"][0].pk,
            objective="GAS-1",
            state="MASTERED",
        )
    )

    message = "an override needs the state to set and a reason"
    assert f'<p class="errors" role="alert" id="entry-{entry.pk}-error">{message}</p>' in refused
    assert f'<details class="qrow-more" id="more-{entry.pk}" open>' in refused
    assert f'aria-invalid="true" aria-describedby="entry-{entry.pk}-error"' in refused
    assert message in row(plain, entry) and "<html" in plain
    assert f'<p class="errors" role="alert" id="record-error">{message}</p>' in general
    assert text(record(teacher, room, entry=entry.pk, action="sleep")).count("Choose what to record.") == 1
    assert snapshot() == before

    done = text(
        record(
            teacher,
            room,
            entry=entry.pk,
            action="override",
            state="MASTERED",
            reason="Showed me at the board",
        )
    )
    assert "✓ State set. No longer waiting." in done
    event = ProgressEvent.objects.get(kind="override")
    assert (event.state, event.reason) == ("MASTERED", "Showed me at the board")


def test_the_queue_is_not_found_for_anyone_but_the_sections_teachers(
    as_user: Any, room: dict[str, Any]
) -> None:
    fail_check(as_user(room["students"][0]), room)
    entry = QueueEntry.objects.get()
    before = snapshot()
    for person in (room["students"][0], room["other_teacher"], room["outsider"]):
        client = as_user(person)
        assert client.get(f"/sections/{sid(room)}/queue/").status_code == 404
        assert client.get(f"/sections/{sid(room)}/queue/rows/").status_code == 404
        assert record(client, room, entry=entry.pk, action="conference").status_code == 404
    other = as_user(room["other_teacher"])  # their own section, someone else's entry
    response = other.post(
        f"/sections/{room['other_section'].pk}/queue/record/", {"entry": entry.pk, "action": "conference"}
    )
    assert response.status_code == 404
    teacher = as_user(room["teacher"])
    assert (
        record(teacher, room, action="override", student=room["outsider"].pk, objective="GAS-1").status_code
        == 404
    )
    assert (
        record(teacher, room, action="activity", student=room["students"][0].pk, activity=999999).status_code
        == 404
    )
    assert teacher.get(f"/sections/{sid(room)}/queue/record/").status_code == 405
    assert snapshot() == before


def poll_tag(page: str) -> str:
    """The version the list's poll sends (its hx-headers)."""
    found = re.search(r'hx-headers="([^"]+)"', page)
    assert found is not None
    return str(json.loads(html_lib.unescape(found[1]))["If-None-Match"])


@pytest.mark.usefixtures("steady_minute")
def test_a_poll_with_nothing_changed_is_an_empty_304_in_a_few_queries(
    as_user: Any, room: dict[str, Any], django_assert_num_queries: Any
) -> None:
    fail_check(as_user(room["students"][0]), room)
    teacher = as_user(room["teacher"])
    page = teacher.get(f"/sections/{sid(room)}/queue/")
    tag = poll_tag(page.content.decode())
    assert tag == page.headers["ETag"] and tag.startswith('W/"')

    with django_assert_num_queries(5):  # session, user, section, the queue's and the events' latest change
        unchanged = teacher.get(f"/sections/{sid(room)}/queue/rows/", headers={"If-None-Match": tag})

    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged.headers["HX-Reswap"] == "none" and unchanged.headers["ETag"] == tag
    assert "Last-Modified" in unchanged.headers

    ask_help(room, room["students"][1], "GAS-1", 0)
    changed = teacher.get(f"/sections/{sid(room)}/queue/rows/", headers={"If-None-Match": tag, **HTMX})
    body = text(changed)
    assert changed.headers["ETag"] != tag
    assert body.startswith('<div id="queue-list"') and "<html" not in body
    assert body.count('class="card qrow') == 2
    assert '<strong id="queue-count" hx-swap-oob="innerHTML">2 requests waiting</strong>' in body
    assert poll_tag(body) == changed.headers["ETag"]  # the next poll sends the new version


def test_the_queue_query_count_does_not_grow_with_the_queue(as_user: Any, room: dict[str, Any]) -> None:
    teacher = as_user(room["teacher"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert teacher.get(f"/sections/{sid(room)}/queue/rows/").status_code == 200
        return len(captured)

    ask_help(room, room["students"][0], "GAS-1", 5)
    few = queries()
    for n in range(8):
        who = factories.student()
        room["section"].enrollments.create(student=who)
        ask_help(room, who, "GAS-1" if n % 2 else None, n)
    assert queries() == few


def test_every_post_needs_the_csrf_token(room: dict[str, Any]) -> None:
    fail_check(_logged_in(room["students"][0]), room)
    entry = QueueEntry.objects.get()
    student, teacher = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    student.force_login(room["students"][0])
    teacher.force_login(room["teacher"])
    before = snapshot()
    used = f"/sections/{sid(room)}/learn/{room['alternate'].pk}/used/"
    assert student.post(used).status_code == 403
    assert student.post(f"/sections/{sid(room)}/requests/", {"kind": "help"}).status_code == 403
    assert record(teacher, room, entry=entry.pk, action="conference").status_code == 403
    assert snapshot() == before

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', queue(teacher, room))[1]  # type: ignore[index]
    answered = record(teacher, room, entry=entry.pk, action="conference", csrfmiddlewaretoken=token)
    assert answered.status_code == 200 and "✓ Conference recorded." in answered.content.decode()


def _logged_in(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_loop_pages_are_never_cached(as_user: Any, room: dict[str, Any]) -> None:
    asha = as_user(room["students"][0])
    for response in (
        asha.get(f"/sections/{sid(room)}/map/"),
        asha.post(f"/sections/{sid(room)}/requests/", {"kind": "help", "objective": "GAS-1"}, headers=HTMX),
        as_user(room["teacher"]).get(f"/sections/{sid(room)}/queue/"),
        as_user(room["teacher"]).get(f"/sections/{sid(room)}/queue/rows/"),
    ):
        assert "no-store" in response.headers["Cache-Control"]
