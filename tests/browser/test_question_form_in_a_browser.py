"""A teacher builds questions by form alone in a real browser: Boyle's law as a calculated question with
units and a live sample, then a true/false; each tried as a student, on a projector and on a phone."""

from __future__ import annotations

import re
from typing import Any

import pytest

from flipmastery.questions.models import Question
from tests import factories
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_check_in_a_browser import expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def shot(tab: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    tab.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True, caret="initial")


def build_boyle(page: Any) -> None:
    page.wait_for_selector("h1:has-text('New question')")  # the editor's page, not the bank's before it
    # htmx listens for the type's change once it has processed the select (its data on the element)
    page.wait_for_function("() => !!(document.querySelector('#id-q-type') || {})['htmx-internal-data']")
    page.get_by_label("Type", exact=True).select_option("calculated")
    page.locator("legend", has_text="Variables").wait_for()
    page.get_by_label("Title (optional)").fill("Boyle's law — final pressure")
    page.get_by_label("Question text").fill(
        "A gas at {P1} atm fills {V1} L. It is squeezed to {V2} L at the same temperature. "
        "What is its pressure now?"
    )
    page.get_by_role("button", name="+ Add a row: variable").click()
    page.locator("#id-q-variables-2-name").wait_for()
    expect(page.locator("#id-q-variables-2-name")).to_be_focused()  # the new row, in view (once settled)
    assert page.locator("#id-q-variables-2-name").is_visible()
    for i, (name, low, high, step) in enumerate([("P1", "1", "3", "0.5"), ("V1", "2", "6", "1")]):
        page.locator(f"#id-q-variables-{i}-name").fill(name)
        page.locator(f"#id-q-variables-{i}-min").fill(low)
        page.locator(f"#id-q-variables-{i}-max").fill(high)
        page.locator(f"#id-q-variables-{i}-step").fill(step)
    page.locator("#id-q-variables-2-name").fill("V2")
    page.locator("#id-q-variables-2-values").fill("1, 1.5, 2")
    page.get_by_role("button", name="+ Add a row: derived value").click()
    page.locator("#id-q-derived-0-name").wait_for()
    page.locator("#id-q-derived-0-name").fill("P2")
    page.locator("#id-q-derived-0-formula").fill("P1 * V1 / V2")
    page.locator("#id-q-numbers-0-formula").fill("P2")
    page.locator("#id-q-numbers-0-tolerance").fill("2")
    page.locator("#id-q-numbers-0-mode").select_option("relative")
    page.get_by_label("Unit of the answer").fill("atm")
    page.get_by_label("Decimals shown in the answer key").fill("2")


@pytest.mark.parametrize("width", [1920, 360])
def test_a_teacher_builds_questions_by_form_and_tries_them(visit: Any, width: int) -> None:
    classroom = factories.small_classroom()
    a = classroom["a"]
    factories.bank(a, 3)
    tab = visit(width, 1000 if width > 1000 else 740)
    page = tab.log_in("ms_rao", factories.PASSWORD)
    page = tab.go(f"/teach/objectives/{a.pk}/bank/")
    page.get_by_role("link", name="Add a question").click()
    page.wait_for_selector("h1:has-text('New question')")
    assert page.locator(".qf-view.is-current").inner_text() == "Form"

    build_boyle(page)
    sample = page.locator("#calc-sample")
    page.wait_for_function(
        "() => /the answer is [0-9]+[.][0-9]{2} atm/.test(document.querySelector('#calc-sample').innerText)"
    )
    said = sample.inner_text()
    assert said.startswith("With these numbers (P1 = ") and "; P2 = " in said
    numbers = dict(re.findall(r"(P1|V1|V2) = ([0-9.]+)", said))
    answer = float(numbers["P1"]) * float(numbers["V1"]) / float(numbers["V2"])
    assert f"the answer is {answer:.2f} atm" in said
    assert not tab.has_horizontal_scroll()
    shot(tab, f"question-form-calculated-{width}")

    # a mistake points at its field
    page.locator("#id-q-numbers-0-formula").fill("P2 * / 2")
    page.get_by_role("button", name="Add to the bank").click()
    page.wait_for_selector("h2:has-text('Not saved')")
    formula = page.locator("#id-q-numbers-0-formula")
    assert formula.get_attribute("aria-invalid") == "true"
    assert "unexpected '/'" in page.locator("#err-id-q-numbers-0-formula").inner_text()
    page.locator(".qf-summary a", has_text="Answer 1 · Formula").click()
    assert page.evaluate("document.activeElement.id") == "id-q-numbers-0-formula"
    shot(tab, f"question-form-problem-{width}")
    formula.fill("P2")

    # try it as a student: wrong first, then the key it shows
    page.locator("#try #try-answer").wait_for()
    assert "With these numbers" in sample.inner_text()
    page.locator("#try-answer").fill("0.01 atm")  # every version's answer is at least 1 atm
    page.get_by_role("button", name="Check my answer").click()
    page.locator(".qf-try-result").wait_for()
    assert "Incorrect" in page.locator(".qf-try-result .badge").inner_text()
    said_key = page.locator(".qf-try-result .qitem-answer").inner_text()
    key = re.search(r"([0-9.]+) atm \(accepted: ", said_key)
    assert key is not None, said_key
    page.locator("#try-answer").fill(f"{key.group(1)} atm")
    page.get_by_role("button", name="Check my answer").click()
    page.locator(".qf-try-result .result-correct").wait_for()
    assert Question.objects.filter(objective=a).count() == 3  # trying stores nothing
    shot(tab, f"question-form-tried-{width}")

    page.get_by_role("button", name="Add to the bank").click()
    page.wait_for_selector("text=Added to the bank of GAS-1 as version 1.")
    boyle = Question.objects.get(objective=a, key="Boyle's law — final pressure")
    assert boyle.current is not None and boyle.current.value.unit == "atm"
    assert boyle.current.variants == 5 * 5 * 3
    assert page.locator(".qf-view.is-current").inner_text() == "Form"

    # the YAML view holds the same question
    page.get_by_role("button", name="YAML (advanced)").click()
    editor = page.get_by_label("The question, in YAML")
    assert "P2: P1 * V1 / V2" in editor.input_value()

    # a true/false, by form alone
    page = tab.go(f"/teach/objectives/{a.pk}/bank/new/?view=form")
    page.get_by_label("Type", exact=True).select_option("true_false")
    page.locator("legend", has_text="The statement is").wait_for()
    page.get_by_label("Question text").fill("A gas can be compressed; a liquid hardly can.")
    page.get_by_label("True", exact=True).check()
    page.get_by_label("Feedback for “False”").fill("Squeeze a syringe of air, then one of water.")
    page.locator("#try .choice", has_text="True").wait_for()
    page.locator("#try .choice", has_text="False").click()
    page.get_by_role("button", name="Check my answer").click()
    page.locator(".qf-try-result").wait_for()
    result = page.locator(".qf-try-result").inner_text()
    assert "Incorrect" in result and "Squeeze a syringe" in result
    assert not tab.has_horizontal_scroll()
    shot(tab, f"question-form-true-false-{width}")
    page.get_by_role("button", name="Add to the bank").click()
    page.wait_for_selector("text=Added to the bank of GAS-1 as version 1.")
    assert Question.objects.filter(objective=a).count() == 5
    page = tab.go(f"/teach/objectives/{a.pk}/bank/")
    assert "5 questions can be asked" in page.locator(".bank-count").inner_text()

    assert tab.external == []
    assert tab.console_errors == []
