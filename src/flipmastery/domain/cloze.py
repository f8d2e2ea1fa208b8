"""Cloze questions (Moodle's embedded answers, multianswer): a text with parts [[1]], [[2]] … answered where
they stand, each part a short text, numeric, single choice or multiple response graded by that type's own
grading. A response is {"1": "Paris", "2": "3.5", "3": "b", "4": ["a", "c"]}: part number → that part's
response in its own type's shape. The item's score is the parts' scores weighted by their `weight`.
"""

from __future__ import annotations

from typing import Any

from flipmastery.domain import grading
from flipmastery.domain.errors import Invalid
from flipmastery.domain.generation import GAP, Variant, shown_choices
from flipmastery.domain.questions import (
    CLOZE_PART_TYPES,
    ClozePart,
    Question,
    QuestionType,
    weights_problem,
)

MAX_PARTS = 100
FULL = 1 - 1e-9
CHOOSING = (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE)


def part_question(part: ClozePart) -> Question:
    """The part as a question of its own type, so that its own grading scores it."""
    return Question(
        part.type,
        "",
        choices=part.choices,
        shuffle=part.shuffle,
        answers=part.answers,
        case_sensitive=part.case_sensitive,
        numeric_answers=part.numeric_answers,
        unit=part.unit,
    )


def part_variants(question: Question, variant: Variant) -> list[Variant]:
    """Each part's own variant: its slice of the item's order (choice parts), nothing for the others."""
    out: list[Variant] = []
    at = 0
    for part in question.cloze_parts:
        size = len(part.choices) if part.type in CHOOSING else 0
        out.append(Variant(order=variant.order[at : at + size]))
        at += size
    return out


def parts(question: Question, variant: Variant) -> list[tuple[str, ClozePart, Question, Variant]]:
    """(number, part, the part as a question, its variant) for every part, in order."""
    return [
        (str(n), part, part_question(part), sub)
        for n, (part, sub) in enumerate(
            zip(question.cloze_parts, part_variants(question, variant), strict=True), start=1
        )
    ]


def part_choices(question: Question, variant: Variant, number: str) -> list[tuple[str, str]]:
    """A choice part's (label, text) in the order shown; never says which is right."""
    for n, part, sub_question, sub in parts(question, variant):
        if n == number and part.type in CHOOSING:
            return [(label, part.choices[i].text) for label, i in shown_choices(sub_question, sub)]
    return []


def cloze_problem(question: Question) -> str:
    """Why a cloze question cannot be put in front of a student ("" when it can)."""
    count = len(question.cloze_parts)
    numbers = [int(n) for n in GAP.findall(question.text)]
    if not count:
        return "a cloze question needs at least one part [[1]] in its text"
    if count > MAX_PARTS:
        return f"a cloze question may have at most {MAX_PARTS} parts, not {count}"
    if sorted(numbers) != list(range(1, count + 1)):
        said = ", ".join(f"[[{n}]]" for n in numbers) or "none"
        return f"the text must hold each part [[1]] to [[{count}]] once, not {said}"
    for n, part in enumerate(question.cloze_parts, start=1):
        why = part_problem(part)
        if why:
            return f"part {n}: {why}"
    return ""


def part_problem(part: ClozePart) -> str:
    """Why one part cannot be answered and graded ("" when it can); Moodle's own rules for its parts."""
    if part.type not in CLOZE_PART_TYPES:
        kinds = ", ".join(t.value for t in CLOZE_PART_TYPES)
        return f"a part is one of {kinds}, not {part.type.value}"
    if part.weight < 1:
        return f"its weight must be a whole number of 1 or more, not {part.weight}"
    if part.type in CHOOSING:
        if len(part.choices) < 2:
            return "a choice part needs at least 2 choices"
        if not all(c.text.strip() for c in part.choices):
            return "every choice needs text"
        if part.type is QuestionType.MULTIPLE_RESPONSE:
            return weights_problem(part.choices)
        if not any(c.fraction >= FULL for c in part.choices):
            return "one of the choices should give 100 %, so that full marks are possible"
        return ""
    fractions = [a.fraction for a in (part.answers if part.type is QuestionType.SHORT_TEXT else ())]
    fractions += [a.fraction for a in part.numeric_answers] if part.type is QuestionType.NUMERIC else []
    if not fractions:
        return "it has no answer"
    if not any(f >= FULL for f in fractions):
        return "one of the answers should give 100 %, so that full marks are possible"
    return ""


def clean_cloze(question: Question, variant: Variant, response: Any) -> dict[str, Any] | str:
    """The response as stored (part number → that part's clean response), or (a str) what it should be."""
    numbers = [n for n, *_ in parts(question, variant)]
    wanted = f"an object from part numbers ({', '.join(numbers)}) to each part's answer"
    if not isinstance(response, dict) or not all(k in numbers for k in response):
        return wanted
    by_number = {n: (sub_question, sub) for n, _, sub_question, sub in parts(question, variant)}
    cleaned: dict[str, Any] = {}
    for number, value in response.items():
        sub_question, sub = by_number[number]
        try:
            value = grading.clean_response(sub_question, sub, value)
        except Invalid as err:
            said = err.problems[0].message.replace("this item's response", f"part {number}'s answer")
            return f"{wanted}; {said}"
        if value not in (None, "", []):
            cleaned[number] = value
    return cleaned


def cloze_grade(question: Question, variant: Variant, response: dict[str, Any]) -> grading.ItemResult:
    """Each part graded by its own type's grading, weighted by its weight; feedback says each part's."""
    total = sum(part.weight for part in question.cloze_parts) or 1
    earned = 0.0
    feedback: list[str] = []
    units: list[str] = []
    for number, part, sub_question, sub in parts(question, variant):
        result = grading.grade(sub_question, sub, response.get(number))
        earned += part.weight * result.score
        feedback += [f"{number}. {said}" for said in result.feedback if said]
        if result.unit_problem:
            units.append(f"{number}. {result.unit_problem}")
    return grading.scored(earned / total, feedback, " ".join(units))


def cloze_key(question: Question, variant: Variant) -> dict[str, Any]:
    """Part number → a response that gives that part full marks."""
    return {
        number: grading.correct_response(sub_question, sub)
        for number, _, sub_question, sub in parts(question, variant)
    }


def cloze_answer(question: Question, variant: Variant) -> str:
    """The right answers as a teacher would say them: "1. Paris; 2. 3.5; 3. oxygen"."""
    return "; ".join(
        f"{number}. {grading.shown_answer(sub_question, sub)}"
        for number, _, sub_question, sub in parts(question, variant)
    )
