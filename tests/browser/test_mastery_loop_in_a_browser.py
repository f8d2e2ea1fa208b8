"""The whole mastery loop in a real browser, the student on a 360 px phone and the teacher on a laptop:
not yet → correctives and a conference → a new version → mastered → the next objective opens."""

from __future__ import annotations

import time
from typing import Any

import pytest

from flipmastery.assessments.models import Attempt, AttemptItem
from flipmastery.assessments.selectors import attempt_key, attempt_view
from flipmastery.progress.models import ProgressEvent, QueueEntry
from flipmastery.web import views_queue
from tests import factories
from tests.browser.test_check_in_a_browser import answer_with_keyboard, expect, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

POLL = 2  # seconds; the page says 15 in class, the test has no time to wait for it


def wrong(attempt: Attempt) -> dict[int, Any]:
    """A wrong answer of the right shape for each item of the attempt (the key says what is right)."""
    key = {k["id"]: k["correct_response"] for k in attempt_key(attempt)["items"]}
    answers: dict[int, Any] = {}
    for entry in attempt_view(attempt)["items"]:
        n, kind = entry["id"], entry["type"]
        ids = [str(c["id"]) for c in entry.get("choices", [])]
        if kind == "single_choice":
            answers[n] = next(i for i in ids if i != str(key[n]))
        elif kind == "true_false":
            answers[n] = not key[n]
        elif kind == "multiple_response":
            answers[n] = [next(i for i in ids if i not in key[n])]
        elif kind == "matching":
            values = list(key[n].values())
            answers[n] = dict(zip(key[n], values[1:] + values[:1], strict=True))
        elif kind == "short_text":
            answers[n] = "Charles"
        else:
            answers[n] = "3 kPa"
    return answers


def answer_all(page: Any, attempt: Attempt, answers: dict[int, Any]) -> None:
    kinds = {e["id"]: e["type"] for e in attempt_view(attempt)["items"]}
    for n in sorted(kinds):
        answer_with_keyboard(page, n, kinds[n], answers[n])
    for n in sorted(kinds):
        expect(page.locator(f"#q-{n}-state")).to_contain_text("Saved ")


def submit(page: Any) -> None:
    tab_to(page, "[data-submit-check]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    with page.expect_navigation():
        page.locator("form[action$='/submit/'] button[type=submit]").click()


def settled(page: Any) -> None:
    """Wait until htmx has settled a boosted page: its forms are bound to htmx only then (a quicker
    click than any person's would post the plain form, which works too, but is not what we test)."""
    expect(page.locator(".htmx-added, .htmx-settling, .htmx-swapping")).to_have_count(0)  # no eval: CSP


def asked(attempt: Attempt) -> set[tuple[int, str]]:
    """What an attempt asked: each item's question and its generated numbers."""
    return {
        (i.question_id, str(sorted(i.variant.items()))) for i in AttemptItem.objects.filter(attempt=attempt)
    }


def test_the_whole_loop_on_a_phone_with_the_teacher_on_a_laptop(visit: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(views_queue, "POLL_SECONDS", POLL)
    room = factories.small_classroom()
    factories.bank(room["a"], 12)
    factories.bank(room["b"], 6)
    phone = visit(360, 740)
    page = phone.log_in("asha", factories.PASSWORD)
    assert page.url.endswith("/playlist/")
    expect(page.locator("#obj-GAS-2 .badge.state-LOCKED")).to_have_text("LOCKED")

    # 1. The first check, answered wrong: not yet, with the way to a new version.
    with page.expect_navigation():
        page.locator("#obj-GAS-1 .check-start button").click()
    first = Attempt.objects.get()
    answer_all(page, first, wrong(first))
    submit(page)
    expect(page.locator(".outcome .badge")).to_have_text("Not yet")
    steps = page.locator(".next .steps")
    expect(steps.locator(".why")).to_contain_text("Not yet: 0 % of 80 %.")
    expect(steps).to_contain_text("Text Section 12.1 (not used yet)")
    expect(steps).to_contain_text("A conference with your teacher (waiting: number 1 in the queue)")
    assert not phone.has_horizontal_scroll()
    phone.shot("loop-1-result-not-yet-360")

    page.get_by_role("link", name="Other ways to learn GAS-1").click()
    page.wait_for_url("**/playlist/**")
    card = page.locator("#obj-GAS-1")
    expect(card.locator(".badge.state-NOT_YET")).to_have_text("NOT YET")
    expect(card.locator(".steps")).to_contain_text("Learn it another way (one is enough):")
    assert card.locator(".check-start").count() == 0  # no new version before the gate opens
    expect(page.locator(".next")).to_contain_text("Not yet on GAS-1. Learn it another way: Video 1.")
    assert not phone.has_horizontal_scroll()
    phone.shot("loop-2-playlist-not-yet-360")

    # 2. The other way to learn it, marked used; then a call for help.
    card.locator(".steps").get_by_role("link", name="Text Section 12.1").click()
    page.wait_for_url(f"**/learn/{room['alternate'].pk}/")
    settled(page)
    expect(page.locator("h1")).to_have_text("Text Section 12.1")
    tab_to(page, "#used-button")
    page.keyboard.press("Enter")
    expect(page.locator("#used .used-done")).to_contain_text("Done ✓")
    expect(page.locator("#used .used-done")).to_be_focused()  # a screen reader reads it next
    assert not phone.has_horizontal_scroll()
    phone.shot("loop-3-used-360")

    page.locator("#used").get_by_role("link", name="Back to my playlist").click()
    page.wait_for_url("**/playlist/**")
    settled(page)
    card = page.locator("#obj-GAS-1")
    expect(card.locator(".steps")).to_contain_text("Text Section 12.1 (used ✓)")
    card.locator("#help-GAS-1").click()
    expect(card.locator(".ask .waiting")).to_have_text(
        "You are in the queue: number 1. Your teacher will come to you."
    )
    phone.shot("loop-4-asked-for-help-360")

    # 3. The teacher, on a laptop, answers from the queue; the list keeps itself up to date.
    laptop = visit(1000, 800)
    desk = laptop.log_in("ms_rao", factories.PASSWORD)
    polls: list[int] = []
    minute = int(time.time() // 60)  # the wait times shown turn with the minute, and so does the version
    desk.on("response", lambda r: polls.append(r.status) if "/queue/rows/" in r.url else None)
    with desk.expect_navigation():
        desk.get_by_role("link", name="Queue").click()
    settled(desk)
    conference = QueueEntry.objects.get()  # one entry for the student and GAS-1, with both reasons
    assert conference.reasons == ["conference", "help"]
    expect(desk.locator("#queue-count")).to_have_text("1 request waiting")
    row = desk.locator(f"#entry-{conference.pk}")
    expect(row.locator(".qrow-meta")).to_contain_text("Conference after a check")
    expect(row.locator(".qrow-meta")).to_contain_text("Help")
    expect(row).to_contain_text("a retake needs: a conference")
    expect(row).to_contain_text("Text Section 12.1 (used ✓)")
    desk.wait_for_timeout((POLL + 1) * 1000)
    if int(time.time() // 60) != minute:  # the minute turned: one fresh list, then quiet again
        desk.wait_for_timeout((POLL + 1) * 1000)
        polls.clear()
        desk.wait_for_timeout((POLL + 1) * 1000)
    assert 304 in polls and 200 not in polls  # nothing changed: the poll cost nothing, the list stayed
    expect(desk.locator(".qrow")).to_have_count(1)
    laptop.shot("loop-5-queue-1000")
    desk.set_viewport_size({"width": 360, "height": 740})
    assert not laptop.has_horizontal_scroll()
    laptop.shot("loop-5-queue-360")
    desk.set_viewport_size({"width": 1000, "height": 800})

    desk.locator(f"#more-{conference.pk} summary").click()
    desk.fill(f"#reason-{conference.pk}", "   ")  # passes the browser's `required`, not the server's rule
    desk.click(f"#do-{conference.pk}-override")
    expect(desk.locator(f"#entry-{conference.pk}-error")).to_have_text(
        "an override needs the state to set and a reason"
    )
    expect(desk.locator(f"#reason-{conference.pk}")).to_have_attribute("aria-invalid", "true")
    assert not ProgressEvent.objects.filter(kind="override").exists()
    laptop.shot("loop-5b-override-refused-1000")
    row = desk.locator(f"#entry-{conference.pk}")

    desk.fill(f"#note-{conference.pk}", "Went over P = F/A with a textbook")
    desk.fill(f"#tags-{conference.pk}", "force vs pressure, units")
    desk.click(f"#do-{conference.pk}-conference")
    # Said above the list too: the list's next refresh takes the answered row away, not the message.
    expect(desk.locator("#queue-said")).to_have_text(
        "✓ Conference recorded. asha on GAS-1. No longer waiting."
    )
    laptop.shot("loop-6-queue-answered-1000")
    expect(desk.locator(".queue-empty")).to_be_visible(timeout=(POLL + 5) * 1000)  # the next poll: 200
    expect(desk.locator("#queue-count")).to_have_text("Nobody is waiting")
    event = ProgressEvent.objects.get(kind="conference")
    assert (event.note, event.tags, event.state) == (
        "Went over P = F/A with a textbook",
        ["force vs pressure", "units"],
        "READY_TO_RETAKE",
    )
    assert not QueueEntry.objects.filter(resolved_at__isnull=True).exists()  # help and conference answered
    desk.set_viewport_size({"width": 360, "height": 740})
    assert not laptop.has_horizontal_scroll()
    laptop.shot("loop-7-queue-empty-360")

    # 4. A new version, answered right: mastered, and the next objective opens.
    page.reload()
    card = page.locator("#obj-GAS-1")
    expect(card.locator(".badge.state-READY_TO_RETAKE")).to_have_text("READY TO RETAKE")
    expect(card.locator(".steps")).to_contain_text(
        "Every step is done: you may take a new version of the check."
    )
    expect(page.locator(".next")).to_contain_text("Take a new version of the GAS-1 check.")
    assert not phone.has_horizontal_scroll()
    phone.shot("loop-8-ready-to-retake-360")
    with page.expect_navigation():
        card.locator(".check-start button").click()
    second = Attempt.objects.exclude(pk=first.pk).get()
    assert asked(second).isdisjoint(asked(first))  # a different version: other questions, other numbers
    key = {k["id"]: k["correct_response"] for k in attempt_key(second)["items"]}  # the teacher's key
    answer_all(page, second, key)
    submit(page)
    expect(page.locator(".outcome .badge")).to_have_text("Mastered")
    expect(page.locator(".next")).to_contain_text("Mastered! Go on to your next objective.")
    phone.shot("loop-9-mastered-360")

    page.get_by_role("link", name="Back to my playlist").click()
    page.wait_for_url("**/playlist/")
    expect(page.locator("#obj-GAS-1 .badge.state-MASTERED")).to_have_text("MASTERED")
    gas2 = page.locator("#obj-GAS-2")
    expect(gas2.locator(".badge.state-READY")).to_have_text("READY")
    expect(gas2.locator(".check-start button")).to_have_text("Take the check")
    expect(page.locator(".next")).to_contain_text("Work on GAS-2")
    assert not phone.has_horizontal_scroll()
    phone.shot("loop-10-next-objective-open-360")

    page.get_by_role("link", name="See the map of the whole course").click()
    page.wait_for_url("**/map/")
    expect(page.locator("#map-GAS-1 .badge.state-MASTERED")).to_have_text("MASTERED")
    expect(page.locator("#map-GAS-2 .badge.state-READY")).to_have_text("READY")
    assert not phone.has_horizontal_scroll()
    phone.shot("loop-11-map-360")

    for tab in (phone, laptop):
        assert tab.external == []
        assert tab.console_errors == []
