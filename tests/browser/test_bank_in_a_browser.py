"""A teacher builds a question bank in a real browser: outline → bank → new question with a live
preview → save → five versions, on a desktop and on a 360 px phone."""

from __future__ import annotations

from typing import Any

import pytest

from flipmastery.questions.models import Question, QuestionVersion
from tests import factories
from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

STARTED = """\
type: calculated
title: Boyle's law — final pressure
text: A gas fills {V1} L at {P1} kPa. It is squeezed to {V2} L. What is its new pressure?
variables:
  V1: {min: 2, max: 6, decimals: 1}
  P1: {min: 90, max: 120, step: 5}
  V2: [0.5, 1.0, 1.5]
derived:
  P2: P1 * V1 /"""


def shot(tab: Any, name: str) -> None:
    """Like Visit.shot, but leaves the caret alone: hiding it makes Playwright add an inline style, which
    our Content-Security-Policy refuses with a console error whenever a text field has the focus."""
    ARTIFACTS.mkdir(exist_ok=True)
    tab.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True, caret="initial")


FINISHED = """ V2
answer: {formula: P2, tolerance: 2%}
unit: kPa
decimals: 1
"""


def test_a_teacher_adds_a_calculated_question_with_a_live_preview(visit: Any) -> None:
    classroom = factories.small_classroom()
    a = classroom["a"]
    factories.bank(a, 3)
    tab = visit(1000, 800)
    page = tab.log_in("ms_rao", factories.PASSWORD)

    page.click("text=Course outline")
    page.get_by_role("link", name="Bank of GAS-1").click()
    page.wait_for_selector("h1:has-text('Question bank')")
    assert page.url.endswith(f"/teach/objectives/{a.pk}/bank/")
    assert page.locator(".bank-warnings").is_visible()
    assert page.locator(".bank-q").count() == 3
    shot(tab, "bank-1000")

    page.get_by_role("link", name="Add in YAML").click()
    page.wait_for_selector("h1:has-text('New question')")
    editor = page.get_by_label("The question, in YAML")
    editor.fill(STARTED)
    problems = page.locator("#preview .bank-problems")
    problems.wait_for()
    assert "line 9: derived P2" in problems.inner_text()
    assert "not ready to save" in page.locator("#bank-preview-status").inner_text()
    shot(tab, "bank-editor-problem-1000")

    editor.press("End")
    editor.press_sequentially(FINISHED, delay=5)
    page.locator("#preview .qitem-values").wait_for()
    prompt = page.locator("#preview .qitem-prompt").inner_text()
    assert prompt.startswith("A gas fills ") and "{V1}" not in prompt
    assert page.locator("#preview .qitem-answer").inner_text().endswith(" kPa")
    assert "Reads well" in page.locator("#bank-preview-status").inner_text()
    first_values = page.locator("#preview .qitem-values").inner_text()
    page.get_by_role("button", name="Show another version").click()
    page.wait_for_function(
        "v => document.querySelector('#preview .qitem-values').innerText !== v", arg=first_values
    )
    page.locator("summary", has_text="Calculated").click()
    shot(tab, "bank-editor-1000")

    page.get_by_role("button", name="Add to the bank").click()
    page.wait_for_selector("text=Added to the bank of GAS-1 as version 1.")
    question = Question.objects.get(objective=a, key="Boyle's law — final pressure")
    assert question.current is not None and question.current.type == "calculated"
    assert page.url.endswith(f"/teach/questions/{question.pk}/edit/?view=yaml")
    assert page.locator("#preview .qitem-values").is_visible()

    QuestionVersion.objects.filter(question=question).update(shown=True)  # a student's check showed it
    page.reload()
    editor = page.get_by_label("The question, in YAML")
    editor.fill(editor.input_value().replace("What is its new pressure?", "Find its new pressure."))
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector(
        "text=Saved as version 2 (version 1 stays as it was for the attempts that showed it)."
    )
    shot(tab, "bank-editor-saved-1000")
    page.get_by_role("link", name="Version history").click()
    page.wait_for_selector("h1:has-text('Version history')")
    assert page.locator(".version-list > li").count() == 2
    shot(tab, "bank-versions-1000")

    page.get_by_role("link", name="Bank of GAS-1").click()
    page.wait_for_selector("text=4 questions can be asked")
    page.get_by_role("link", name="Preview 5 versions").click()
    page.wait_for_selector("h1:has-text('Five versions of the check')")
    assert page.locator(".bank-version").count() == 5
    assert page.locator(".bank-item .qitem-answer").count() == 10
    shot(tab, "bank-preview-1000")

    assert tab.external == []
    assert tab.console_errors == []


def test_the_bank_pages_fit_a_phone(visit: Any) -> None:
    classroom = factories.small_classroom()
    a = classroom["a"]
    questions = factories.bank(a, 6)
    Question.objects.filter(pk=questions[5].pk).update(retired=True)
    tab = visit(360, 740)
    page = tab.log_in("ms_rao", factories.PASSWORD)

    page = tab.go(f"/teach/objectives/{a.pk}/bank/")
    assert not tab.has_horizontal_scroll()
    shot(tab, "bank-360")
    page.get_by_role("button", name="Bring back · GAS-1-q5").click()
    page.wait_for_selector("text=Brought back “GAS-1-q5”: checks may ask it again.")
    page.locator(".bank-q.is-retired").wait_for(state="detached")  # htmx settles classes after a swap
    assert not Question.objects.filter(retired=True).exists()

    page.get_by_role("link", name="Add in YAML").click()
    page.wait_for_selector("h1:has-text('New question')")
    editor = page.get_by_label("The question, in YAML")
    editor.focus()
    editor.press("Control+End")
    editor.press_sequentially("tags: [boyle]\n", delay=5)
    editor.press("Tab")  # the editor does not trap the keyboard: Tab moves on to saving
    assert page.evaluate("document.activeElement.textContent") == "Add to the bank"
    page.wait_for_timeout(900)
    assert "Reads well" in page.locator("#bank-preview-status").inner_text()
    assert not tab.has_horizontal_scroll()
    shot(tab, "bank-editor-360")

    page = tab.go(f"/teach/objectives/{a.pk}/bank/import/")
    assert not tab.has_horizontal_scroll()
    shot(tab, "bank-import-360")

    page = tab.go(f"/teach/objectives/{a.pk}/bank/preview/")
    assert page.locator(".bank-version").count() == 5
    assert not tab.has_horizontal_scroll()
    shot(tab, "bank-preview-360")

    page = tab.go(f"/teach/questions/{questions[1].pk}/versions/")
    assert not tab.has_horizontal_scroll()
    shot(tab, "bank-versions-360")

    assert tab.external == []
    assert tab.console_errors == []


def test_an_import_in_the_browser_reports_its_problems(visit: Any, tmp_path: Any) -> None:
    classroom = factories.small_classroom()
    a = classroom["a"]
    broken = tmp_path / "gas.gift"
    broken.write_text("::ok:: A fine question {=a ~b}\n\n::bad:: A broken one {=a ~b\n", encoding="utf-8")
    tab = visit(1000, 800)
    tab.log_in("ms_rao", factories.PASSWORD)
    page = tab.go(f"/teach/objectives/{a.pk}/bank/import/")

    page.get_by_label("Bank file").set_input_files(str(broken))
    page.get_by_role("button", name="Import").click()
    page.wait_for_selector("h2:has-text('Nothing was changed')")
    assert "gas.gift:3:" in page.locator(".bank-problems").inner_text()
    assert Question.objects.count() == 0
    shot(tab, "bank-import-problems-1000")
    assert tab.console_errors == []
