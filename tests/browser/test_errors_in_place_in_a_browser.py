"""Errors in place, in a real browser: a form htmx sends shows its refusal where it was sent, keeps what was
typed, and says so when the server fails or the connection drops; the page never just stays as it was."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from flipmastery.accounts.models import User
from flipmastery.assessments.models import Attempt, AttemptItem
from flipmastery.assessments.paper import paper_copies_make
from flipmastery.classroom.models import Enrollment
from flipmastery.progress.models import QueueEntry
from tests import factories
from tests.browser.test_paper_in_a_browser import expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
NOT_SAVED = "Could not save: check the connection and try again"
LOGGED = "Failed to load resource: the server responded with a status of"


def browser_errors(tab: Any) -> list[str]:
    """Console errors other than the browser's note of a refused request's status."""
    return [e for e in tab.console_errors if not e.startswith(LOGGED)]


def test_a_roster_with_a_bad_line_says_which_line_where_the_form_is(visit: Any) -> None:
    room = factories.small_classroom()
    users = User.objects.count()
    tab = visit(1000, 800)
    page = tab.log_in("ms_rao", factories.PASSWORD)
    roster = f"{tab.base_url}/sections/{room['section'].pk}/roster/"
    page.goto(roster)
    page.fill("#roster", "bad user!,Someone")
    page.get_by_role("button", name="Add the students").click()
    errors = page.locator("#roster-errors [role=alert]")
    expect(errors).to_contain_text("roster.csv:1: 'bad user!' is not a username")
    expect(errors).to_contain_text("Nothing was changed")
    expect(page.locator("#roster")).to_have_value("bad user!,Someone")  # what was typed is still there
    assert page.url == roster
    tab.shot("errors-1-roster-1000")

    # Fixed and sent again: the cards, and the old message is gone with the page.
    page.fill("#roster", "priya,Priya Sharma")
    with page.expect_navigation():
        page.get_by_role("button", name="Add the students").click()
    expect(page.locator("main")).to_contain_text("Priya Sharma")
    assert User.objects.count() == users + 1
    assert browser_errors(tab) == [] and tab.external == []


def test_enter_a_result_with_an_unknown_code_says_so_where_it_was_typed(visit: Any) -> None:
    room = factories.small_classroom()
    tab = visit(1000, 800)
    page = tab.log_in("ms_rao", factories.PASSWORD)
    paper = f"{tab.base_url}/sections/{room['section'].pk}/paper/"
    page.goto(paper)
    page.fill("#code", "ZZZZ-ZZZZ")
    page.locator(".paper-find").get_by_role("button", name="Open").click()
    expect(page.locator(".paper-find [role=alert]")).to_contain_text("no paper copy with code ZZZZ-ZZZZ")
    expect(page.locator("#code")).to_have_value("ZZZZ-ZZZZ")
    assert page.url == paper
    tab.shot("errors-2-paper-code-1000")
    assert browser_errors(tab) == [] and tab.external == []


def test_a_server_failure_or_a_dropped_connection_is_said_in_place(visit: Any) -> None:
    room = factories.small_classroom()
    tab = visit(1000, 800)
    page = tab.log_in("ms_rao", factories.PASSWORD)
    page.goto(f"{tab.base_url}/sections/{room['section'].pk}/roster/")
    page.fill("#roster", "priya,Priya Sharma")

    page.route("**/roster/load/", lambda route: route.fulfill(status=500, body="<h1>Server Error (500)</h1>"))
    page.get_by_role("button", name="Add the students").click()
    expect(page.locator("#roster-errors [role=alert]")).to_have_text(NOT_SAVED)
    page.unroute("**/roster/load/")

    page.context.set_offline(True)
    page.locator("#roster-errors").evaluate("place => place.replaceChildren()")
    page.get_by_role("button", name="Add the students").click()
    expect(page.locator("#roster-errors [role=alert]")).to_have_text(NOT_SAVED)
    page.context.set_offline(False)
    expect(page.locator("#roster")).to_have_value("priya,Priya Sharma")
    assert not User.objects.filter(username="priya").exists()
    tab.shot("errors-3-offline-1000")


def test_a_students_help_button_says_why_it_was_refused(visit: Any) -> None:
    """An hx-post form of a piece of page: its refusal shows in the card, not nowhere."""
    room = factories.small_classroom()
    phone = visit(360, 740)
    page = phone.log_in("asha", factories.PASSWORD)
    playlist = page.url
    Enrollment.objects.filter(student=room["students"][0]).delete()  # the teacher moved her meanwhile
    page.locator("#help-GAS-1").click()
    expect(page.locator("#obj-GAS-1 [role=alert]")).to_contain_text("There is nothing here for you.")
    assert page.url == playlist
    assert not QueueEntry.objects.exists()
    phone.shot("errors-4-help-360")
    assert browser_errors(phone) == []


def test_an_answer_to_a_check_printed_meanwhile_is_refused_in_the_question(visit: Any) -> None:
    """The autosave's refusals (409, 422) are said in the question's own line, not dropped."""
    room = factories.small_classroom()
    room["a"].check_items = 5
    room["a"].save()
    factories.bank(room["a"], 12)
    phone = visit(360, 740)
    page = phone.log_in("asha", factories.PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Take the check").first.click()
    attempt = Attempt.objects.get()
    paper_copies_make(  # nothing saved yet: the teacher prints this very check for her
        section=room["section"],
        objective=room["a"],
        students=[attempt.student],
        teacher=room["teacher"],
        now=timezone.now(),
    )
    item = page.locator("form[data-item]").first
    control = item.locator("input:not([type=hidden]), textarea, select").first
    if control.get_attribute("type") in ("radio", "checkbox"):
        control.check()
    elif control.evaluate("c => c.tagName") == "SELECT":
        control.select_option(index=1)
    else:
        control.fill("101.3 kPa")
    expect(item.locator(".save-state")).to_have_text(
        "Your GAS-1 check is on paper: hand your sheet to your teacher."
    )
    assert not AttemptItem.objects.filter(attempt=attempt, response__isnull=False).exists()
    phone.shot("errors-5-check-on-paper-360")
    assert browser_errors(phone) == []
