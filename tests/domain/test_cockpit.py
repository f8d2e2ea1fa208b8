"""The cockpit's pure rules: micro-groups, pacing, the grade scale and item analysis."""

from __future__ import annotations

import pytest

from flipmastery.domain.cockpit import (
    GradeRule,
    Stuck,
    expected_by,
    grade,
    item_analysis,
    micro_groups,
    pace,
    parse_scale,
    weekly_benchmarks,
)
from flipmastery.domain.errors import Invalid
from flipmastery.domain.mastery import State


def test_groups_of_two_to_four_stuck_on_one_objective_shared_misconceptions_first() -> None:
    stuck = [Stuck(n, "GAS-3", ("kelvin",) if n < 3 else ()) for n in range(9)] + [Stuck(20, "GAS-5")]
    groups = micro_groups(stuck)
    assert [(g.objective, g.reason, g.students) for g in groups] == [
        ("GAS-3", "tag:kelvin", (0, 1, 2)),
        ("GAS-3", "objective", (3, 4, 5)),
        ("GAS-3", "objective", (6, 7, 8)),
    ]  # GAS-5 has one student: a conference, not a group
    assert all(2 <= len(g.students) <= 4 for g in micro_groups([Stuck(n, "X") for n in range(11)]))


def test_pacing_against_benchmarks_and_a_projected_finish() -> None:
    marks = weekly_benchmarks(total=14, per_week=3.5)
    assert [(b.day, b.mastered) for b in marks] == [(7, 3), (14, 7), (21, 10), (28, 14)]
    assert expected_by(marks, 10.5) == 5
    behind = pace([2.0, 5.0], total=14, benchmarks=marks, today=14)
    assert (behind.mastered, behind.expected, behind.behind, behind.per_week) == (2, 7, 5, 1.0)
    assert behind.projected_finish_day == 14 + 12 * 7
    ahead = pace([1.0 * d for d in range(1, 15)], total=14, benchmarks=marks, today=15)
    assert ahead.behind == 0 and ahead.projected_finish_day == 14.0
    with pytest.raises(Invalid):
        weekly_benchmarks(10, 0)


def test_the_grade_scale_weighs_essentials_and_reads_the_schools_rules() -> None:
    essential = {"E1", "E2"}
    all_ess = {"E1": State.MASTERED, "E2": State.MASTERED, "N1": State.MASTERED, "N2": State.LEARNING}
    assert grade(all_ess, essential).letter == "B"  # every essential + 50 % of nice-to-know
    assert grade(all_ess, essential).percent == round(100 * 5 / 6, 1)
    missing = {"E1": State.MASTERED, "E2": State.NOT_YET}
    assert grade(missing, essential).letter == "F"
    scale = parse_scale("A = 100% + 80%; B = 100% + 50%; C = 100%")
    assert scale == [GradeRule("A", 1.0, 0.8), GradeRule("B", 1.0, 0.5), GradeRule("C", 1.0, 0.0)]
    with pytest.raises(Invalid, match="cannot read"):
        parse_scale("A = lots")


def test_item_analysis_flags_items_everyone_misses_and_items_that_do_not_discriminate() -> None:
    rows = []
    for student in range(12):
        ability = student / 11
        rows.append((1, student, student, 1.0 if ability > 0.5 else 0.0, ability))  # separates well
        rows.append((2, student, student, 0.0, ability))  # everyone misses it
        rows.append((3, student, student, 1.0 if student % 2 else 0.0, ability))  # noise
    stats = {s.question: s for s in item_analysis(rows, students=12)}
    assert stats[1].flags == () and stats[1].discrimination is not None and stats[1].discrimination > 0.5
    assert "everyone misses it" in stats[2].flags and stats[2].difficulty == 0.0
    assert stats[3].seen_by == 12 and stats[3].responses == 12
