"""Acceptance: 1,000 Gas Laws unit checks for one student, built from the real demo banks.

No question repeats while unseen ones remain, every calculated item gets fresh numbers, every key
grades full marks and every wrong or missing unit is caught.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from flipmastery.domain.assembly import Blueprint, Part, assemble
from flipmastery.domain.formats.bank import read_bank
from flipmastery.domain.generation import generate
from flipmastery.domain.grading import correct_response, grade
from flipmastery.domain.questions import Question, QuestionType
from flipmastery.domain.units import describe, read_quantity

BANKS = (
    Path(__file__).resolve().parents[2] / "src" / "flipmastery" / "demo" / "content" / "gas-laws" / "banks"
)
OTHER_UNITS = ["g", "L", "K", "mol", "s", "kPa"]


def load() -> tuple[dict[int, Question], dict[str, list[int]]]:
    questions: dict[int, Question] = {}
    banks: dict[str, list[int]] = {}
    for path in sorted(BANKS.glob("gas-*.yaml")):
        code = path.stem.upper()
        banks[code] = []
        for entry in read_bank(path.read_bytes(), path.name):
            if entry.question.type not in (QuestionType.DESCRIPTION, QuestionType.FREE_RESPONSE):
                questions[len(questions)] = entry.question
                banks[code].append(len(questions) - 1)
    return questions, banks


def test_a_thousand_unit_checks_for_one_student() -> None:
    questions, banks = load()
    assert sorted(banks) == [f"GAS-{n}" for n in range(1, 8)]
    blueprint = Blueprint(tuple(Part(code, 2) for code in sorted(banks)))
    seen: Counter[int] = Counter()
    last_values: dict[int, tuple[tuple[str, float], ...]] = {}
    appearances = repeats = units_checked = 0
    rng = random.Random(2026)
    for attempt in range(1000):
        picks = assemble(blueprint, banks, seen, rng)
        assert len({p.question for p in picks}) == len(picks) == 14
        for code, bank in banks.items():
            chosen = [p.question for p in picks if p.objective == code]
            left_out = [seen[q] for q in bank if q not in chosen]
            # Nothing seen before while anything less seen remains.
            assert max(seen[q] for q in chosen) <= min(left_out), (attempt, code)
        shared: dict[str, dict[str, float]] = {}
        for pick in picks:
            question = questions[pick.question]
            variant = generate(question, rng, shared)
            key = correct_response(question, variant)
            assert grade(question, variant, key).score == 1.0, (question.key, variant)
            if question.type is QuestionType.CALCULATED:
                appearances += 1
                if question.group == "" and last_values.get(pick.question) == variant.values:
                    repeats += 1
                last_values[pick.question] = variant.values
            if question.unit and question.type in (QuestionType.CALCULATED, QuestionType.NUMERIC):
                units_checked += 1
                number = read_quantity(str(key)).number
                missing = grade(question, variant, f"{number}")
                assert missing.score < 1.0 and "unit is missing" in missing.unit_problem, question.key
                wrong_unit = next(u for u in OTHER_UNITS if describe(u) != describe(question.unit))
                wrong = grade(question, variant, f"{number} {wrong_unit}")
                assert wrong.score < 1.0 and wrong.unit_problem.startswith("Check the unit"), question.key
        seen.update(p.question for p in picks)
    assert appearances > 3000 and units_checked > 3000
    assert repeats / appearances < 0.02  # fresh numbers: the same set twice in a row is rare chance
    spread = {code: max(seen[q] for q in bank) - min(seen[q] for q in bank) for code, bank in banks.items()}
    assert max(spread.values()) <= 1  # every question of a bank is used evenly
