"""A teacher makes a gaps question with the question editor: the text with [[n]] and a table of choices
with their group and the gap each is right for; it goes to YAML and back unchanged, a wrong gap number is
named at its field, and trying it as a student grades each gap."""

from __future__ import annotations

import html
import random
from typing import Any

from django.test import Client

from flipmastery.domain.generation import generate
from flipmastery.domain.grading import correct_response
from flipmastery.web.views_banks import read_one
from tests.web.test_question_form import counts, fields, invalid, new_url, post, teacher  # noqa: F401

GAPS = (
    'type: gaps\ntext: "Gases at high [[1]] and low [[2]] behave least ideally."\nchoices:\n'
    "  - {text: pressure, gap: 1}\n  - volume\n  - {text: temperature, group: 2, gap: 2}\n"
    "  - {text: colour, group: 2, infinite: true}\n"
)


def test_the_form_has_a_table_of_choices_and_goes_back_to_the_same_question(
    teacher: Client,  # noqa: F811
    classroom: dict[str, Any],
) -> None:
    page = post(teacher, new_url(classroom), {"text": GAPS, "do": "to_form"})

    assert "Choices for the gaps" in page and "Right for gap" in page and "May fill more than one gap" in page
    data = fields(page)
    assert [data[f"q-gaps-{i}-text"] for i in range(4)] == ["pressure", "volume", "temperature", "colour"]
    assert (data["q-gaps-0-gap"], data["q-gaps-2-gap"], data["q-gaps-2-group"]) == ("1", "2", "2")
    assert data.get("q-gaps-3-infinite") == "1"
    back = html.unescape(post(teacher, new_url(classroom), {**data, "do": "to_yaml"}))
    text = back[back.index("type: gaps") : back.index("</textarea>", back.index("type: gaps"))]
    assert read_one(text) == read_one(GAPS)
    assert counts() == (0, 0, 0)


def test_a_gap_number_that_is_not_one_is_named_at_its_field(
    teacher: Client,  # noqa: F811
    classroom: dict[str, Any],
) -> None:
    data = fields(post(teacher, new_url(classroom), {"text": GAPS, "do": "to_form"}))

    page = html.unescape(post(teacher, new_url(classroom), {**data, "q-gaps-0-gap": "first", "do": "save"}))

    assert "'gap' of choice 'pressure' must be a gap number" in invalid(page, "q-gaps-0-gap")
    assert counts() == (0, 0, 0)


def test_trying_it_as_a_student_grades_each_gap(
    teacher: Client,  # noqa: F811
    classroom: dict[str, Any],
) -> None:
    data = fields(post(teacher, new_url(classroom), {"text": GAPS, "do": "to_form"}))
    question = read_one(GAPS)[0]
    key = correct_response(question, generate(question, random.Random(int(data["try_seed"]))))

    half = html.unescape(post(teacher, new_url(classroom), {**data, "try-gap-1": key["1"], "do": "try"}))

    assert 'name="try-gap-2"' in half and "Gap 2" in half and 'name="try-answer"' not in half
    assert "Partly correct (50" in half[half.index("qf-try-result") :]
    assert counts() == (0, 0, 0)
