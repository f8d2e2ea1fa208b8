"""The formula sandbox: arithmetic works as on paper, and nothing hostile gets through or takes long."""

from __future__ import annotations

import contextlib
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flipmastery.domain.formula import MAX_DEPTH, FormulaError, evaluate, names, parse


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("2^3^2", 512.0),
        ("2**3", 8.0),
        ("-2^2", -4.0),
        ("2^-1", 0.5),
        ("10 % 4", 2.0),
        ("sqrt(16) + abs(-3)", 7.0),
        ("log(e)", 1.0),
        ("log10(1000)", 3.0),
        ("pi()", math.pi),
        ("max(1, 5, 3)", 5.0),
        ("round(2.567, 2)", 2.57),
        ("1.5e3 / 3", 500.0),
    ],
)
def test_arithmetic_reads_as_on_paper(formula: str, expected: float) -> None:
    assert evaluate(formula, {}) == pytest.approx(expected)


def test_variables_by_name_and_in_moodle_braces() -> None:
    assert evaluate("P1 * V1 / V2", {"P1": 100, "V1": 2, "V2": 4}) == 50.0
    assert evaluate("{a} * {b}", {"a": 2, "b": 3}) == 6.0
    assert names("{a} * b + sqrt(c) + pi") == {"a", "b", "c"}


@pytest.mark.parametrize(
    ("formula", "says"),
    [
        ("", "empty"),
        ("a.b", "unexpected '.'"),
        ("__import__('os')", "unexpected"),
        ("x[0]", "unexpected '['"),
        ("lambda: 1", "unexpected ':'"),
        ("open(1)", "unknown function 'open'"),
        ("sqrt", "is a function"),
        ("(1 + 2", "not closed"),
        ("1 +", "ends too early"),
        ("2 3", "unexpected '3'"),
        ("sqrt(1, 2)", "takes 1 argument"),
        ("{a", "unbalanced"),
        ("(" * 100 + "1" + ")" * 100, f"at most {MAX_DEPTH} levels"),
        ("-" * 100 + "1", f"at most {MAX_DEPTH} levels"),
        ("x" + "+x" * 300, "at most 500 characters"),
        ("+".join(["1"] * 240), "at most 200 parts"),
    ],
)
def test_what_is_not_a_formula_is_refused_with_a_reason(formula: str, says: str) -> None:
    with pytest.raises(FormulaError, match=None) as err:
        evaluate(formula, {"x": 1.0})
    assert says in str(err.value)


@pytest.mark.parametrize(
    ("formula", "says"),
    [
        ("9^9^9", "too large"),
        ("10^400", "too large"),
        ("1/0", "division by zero"),
        ("sqrt(-1)", "outside"),
        ("exp(1000)", "too large"),
        ("1e400", "finite"),
        ("missing * 2", "unknown variable 'missing'"),
    ],
)
def test_evaluation_that_cannot_give_a_finite_number_is_refused(formula: str, says: str) -> None:
    with pytest.raises(FormulaError) as err:
        evaluate(formula, {})
    assert says in str(err.value)


_tokens = st.sampled_from(
    [
        "1",
        "2.5",
        "x",
        "y",
        "+",
        "-",
        "*",
        "/",
        "^",
        "**",
        "%",
        "(",
        ")",
        ",",
        "sqrt",
        "pow",
        "max",
        "9",
        "e",
        ".",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_tokens, max_size=60))
def test_any_token_soup_either_evaluates_to_a_finite_number_or_is_refused(tokens: list[str]) -> None:
    formula = " ".join(tokens)
    try:
        value = evaluate(formula, {"x": 3.0, "y": -2.0})
    except FormulaError:
        return
    assert math.isfinite(value)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=600))
def test_any_text_at_all_is_refused_cleanly_or_evaluated(text: str) -> None:
    with contextlib.suppress(FormulaError):
        evaluate(text, {"x": 1.0})


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=5000))
def test_deep_nesting_of_any_size_is_refused_without_recursion_errors(depth: int) -> None:
    formula = "(" * depth + "1" + ")" * depth
    if depth > MAX_DEPTH - 1:
        with pytest.raises(FormulaError):
            parse(formula)
    else:
        assert evaluate(formula, {}) == 1.0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["9", "99", "1e300", "x"]), min_size=2, max_size=30))
def test_towers_of_powers_overflow_at_once_instead_of_computing(parts: list[str]) -> None:
    formula = "^".join(parts)
    try:
        value = evaluate(formula, {"x": 10.0})
    except FormulaError as err:
        assert "too large" in str(err) or "finite" in str(err) or "characters" in str(err)
    else:
        assert math.isfinite(value)
