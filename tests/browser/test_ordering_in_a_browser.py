"""A student answers ordering items on a 360 px phone with the keyboard only: Tab to an item's
"Move up" / "Move down" buttons, Enter to move it; the focus stays on the button, the new place is said,
and the order autosaves and comes back after a reload."""

from __future__ import annotations

from typing import Any

import pytest

from flipmastery.assessments.models import Attempt, AttemptItem
from flipmastery.assessments.selectors import attempt_key, attempt_view
from flipmastery.domain.questions import Question, QuestionType
from flipmastery.questions.services import question_create
from tests import factories
from tests.browser.test_check_in_a_browser import expect, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

STEPS = [
    ("Convert °C to K", "Write the combined gas law", "Rearrange for V₂", "Substitute and compute"),
    ("Weigh the flask", "Fill it with the gas", "Weigh it again", "Work out the molar mass"),
    ("Read the total pressure", "Look up water's vapour pressure", "Subtract", "Use the ideal gas law"),
    ("Balance the equation", "Moles of the solid", "Moles of gas", "Volume at STP"),
]


def current_order(page: Any, n: int) -> list[str]:
    return page.eval_on_selector_all(f"#q-{n} li.order-item", "els => els.map(e => e.dataset.orderId)")


def order_with_keyboard(page: Any, n: int, wanted: list[str]) -> None:
    """Selection sort with the keyboard: bring each wanted item up to its place with "Move up"."""
    for place, label in enumerate(wanted):
        while current_order(page, n).index(label) > place:
            button = f'#q-{n} li[data-order-id="{label}"] button[data-move="up"]'
            if not page.evaluate("s => document.activeElement === document.querySelector(s)", button):
                tab_to(page, button)
            page.keyboard.press("Enter")
            focused = page.evaluate("() => document.activeElement.closest('li')?.dataset.orderId")
            assert focused == label, "the focus stays with the item that moved"
    assert current_order(page, n) == wanted


def test_a_student_orders_items_with_the_keyboard_on_a_phone(visit: Any) -> None:
    room = factories.small_classroom()
    for i, items in enumerate(STEPS):
        value = Question(
            QuestionType.ORDERING, f"Put the steps in order ({i + 1}).", key=f"o{i}", items=items
        )
        question_create(objective=room["a"], value=value, actor=None)
    tab = visit(360, 740)
    page = tab.log_in("asha", factories.PASSWORD)
    tab_to(page, "#obj-GAS-1 .check-start button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    attempt = Attempt.objects.get()
    kinds = {e["id"]: e["type"] for e in attempt_view(attempt)["items"]}
    key = {k["id"]: k["correct_response"] for k in attempt_key(attempt)["items"]}
    assert set(kinds.values()) == {"ordering"}
    first = min(kinds)
    assert current_order(page, first) != key[first]  # never shown already in order
    tab.shot("ordering-phone-360-before")

    for n in sorted(kinds):
        order_with_keyboard(page, n, key[n])
        expect(page.locator(f"#q-{n}-state")).to_contain_text("Saved ")
    expect(page.locator(f"#q-{first} [data-order-said]")).to_contain_text("Moved to place")
    assert not tab.has_horizontal_scroll()
    tab.shot("ordering-phone-360-ordered")

    for n in kinds:  # the last save may still be on its way when the one before it says "Saved"
        for _ in range(50):
            if AttemptItem.objects.get(attempt=attempt, position=n).response == key[n]:
                break
            page.wait_for_timeout(200)
        assert AttemptItem.objects.get(attempt=attempt, position=n).response == key[n]
    page.reload()
    for n in kinds:
        assert current_order(page, n) == key[n]
