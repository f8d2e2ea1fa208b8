"""The demo students' wrong answers are wrong, for every question of both demo banks and many variants,
and their right answers (the key) are right: otherwise the demo's history would not be the one told."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from flipmastery.demo.answers import wrong_response
from flipmastery.domain.formats.bank import read_bank
from flipmastery.domain.generation import generate
from flipmastery.domain.grading import Status, correct_response, grade
from flipmastery.domain.questions import GapChoice, Question, QuestionType

CONTENT = Path(__file__).resolve().parents[2] / "src" / "flipmastery" / "demo" / "content"
BANK_FILES = sorted(CONTENT.glob("*/banks/*.yaml"))


def questions_of(path: Path) -> list[Question]:
    skipped = (QuestionType.DESCRIPTION, QuestionType.FREE_RESPONSE)  # never in a demo check
    return [e.question for e in read_bank(path.read_bytes(), path.name) if e.question.type not in skipped]


@pytest.mark.parametrize("path", BANK_FILES, ids=[p.stem for p in BANK_FILES])
def test_every_wrong_answer_misses_and_every_key_scores_full_marks(path: Path) -> None:
    found = questions_of(path)
    assert found
    rng = random.Random(path.stem)
    for question in found:
        for _ in range(40 if question.type is QuestionType.CALCULATED else 8):
            variant = generate(question, rng)
            right = correct_response(question, variant)
            wrong = wrong_response(question, variant, right, rng)
            assert grade(question, variant, right).score == 1.0, (question.key, right)
            missed = grade(question, variant, wrong)
            assert missed.score < 1.0 and missed.status is not Status.UNANSWERED, (question.key, wrong)


def test_a_wrong_answer_is_the_one_the_author_foresaw_when_there_is_one() -> None:
    bank = questions_of(CONTENT / "gas-laws" / "banks" / "gas-1.yaml")
    (barometer,) = [q for q in bank if q.key == "gas1-instrument"]
    variant = generate(barometer, random.Random(1))
    wrong = wrong_response(barometer, variant, correct_response(barometer, variant), random.Random(1))
    assert wrong == "manometer"


def test_a_wrong_gaps_answer_changes_one_gap_and_scores_less() -> None:
    question = Question(
        QuestionType.GAPS,
        "[[1]] and [[2]]",
        gap_choices=(GapChoice("x"), GapChoice("y"), GapChoice("z", 2), GapChoice("w", 2)),
        gap_answers=(1, 3),
    )
    for seed in range(10):
        variant = generate(question, random.Random(seed))
        wrong = wrong_response(question, variant, correct_response(question, variant), random.Random(seed))
        assert grade(question, variant, wrong).score == 0.5
