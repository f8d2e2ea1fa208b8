"""A student answers the parts of cloze items on a 360 px phone: each part a field inside the text that the
page does not scroll sideways for; the answers autosave and come back after a reload."""

from __future__ import annotations

from typing import Any

import pytest

from flipmastery.assessments.models import Attempt, AttemptItem
from flipmastery.assessments.selectors import attempt_key, attempt_view
from flipmastery.domain.questions import (
    Choice,
    ClozeLayout,
    ClozePart,
    NumericAnswer,
    Question,
    QuestionType,
    TextAnswer,
)
from flipmastery.questions.services import question_create
from tests import factories
from tests.browser.test_check_in_a_browser import expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PARTS = (
    ClozePart(QuestionType.SHORT_TEXT, answers=(TextAnswer("Boyle"),)),
    ClozePart(QuestionType.NUMERIC, 2, numeric_answers=(NumericAnswer(22.4, tolerance=0.1),)),
    ClozePart(
        QuestionType.SINGLE_CHOICE,
        choices=(Choice("nitrogen, mostly", 1.0), Choice("oxygen, mostly", 0.0)),
        shuffle=True,
    ),
    ClozePart(
        QuestionType.MULTIPLE_RESPONSE,
        choices=(Choice("kilopascal", 0.5), Choice("millimetre of mercury", 0.5), Choice("litre", -1.0)),
        layout=ClozeLayout.HORIZONTAL,
    ),
)


def test_a_student_answers_the_parts_on_a_phone(visit: Any) -> None:
    room = factories.small_classroom()
    for i in range(4):
        value = Question(
            QuestionType.CLOZE,
            f"The law PV = k is named after [[1]]. One mole of an ideal gas at STP fills [[2]] litres. "
            f"Dry air is [[3]]. Units of pressure: [[4]] ({i + 1}).",
            key=f"c{i}",
            cloze_parts=PARTS,
        )
        question_create(objective=room["a"], value=value, actor=None)
    tab = visit(360, 740)
    page = tab.log_in("asha", factories.PASSWORD)
    with page.expect_navigation():
        page.click("#obj-GAS-1 .check-start button")
    attempt = Attempt.objects.get()
    first = min(e["id"] for e in attempt_view(attempt)["items"])
    key = {k["id"]: k["correct_response"] for k in attempt_key(attempt)["items"]}[first]
    tab.shot("cloze-phone-360-before")

    page.get_by_label("Part 1").first.fill("Boyle")
    page.get_by_label("Part 2").first.fill("22.4")
    page.get_by_label("Part 3").first.select_option(key["3"])
    for label in key["4"]:
        page.locator(f"#q-{first}-p4-{label}").check()
    expect(page.locator(f"#q-{first}-state")).to_contain_text("Saved ")
    assert not tab.has_horizontal_scroll()
    tab.shot("cloze-phone-360-filled")

    for _ in range(50):
        if AttemptItem.objects.get(attempt=attempt, position=first).response == key:
            break
        page.wait_for_timeout(200)
    assert AttemptItem.objects.get(attempt=attempt, position=first).response == key
    page.reload()
    assert page.locator(f"#q-{first}-p1").input_value() == "Boyle"
    assert page.locator(f"#q-{first}-p3").input_value() == key["3"]
    assert page.locator(f"#q-{first}-p4-{key['4'][0]}").is_checked()
