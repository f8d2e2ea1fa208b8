"""Bank pages and a calculated variable whose values cannot be drawn (a step of 1e-300 up to 1e308): a form
error naming the variable and its limit, never a 500, and nothing saved."""

from __future__ import annotations

import dataclasses
import html
from typing import Any

from flipmastery.domain.question_codec import to_data
from flipmastery.domain.questions import Variable
from flipmastery.questions.models import QuestionVersion
from tests import factories
from tests.web.test_bank_pages import counts, import_file, page, upload

HOSTILE = """\
type: calculated
text: x is {a}
variables:
  a: {min: 0, max: 1e308, step: 1e-300}
answer: {formula: a, tolerance: 1%}
"""
WHY = "variable a of the question has the number 1e+308; the numbers of a variable must be within ±1e+100"


def test_the_editor_refuses_it_as_a_form_error(as_user: Any, classroom: dict[str, Any]) -> None:
    a = classroom["a"]

    response = as_user(classroom["teacher"]).post(f"/teach/objectives/{a.pk}/bank/new/", {"text": HOSTILE})

    text = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "<h2>Not saved</h2>" in text and f"<strong>line 4</strong>: {WHY}" in text
    assert counts() == (0, 0, 0)


def test_the_live_preview_shows_the_problem(as_user: Any, classroom: dict[str, Any]) -> None:
    a = classroom["a"]

    response = as_user(classroom["teacher"]).post(
        f"/teach/objectives/{a.pk}/bank/preview-question/", {"text": HOSTILE}
    )

    assert response.status_code == 200 and WHY in html.unescape(response.content.decode())


def test_an_import_refuses_it_and_changes_nothing(as_user: Any, classroom: dict[str, Any]) -> None:
    a = classroom["a"]
    factories.bank(a, 2)
    before = counts()
    bank_file = "questions:\n  - id: q1\n" + "".join(f"    {line}\n" for line in HOSTILE.splitlines())

    text = html.unescape(import_file(as_user(classroom["teacher"]), a, upload("calc.yaml", bank_file)))

    assert "<h2>Nothing was changed</h2>" in text
    assert "calc.yaml:6: " + WHY.replace("the question", "question 'q1'") in text
    assert counts() == before


def test_a_saved_version_that_cannot_be_drawn_is_reported_not_a_crash(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    a = classroom["a"]
    questions = factories.bank(a, 2)
    calculated = questions[1].current.value
    hostile = dataclasses.replace(calculated, variables=(Variable("P1", 0, 1e308, step=1e-300),))
    QuestionVersion.objects.filter(pk=questions[1].current.pk).update(data=to_data(hostile))
    client = as_user(classroom["teacher"])

    for url in (f"/teach/objectives/{a.pk}/bank/preview/", f"/teach/questions/{questions[1].pk}/versions/"):
        text = html.unescape(page(client, url))
        assert "This version cannot be built: variable P1 has the number 1e+308" in text
