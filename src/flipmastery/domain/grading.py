"""Grading: a pure function from a question, its variant and a response to a score with feedback.

Response shapes (the API documents the same):
single choice: "b" (a label shown) · multiple response: ["a", "c"] · true/false: true | false ·
short text: "text" · numeric and calculated: "101.3 kPa" or 101.3 · matching: {"1": "c", "2": "a"} ·
ordering: ["c", "a", "b"] (every label shown, in the student's order) · gaps: {"1": "c", "2": "a"} (gap
number → label of a choice it offers) · cloze: {"1": "Paris", "2": "3.5", "3": "b", "4": ["a"]} (part
number → that part's answer in its own type's shape) · free response: "text".
`None` means unanswered.
"""

from __future__ import annotations

import bisect
import enum
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flipmastery.domain.errors import DomainError, Invalid, Problem
from flipmastery.domain.formula import FormulaError, parse
from flipmastery.domain.gaps import clean_gaps, gap_problem, gaps_answer, gaps_key, gaps_score
from flipmastery.domain.generation import (
    MAX_DECIMALS,
    Variant,
    format_number,
    generate,
    match_answers,
    prompts,
    shown_answers,
    shown_choices,
    shown_items,
    shown_prompts,
    variable_problems,
)
from flipmastery.domain.questions import (
    FALSE,
    TRUE,
    WEIGHT_SLACK,
    NumericAnswer,
    OrderGrading,
    Question,
    QuestionType,
    Tolerance,
    percent,
    weights_problem,
)
from flipmastery.domain.units import UnitMismatch, convert, read_quantity

MAX_TEXT = 2_000
MAX_ESSAY = 20_000


class Status(enum.StrEnum):
    CORRECT = "correct"
    PARTIAL = "partial"
    INCORRECT = "incorrect"
    UNANSWERED = "unanswered"
    PENDING = "pending"  # waits for a teacher (free response)


@dataclass(frozen=True)
class ItemResult:
    score: float  # share of the item's points earned, 0..1
    status: Status
    feedback: tuple[str, ...] = ()  # per-answer feedback, in the question's text format
    unit_problem: str = ""  # set when the unit was missing, unknown or of the wrong dimension


def _result(score: float, feedback: Iterable[str] = (), unit_problem: str = "") -> ItemResult:
    score = min(1.0, max(0.0, score))
    status = Status.CORRECT if score >= 1 - 1e-9 else Status.PARTIAL if score > 1e-9 else Status.INCORRECT
    return ItemResult(round(score, 6), status, tuple(f for f in feedback if f), unit_problem)


UNANSWERED = ItemResult(0.0, Status.UNANSWERED)


def scored(score: float, feedback: Iterable[str] = (), unit_problem: str = "") -> ItemResult:
    """A result for a score from 0 to 1, for the types graded in their own modules (cloze)."""
    return _result(score, feedback, unit_problem)


def clean_response(question: Question, variant: Variant, response: Any) -> Any:
    """The response in its canonical shape, or Invalid saying what shape this item takes."""
    if response is None:
        return None
    kind = question.type
    if kind is QuestionType.SINGLE_CHOICE:
        valid = {label for label, _ in shown_choices(question, variant)}
        if not isinstance(response, str) or response not in valid:
            raise _shape(f"one of {', '.join(sorted(valid))}")
        return response
    if kind is QuestionType.MULTIPLE_RESPONSE:
        valid = {label for label, _ in shown_choices(question, variant)}
        if not isinstance(response, list) or not all(isinstance(r, str) and r in valid for r in response):
            raise _shape(f"a list of labels from {', '.join(sorted(valid))}")
        return sorted(set(response))
    if kind is QuestionType.TRUE_FALSE:
        if response in (TRUE, FALSE):
            return response == TRUE
        if not isinstance(response, bool):
            raise _shape("true or false")
        return response
    if kind in (QuestionType.NUMERIC, QuestionType.CALCULATED):
        if isinstance(response, bool) or not isinstance(response, (str, int, float)):
            raise _shape('a number, with its unit if it has one, e.g. "101.3 kPa"')
        text = response if isinstance(response, str) else format(response, "g")
        if len(text) > 100:
            raise _shape("a number of at most 100 characters")
        return text
    if kind is QuestionType.MATCHING:
        ids = {i for i, _ in shown_prompts(question, variant)}
        options = {label for label, _ in shown_answers(question, variant)}
        if not isinstance(response, dict) or not all(
            k in ids and (v in options or v is None) for k, v in response.items()
        ):
            raise _shape(f"an object from prompt ids ({', '.join(sorted(ids))}) to answer labels")
        return {k: v for k, v in response.items() if v is not None}
    if kind is QuestionType.GAPS:
        cleaned = clean_gaps(question, variant, response)
        if isinstance(cleaned, str):
            raise _shape(cleaned)
        return cleaned
    if kind is QuestionType.CLOZE:
        from flipmastery.domain.cloze import clean_cloze  # cloze grades its parts with this module

        cloze_cleaned = clean_cloze(question, variant, response)
        if isinstance(cloze_cleaned, str):
            raise _shape(cloze_cleaned)
        return cloze_cleaned
    if kind is QuestionType.ORDERING:
        labels = [label for label, _ in shown_items(question, variant)]
        if not isinstance(response, list) or sorted(map(str, response)) != sorted(labels):
            raise _shape(f"a list of every label ({', '.join(labels)}) once, in the order given")
        return list(response)
    if kind in (QuestionType.SHORT_TEXT, QuestionType.FREE_RESPONSE):
        limit = MAX_TEXT if kind is QuestionType.SHORT_TEXT else MAX_ESSAY
        if not isinstance(response, str) or len(response) > limit:
            raise _shape(f"text of at most {limit} characters")
        return response
    raise _shape("nothing: this item takes no answer")


def _shape(expected: str) -> Invalid:
    return Invalid([Problem(f"this item's response must be {expected}")])


def grade(question: Question, variant: Variant, response: Any) -> ItemResult:
    """Score one response. A response of the wrong shape scores as unanswered; grading never raises."""
    try:
        response = clean_response(question, variant, response)
    except Invalid:
        return UNANSWERED
    if response is None or response == "" or response == [] or response == {}:
        return UNANSWERED
    kind = question.type
    if kind is QuestionType.FREE_RESPONSE:
        return ItemResult(0.0, Status.PENDING)
    if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        by_label = dict(shown_choices(question, variant))
        chosen = [
            question.choices[by_label[label]]
            for label in ([response] if isinstance(response, str) else response)
        ]
        total = sum(c.fraction for c in chosen)
        if abs(total - 1.0) <= WEIGHT_SLACK + 1e-12:  # every third of 33.33 % chosen is 100 %
            total = 1.0
        return _result(total, (c.feedback for c in chosen))
    if kind is QuestionType.TRUE_FALSE:
        choice = next(c for c in question.choices if c.text == (TRUE if response else FALSE))
        return _result(choice.fraction, [choice.feedback])
    if kind is QuestionType.SHORT_TEXT:
        return _grade_text(question, response)
    if kind in (QuestionType.NUMERIC, QuestionType.CALCULATED):
        return _grade_number(question, variant, response)
    if kind is QuestionType.MATCHING:
        answers = dict(shown_answers(question, variant))
        pairs = {p.prompt: p.answer for p in question.pairs if p.prompt.strip()}
        right = sum(
            1
            for pid, prompt in shown_prompts(question, variant)
            if answers.get(response.get(pid, "")) == pairs[prompt]
        )
        return _result(right / max(1, len(pairs)))
    if kind is QuestionType.GAPS:
        return _result(gaps_score(question, variant, response))
    if kind is QuestionType.CLOZE:
        from flipmastery.domain.cloze import cloze_grade

        return cloze_grade(question, variant, response)
    if kind is QuestionType.ORDERING:
        return _result(order_score(question, _positions(question, variant, response)))
    return UNANSWERED


def _positions(question: Question, variant: Variant, labels: list[str]) -> list[int]:
    """The right-order index of each item, in the order the student gave them."""
    index_of = {
        label: variant.order[position] for position, (label, _) in enumerate(shown_items(question, variant))
    }
    return [index_of[label] for label in labels]


def order_score(question: Question, given: list[int]) -> float:
    """The share earned by an order (each item's right index, in the order given), by its grading mode."""
    n = len(given)
    if n == 0:
        return 0.0
    mode = question.order_grading
    if mode is OrderGrading.ABSOLUTE_POSITION:
        return sum(1 for place, index in enumerate(given) if place == index) / n
    if mode is OrderGrading.RELATIVE_NEXT:
        if n == 1:
            return 1.0
        after = {given[i]: given[i + 1] for i in range(n - 1)}
        return sum(1 for index in range(n - 1) if after.get(index) == index + 1) / (n - 1)
    if mode is OrderGrading.LONGEST_SUBSET:
        longest = _longest_increasing(given)
        return longest / n if longest >= 2 or n == 1 else 0.0
    return 1.0 if given == list(range(n)) else 0.0


def _longest_increasing(values: list[int]) -> int:
    tails: list[int] = []
    for value in values:
        at = bisect.bisect_left(tails, value)
        if at == len(tails):
            tails.append(value)
        else:
            tails[at] = value
    return len(tails)


# ---- short text ------------------------------------------------------------------------------------


def normalise_text(text: str, case_sensitive: bool = False) -> str:
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
    return text if case_sensitive else text.casefold()


def _matches(pattern: str, given: str, case_sensitive: bool) -> bool:
    wanted = normalise_text(pattern, case_sensitive)
    # `*` is Moodle's wildcard; a literal star is written \*. Matching finds each fixed part leftmost,
    # in order, so it runs in time proportional to the text whatever the pattern (no regex backtracking).
    parts = [part.replace("\\*", "*") for part in re.split(r"(?<!\\)\*", wanted)]
    if len(parts) == 1:
        return given == parts[0]
    first, *middle, last = parts
    if not given.startswith(first) or not given.endswith(last) or len(first) + len(last) > len(given):
        return False
    at, end = len(first), len(given) - len(last)
    for part in middle:
        found = given.find(part, at, end)
        if found < 0:
            return False
        at = found + len(part)
    return True


def _grade_text(question: Question, response: str) -> ItemResult:
    given = normalise_text(response, question.case_sensitive)
    for answer in question.answers:  # the first accepted answer that matches decides, as in Moodle
        if _matches(answer.text, given, question.case_sensitive):
            return _result(answer.fraction, [answer.feedback])
    return _result(0.0)


# ---- numbers ---------------------------------------------------------------------------------------


def answer_value(question: Question, answer: NumericAnswer, variant: Variant) -> float:
    if answer.formula:
        return parse(answer.formula)(variant.env)
    return float(answer.value or 0.0)


def within(given: float, answer: NumericAnswer, value: float) -> bool:
    if answer.value is None and not answer.formula:
        return (
            True  # Moodle's catch-all answer ("*" in XML, "~#…" in GIFT): any other number, for its feedback
        )
    if not math.isfinite(value):  # nothing a student types is "infinity"; never let it match everything
        return False
    allowed = (
        answer.tolerance * abs(value) if answer.tolerance_mode is Tolerance.RELATIVE else answer.tolerance
    )
    # A hair of slack so that 0.1 + 0.2 is 0.3 and a displayed, rounded key still grades full marks.
    return abs(given - value) <= abs(allowed) + 1e-9 * max(1.0, abs(value))


def _grade_number(question: Question, variant: Variant, response: str) -> ItemResult:
    reading = read_quantity(response)
    if reading.number is None:
        return _result(0.0, [f"{response!r} is not a number we can read; write e.g. 101.3 or 1.5e3."])
    given, penalty, unit_problem = reading.number, 0.0, ""
    if question.unit:
        if not reading.unit:
            penalty, unit_problem = (
                question.unit_penalty,
                f"The unit is missing: give the answer with its unit, e.g. in {question.unit}.",
            )
        else:
            try:
                given = convert(reading.number, reading.unit, question.unit)
            except UnitMismatch as err:
                penalty, unit_problem = question.unit_penalty, f"Check the unit: {err}."
    for answer in question.numeric_answers:
        try:
            value = answer_value(question, answer, variant)
        except FormulaError:
            continue
        if within(given, answer, value):
            return _result(answer.fraction * (1 - penalty), [answer.feedback, unit_problem], unit_problem)
    return _result(0.0, [unit_problem], unit_problem)


# ---- the key ----------------------------------------------------------------------------------------


def correct_response(question: Question, variant: Variant) -> Any:
    """A response that scores full marks for this variant (the answer key of DESIGN §6)."""
    kind = question.type
    if kind is QuestionType.SINGLE_CHOICE:
        best = max(question.choices, key=lambda c: c.fraction)
        return next(label for label, i in shown_choices(question, variant) if question.choices[i] is best)
    if kind is QuestionType.MULTIPLE_RESPONSE:
        return sorted(
            label for label, i in shown_choices(question, variant) if question.choices[i].fraction > 0
        )
    if kind is QuestionType.TRUE_FALSE:
        return next(c.text == TRUE for c in question.choices if c.fraction > 0)
    if kind is QuestionType.SHORT_TEXT:
        best_text = max(question.answers, key=lambda a: a.fraction).text
        return re.sub(r"(?<!\\)\*", "", best_text).replace("\\*", "*")
    if kind in (QuestionType.NUMERIC, QuestionType.CALCULATED):
        best_number = max(question.numeric_answers, key=lambda a: a.fraction)
        value = answer_value(question, best_number, variant)
        text = repr(round(value, 12)) if math.isfinite(value) else "0"
        return f"{text} {question.unit}".strip()
    if kind is QuestionType.GAPS:
        return gaps_key(question, variant)
    if kind is QuestionType.CLOZE:
        from flipmastery.domain.cloze import cloze_key

        return cloze_key(question, variant)
    if kind is QuestionType.ORDERING:
        label_at = {
            variant.order[place]: label for place, (label, _) in enumerate(shown_items(question, variant))
        }
        return [label_at[index] for index in range(len(question.items))]
    if kind is QuestionType.MATCHING:
        label_of = {answer: label for label, answer in shown_answers(question, variant)}
        pairs = {p.prompt: p.answer for p in question.pairs if p.prompt.strip()}
        return {pid: label_of[pairs[prompt]] for pid, prompt in shown_prompts(question, variant)}
    return None


def shown_answer(question: Question, variant: Variant) -> str:
    """The correct answer as a teacher would write it on the board, for reviews and printed keys."""
    kind = question.type
    if kind in (QuestionType.NUMERIC, QuestionType.CALCULATED):
        best = max(question.numeric_answers, key=lambda a: a.fraction)
        value = answer_value(question, best, variant)
        return f"{format_number(value, question.answer_decimals)} {question.unit}".strip()
    if kind is QuestionType.MATCHING:
        return "; ".join(
            f"{p} → {a}" for p, a in ((x.prompt, x.answer) for x in question.pairs if x.prompt.strip())
        )
    if kind is QuestionType.GAPS:
        return gaps_answer(question)
    if kind is QuestionType.CLOZE:
        from flipmastery.domain.cloze import cloze_answer

        return cloze_answer(question, variant)
    if kind is QuestionType.ORDERING:
        return "; ".join(f"{place}. {item}" for place, item in enumerate(question.items, start=1))
    if kind is QuestionType.TRUE_FALSE:
        return "True" if correct_response(question, variant) else "False"
    if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        return "; ".join(c.text for c in question.choices if c.fraction > 0)
    if kind is QuestionType.SHORT_TEXT:
        return str(correct_response(question, variant))
    return question.rubric


def accepted_range(question: Question, variant: Variant) -> str:
    """For a numeric answer with a tolerance, the numbers that earn full marks ("3.136 to 3.264 L"), so a
    teacher marking a printed copy by hand agrees with the grading; "" when only the exact value counts."""
    if question.type not in (QuestionType.NUMERIC, QuestionType.CALCULATED) or not question.numeric_answers:
        return ""
    best = max(question.numeric_answers, key=lambda a: a.fraction)
    if best.value is None and not best.formula:
        return ""
    value = answer_value(question, best, variant)
    relative = best.tolerance_mode is Tolerance.RELATIVE
    allowed = abs(best.tolerance * abs(value) if relative else best.tolerance)
    if allowed == 0:
        return ""
    low, high = (format_number(v, None, significant=5) for v in (value - allowed, value + allowed))
    return f"{low} to {high} {question.unit}".strip()


__all__ = ["ItemResult", "Status", "clean_response", "correct_response", "grade", "match_answers", "prompts"]


def ordering_problem(question: Question) -> str:
    """Why an ordering question cannot be put in front of a student ("" when it can)."""
    items = [" ".join(item.split()) for item in question.items]
    if len(items) < 2:
        return "an ordering question needs at least two items"
    if not all(items):
        return "every item of an ordering question needs text"
    if len(set(items)) < len(items):
        return "the items of an ordering question must all differ, or two orders would both be right"
    return ""


def question_problems(question: Question, rng: Any, tries: int = 25) -> list[str]:
    """What would make this question fail in front of a student, found by building variants and grading
    their keys: a formula that divides by zero for some values, a key that does not score full marks."""
    if question.type in (QuestionType.DESCRIPTION, QuestionType.FREE_RESPONSE):
        return []
    problems: list[str] = []
    choosing = (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE, QuestionType.TRUE_FALSE)
    if question.type in choosing and not any(c.fraction > 0 for c in question.choices):
        return ["no option gives credit: mark the right one"]
    if question.type is QuestionType.MULTIPLE_RESPONSE and weights_problem(question.choices):
        return [weights_problem(question.choices)]
    if question.type is QuestionType.SHORT_TEXT and not any(a.fraction > 0 for a in question.answers):
        return ["no accepted answer gives credit"]
    if question.type in (QuestionType.NUMERIC, QuestionType.CALCULATED) and not question.numeric_answers:
        return ["there is no answer"]
    if question.type is QuestionType.MATCHING and len(prompts(question)) < 2:
        return ["a matching question needs at least two pairs"]
    if question.type is QuestionType.GAPS and gap_problem(question):
        return [gap_problem(question)]
    if question.type is QuestionType.CLOZE:
        from flipmastery.domain.cloze import cloze_problem

        if cloze_problem(question):
            return [cloze_problem(question)]
    if question.type is QuestionType.ORDERING and ordering_problem(question):
        return [ordering_problem(question)]
    drawing = [f"variable {v.name} {p}" for v in question.variables for p in variable_problems(v)]
    if question.type is QuestionType.CALCULATED and drawing:
        return drawing
    decimals = question.answer_decimals
    if decimals is not None and not 0 <= decimals <= MAX_DECIMALS:
        return [f"the answer's decimals must be from 0 to {MAX_DECIMALS}, not {decimals}"]
    for _ in range(tries if question.type is QuestionType.CALCULATED else 1):
        try:
            variant = generate(question, rng)
            key = correct_response(question, variant)
        except DomainError as err:  # a formula failing for some values, a variable that cannot be drawn
            return [str(err)]
        result = grade(question, variant, key)
        if result.score < 1.0:
            values = f" for the values {dict(variant.values)}" if variant.values else ""
            return [f"its own answer key scores {percent(result.score)} %{values}, not 100 %"]
    return problems
