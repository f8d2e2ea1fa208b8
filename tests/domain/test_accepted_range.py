"""The range a printed key shows for a numeric answer is the range the grading accepts."""

from __future__ import annotations

from flipmastery.domain.generation import Variant
from flipmastery.domain.grading import accepted_range, grade
from flipmastery.domain.questions import NumericAnswer, Question, QuestionType, Tolerance


def numeric(answer: NumericAnswer, unit: str = "atm") -> Question:
    return Question(QuestionType.NUMERIC, "Standard pressure?", numeric_answers=(answer,), unit=unit)


def test_an_absolute_tolerance_reads_as_its_ends_and_both_ends_are_graded_right() -> None:
    question = numeric(NumericAnswer(1.0, tolerance=0.01))
    assert accepted_range(question, Variant()) == "0.99 to 1.01 atm"
    for end in ("0.99 atm", "1.01 atm"):
        assert grade(question, Variant(), end).score == 1.0
    assert grade(question, Variant(), "1.02 atm").score == 0.0


def test_a_relative_tolerance_is_a_share_of_the_answer() -> None:
    question = numeric(NumericAnswer(250.0, tolerance=0.02, tolerance_mode=Tolerance.RELATIVE), unit="kPa")
    assert accepted_range(question, Variant()) == "245 to 255 kPa"


def test_an_exact_answer_or_another_type_shows_no_range() -> None:
    assert accepted_range(numeric(NumericAnswer(1.0)), Variant()) == ""
    assert accepted_range(Question(QuestionType.TRUE_FALSE, "Gases are compressible."), Variant()) == ""
