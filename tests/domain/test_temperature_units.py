"""Temperatures as students type them on a phone (no ° key): C, oC, deg C, degC, ° C and ºC are °C when the
answer is a temperature; where the answer is not a temperature, C keeps meaning coulomb."""

from __future__ import annotations

import pytest

from flipmastery.domain.generation import Variant
from flipmastery.domain.grading import Status, grade
from flipmastery.domain.questions import NumericAnswer, Question, QuestionType
from flipmastery.domain.units import UnitMismatch, convert, is_temperature

MELTING = Question(
    QuestionType.NUMERIC,
    "At what temperature does this solid melt?",
    numeric_answers=(NumericAnswer(value=452.0, tolerance=0.5),),
    unit="°C",
)
CHARGE = Question(
    QuestionType.NUMERIC,
    "What charge passed through the cell?",
    numeric_answers=(NumericAnswer(value=452.0, tolerance=0.5),),
    unit="C",
)


@pytest.mark.parametrize(
    "typed",
    ["452 C", "452 oC", "452 deg C", "452degC", "452 °C", "452 ° C", "452 ºC", "452C", "725.15 K"],
)
def test_every_way_a_student_writes_degrees_celsius_is_right_for_a_temperature(typed: str) -> None:
    result = grade(MELTING, Variant(), typed)
    assert (result.status, result.unit_problem) == (Status.CORRECT, "")


@pytest.mark.parametrize("unit", ["F", "oF", "deg F", "degF", "°F", "ºF"])
def test_degrees_fahrenheit_are_read_the_same_ways(unit: str) -> None:
    assert convert(845.6, unit, "°C") == pytest.approx(452.0)


def test_kelvin_stays_kelvin_and_bare_c_is_celsius_only_where_a_temperature_is_asked() -> None:
    assert convert(452, "C", "K") == pytest.approx(725.15)
    assert convert(725.15, "K", "oC") == pytest.approx(452.0)  # a teacher's "oC" is °C too
    assert convert(452, "ºC", "degF") == pytest.approx(845.6)


def test_for_a_charge_c_is_still_the_coulomb() -> None:
    result = grade(CHARGE, Variant(), "452 C")
    assert (result.status, result.unit_problem) == (Status.CORRECT, "")
    assert convert(452, "mC", "C") == pytest.approx(0.452)
    with pytest.raises(UnitMismatch) as err:
        convert(452, "°C", "C")
    assert str(err.value) == "°C is a temperature, but the answer is an electric charge (e.g. in C)"


def test_which_units_are_temperatures() -> None:
    assert [is_temperature(u) for u in ("°C", "oC", "degF", "K", "C", "kPa", "apples", "")] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
        False,
    ]
