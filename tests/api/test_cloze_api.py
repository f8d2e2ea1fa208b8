"""A cloze item through the API: the student's attempt carries its parts and never a part's answer; the
teacher's key is a response that scores full marks when the student PUTs it; students get no key."""

from __future__ import annotations

import json
from typing import Any

import pytest

from flipmastery.assessments.models import AttemptItem
from flipmastery.domain.questions import Question, QuestionType
from flipmastery.questions.services import question_create
from tests.api.conftest import assert_error, bearer_client
from tests.api.test_attempts import put, start
from tests.web.test_cloze_pages import PARTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def cloze_check(classroom: dict[str, Any]) -> dict[str, Any]:
    a = classroom["a"]
    a.check_items = 2
    a.save()
    for i in range(4):
        value = Question(
            QuestionType.CLOZE,
            f"[[1]]'s law; a mole fills [[2]] L; air is [[3]]; units: [[4]] ({i}).",
            key=f"c{i}",
            cloze_parts=PARTS,
        )
        question_create(objective=a, value=value, actor=None)
    return classroom


def test_the_attempt_shows_parts_without_answers_and_the_key_scores_full_marks(
    cloze_check: dict[str, Any],
) -> None:
    student = bearer_client(cloze_check["students"][0])
    attempt = start(student, cloze_check)

    said = json.dumps(attempt)
    for secret in ("Boyle", "22.4", "fraction", "tolerance", "Right.", "correct"):
        assert secret not in said
    item = attempt["items"][0]
    assert item["type"] == "cloze"
    assert [p["id"] for p in item["parts"]] == ["1", "2", "3", "4"]
    assert [p["type"] for p in item["parts"]] == [
        "short_text",
        "numeric",
        "single_choice",
        "multiple_response",
    ]
    assert 'class="gap-blank" data-gap="2"' in item["prompt_html"]

    assert_error(student.get(f"/api/v1/attempts/{attempt['id']}/key"), 404, "not_found")
    key = bearer_client(cloze_check["teacher"]).get(f"/api/v1/attempts/{attempt['id']}/key").json()
    for entry in key["items"]:
        assert put(student, attempt["id"], entry["id"], entry["correct_response"]).status_code == 200
    submitted = student.post(f"/api/v1/attempts/{attempt['id']}/submit").json()
    assert submitted["objectives"][0]["score"] == 1.0


def test_a_part_answer_of_the_wrong_shape_is_refused_and_nothing_changes(cloze_check: dict[str, Any]) -> None:
    student = bearer_client(cloze_check["students"][0])
    attempt = start(student, cloze_check)
    item = attempt["items"][0]["id"]

    response = put(student, attempt["id"], item, {"4": "not a list"})

    assert response.status_code == 422
    assert AttemptItem.objects.get(attempt_id=attempt["id"], position=item).response is None
