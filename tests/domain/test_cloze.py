"""Cloze questions: each part graded by its own type's grading and weighted; the key scores full marks and
says nothing in the student's variant; broken parts are named."""

from __future__ import annotations

import random

import pytest

from flipmastery.domain.cloze import clean_cloze, cloze_problem, part_choices
from flipmastery.domain.errors import Invalid
from flipmastery.domain.generation import generate
from flipmastery.domain.grading import (
    Status,
    clean_response,
    correct_response,
    grade,
    question_problems,
    shown_answer,
)
from flipmastery.domain.guessing import guess_chance
from flipmastery.domain.question_codec import from_data, to_data
from flipmastery.domain.questions import (
    Choice,
    ClozeLayout,
    ClozePart,
    NumericAnswer,
    Question,
    QuestionType,
    TextAnswer,
)

PARTS = (
    ClozePart(QuestionType.SHORT_TEXT, 1, answers=(TextAnswer("Boyle*"), TextAnswer("Charles", 0.5, "No."))),
    ClozePart(
        QuestionType.NUMERIC, 2, numeric_answers=(NumericAnswer(22.4, tolerance=0.1, feedback="Yes."),)
    ),
    ClozePart(
        QuestionType.SINGLE_CHOICE,
        1,
        choices=(Choice("nitrogen", 1.0, "Right."), Choice("oxygen", 0.0), Choice("argon", 0.0)),
        shuffle=True,
    ),
    ClozePart(
        QuestionType.MULTIPLE_RESPONSE,
        1,
        choices=(Choice("kPa", 0.5), Choice("mmHg", 0.5), Choice("litre", -1.0)),
        layout=ClozeLayout.VERTICAL,
    ),
)
CLOZE = Question(QuestionType.CLOZE, "[[1]]'s law; [[2]] L; air is [[3]]; units: [[4]]", cloze_parts=PARTS)


def variant():  # type: ignore[no-untyped-def]
    return generate(CLOZE, random.Random(7))


def label_of(text: str, part: str) -> str:
    return next(label for label, said in part_choices(CLOZE, variant(), part) if said == text)


def test_the_key_scores_full_marks_and_the_question_has_no_problem() -> None:
    key = correct_response(CLOZE, variant())

    assert key == {
        "1": "Boyle",
        "2": "22.4",
        "3": label_of("nitrogen", "3"),
        "4": sorted([label_of("kPa", "4"), label_of("mmHg", "4")]),
    }
    assert grade(CLOZE, variant(), key).score == 1.0
    assert question_problems(CLOZE, random.Random(1)) == []
    assert shown_answer(CLOZE, variant()) == "1. Boyle; 2. 22.4; 3. nitrogen; 4. kPa; mmHg"


def test_each_part_counts_by_its_weight_with_its_own_partial_credit() -> None:
    response = {"1": "charles", "2": "22.45", "3": label_of("oxygen", "3")}

    result = grade(CLOZE, variant(), response)

    # (1 × 0.5 + 2 × 1 + 1 × 0 + 1 × 0) / 5
    assert result.score == 0.5
    assert result.status is Status.PARTIAL
    assert result.feedback == ("1. No.", "2. Yes.")


def test_a_negative_choice_takes_only_its_own_part_to_zero() -> None:
    response = {"1": "Boyle", "4": [label_of("kPa", "4"), label_of("litre", "4")]}

    assert grade(CLOZE, variant(), response).score == 0.2


def test_nothing_answered_is_unanswered_and_a_bad_shape_is_refused_naming_the_part() -> None:
    assert grade(CLOZE, variant(), {}).status is Status.UNANSWERED
    assert clean_cloze(CLOZE, variant(), {"1": "", "2": None}) == {}
    with pytest.raises(Invalid, match="part 3's answer must be one of a, b, c"):
        clean_response(CLOZE, variant(), {"3": "z"})
    with pytest.raises(Invalid, match=r"part numbers \(1, 2, 3, 4\)"):
        clean_response(CLOZE, variant(), {"9": "x"})


def test_the_choices_shown_say_nothing_of_the_key() -> None:
    shown = part_choices(CLOZE, variant(), "3")

    assert sorted(text for _, text in shown) == ["argon", "nitrogen", "oxygen"]
    assert all(len(entry) == 2 for entry in shown)
    assert part_choices(CLOZE, variant(), "1") == []


def test_a_stored_version_reads_back_the_same() -> None:
    assert from_data(to_data(CLOZE)) == CLOZE


def test_only_an_all_choice_cloze_can_be_guessed() -> None:
    choices = Question(QuestionType.CLOZE, "[[1]]", cloze_parts=(PARTS[2],))

    assert guess_chance(choices) == pytest.approx(1 / 3)
    assert guess_chance(CLOZE) == 0


@pytest.mark.parametrize(
    ("text", "parts", "problem"),
    [
        ("no parts", (), "a cloze question needs at least one part [[1]] in its text"),
        ("[[1]] [[1]]", PARTS[:2], "the text must hold each part [[1]] to [[2]] once, not [[1]], [[1]]"),
        ("[[1]]", (ClozePart(QuestionType.SINGLE_CHOICE, choices=(Choice("a", 1.0),)),),
         "part 1: a choice part needs at least 2 choices"),
        ("[[1]]", (ClozePart(QuestionType.SHORT_TEXT, answers=(TextAnswer("a", 0.5),)),),
         "part 1: one of the answers should give 100 %, so that full marks are possible"),
        ("[[1]]", (ClozePart(QuestionType.MATCHING),),
         "part 1: a part is one of short_text, numeric, single_choice, multiple_response, not matching"),
    ],
)  # fmt: skip
def test_a_broken_cloze_is_named(text: str, parts: tuple[ClozePart, ...], problem: str) -> None:
    question = Question(QuestionType.CLOZE, text, cloze_parts=parts)

    assert cloze_problem(question) == problem
    assert question_problems(question, random.Random(0)) == [problem]
