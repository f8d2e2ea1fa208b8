"""Calculated variables a teacher (or an attacker) may write that cannot be drawn are refused when the bank is
read, with the variable and the limit named; generation and grading never raise OverflowError."""

from __future__ import annotations

import math
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flipmastery.domain.errors import DomainError, Invalid
from flipmastery.domain.formats import gift, moodle_xml, yaml_bank
from flipmastery.domain.generation import (
    BadVariable,
    Variant,
    draw,
    format_number,
    generate,
    variable_choices,
    variable_problems,
)
from flipmastery.domain.grading import Status, accepted_range, grade, question_problems
from flipmastery.domain.questions import NumericAnswer, Question, QuestionType, Tolerance, Variable

HUGE = Variable("a", minimum=0, maximum=1e308, step=1e-300)


def calculated(*variables: Variable) -> Question:
    return Question(
        QuestionType.CALCULATED,
        "x is {a}",
        variables=variables,
        numeric_answers=(NumericAnswer(formula="a", tolerance=0.01, tolerance_mode=Tolerance.RELATIVE),),
    )


@pytest.mark.parametrize(
    ("variable", "problem"),
    [
        (HUGE, "has the number 1e+308; the numbers of a variable must be within ±1e+100"),
        (Variable("a", 0, 1, step=1e-300), "has the step 1e-300; the smallest step is 1e-10"),
        (
            Variable("a", 0, 1e20, step=1),
            "from 0 to 1e+20 in steps of 1 has more than 1,000,000,000 values; use a larger step or a smaller"
            " range",
        ),
        (Variable("a", 5, 1, step=1), "has min 5 above max 1"),
        (Variable("a", 0, 1, decimals=400), "needs decimals from 0 to 12, not 400"),
        (Variable("a", 0, float("inf")), "has a number that is not finite"),
        (Variable("a", values=(1.0, float("nan"))), "has a number that is not finite"),
        (
            Variable("a", values=(1.0, -1e200)),
            "has the number -1e+200; the numbers of a variable must be within ±1e+100",
        ),
    ],
)
def test_a_variable_that_cannot_be_drawn_is_refused_by_name_and_limit(
    variable: Variable, problem: str
) -> None:
    question = calculated(variable)

    assert variable_problems(variable) == [problem]
    assert question_problems(question, random.Random(0)) == [f"variable a {problem}"]
    with pytest.raises(BadVariable, match=f"^{re.escape(f'variable a {problem}')}$"):
        generate(question, random.Random(0))
    with pytest.raises(BadVariable):
        variable_choices(variable)


def test_a_billion_values_and_avogadros_number_are_fine() -> None:
    for variable in (Variable("a", 0, 1000, step=1e-6), Variable("a", 6.0e23, 6.1e23, decimals=0)):
        assert variable_problems(variable) == []
        assert variable_choices(variable) >= 1_000_000_000
        draw(variable, random.Random(0))


def test_the_yaml_bank_refuses_it_with_its_line() -> None:
    text = (
        "questions:\n"
        "  - id: q1\n"
        "    type: calculated\n"
        "    text: x is {a}\n"
        "    variables:\n"
        "      a: {min: 0, max: 1e308, step: 1e-300}\n"
        "    answer: {formula: a, tolerance: 1%}\n"
    )
    with pytest.raises(Invalid) as err:
        yaml_bank.read(text, "b.yaml")
    assert [str(p) for p in err.value.problems] == [
        "b.yaml:6: variable a of question 'q1' has the number 1e+308; the numbers of a variable must be"
        " within ±1e+100"
    ]


def dataset(minimum: str, maximum: str, decimals: str, length: str = "2") -> str:
    return (
        '<quiz>\n<question type="calculated"><name><text>Q</text></name>'
        "<questiontext><text>x is {a}</text></questiontext>"
        f'<answer fraction="100"><text>{{a}}</text><tolerance>0.01</tolerance>'
        f"<correctanswerlength>{length}</correctanswerlength></answer>\n"
        "<dataset_definitions><dataset_definition><status><text>private</text></status>"
        f"<name><text>a</text></name><minimum><text>{minimum}</text></minimum>"
        f"<maximum><text>{maximum}</text></maximum><decimals><text>{decimals}</text></decimals>"
        "</dataset_definition></dataset_definitions></question>\n</quiz>"
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            dataset("-1e308", "1e308", "2"),
            "q.xml:3: the dataset a has the number -1e+308; the numbers of a variable must be within ±1e+100",
        ),
        (dataset("1", "2", "1e300"), "q.xml:3: the dataset a needs decimals from 0 to 12, found 1e+300"),
        (dataset("1", "2", "1", "1e300"), "q.xml:2: correctanswerlength must be from 0 to 12, found 1e+300"),
        (dataset("5", "1", "1"), "q.xml:3: the dataset a has min 5 above max 1"),
    ],
)
def test_moodle_xml_datasets_are_refused_the_same_way(text: str, problem: str) -> None:
    with pytest.raises(Invalid) as err:
        moodle_xml.read(text, "q.xml")
    assert [str(p) for p in err.value.problems] == [problem]


def test_numbers_and_units_beyond_a_float_are_shown_and_graded_never_raised() -> None:
    assert (format_number(float("inf"), None), format_number(float("nan"), 2)) == ("inf", "nan")
    loose = Question(
        QuestionType.NUMERIC,
        "How far?",
        numeric_answers=(NumericAnswer(value=1e10, tolerance=1e308, tolerance_mode=Tolerance.RELATIVE),),
        unit="m^20",
    )
    variant = generate(loose, random.Random(0))
    assert accepted_range(loose, variant) == "-inf to inf m^20"
    result = grade(loose, variant, "5 Ym^20")  # 10^480 m^20: beyond a float
    assert (
        result.unit_problem
        == "Check the unit: Ym^20 is too far from m^20 to compare; give the answer in m^20."
    )


finite = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(
    low=finite,
    high=finite,
    step=st.none() | st.floats(min_value=0, exclude_min=True, allow_infinity=False),
    decimals=st.none() | st.integers(min_value=0, max_value=12),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_any_variable_is_refused_or_drawn_never_an_arithmetic_error(
    low: float, high: float, step: float | None, decimals: int | None, seed: int
) -> None:
    variable = Variable("a", low, high, step=step, decimals=None if step else decimals)
    try:
        value = draw(variable, random.Random(seed))
        count = variable_choices(variable)
    except DomainError:
        assert variable_problems(variable)
        return
    assert variable_problems(variable) == []
    assert math.isfinite(value) and count >= 1


def test_a_numeric_range_near_the_largest_float_keeps_its_middle_and_accepts_only_itself() -> None:
    from_gift = gift.read("::r:: How far? {#1e308..1.5e308}\n", "r.gift")[0].question
    from_yaml = yaml_bank.read(
        "questions:\n  - {type: numeric, text: How far, answer: {min: 1e308, max: 1.5e308}}\n", "r.yaml"
    )[0].question

    for question in (from_gift, from_yaml):
        (answer,) = question.numeric_answers
        assert (answer.value, answer.tolerance) == (1.25e308, 0.25e308)
        assert grade(question, Variant(), "5").status is Status.INCORRECT
        assert grade(question, Variant(), "1.2e308").status is Status.CORRECT
    infinite = Question(QuestionType.NUMERIC, "?", numeric_answers=(NumericAnswer(value=float("inf")),))
    assert grade(infinite, Variant(), "5").status is Status.INCORRECT
