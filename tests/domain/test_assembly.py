"""Check assembly: least seen first, no repeats, unseen before seen, and honest version counts."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from flipmastery.domain.assembly import (
    BankSize,
    BankTooSmall,
    Blueprint,
    Part,
    assemble,
    bank_warnings,
    format_count,
    unit_test_blueprint,
    version_count,
)

BANKS = {"GAS-1": list(range(1, 11)), "GAS-2": list(range(11, 21)), "GAS-3": list(range(21, 25))}
BLUEPRINT = Blueprint((Part("GAS-1", 2), Part("GAS-2", 3)))


def test_a_check_asks_the_blueprints_count_per_objective_in_blueprint_order_without_repeats() -> None:
    picks = assemble(BLUEPRINT, BANKS, {}, random.Random(1))
    assert [p.objective for p in picks] == ["GAS-1", "GAS-1", "GAS-2", "GAS-2", "GAS-2"]
    assert len({p.question for p in picks}) == 5
    assert all(p.question in BANKS[p.objective] for p in picks)


def test_unseen_questions_come_before_any_seen_one_over_many_attempts() -> None:
    seen: Counter[int] = Counter()
    rng = random.Random(5)
    for attempt in range(1000):
        picks = assemble(BLUEPRINT, BANKS, seen, rng)
        for objective in ("GAS-1", "GAS-2"):
            counts_before = [seen[q] for q in BANKS[objective]]
            chosen = [p.question for p in picks if p.objective == objective]
            # Every chosen question was seen no more often than any question left out.
            left_out = [seen[q] for q in BANKS[objective] if q not in chosen]
            assert max(seen[q] for q in chosen) <= min(left_out), (attempt, counts_before)
        seen.update(p.question for p in picks)
    assert max(seen[q] for q in BANKS["GAS-1"]) - min(seen[q] for q in BANKS["GAS-1"]) <= 1


def test_different_attempts_give_different_selections() -> None:
    selections = {
        tuple(p.question for p in assemble(BLUEPRINT, BANKS, {}, random.Random(s))) for s in range(50)
    }
    assert len(selections) > 40


def test_a_bank_smaller_than_the_check_is_refused_with_the_objective_named() -> None:
    with pytest.raises(BankTooSmall, match="GAS-3 has 4 question"):
        assemble(Blueprint((Part("GAS-3", 5),)), BANKS, {}, random.Random(1))


def test_review_items_come_one_per_mastered_objective_least_seen_first() -> None:
    blueprint = Blueprint((Part("GAS-3", 2),), review_from=("GAS-1", "GAS-2"), review_items=2)
    picks = assemble(blueprint, BANKS, {q: 5 for q in range(1, 10)}, random.Random(2))
    review = [p for p in picks if p.review]
    assert sorted(p.objective for p in review) == ["GAS-1", "GAS-2"]
    assert next(p.question for p in review if p.objective == "GAS-1") == 10  # the only unseen one


def test_version_count_is_the_number_of_distinct_checks() -> None:
    sizes = {code: BankSize(tuple(qs)) for code, qs in BANKS.items()}
    assert version_count(BLUEPRINT, sizes) == 45 * 120  # C(10,2) × C(10,3)
    # A calculated question with 100 number sets counts as 100 different questions.
    sizes["GAS-3"] = BankSize((21, 22, 23), {21: 100})
    assert version_count(Blueprint((Part("GAS-3", 2),)), sizes) == 100 + 100 + 1
    assert version_count(Blueprint((Part("NOPE", 1),)), sizes) == 0


def test_small_banks_are_warned_about_with_the_attempt_that_will_repeat() -> None:
    sizes = {"GAS-1": BankSize(tuple(range(10))), "GAS-3": BankSize((1, 2, 3, 4, 5))}
    warnings = bank_warnings(Blueprint((Part("GAS-1", 2), Part("GAS-3", 2))), sizes)
    assert [w.objective for w in warnings] == ["GAS-3"]
    assert "attempt 3 will repeat questions" in warnings[0].message
    empty = bank_warnings(Blueprint((Part("GAS-9", 1),)), {})
    assert "no check can be built" in empty[0].message


def test_unit_test_mode_asks_only_objectives_not_yet_mastered() -> None:
    blueprint = unit_test_blueprint(["GAS-1", "GAS-2", "GAS-3"], {"GAS-2"}, per_objective=2)
    assert blueprint.parts == (Part("GAS-1", 2), Part("GAS-3", 2))


def test_counts_read_well() -> None:
    assert format_count(5400) == "5,400"
    assert format_count(3 * 10**14) == "about 3.0×10¹⁴"


def test_free_responses_are_asked_only_as_many_as_the_check_says() -> None:
    from flipmastery.domain.assembly import pick_check

    picks = pick_check("GAS-1", 2, 1, {"GAS-1": [1, 2, 3]}, {"GAS-1": [9]}, {}, random.Random(1))
    assert [p.question in (1, 2, 3) for p in picks] == [True, True, False] and picks[-1].question == 9
    assert len(pick_check("GAS-1", 2, 0, {"GAS-1": [1, 2, 3]}, {"GAS-1": [9]}, {}, random.Random(1))) == 2
    with pytest.raises(BankTooSmall, match="0 free-response question"):
        pick_check("GAS-1", 1, 1, {"GAS-1": [1]}, {}, {}, random.Random(1))
