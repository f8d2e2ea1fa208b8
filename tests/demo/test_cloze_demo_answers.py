"""A demo student's wrong answer to a cloze item misses one part the way that part's type is missed."""

from __future__ import annotations

import random

from flipmastery.demo.answers import wrong_response
from flipmastery.domain.generation import generate
from flipmastery.domain.grading import correct_response, grade
from flipmastery.domain.questions import Choice, ClozePart, NumericAnswer, Question, QuestionType, TextAnswer


def test_a_wrong_cloze_answer_misses_one_part_and_scores_less() -> None:
    question = Question(
        QuestionType.CLOZE,
        "[[1]] [[2]] [[3]]",
        cloze_parts=(
            ClozePart(QuestionType.SHORT_TEXT, answers=(TextAnswer("Boyle"),)),
            ClozePart(QuestionType.NUMERIC, numeric_answers=(NumericAnswer(22.4, tolerance=0.1),)),
            ClozePart(
                QuestionType.SINGLE_CHOICE, choices=(Choice("N2", 1.0), Choice("O2", 0.0)), shuffle=True
            ),
        ),
    )
    for seed in range(10):
        variant = generate(question, random.Random(seed))
        wrong = wrong_response(question, variant, correct_response(question, variant), random.Random(seed))
        assert round(grade(question, variant, wrong).score, 4) == round(2 / 3, 4)
