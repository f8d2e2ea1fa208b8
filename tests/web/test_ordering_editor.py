"""A teacher makes an ordering question with the question editor and tries it as a student."""

from __future__ import annotations

import html
import random
from typing import Any

from django.test import Client

from flipmastery.domain.generation import generate
from flipmastery.domain.grading import correct_response
from flipmastery.web.views_banks import read_one
from tests.web.test_question_form import counts, fields, new_url, post, teacher  # noqa: F401

ORDERING = (
    "type: ordering\ntext: Put them in order.\nitems: [first, second, third]\ngrading: absolute_position\n"
)


def test_the_form_offers_items_and_grading_and_trying_it_grades_the_letters(
    teacher: Client,  # noqa: F811
    classroom: dict[str, Any],
) -> None:
    page = post(teacher, new_url(classroom), {"text": ORDERING, "do": "to_form"})
    assert "Items, in the right order" in page and "Part credit: each item in its place" in page
    data = fields(page)
    assert data["q-grading"] == "absolute_position"
    variant = generate(read_one(ORDERING)[0], random.Random(int(data["try_seed"])))
    key = correct_response(read_one(ORDERING)[0], variant)

    right = html.unescape(
        post(teacher, new_url(classroom), {**data, "try-answer": " ".join(key), "do": "try"})
    )
    wrong = html.unescape(
        post(teacher, new_url(classroom), {**data, "try-answer": " ".join(reversed(key)), "do": "try"})
    )

    assert "✓ Correct" in right[right.index("qf-try-result") :]
    graded = wrong[wrong.index("qf-try-result") :]
    assert "✓ Correct" not in graded and "Partly correct" in graded  # the middle one is in its place
    assert counts() == (0, 0, 0)
