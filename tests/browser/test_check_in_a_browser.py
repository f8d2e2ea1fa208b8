"""A student takes a check in a real browser, with the keyboard only, through a reload and a dropped
connection, on a desktop and on a 360 px phone."""

from __future__ import annotations

from typing import Any

import pytest

from flipmastery.assessments.models import Attempt, AttemptItem
from flipmastery.assessments.selectors import attempt_key, attempt_view
from tests import factories
from tests.web.test_check_pages import full_bank

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

NOT_SAVED = "Not saved — will retry when you are back online"


def expect(locator: Any) -> Any:
    return pytest.importorskip("playwright.sync_api").expect(locator)


def tab_to(page: Any, selector: str) -> None:
    """Press Tab until the focus is on an element matching `selector`, as a keyboard user would."""
    for _ in range(120):
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def answer_with_keyboard(page: Any, n: int, kind: str, response: Any) -> None:
    """Answer item n with the keyboard: arrows in a radio group, Space on a checkbox, typing in a text
    box, arrows in a select."""
    if kind in ("single_choice", "true_false"):
        wanted = ("true" if response else "false") if isinstance(response, bool) else response
        tab_to(page, f"#q-{n} input[type=radio]")
        for _ in range(6):
            if page.locator(f"#q-{n}-{wanted}").is_checked():
                break
            page.keyboard.press("ArrowDown")
        expect(page.locator(f"#q-{n}-{wanted}")).to_be_checked()
    elif kind == "multiple_response":
        for label in response:
            tab_to(page, f"#q-{n}-{label}")
            page.keyboard.press("Space")
            expect(page.locator(f"#q-{n}-{label}")).to_be_checked()
    elif kind == "matching":
        for prompt, option in response.items():
            select = f"#q-{n}-m{prompt}"
            tab_to(page, select)
            for _ in range(8):
                if page.locator(select).input_value() == option:
                    break
                page.keyboard.press("ArrowDown")
            expect(page.locator(select)).to_have_value(option)
    else:
        tab_to(page, f"#q-{n}-answer")
        page.keyboard.type(str(response))
    page.keyboard.press("Tab")  # leave the item: a text box saves on change too


def test_a_student_takes_a_check_with_the_keyboard_through_a_reload_and_a_dropped_connection(
    visit: Any,
) -> None:
    room = factories.small_classroom()
    full_bank(room["a"], free_response=False)
    tab = visit(1000, 900)
    page = tab.log_in("asha", factories.PASSWORD)
    assert page.url.endswith("/playlist/")
    card = page.locator("#obj-GAS-1")
    expect(card.locator(".check-need")).to_have_text("You need 80 % to master GAS-1")
    assert page.locator("#obj-GAS-2 .check-start").count() == 0  # locked: no check
    tab.shot("check-playlist-1000")

    tab_to(page, "#obj-GAS-1 .check-start button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    attempt = Attempt.objects.get()
    assert page.url.endswith(f"/attempts/{attempt.pk}/")
    expect(page.locator("h1")).to_have_text("Mastery check: GAS-1")
    kinds = {e["id"]: e["type"] for e in attempt_view(attempt)["items"]}
    key = {k["id"]: k["correct_response"] for k in attempt_key(attempt)["items"]}  # the teacher's key
    last = next(n for n, kind in kinds.items() if kind == "short_text")  # answered offline below

    for n in sorted(kinds):
        if n != last:
            answer_with_keyboard(page, n, kinds[n], key[n])
    for n in sorted(kinds):
        if n != last:
            expect(page.locator(f"#q-{n}-state")).to_contain_text("Saved ")
    expect(page.locator(f"#q-{last}-state")).to_have_text("Not answered yet")
    tab.shot("check-answering-1000")

    page.reload()
    for n, kind in kinds.items():
        if n == last:
            continue
        expect(page.locator(f"#q-{n}-state")).to_contain_text("Saved ")
        if kind in ("numeric", "calculated"):
            expect(page.locator(f"#q-{n}-answer")).to_have_value(key[n])
        elif kind == "true_false":
            expect(page.locator(f"#q-{n}-{'true' if key[n] else 'false'}")).to_be_checked()
        elif kind == "single_choice":
            expect(page.locator(f"#q-{n}-{key[n]}")).to_be_checked()
        elif kind == "multiple_response":
            for label in key[n]:
                expect(page.locator(f"#q-{n}-{label}")).to_be_checked()
        elif kind == "matching":
            for prompt, option in key[n].items():
                expect(page.locator(f"#q-{n}-m{prompt}")).to_have_value(option)
    errors_before_offline = list(tab.console_errors)

    page.context.set_offline(True)
    answer_with_keyboard(page, last, "short_text", "Boyle")
    expect(page.locator(f"#q-{last}-state")).to_have_text(NOT_SAVED)
    kept = page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('flipmastery:'))")
    assert kept == [f"flipmastery:attempt:{attempt.pk}:item:{last}"]
    tab_to(page, "[data-submit-check]")
    page.keyboard.press("Enter")  # refused while an answer is only on this device
    expect(page.locator("#submit-note")).to_contain_text("You are offline.")
    assert page.url.endswith(f"/attempts/{attempt.pk}/")
    tab.shot("check-offline-1000")

    page.context.set_offline(False)
    expect(page.locator(f"#q-{last}-state")).to_contain_text("Saved ", timeout=15_000)
    expect(page.locator("#submit-note")).to_have_text(
        "All your answers are saved: you can submit your check."
    )
    assert AttemptItem.objects.get(attempt=attempt, position=last).response == "Boyle"
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('flipmastery:'))") == []
    offline_errors = tab.console_errors[len(errors_before_offline) :]
    expected = ("htmx:sendError", "htmx:afterRequest", "net::ERR_INTERNET_DISCONNECTED")
    assert offline_errors, "a failed save shows in the console"
    assert all(any(e in error for e in expected) for error in offline_errors), offline_errors
    errors_before_submit = len(tab.console_errors)

    page.set_viewport_size({"width": 360, "height": 740})
    assert not tab.has_horizontal_scroll()
    tab.shot("check-answering-360")
    page.set_viewport_size({"width": 1000, "height": 900})

    tab_to(page, "[data-submit-check]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/attempts/{attempt.pk}/submit/?")  # a form that sends nothing but asks
    expect(page.locator(".lead")).to_have_text("You answered 7 of 7 questions.")
    tab.shot("check-confirm-1000")
    tab_to(page, "form[action$='/submit/'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url.endswith(f"/attempts/{attempt.pk}/")
    expect(page.locator(".outcome .badge")).to_have_text("Mastered")
    expect(page.locator(".outcome .score")).to_have_text("Score 100 % · needed 80 %")
    expect(page.locator(".next")).to_contain_text("Mastered! Go on to your next objective.")
    assert page.locator(".result-correct").count() == 7
    tab.shot("check-result-1000")
    page.set_viewport_size({"width": 360, "height": 740})
    assert not tab.has_horizontal_scroll()
    tab.shot("check-result-360")

    assert tab.external == []
    assert errors_before_offline == []
    assert tab.console_errors[errors_before_submit:] == []


def test_an_answer_kept_on_the_device_comes_back_after_a_reload_and_is_saved(visit: Any) -> None:
    room = factories.small_classroom()
    full_bank(room["a"], free_response=True)
    tab = visit(360, 740)
    page = tab.log_in("asha", factories.PASSWORD)
    page.locator("#obj-GAS-1 .check-start button").click()
    page.wait_for_url("**/attempts/**")
    attempt = Attempt.objects.get()
    n = next(e["id"] for e in attempt_view(attempt)["items"] if e["type"] == "free_response")
    tab.shot("check-start-360")
    assert not tab.has_horizontal_scroll()

    # The school's server is unreachable for a moment: every save fails.
    page.context.route("**/items/**", lambda route: route.abort())
    answer_with_keyboard(page, n, "free_response", "Cold air takes less room.")
    expect(page.locator(f"#q-{n}-state")).to_have_text(NOT_SAVED)
    assert AttemptItem.objects.get(attempt=attempt, position=n).response is None

    page.context.unroute("**/items/**")
    page.reload()  # the server has nothing; this device does
    expect(page.locator(f"#q-{n}-answer")).to_have_value("Cold air takes less room.")
    expect(page.locator(f"#q-{n}-state")).to_contain_text("Saved ")
    assert AttemptItem.objects.get(attempt=attempt, position=n).response == "Cold air takes less room."
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('flipmastery:'))") == []
    assert tab.external == []
