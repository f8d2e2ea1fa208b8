"""A temperature item tells the student how to type its unit (phones have no ° key), in their language, and
"452 C" typed as told is graded right; an item whose unit is not a temperature carries no such hint."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from flipmastery.assessments.models import Attempt
from flipmastery.assessments.selectors import attempt_view
from flipmastery.domain.generation import Variant
from flipmastery.domain.grading import Status, grade
from flipmastery.domain.question_codec import from_data
from flipmastery.domain.questions import NumericAnswer, Question, QuestionType
from flipmastery.questions.services import question_create
from tests.web.test_check_pages import started

HINT = "Give the unit, e.g. 25 °C or 298 K (you may write °C as C or degC, °F as F or degF)."
HINDI = "इकाई भी लिखें, जैसे 25 °C या 298 K (°C को C या degC, और °F को F या degF लिख सकते हैं)।"


@pytest.fixture
def room(classroom: dict[str, Any]) -> dict[str, Any]:
    objective = classroom["a"]
    for key, text, unit in (
        ("melt", "At what temperature does tin melt? (Say 452 for this check.)", "°C"),
        ("charge", "What charge passed? (Say 452 for this check.)", "C"),
    ):
        value = Question(
            QuestionType.NUMERIC,
            text,
            key=key,
            numeric_answers=(NumericAnswer(value=452.0, tolerance=0.5),),
            unit=unit,
        )
        question_create(objective=objective, value=value, actor=None)
    objective.check_items = 2
    objective.save()
    return classroom


def by_key(attempt: Attempt) -> dict[str, dict[str, Any]]:
    items = attempt_view(attempt)["items"]
    return {("melt" if "melt" in item["prompt_html"] else "charge"): item for item in items}


def test_a_temperature_item_says_how_to_type_its_unit_and_typing_c_is_right(
    as_user: Any, room: dict[str, Any]
) -> None:
    client: Client = as_user(room["students"][0])
    attempt = started(client, room)

    page = client.get(f"/attempts/{attempt.pk}/").content.decode()

    items = by_key(attempt)
    assert items["melt"]["prompt_html"].endswith(f'<p class="hint unit-hint">{HINT}</p>')
    assert "unit-hint" not in items["charge"]["prompt_html"]
    assert page.count('<p class="hint unit-hint">') == 1
    for item in attempt.items.all():  # typed as the hint says, for either unit
        assert grade(from_data(item.version.data), Variant(), "452 C").status is Status.CORRECT


def test_the_hint_is_in_hindi_for_a_student_reading_hindi(as_user: Any, room: dict[str, Any]) -> None:
    client: Client = as_user(room["students"][0])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "hi"
    attempt = started(client, room)

    page = client.get(f"/attempts/{attempt.pk}/").content.decode()

    assert f'<p class="hint unit-hint">{HINDI}</p>' in page
    assert HINT not in page
