"""A teacher makes a cloze question with the question editor: the text holds each part in Moodle's
embedded-answers syntax; it goes to YAML (our [[1]] and parts) and back unchanged, a broken part is named at
the text, and trying it as a student grades each part with its weight."""

from __future__ import annotations

import html
import random
from typing import Any

from django.test import Client

from flipmastery.domain.generation import generate
from flipmastery.domain.grading import correct_response
from flipmastery.web.views_banks import read_one
from tests.web.test_question_form import counts, fields, invalid, new_url, post, teacher  # noqa: F401

CLOZE = (
    'type: cloze\ntext: "Air is mostly [[1]]; one mole fills [[2]] L at STP."\nparts:\n'
    "  - {type: single_choice, choices: [{text: nitrogen, correct: true}, {text: oxygen, feedback: 21 %}]}\n"
    "  - {type: numeric, answers: [{value: 22.4, tolerance: 0.1}, {value: 22.7, fraction: 0.5}], weight: 2}\n"
)


def test_the_form_writes_the_parts_in_moodle_s_syntax_and_goes_back_to_the_same_question(
    teacher: Client,  # noqa: F811
    classroom: dict[str, Any],
) -> None:
    page = post(teacher, new_url(classroom), {"text": CLOZE, "do": "to_form"})

    data = fields(page)
    assert data["q-text"] == (
        "Air is mostly {1:MULTICHOICE:=nitrogen~%0%oxygen#21 %}; one mole fills "
        "{2:NUMERICAL:=22.4:0.1~%50%22.7} L at STP."
    )
    assert "{1:SHORTANSWER:=Paris#Right" in html.unescape(page)  # the text's help says how
    back = html.unescape(post(teacher, new_url(classroom), {**data, "do": "to_yaml"}))
    text = back[back.index("type: cloze") : back.index("</textarea>", back.index("type: cloze"))]
    assert read_one(text) == read_one(CLOZE)
    assert counts() == (0, 0, 0)


def test_a_broken_part_is_named_at_the_text(
    teacher: Client,  # noqa: F811
    classroom: dict[str, Any],
) -> None:
    data = fields(post(teacher, new_url(classroom), {"text": CLOZE, "do": "to_form"}))

    page = html.unescape(
        post(
            teacher, new_url(classroom), {**data, "q-text": "Air is {1:MULTICHOICE:=nitrogen}.", "do": "save"}
        )
    )

    assert "part 1 of the question needs at least two choices" in invalid(page, "q-text")
    assert counts() == (0, 0, 0)


def test_trying_it_as_a_student_grades_each_part(
    teacher: Client,  # noqa: F811
    classroom: dict[str, Any],
) -> None:
    data = fields(post(teacher, new_url(classroom), {"text": CLOZE, "do": "to_form"}))
    question = read_one(CLOZE)[0]
    key = correct_response(question, generate(question, random.Random(int(data["try_seed"]))))

    tried = html.unescape(post(teacher, new_url(classroom), {**data, "try-part-1": key["1"], "do": "try"}))

    assert 'name="try-part-2"' in tried and "Part 2" in tried and 'name="try-answer"' not in tried
    assert "Partly correct (33" in tried[tried.index("qf-try-result") :]
    assert counts() == (0, 0, 0)


def test_a_part_the_form_cannot_show_sends_the_teacher_to_the_yaml_view(
    teacher: Client,  # noqa: F811
    classroom: dict[str, Any],
) -> None:
    with_unit = CLOZE.replace("weight: 2}", "weight: 2, unit: L}")

    data = fields(post(teacher, new_url(classroom), {"text": with_unit, "do": "to_form"}))
    page = html.unescape(post(teacher, new_url(classroom), {**data, "do": "save"}))

    assert data["q-text"] == "Air is mostly [[1]]; one mole fills [[2]] L at STP."
    assert "edit it in the YAML view" in invalid(page, "q-text")
    assert counts() == (0, 0, 0)
