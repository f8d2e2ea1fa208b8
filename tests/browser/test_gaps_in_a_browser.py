"""A student fills the gaps of gaps items on a 360 px phone: each gap is a select inside the text that the
page does not scroll sideways for; a choice autosaves and comes back after a reload."""

from __future__ import annotations

from typing import Any

import pytest

from flipmastery.assessments.models import Attempt, AttemptItem
from flipmastery.assessments.selectors import attempt_key, attempt_view
from flipmastery.domain.questions import GapChoice, Question, QuestionType
from flipmastery.questions.services import question_create
from tests import factories
from tests.browser.test_check_in_a_browser import expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

CHOICES = (
    GapChoice("pressure"),
    GapChoice("the volume of the container"),
    GapChoice("temperature", 2),
    GapChoice("the colour of the gas", 2),
)


def test_a_student_fills_the_gaps_on_a_phone(visit: Any) -> None:
    room = factories.small_classroom()
    for i in range(4):
        value = Question(
            QuestionType.GAPS,
            f"Real gases at high [[1]] and low [[2]] behave least like an ideal gas ({i + 1}).",
            key=f"g{i}",
            gap_choices=CHOICES,
            gap_answers=(1, 3),
        )
        question_create(objective=room["a"], value=value, actor=None)
    tab = visit(360, 740)
    page = tab.log_in("asha", factories.PASSWORD)
    with page.expect_navigation():
        page.click("#obj-GAS-1 .check-start button")
    attempt = Attempt.objects.get()
    first = min(e["id"] for e in attempt_view(attempt)["items"])
    key = {k["id"]: k["correct_response"] for k in attempt_key(attempt)["items"]}
    tab.shot("gaps-phone-360-before")

    page.get_by_label("Gap 1").first.select_option(key[first]["1"])
    page.get_by_label("Gap 2").first.select_option(key[first]["2"])
    expect(page.locator(f"#q-{first}-state")).to_contain_text("Saved ")
    assert not tab.has_horizontal_scroll()
    tab.shot("gaps-phone-360-filled")

    for _ in range(50):
        if AttemptItem.objects.get(attempt=attempt, position=first).response == key[first]:
            break
        page.wait_for_timeout(200)
    assert AttemptItem.objects.get(attempt=attempt, position=first).response == key[first]
    page.reload()
    assert page.locator(f"#q-{first}-g2").input_value() == key[first]["2"]
