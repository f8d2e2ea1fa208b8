"""On a 360 px phone, a student takes the unit test from the playlist's unit heading, submits it, and finds
it in their own record of checks beside what the replay says now."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from flipmastery.assessments.models import Attempt
from flipmastery.assessments.selectors import attempt_key
from flipmastery.assessments.services import response_save
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def expect(locator: Any) -> Any:
    return pytest.importorskip("playwright.sync_api").expect(locator)


def test_a_student_takes_the_unit_test_on_a_phone_and_sees_it_in_their_checks(visit: Any) -> None:
    room = factories.small_classroom()
    factories.bank(room["a"], 12)
    factories.bank(room["b"], 12)
    tab = visit(360, 740)
    page = tab.log_in("asha", factories.PASSWORD)
    assert page.url.endswith("/playlist/")
    expect(page.locator("#unit-tests-GAS button")).to_have_text("Take the unit test")
    assert not tab.has_horizontal_scroll()
    tab.shot("my-checks-playlist-360")

    with page.expect_navigation():
        page.locator("#unit-tests-GAS button").click()
    attempt = Attempt.objects.get()
    assert page.url.endswith(f"/attempts/{attempt.pk}/") and attempt.kind == "unit_test"
    expect(page.locator("#left-out li")).to_have_text("GAS-2 is locked: master its prerequisites first.")
    assert not tab.has_horizontal_scroll()
    tab.shot("my-checks-unit-test-360")

    for item in attempt_key(attempt)["items"]:  # the answers are the check page's own test; here the record
        response_save(
            attempt_id=attempt.pk,
            student=room["students"][0],
            position=item["id"],
            response=item["correct_response"],
            now=timezone.now(),
        )
    tab.go(f"/attempts/{attempt.pk}/submit/")
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, submit my check").click()
    assert page.url.endswith(f"/attempts/{attempt.pk}/")

    tab.go(f"/sections/{room['section'].pk}/playlist/")
    page.locator("#my-checks-link").click()  # a boosted link: htmx swaps the page and pushes its address
    page.wait_for_url("**/my-checks/")
    entry = page.locator(f"#attempt-{attempt.pk}")
    expect(entry.locator("header .code")).to_have_text("Unit test GAS")
    line = entry.locator('[data-code="GAS-1"]')
    expect(line.locator(".check-score")).to_have_text("100 %")
    expect(line.locator(".verdict")).to_have_text("check passed")
    expect(line.locator(".badge")).to_have_class("badge state-MASTERED")
    expect(entry.get_by_role("link", name="See the result")).to_have_attribute(
        "href", f"/attempts/{attempt.pk}/"
    )
    assert not tab.has_horizontal_scroll()
    tab.shot("my-checks-history-360")
