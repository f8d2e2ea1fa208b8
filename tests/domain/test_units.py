"""Reading what students type for a quantity, and converting it with pint."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flipmastery.domain.units import UnitMismatch, convert, describe, known, read_quantity


@pytest.mark.parametrize(
    ("typed", "number", "unit"),
    [
        ("101.3 kPa", 101.3, "kPa"),
        ("101.3kPa", 101.3, "kPa"),
        ("1.5 × 10^3 kPa", 1500.0, "kPa"),
        ("1.5x10^-3 mol", 0.0015, "mol"),
        ("6.02×10²³ mol⁻¹", 6.02e23, "mol^-1"),
        ("6.02e23", 6.02e23, ""),
        ("1,000 mL", 1000.0, "mL"),
        ("1,00,000 Pa", 100000.0, "Pa"),
        ("1,5 L", 1.5, "L"),
        ("−3.5", -3.5, ""),
        (".5 atm", 0.5, "atm"),
        ("27 °C", 27.0, "°C"),
    ],
)
def test_numbers_are_read_the_ways_students_write_them(typed: str, number: float, unit: str) -> None:
    reading = read_quantity(typed)
    assert reading.number == pytest.approx(number)
    assert reading.unit == unit


@pytest.mark.parametrize("typed", ["abc", "", "kPa 101", "10**10**10 kPa"])
def test_text_that_does_not_start_with_a_number_has_none(typed: str) -> None:
    reading = read_quantity(typed)
    assert reading.number is None or reading.unit not in ("", "kPa")


def test_conversions_between_the_units_of_a_gas_laws_unit() -> None:
    assert convert(101.3, "kPa", "atm") == pytest.approx(1.0, rel=1e-3)
    assert convert(760, "mm Hg", "kPa") == pytest.approx(101.325, rel=1e-4)
    assert convert(760, "torr", "atm") == pytest.approx(1.0, rel=1e-6)
    assert convert(27, "°C", "K") == pytest.approx(300.15)
    assert convert(250, "mL", "L") == pytest.approx(0.25)
    assert convert(1, "dm3", "L") == pytest.approx(1.0)
    assert convert(2, "litres", "mL") == pytest.approx(2000)
    assert convert(44.0, "g/mol", "g/mol") == 44.0


def test_a_unit_of_another_dimension_says_what_each_measures() -> None:
    with pytest.raises(UnitMismatch) as err:
        convert(5, "g", "kPa")
    assert str(err.value) == "g is a mass, but the answer is a pressure (e.g. in kPa)"
    with pytest.raises(UnitMismatch, match="'kpaa' is not a unit we know"):
        convert(5, "kpaa", "kPa")


def test_units_pint_does_not_know_are_matched_as_written() -> None:
    assert not known("apples")
    assert convert(3, "Apples", "apples") == 3
    with pytest.raises(UnitMismatch):
        convert(3, "pears", "apples")


def test_dimension_words() -> None:
    assert describe("L") == "a volume"
    assert describe("K") == "a temperature"
    assert describe("g/mol") == "a molar mass"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_any_text_reads_without_raising(text: str) -> None:
    reading = read_quantity(text)
    if reading.unit:
        with contextlib.suppress(UnitMismatch):
            convert(reading.number or 0.0, reading.unit, "kPa")
