"""Whether a bank lasts for a first try and two retakes without a student meeting a question twice."""

from __future__ import annotations

import pytest

from flipmastery.domain.bank_health import bank_lasting


@pytest.mark.parametrize(
    ("questions", "per_check", "fresh", "lasts", "missing"),
    [
        (6, 2, 3, True, 0),  # exactly a first try and two retakes
        (5, 2, 2, False, 1),  # the second retake repeats a question
        (12, 4, 3, True, 0),
        (30, 4, 7, True, 0),
        (1, 2, 0, False, 5),  # no check at all
        (0, 1, 0, False, 3),
    ],
)
def test_a_bank_lasts_while_it_has_new_questions_for_three_checks(
    questions: int, per_check: int, fresh: int, lasts: bool, missing: int
) -> None:
    lasting = bank_lasting([(questions, per_check)])
    assert lasting.fresh_checks == fresh
    assert lasting.lasts is lasts
    assert lasting.buildable is (fresh >= 1)
    assert lasting.missing == missing


def test_the_part_that_runs_out_first_decides() -> None:
    # 9 auto-graded questions for 3 a check last; 2 free responses for 1 a check do not
    lasting = bank_lasting([(9, 3), (2, 1)])
    assert lasting.fresh_checks == 2
    assert not lasting.lasts and lasting.buildable
    assert lasting.missing == 1


def test_a_part_that_asks_nothing_never_runs_out() -> None:
    assert bank_lasting([(0, 0)]).fresh_checks is None
    assert bank_lasting([(0, 0)]).lasts
    assert bank_lasting([(6, 2), (0, 0)]).fresh_checks == 3
