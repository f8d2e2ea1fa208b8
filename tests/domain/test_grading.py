"""Grading every question type: a pure function of question, variant and response, with feedback."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flipmastery.domain.errors import Invalid
from flipmastery.domain.generation import Variant, fill, generate, shown_choices
from flipmastery.domain.grading import Status, clean_response, correct_response, grade, shown_answer
from flipmastery.domain.questions import (
    Choice,
    Derived,
    MatchPair,
    NumericAnswer,
    Question,
    QuestionType,
    TextAnswer,
    Tolerance,
    Variable,
    true_false_choices,
)

SINGLE = Question(
    QuestionType.SINGLE_CHOICE,
    "Which law relates pressure and volume at constant temperature?",
    choices=(
        Choice("Boyle's law", 1.0, "Yes: P₁V₁ = P₂V₂."),
        Choice("Charles's law", 0.0, "Charles's law is about volume and temperature."),
        Choice("Dalton's law", 0.0),
    ),
)
MULTIPLE = Question(
    QuestionType.MULTIPLE_RESPONSE,
    "Which are gas laws?",
    choices=(
        Choice("Boyle", 0.5),
        Choice("Charles", 0.5),
        Choice("Newton's second", -1.0, "That is mechanics."),
    ),
)
TRUE_FALSE = Question(
    QuestionType.TRUE_FALSE,
    "Gas particles attract each other strongly.",
    choices=true_false_choices(False, feedback_true="Ideal gas particles do not attract."),
)
SHORT = Question(
    QuestionType.SHORT_TEXT,
    "Name the law P₁V₁ = P₂V₂.",
    answers=(TextAnswer("Boyle*", 1.0, "Right."), TextAnswer("Charles*", 0.0, "That one is V/T.")),
)
NUMERIC = Question(
    QuestionType.NUMERIC,
    "Standard pressure?",
    numeric_answers=(NumericAnswer(1.0, tolerance=0.01, tolerance_mode=Tolerance.RELATIVE),),
    unit="atm",
)
CALCULATED = Question(
    QuestionType.CALCULATED,
    "A gas occupies {V1} L at {P1} kPa. What is its pressure at {V2} L?",
    variables=(
        Variable("V1", minimum=2.0, maximum=6.0, decimals=1),
        Variable("P1", minimum=90, maximum=120, step=5),
        Variable("V2", values=(0.5, 1.0, 1.5)),
    ),
    derived=(Derived("P2", "P1 * V1 / V2"),),
    numeric_answers=(NumericAnswer(formula="P2", tolerance=0.02, tolerance_mode=Tolerance.RELATIVE),),
    unit="kPa",
    answer_decimals=1,
)
MATCHING = Question(
    QuestionType.MATCHING,
    "Match each law with what stays constant.",
    pairs=(
        MatchPair("Boyle", "temperature"),
        MatchPair("Charles", "pressure"),
        MatchPair("Gay-Lussac", "volume"),
        MatchPair("", "amount only"),
    ),
)
ESSAY = Question(
    QuestionType.FREE_RESPONSE, "Explain why a balloon shrinks in the cold.", rubric="Mentions KE."
)
ALL = [SINGLE, MULTIPLE, TRUE_FALSE, SHORT, NUMERIC, CALCULATED, MATCHING]


def variant(question: Question, seed: int = 1) -> Variant:
    return generate(question, random.Random(seed))


def label_of(question: Question, v: Variant, text: str) -> str:
    return next(label for label, i in shown_choices(question, v) if question.choices[i].text == text)


def test_single_choice_gives_the_chosen_options_credit_and_feedback() -> None:
    v = variant(SINGLE)
    right = grade(SINGLE, v, label_of(SINGLE, v, "Boyle's law"))
    wrong = grade(SINGLE, v, label_of(SINGLE, v, "Charles's law"))
    assert (right.score, right.status, right.feedback) == (1.0, Status.CORRECT, ("Yes: P₁V₁ = P₂V₂.",))
    assert (wrong.score, wrong.status) == (0.0, Status.INCORRECT)
    assert wrong.feedback == ("Charles's law is about volume and temperature.",)


def test_labels_hide_the_authoring_order_and_change_between_attempts() -> None:
    orders = {variant(SINGLE, seed).order for seed in range(30)}
    assert len(orders) > 1
    assert [label for label, _ in shown_choices(SINGLE, variant(SINGLE))] == ["a", "b", "c"]


def test_multiple_response_adds_weights_negative_ones_too_and_never_goes_below_zero() -> None:
    v = variant(MULTIPLE)
    boyle, charles, newton = (label_of(MULTIPLE, v, t) for t in ("Boyle", "Charles", "Newton's second"))
    assert grade(MULTIPLE, v, [boyle, charles]).score == 1.0
    half = grade(MULTIPLE, v, [boyle])
    assert (half.score, half.status) == (0.5, Status.PARTIAL)
    assert grade(MULTIPLE, v, [boyle, charles, newton]).score == 0.0
    assert grade(MULTIPLE, v, [newton]).score == 0.0


def test_true_false_feedback_goes_to_the_student_who_picked_that_answer() -> None:
    v = variant(TRUE_FALSE)
    assert grade(TRUE_FALSE, v, False).score == 1.0
    wrong = grade(TRUE_FALSE, v, True)
    assert (wrong.score, wrong.feedback) == (0.0, ("Ideal gas particles do not attract.",))
    assert grade(TRUE_FALSE, v, "false").score == 1.0


@pytest.mark.parametrize("typed", ["Boyle's law", "  boyle's   LAW ", "Boyle"])
def test_short_text_ignores_case_and_spacing_and_understands_wildcards(typed: str) -> None:
    assert grade(SHORT, variant(SHORT), typed).score == 1.0


def test_short_text_first_matching_answer_decides_and_unicode_is_normalised() -> None:
    assert grade(SHORT, variant(SHORT), "Charles").feedback == ("That one is V/T.",)
    cafe = Question(QuestionType.SHORT_TEXT, "?", answers=(TextAnswer("café"),))
    assert grade(cafe, variant(cafe), "cafe\u0301").score == 1.0  # e + combining accent, NFC-normalised
    strict = Question(QuestionType.SHORT_TEXT, "?", answers=(TextAnswer("NaCl"),), case_sensitive=True)
    assert grade(strict, variant(strict), "nacl").score == 0.0


def test_a_hostile_wildcard_answer_runs_in_linear_time() -> None:
    q = Question(QuestionType.SHORT_TEXT, "?", answers=(TextAnswer("*a*a*a*a*a*a*a*a*a*a*b"),))
    assert grade(q, variant(q), "a" * 2000).score == 0.0


@pytest.mark.parametrize("typed", ["1 atm", "101.3 kPa", "760 mmHg", "1.005 atm", "101325 Pa"])
def test_numeric_with_units_accepts_any_unit_of_the_same_dimension(typed: str) -> None:
    assert grade(NUMERIC, variant(NUMERIC), typed).score == 1.0


def test_a_missing_unit_and_a_wrong_dimension_each_have_their_own_feedback() -> None:
    missing = grade(NUMERIC, variant(NUMERIC), "1")
    assert missing.score == 0.0
    assert missing.unit_problem == "The unit is missing: give the answer with its unit, e.g. in atm."
    wrong = grade(NUMERIC, variant(NUMERIC), "1 L")
    assert wrong.unit_problem == "Check the unit: L is a volume, but the answer is a pressure (e.g. in atm)."
    lenient = Question(**{**NUMERIC.__dict__, "unit_penalty": 0.25})
    assert grade(lenient, variant(lenient), "1").score == 0.75


def test_numeric_ranges_and_several_graded_answers_first_match_wins() -> None:
    q = Question(
        QuestionType.NUMERIC,
        "?",
        numeric_answers=(
            NumericAnswer(2.0, fraction=1.0),
            NumericAnswer(2.0, tolerance=1.0, fraction=0.5, feedback="close"),
        ),
    )
    assert grade(q, variant(q), "2").score == 1.0
    close = grade(q, variant(q), "2.9")
    assert (close.score, close.feedback) == (0.5, ("close",))
    assert grade(q, variant(q), "3.1").score == 0.0
    assert grade(q, variant(q), "two").feedback[0].startswith("'two' is not a number")


def test_calculated_items_draw_values_fill_the_text_and_grade_against_the_formula() -> None:
    v = variant(CALCULATED, 7)
    env = v.env
    assert env["P2"] == pytest.approx(env["P1"] * env["V1"] / env["V2"])
    text = fill(CALCULATED.text, CALCULATED, v)
    assert f"{env['V1']:.1f} L" in text and f"{env['P1']:.0f} kPa" in text and "{" not in text
    p2 = env["P2"]
    assert grade(CALCULATED, v, f"{p2:.1f} kPa").score == 1.0
    assert grade(CALCULATED, v, f"{p2 / 101.325:.4f} atm").score == 1.0
    assert grade(CALCULATED, v, f"{p2 * 1.05:.1f} kPa").score == 0.0
    assert grade(CALCULATED, v, f"{p2:.1f}").unit_problem


def test_calculated_items_of_one_group_share_their_values() -> None:
    second = Question(**{**CALCULATED.__dict__, "text": "Same gas: {V1} L."})
    grouped = [Question(**{**q.__dict__, "group": "sample"}) for q in (CALCULATED, second)]
    shared: dict[str, dict[str, float]] = {}
    rng = random.Random(3)
    a, b = (generate(q, rng, shared) for q in grouped)
    assert a.env["V1"] == b.env["V1"] and a.env["P1"] == b.env["P1"]


def test_matching_scores_the_share_of_prompts_matched() -> None:
    v = variant(MATCHING)
    key = correct_response(MATCHING, v)
    assert grade(MATCHING, v, key).score == 1.0
    one_wrong = dict(key)
    first = next(iter(one_wrong))
    one_wrong[first] = next(label for label in "abcd" if label != key[first])
    assert grade(MATCHING, v, one_wrong).score == pytest.approx(2 / 3)


def test_free_response_waits_for_the_teacher() -> None:
    result = grade(ESSAY, variant(ESSAY), "Because the particles slow down.")
    assert (result.score, result.status) == (0.0, Status.PENDING)


def test_empty_or_malformed_responses_are_unanswered_and_grading_never_raises() -> None:
    for q in ALL:
        v = variant(q)
        for junk in (None, "", [], {}, 3.5j if False else object(), ["zz"], {"9": "q"}, "zz"):
            assert grade(q, v, junk).score == 0.0


def test_the_shape_of_each_response_is_checked_when_it_is_saved() -> None:
    v = variant(SINGLE)
    with pytest.raises(Invalid, match="one of a, b, c"):
        clean_response(SINGLE, v, "z")
    with pytest.raises(Invalid, match="true or false"):
        clean_response(TRUE_FALSE, variant(TRUE_FALSE), "maybe")
    with pytest.raises(Invalid, match="at most 100 characters"):
        clean_response(NUMERIC, variant(NUMERIC), "1" * 101)
    assert clean_response(MULTIPLE, variant(MULTIPLE), ["b", "a", "b"]) == ["a", "b"]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_the_key_of_every_variant_grades_full_marks(seed: int) -> None:
    for q in ALL:
        v = generate(q, random.Random(seed))
        assert grade(q, v, correct_response(q, v)).score == 1.0, q.type
        assert shown_answer(q, v)


def test_the_shown_answer_uses_the_questions_decimals_and_unit() -> None:
    v = Variant(values=(("V1", 2.0), ("P1", 100.0), ("V2", 1.0), ("P2", 200.0)))
    assert shown_answer(CALCULATED, v) == "200.0 kPa"


def test_every_question_survives_the_storage_codec_unchanged() -> None:
    from flipmastery.domain.question_codec import from_data, to_data

    for q in [*ALL, ESSAY]:
        assert from_data(to_data(q)) == q
    assert set(to_data(ESSAY)) == {"type", "text", "rubric"}
    assert "rubric" not in to_data(SINGLE)


def test_a_catch_all_numeric_answer_matches_any_other_number_for_its_feedback() -> None:
    q = Question(
        QuestionType.NUMERIC,
        "Year?",
        numeric_answers=(
            NumericAnswer(1822.0, fraction=1.0),
            NumericAnswer(None, fraction=0.0, feedback="Look it up."),
        ),
    )
    wrong = grade(q, variant(q), "1900")
    assert (wrong.score, wrong.feedback) == (0.0, ("Look it up.",))
    assert grade(q, variant(q), "1822").score == 1.0
    assert correct_response(q, variant(q)) == "1822.0"
