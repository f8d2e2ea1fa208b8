"""Every demo bank goes to Moodle XML and comes back as the same questions.

Moodle has no derived variables, so a calculated question comes back with them written into its
formulas: it is compared by what a student meets — the same numbers drawn from the same sets, the same
text and the same key — and every other question must come back equal.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from flipmastery.domain.formats import moodle_xml
from flipmastery.domain.formats.moodle_xml_writer import write_fitting
from flipmastery.domain.generation import fill, generate
from flipmastery.domain.grading import correct_response, grade
from flipmastery.domain.questions import NumericAnswer, Question, QuestionType, Tolerance, Variable
from tests.domain.formats.test_demo_banks import BANKS

CODES = [code for banks in BANKS.values() for code in banks]
SEEDS = 60


def _bank(code: str) -> list[Question]:
    return [e.question for banks in BANKS.values() for e in banks.get(code, [])]


def _as_moodle_keeps_it(q: Question) -> Question:
    """The parts a Moodle calculated question holds unchanged (formulas are rewritten, derived inlined)."""
    answers = tuple(replace(a, formula="") for a in q.numeric_answers)
    return replace(q, text="", general_feedback="", derived=(), numeric_answers=answers)


def _absolute(q: Question) -> list[float]:
    """Moodle's numerical tolerance is absolute: a relative one comes back as the same interval."""
    out: list[float] = []
    for a in q.numeric_answers:
        value = a.value or 0.0
        relative = a.tolerance_mode is Tolerance.RELATIVE
        out += [value, a.tolerance * (abs(value) if relative else 1.0), a.fraction]
    return out


@pytest.mark.parametrize("code", CODES)
def test_each_demo_bank_goes_to_moodle_xml_and_comes_back(code: str) -> None:
    questions = _bank(code)
    text, left_out = write_fitting(questions)
    assert left_out == []
    back = [e.question for e in moodle_xml.read(text.encode(), f"{code}.xml")]
    assert len(back) == len(questions)
    for before, after in zip(questions, back, strict=True):
        if before.type is QuestionType.NUMERIC:
            assert replace(after, numeric_answers=()) == replace(before, numeric_answers=())
            assert _absolute(after) == pytest.approx(_absolute(before))
            continue
        if before.type is not QuestionType.CALCULATED:
            assert after == before
            continue
        assert _as_moodle_keeps_it(after) == _as_moodle_keeps_it(before)
        for seed in range(SEEDS):
            shown_before = generate(before, random.Random(seed))
            shown_after = generate(after, random.Random(seed))
            drawn = {v.name for v in before.variables}
            assert {k: v for k, v in shown_after.values if k in drawn} == {
                k: v for k, v in shown_before.values if k in drawn
            }
            assert fill(after.text, after, shown_after) == fill(before.text, before, shown_before)
            key = correct_response(before, shown_before)
            assert grade(after, shown_after, key).score == 1.0, (seed, key)


def test_lists_and_steps_are_written_as_every_value_moodle_may_draw() -> None:
    q = Question(
        QuestionType.CALCULATED,
        "{P1} kPa and {T} K",
        title="q",
        variables=(
            Variable("P1", values=(99.5, 101.3, 102.1)),
            Variable("T", minimum=280.0, maximum=300.0, step=10.0),
        ),
        numeric_answers=(NumericAnswer(formula="P1 * T ^ 2", tolerance=0.01),),
    )
    text, _ = write_fitting([q])
    assert "<itemcount>3</itemcount>" in text
    assert "<value>99.5</value>" in text and "<value>102.1</value>" in text
    assert "<itemcount>3</itemcount>" in text and "<value>290</value>" in text
    assert "<text>({P1} * pow({T}, 2))</text>" in text
    [back] = [e.question for e in moodle_xml.read(text.encode(), "q.xml")]
    assert back.variables == q.variables


def test_derived_variables_are_written_in_place_in_moodle_words() -> None:
    from flipmastery.domain.questions import Derived

    q = Question(
        QuestionType.CALCULATED,
        "P2 is {P2}, twice it {=2*P2}",
        title="q",
        variables=(Variable("P1", minimum=1, maximum=2, decimals=1),),
        derived=(Derived("P2", "P1 * 3"),),
        numeric_answers=(NumericAnswer(formula="P2 / 2", tolerance=0.01),),
    )
    text, _ = write_fitting([q])
    assert "P2 is {={P1} * 3}, twice it {=(2 * ({P1} * 3))}" in text
    assert "<text>(({P1} * 3) / 2)</text>" in text


def test_a_step_with_more_values_than_moodle_holds_is_left_out_with_its_reason() -> None:
    big = Question(
        QuestionType.CALCULATED,
        "{a}",
        key="big",
        variables=(Variable("a", minimum=0, maximum=1000, step=1),),
        numeric_answers=(NumericAnswer(formula="a"),),
    )
    small = replace(big, key="small", variables=(Variable("a", values=(1.0, 2.0)),))
    text, left_out = write_fitting([big, small])
    assert left_out == [
        (
            "question 'big'",
            "a can take 1001 values; a Moodle dataset holds at most 100 items "
            "(use a larger step or a smaller range)",
        )
    ]
    assert [e.question.key for e in moodle_xml.read(text.encode(), "x.xml")] == ["small"]
