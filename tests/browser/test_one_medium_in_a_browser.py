"""One sitting, one medium, in a real browser: a check printed for a student is on paper. The student's
phone says so and shows none of its questions; the teacher enters the sheet, and a second entry of the
same sheet names the first one instead of a bare date."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from flipmastery.assessments.models import Attempt
from flipmastery.assessments.paper import paper_copies_make
from flipmastery.domain.paper import shown_code
from tests import factories
from tests.browser.test_paper_in_a_browser import expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
ON_PAPER = "Your GAS-1 check is on paper: hand your sheet to your teacher."


def mark_all(page: Any, mark: str) -> None:
    page.locator("#marks summary").click()
    for n in range(1, 6):
        page.get_by_label(f"Question {n} {mark}", exact=True).check()
    with page.expect_navigation():
        page.locator("#enter-marks").click()


def test_a_printed_check_stays_on_paper_and_is_entered_once(visit: Any) -> None:
    room = factories.small_classroom()
    room["a"].check_items = 5
    room["a"].save()
    factories.bank(room["a"], 12)
    asha = room["students"][0]
    printed = paper_copies_make(
        section=room["section"],
        objective=room["a"],
        students=[asha],
        teacher=room["teacher"],
        now=timezone.now(),
    )
    copy = printed.copies[0]

    phone = visit(360, 740)
    page = phone.log_in("asha", factories.PASSWORD)
    expect(page.locator(".next")).to_contain_text(ON_PAPER)
    expect(page.locator("#obj-GAS-1")).to_contain_text(ON_PAPER)
    expect(page.get_by_role("button", name="Continue your check")).to_have_count(0)
    expect(page.locator(f"a[href='/attempts/{copy.pk}/']")).to_have_count(0)
    phone.shot("one-medium-1-playlist-360")
    page.goto(f"{phone.base_url}/attempts/{copy.pk}/")
    expect(page.locator("h1")).to_have_text("Your check is on paper")
    expect(page.locator("main")).to_contain_text(ON_PAPER)
    expect(page.locator("form[data-item]")).to_have_count(0)  # none of the printed questions

    laptop = visit(1000, 800)
    first = laptop.log_in("ms_rao", factories.PASSWORD)
    first.goto(f"{laptop.base_url}/paper/{copy.paper_code}/")
    second = first.context.new_page()  # the same sheet open twice, as on a busy desk
    second.goto(f"{laptop.base_url}/paper/{copy.paper_code}/")
    mark_all(first, "right")
    expect(first.locator("#paper-result")).to_contain_text("check passed: mastered")
    mark_all(second, "wrong")
    code = shown_code(copy.paper_code or "")
    expect(second.locator("#enter-errors")).to_contain_text(f"{code} was already entered by ms_rao on ")
    expect(second.locator("#enter-errors")).to_contain_text(": 5/5, GAS-1 passed")
    laptop.shot("one-medium-2-entered-twice-1000")
    assert Attempt.objects.get(pk=copy.pk).result["objectives"][0]["score"] == 1.0

    page.goto(f"{phone.base_url}/sections/{room['section'].pk}/playlist/")
    expect(page.locator("#obj-GAS-1 .badge").first).to_have_text("MASTERED")
    expect(page.locator("main")).not_to_contain_text(ON_PAPER)
    refused = [e for e in phone.console_errors + laptop.console_errors if "status of 409" not in e]
    assert refused == [] and phone.external == [] and laptop.external == []
