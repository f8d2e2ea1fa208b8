"""How likely a pure guesser passes a check: exact figures for small checks and checks drawn from banks."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flipmastery.domain.guessing import (
    Draw,
    GuessItem,
    check_guess_pass_probability,
    format_percent,
    guess_chance,
    guess_pass_probability,
)
from flipmastery.domain.questions import Choice, MatchPair, Question, QuestionType, true_false_choices

TF = GuessItem(1, 0.5)
NUMERIC = GuessItem(1, 0)


def choice_of(n: int) -> GuessItem:
    return GuessItem(1, 1 / n)


def test_two_true_false_at_80_percent_pass_a_guesser_one_time_in_four() -> None:
    assert guess_pass_probability([TF, TF], 0.8) == 0.25


def test_one_single_choice_of_four_passes_a_guesser_one_time_in_four() -> None:
    assert guess_pass_probability([choice_of(4)], 0.8) == 0.25


def test_five_true_false_at_80_percent_need_four_right_six_ways_in_32() -> None:
    # 4 or 5 of 5 right: C(5,4) + C(5,5) = 6 of 32
    assert guess_pass_probability([TF] * 5, 0.8) == 6 / 32


def test_items_that_cannot_be_guessed_are_never_passed_by_guessing() -> None:
    assert guess_pass_probability([NUMERIC] * 3, 0.8) == 0
    assert guess_pass_probability([], 0.8) == 0


def test_points_weigh_the_items() -> None:
    # 3 points of true/false and 1 numeric point: the true/false alone reaches 75 % but not 80 %
    heavy = GuessItem(3, 0.5)
    assert guess_pass_probability([heavy, NUMERIC], 0.75) == 0.5
    assert guess_pass_probability([heavy, NUMERIC], 0.8) == 0


def test_a_check_drawn_from_a_bank_averages_over_every_check_it_can_be() -> None:
    # 2 of {TF, TF, numeric}: 1 check in 3 is two true/false (passed 1/4), the others hold the numeric
    bank = (TF, TF, NUMERIC)
    assert check_guess_pass_probability([Draw(bank, 2)], 0.8) == pytest.approx(1 / 12, rel=1e-12)
    # 1 of them at 50 %: a true/false 2 times in 3, right half the time
    assert check_guess_pass_probability([Draw(bank, 1)], 0.5) == pytest.approx(1 / 3, rel=1e-12)


def test_a_uniform_bank_gives_the_figure_of_one_check() -> None:
    assert check_guess_pass_probability([Draw((TF,) * 12, 5)], 0.8) == 6 / 32


def test_free_responses_add_points_a_guesser_never_earns() -> None:
    written = Draw((NUMERIC, NUMERIC), 1)
    assert check_guess_pass_probability([Draw((TF,) * 4, 2), written], 0.6) == 0.25
    assert check_guess_pass_probability([Draw((TF,) * 4, 2)], 0.6) == 0.25
    assert check_guess_pass_probability([Draw((TF,) * 4, 2), written], 0.5) == 0.25
    assert check_guess_pass_probability([Draw((TF,) * 4, 2)], 0.5) == 0.75


def test_a_bank_too_small_for_its_check_builds_none_so_none_is_passed() -> None:
    assert check_guess_pass_probability([Draw((TF,), 2)], 0.5) == 0


def test_the_score_is_rounded_as_the_check_rounds_it() -> None:
    # 2 of 3 is 0.666…, rounded by the check to 0.6667, which reaches a threshold of 0.6667
    assert guess_pass_probability([GuessItem(1, 1)] * 2 + [NUMERIC], 0.6667) == 1


items = st.lists(
    st.builds(
        GuessItem,
        st.integers(1, 3).map(float),
        st.sampled_from([0.0, 1 / 2, 1 / 3, 1 / 4, 1 / 24, 1.0]),
    ),
    max_size=6,
)
thresholds = st.sampled_from([0.5, 0.6, 0.7, 0.8, 0.9, 1.0])


@given(items, thresholds, st.integers(1, 3).map(float))
def test_adding_an_item_that_cannot_be_guessed_never_raises_the_chance(
    check: list[GuessItem], threshold: float, points: float
) -> None:
    before = guess_pass_probability(check, threshold)
    after = guess_pass_probability([*check, GuessItem(points, 0)], threshold)
    assert 0 <= after <= before + 1e-12 and before <= 1


@given(items, thresholds, st.integers(0, 4))
def test_a_drawn_check_is_passed_with_a_chance_between_0_and_1(
    bank: list[GuessItem], threshold: float, count: int
) -> None:
    chance = check_guess_pass_probability([Draw(tuple(bank), count)], threshold)
    assert 0 <= chance <= 1


# ---- the chance of one question ----------------------------------------------------------------


def test_true_false_and_single_choice_are_guessed_by_their_number_of_choices() -> None:
    assert guess_chance(
        Question(QuestionType.TRUE_FALSE, "Gases compress.", choices=true_false_choices(True))
    ) == (Fraction(1, 2))
    three = (Choice("Boyle", 1.0), Choice("Charles", 0.0), Choice("Ohm", 0.0))
    assert guess_chance(Question(QuestionType.SINGLE_CHOICE, "PV = k?", choices=three)) == Fraction(1, 3)


def test_a_multiple_response_is_guessed_by_the_subsets_worth_full_credit() -> None:
    # right: a, b (50 % each); wrong: c, d. Full credit: {a, b}, {a, b, c}, {a, b, d}, {a, b, c, d} of 16
    four = (Choice("a", 0.5), Choice("b", 0.5), Choice("c", 0.0), Choice("d", 0.0))
    assert guess_chance(Question(QuestionType.MULTIPLE_RESPONSE, "?", choices=four)) == Fraction(4, 16)
    # a wrong option that costs 50 % leaves only {a, b}; three thirds written 33.333 % still make 100 %
    penalised = (Choice("a", 0.5), Choice("b", 0.5), Choice("c", -0.5), Choice("d", -0.5))
    assert guess_chance(Question(QuestionType.MULTIPLE_RESPONSE, "?", choices=penalised)) == Fraction(1, 16)
    thirds = (Choice("a", 0.33333), Choice("b", 0.33333), Choice("c", 0.33333), Choice("d", -1.0))
    assert guess_chance(Question(QuestionType.MULTIPLE_RESPONSE, "?", choices=thirds)) == Fraction(1, 16)


def test_a_matching_is_guessed_once_in_every_ordering_of_its_answers() -> None:
    three = tuple(MatchPair(p, a) for p, a in [("P", "kPa"), ("V", "L"), ("T", "K")])
    assert guess_chance(Question(QuestionType.MATCHING, "Match.", pairs=three)) == Fraction(1, 6)
    with_distractor = (*three, MatchPair("", "mol"))
    assert guess_chance(Question(QuestionType.MATCHING, "Match.", pairs=with_distractor)) == Fraction(1, 24)


def test_typed_and_written_answers_cannot_be_guessed() -> None:
    for kind in (
        QuestionType.SHORT_TEXT,
        QuestionType.NUMERIC,
        QuestionType.CALCULATED,
        QuestionType.FREE_RESPONSE,
    ):
        assert guess_chance(Question(kind, "?")) == 0


def test_chances_are_written_as_percentages_people_can_read() -> None:
    assert format_percent(0.25) == "25 %"
    assert format_percent(6 / 32) == "19 %"
    assert format_percent(0.024) == "2.4 %"
    assert format_percent(0.05) == "5 %"
    assert format_percent(0.0001) == "less than 0.1 %"
    assert format_percent(0) == "0 %"


def test_a_large_bank_is_counted_as_independent_draws_and_stays_close_to_the_exact_figure() -> None:
    from flipmastery.domain.guessing import EXACT_UP_TO, Draw, GuessItem, check_guess_pass_probability

    coin, four = GuessItem(1.0, 0.5), GuessItem(1.0, 0.25)
    small = Draw((coin,) * 20 + (four,) * 20, 5)  # exact
    large = Draw((coin,) * 200 + (four,) * 200, 5)  # the same mix, past EXACT_UP_TO
    assert len(small.bank) <= EXACT_UP_TO < len(large.bank)
    exact = check_guess_pass_probability([small], 0.8)
    approximate = check_guess_pass_probability([large], 0.8)
    assert abs(exact - approximate) < 0.01
    mixed = Draw(tuple(GuessItem(float(1 + i % 5), 0.5 if i % 2 else 0.0) for i in range(300)), 20)
    assert 0.0 <= check_guess_pass_probability([mixed], 0.8) <= 1.0  # a 300-question bank, answered at once
