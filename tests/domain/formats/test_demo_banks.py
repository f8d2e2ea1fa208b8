"""The demo courses' question banks: each objective's bank reads, renders and grades its own key."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

import flipmastery
from flipmastery.domain.formats import yaml_bank
from flipmastery.domain.formats.bank import BankEntry, read_bank
from flipmastery.domain.formats.course_package import parse_course
from flipmastery.domain.generation import fill, generate
from flipmastery.domain.grading import correct_response, grade
from flipmastery.domain.questions import AUTO_GRADED, Question, QuestionType
from flipmastery.domain.units import known

CONTENT = Path(flipmastery.__file__).parent / "demo" / "content"
COURSES = {"gas-laws": ("GAS", 10), "rational-numbers": ("RAT", 8)}  # folder: (unit code, fewest items)
# Calculated items whose answer is a pure number on purpose: a unit conversion asks for the number
# (with a unit, "1.50 atm" would grade as the 152 kPa asked for), and a ratio has no unit.
UNITLESS_TAGS = {"conversion", "ratio"}
DEVANAGARI = re.compile("[\u0900-\u097f]")
SEEDS = 200


def _banks(folder: str) -> dict[str, list[BankEntry]]:
    root = CONTENT / folder
    spec = parse_course(
        (root / "course.yaml").read_text(encoding="utf-8"),
        package_has=lambda path: (root / path).is_file(),
    )
    return {
        objective.code: read_bank((root / objective.bank).read_bytes(), objective.bank)
        for objective in spec.objectives
        if objective.bank
    }


BANKS = {folder: _banks(folder) for folder in COURSES}
ALL = [
    pytest.param(entry.question, id=f"{code}:{entry.question.key}")
    for banks in BANKS.values()
    for code, entries in banks.items()
    for entry in entries
]


@pytest.mark.parametrize("folder", COURSES)
def test_every_objective_has_a_bank_big_enough_for_retakes(folder: str) -> None:
    unit, fewest = COURSES[folder]
    banks = BANKS[folder]
    objectives = sorted(banks)
    assert objectives == [f"{unit}-{n}" for n in range(1, len(objectives) + 1)]
    assert len(objectives) == (7 if unit == "GAS" else 6)
    for code, entries in banks.items():
        assert len(entries) >= fewest, f"{code} has {len(entries)} items"
        types = {e.question.type for e in entries}
        assert len(types) >= 5, f"{code} mixes only {sorted(types)}"
        assert QuestionType.CALCULATED in types, code
        assert sum(e.question.type is QuestionType.FREE_RESPONSE for e in entries) <= 1, code
        assert all(e.question.key for e in entries), f"{code}: every demo item has a stable id"


def test_ids_are_unique_across_each_course() -> None:
    for banks in BANKS.values():
        keys = [e.question.key for entries in banks.values() for e in entries]
        assert len(keys) == len(set(keys))


def test_gas_law_calculations_carry_units_pint_understands() -> None:
    for code, entries in BANKS["gas-laws"].items():
        for entry in entries:
            q = entry.question
            if q.type is QuestionType.CALCULATED and not UNITLESS_TAGS & set(q.tags):
                assert q.unit, f"{code} {q.key}: a gas-law result has a unit"
            if q.unit:
                assert known(q.unit), f"{code} {q.key}: unit {q.unit!r}"


def test_every_gas_law_objective_has_calculations_with_units_and_misconception_feedback() -> None:
    for code, entries in BANKS["gas-laws"].items():
        questions = [e.question for e in entries]
        with_units = [q for q in questions if q.type is QuestionType.CALCULATED and q.unit]
        assert len(with_units) >= 2, code
        single = [q for q in questions if q.type is QuestionType.SINGLE_CHOICE]
        assert single and all(all(c.feedback for c in q.choices if c.fraction <= 0) for q in single), (
            f"{code}: every wrong choice explains its misconception"
        )


def test_rational_numbers_questions_are_in_hindi() -> None:
    for code, entries in BANKS["rational-numbers"].items():
        for entry in entries:
            assert DEVANAGARI.search(entry.question.text), f"{code} {entry.question.key}"


@pytest.mark.parametrize("question", ALL)
def test_each_item_grades_its_own_key_full_marks_for_many_seeds(question: Question) -> None:
    if question.type not in AUTO_GRADED:
        assert question.type is not QuestionType.FREE_RESPONSE or question.rubric
        return
    shared: dict[str, dict[str, float]] = {}
    for seed in range(SEEDS if question.type is QuestionType.CALCULATED else 5):
        variant = generate(question, random.Random(seed), shared if seed % 2 else None)
        key = correct_response(question, variant)
        result = grade(question, variant, key)
        assert result.score == 1.0, (seed, dict(variant.values), key)


@pytest.mark.parametrize("question", [p for p in ALL if p.values[0].type is QuestionType.CALCULATED])
def test_calculated_items_show_every_number_and_give_sensible_answers(question: Question) -> None:
    names = {v.name for v in question.variables} | {d.name for d in question.derived}
    for seed in range(SEEDS):
        variant = generate(question, random.Random(seed))
        shown = fill(question.text, question, variant)
        left = {n for n in re.findall(r"\{=?([A-Za-z_]\w*)", shown) if n in names}
        assert not left, f"placeholders {left} not filled"
        value = float(str(correct_response(question, variant)).split()[0])
        if question.unit and question.unit != "°C":
            assert value > 0, f"a {question.unit} result must be positive, not {value}"


@pytest.mark.parametrize("code", [code for banks in BANKS.values() for code in banks])
def test_each_demo_bank_survives_export_and_import_unchanged(code: str) -> None:
    entries = next(banks[code] for banks in BANKS.values() if code in banks)
    questions = [e.question for e in entries]
    assert [e.question for e in yaml_bank.read(yaml_bank.write(questions), "again.yaml")] == questions
