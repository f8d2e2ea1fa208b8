"""How likely a student who only guesses passes a check: a bank-health figure for the teacher.

Each item is reduced to its points and the chance that a random guess earns all of them. A guess that
earns part of an item (a multiple response with one right option of two, a matching with half the pairs)
is counted as earning nothing: the figure is the chance of passing on full-credit guesses alone, so with
partial credit a guesser passes a little more often than it says. What it catches is what matters: a
check of a few true/false or single-choice questions, which guessing passes often.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import comb, perm

from flipmastery.domain.questions import WEIGHT_SLACK, Question, QuestionType

GUESS_WARNING = 0.05  # a guesser who passes more often than 1 check in 20 is worth a warning
PASS_SLACK = 1e-9  # a score passes when score >= threshold - PASS_SLACK, as the check itself decides
SCORE_DECIMALS = 4  # the check rounds a score to 4 decimals before comparing it with the threshold


@dataclass(frozen=True)
class GuessItem:
    """An item as a guesser meets it: its points and the chance a random guess earns them all."""

    points: float
    chance: float  # from guess_chance, a fraction given as a float


@dataclass(frozen=True)
class Draw:
    """`count` different items drawn from `bank`, every choice of `count` items equally likely."""

    bank: tuple[GuessItem, ...]
    count: int


def guess_chance(question: Question) -> Fraction:
    """The chance that a random answer earns all of a question's points.

    - true/false: 1/2;
    - single choice: the share of its choices worth full credit (1/n with one right answer of n);
    - multiple response: the guesser ticks each option with probability 1/2 (every subset equally
      likely); the chance is, exactly, the share of non-empty subsets whose weights add up to 100 %
      (an empty answer is unanswered and scores 0), counted over the subsets' sums rather than the
      subsets, so a long list of options costs no more than its distinct sums;
    - matching: a guesser gives every prompt a different answer at random, so full marks come once in
      m·(m-1)·…·(m-n+1) for n prompts and m answers, 1/n! without distractors (a guesser who may repeat
      an answer does worse, 1/m^n, so this figure is the generous one);
    - ordering: 1/n! for n items with all or nothing (the partial modes give some credit to more orders,
      full marks still only to the one);
    - gaps: a guesser picks one of each gap's group at random, 1/(g₁·g₂·…) (the generous figure again);
    - cloze: the product of its parts' chances when every part is a choice, else 0;
    - short text, numeric, calculated, free response: 0 (the answer space cannot be guessed).
    """
    kind = question.type
    if kind is QuestionType.TRUE_FALSE:
        return Fraction(1, 2)
    if kind is QuestionType.SINGLE_CHOICE:
        if not question.choices:
            return Fraction(0)
        full = sum(1 for c in question.choices if c.fraction >= 1 - PASS_SLACK)
        return Fraction(full, len(question.choices))
    if kind is QuestionType.MULTIPLE_RESPONSE:
        return _full_subsets(question)
    if kind is QuestionType.MATCHING:
        prompts = sum(1 for p in question.pairs if p.prompt.strip())
        answers = len({p.answer for p in question.pairs})
        if prompts == 0 or answers < prompts:
            return Fraction(0)
        return Fraction(1, perm(answers, prompts))
    if kind is QuestionType.GAPS and question.gap_answers:
        chance = Fraction(1)
        for answer in question.gap_answers:
            if not 0 < answer <= len(question.gap_choices):
                return Fraction(0)
            group = question.gap_choices[answer - 1].group
            chance /= sum(1 for c in question.gap_choices if c.group == group)
        return chance
    if kind is QuestionType.ORDERING and question.items:
        return Fraction(1, perm(len(question.items)))
    if kind is QuestionType.CLOZE and question.cloze_parts:
        from flipmastery.domain.cloze import part_question

        chance = Fraction(1)
        for part in question.cloze_parts:
            chance *= guess_chance(part_question(part))
        return chance
    return Fraction(0)


def _full_subsets(question: Question) -> Fraction:
    # ways[s] = how many subsets of the options seen so far add up to s (sums rounded far below any
    # weight a bank can write, so 33.333 % three times meets the grader's slack as it does)
    ways: Counter[float] = Counter({0.0: 1})
    for choice in question.choices:
        step: Counter[float] = Counter()
        for total, n in ways.items():
            step[total] += n
            step[round(total + choice.fraction, 9)] += n
        ways = step
    # the empty subset (unanswered, 0) sums to 0, so it is never counted; above 100 % the grader caps
    full = sum(n for total, n in ways.items() if total >= 1 - WEIGHT_SLACK - 1e-12)
    return Fraction(full, 2 ** len(question.choices))


def guess_item(question: Question) -> GuessItem:
    return GuessItem(question.points, float(guess_chance(question)))


def guess_pass_probability(items: Sequence[GuessItem], threshold: float) -> float:
    """The chance that guessing every item of this one check reaches `threshold` of its points.

    Items are guessed independently; each earns all its points or none (see the module).
    """
    return _passing(_outcomes([Draw(tuple(items), len(items))]), threshold)


def check_guess_pass_probability(draws: Sequence[Draw], threshold: float) -> float:
    """The chance that a guesser passes a check built from banks, averaged over the checks it can be.

    A first attempt takes `count` different items of each bank, every choice of them equally likely (as
    assembly does for a student who has seen none), so the method is exact: for each draw, a dynamic
    program over the bank's kinds of item counts, for every number of items taken so far, the ways to
    reach each pair (points asked, points guessed); the draws are independent of each other. It sums
    floats, not fractions: exact fractions of a 300-question bank grow to numbers that take seconds, and
    the figure is shown to a percent. A bank with fewer items than its draw builds no check, and no check
    is passed: 0.
    """
    return _passing(_outcomes(draws), threshold)


Outcomes = dict[tuple[float, float], float]  # (points asked, points earned) → probability


def _add(outcomes: Outcomes, asked: float, earned: float, p: float) -> None:
    key = (round(asked, 9), round(earned, 9))  # 0.1 + 0.2 and 0.3 are the same score
    outcomes[key] = outcomes.get(key, 0.0) + p


def _outcomes(draws: Sequence[Draw]) -> Outcomes:
    result: Outcomes = {(0.0, 0.0): 1.0}
    for draw in draws:
        one = _draw_outcomes(draw)
        combined: Outcomes = {}
        for (asked_a, earned_a), p_a in result.items():
            for (asked_b, earned_b), p_b in one.items():
                _add(combined, asked_a + asked_b, earned_a + earned_b, p_a * p_b)
        result = combined
    return result


# Past this many questions in a bank, taking k different ones is so close to k independent draws that
# the exact count (whose work grows with the bank, its kinds of item and k) is not worth a slow page.
EXACT_UP_TO = 40


def _draw_outcomes(draw: Draw) -> Outcomes:
    k = draw.count
    if k < 0 or k > len(draw.bank):
        return {}
    if len(draw.bank) > EXACT_UP_TO:
        return _independent_outcomes(draw)
    # Items alike (same points, same chance) are counted together: c of a kind's n items can be taken
    # C(n, c) ways, and r of those c are guessed right with the binomial chance. taken[j] holds, over the
    # ways to take j items of the kinds seen so far, the summed weight of each (asked, earned); taken[k]
    # finally sums to C(len(bank), k), the number of checks.
    kinds = Counter(draw.bank)
    taken: list[Outcomes] = [{(0.0, 0.0): 1.0}] + [{} for _ in range(k)]
    for item, n in kinds.items():
        spread = [_binomial(c, item.chance) for c in range(min(n, k) + 1)]
        for j in range(k, 0, -1):  # from the top, so each kind is taken once per subset
            into = taken[j]
            for c in range(1, min(n, j) + 1):
                ways = float(comb(n, c))
                for (asked, earned), p in taken[j - c].items():
                    for right, q in enumerate(spread[c]):
                        if q:
                            _add(into, asked + c * item.points, earned + right * item.points, p * ways * q)
    checks = float(comb(len(draw.bank), k))
    return {key: p / checks for key, p in taken[k].items()}


def _independent_outcomes(draw: Draw) -> Outcomes:
    """k draws of one item each from the whole bank, each uniform and independent of the others."""
    slot: Outcomes = {}
    share = 1.0 / len(draw.bank)
    for item, n in Counter(draw.bank).items():
        _add(slot, item.points, item.points, n * share * item.chance)
        _add(slot, item.points, 0.0, n * share * (1 - item.chance))
    result: Outcomes = {(0.0, 0.0): 1.0}
    for _ in range(draw.count):
        combined: Outcomes = {}
        for (asked_a, earned_a), p_a in result.items():
            for (asked_b, earned_b), p_b in slot.items():
                _add(combined, asked_a + asked_b, earned_a + earned_b, p_a * p_b)
        result = combined
    return result


def _binomial(count: int, chance: float) -> list[float]:
    """The chance of each number right, 0..count, when each of `count` guesses is right with `chance`."""
    return [comb(count, r) * chance**r * (1 - chance) ** (count - r) for r in range(count + 1)]


def _passing(outcomes: Outcomes, threshold: float) -> float:
    passed = sum(
        p
        for (asked, earned), p in outcomes.items()
        if asked > 0 and round(earned / asked, SCORE_DECIMALS) >= threshold - PASS_SLACK
    )
    return min(1.0, max(0.0, passed))  # sums of floats may stray a hair outside [0, 1]


def format_percent(chance: float) -> str:
    """A chance people can read: "25 %", "2.4 %", "less than 0.1 %", "0 %"."""
    if chance <= 0:
        return "0 %"
    percent = chance * 100
    if percent < 0.1:
        return "less than 0.1 %"
    if percent < 10 and round(percent) != percent:
        return f"{percent:.1f} %"
    return f"{round(percent)} %"
