"""What a demo student answers: the key's response, or a wrong one a real student might give.

A wrong answer comes first from the question itself, where its author foresaw the mistake (a choice
that earns nothing, "manometer" for "barometer", the volume with °C left unconverted); otherwise it is
a mistake of the kind the item invites: another option, a swapped pair, a slip of a factor of two.
"""

from __future__ import annotations

import random
import re
from typing import Any

from flipmastery.domain.generation import Variant, gap_options, shown_answers, shown_choices
from flipmastery.domain.grading import answer_value
from flipmastery.domain.questions import Question, QuestionType

NUMBER = re.compile(r"^\s*(?P<number>[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)\s*(?P<unit>.*)$")
SLIPS = (2.0, 0.5, 10.0, 0.1)  # ratio inverted, a doubled or halved value, a power of ten lost


def wrong_response(question: Question, variant: Variant, right: Any, rng: random.Random) -> Any:
    """A response that does not score full marks for this variant of the question."""
    kind = question.type
    if kind is QuestionType.SINGLE_CHOICE:
        return rng.choice([label for label, i in shown_choices(question, variant) if label != right])
    if kind is QuestionType.MULTIPLE_RESPONSE:
        return _wrong_selection(question, variant, list(right), rng)
    if kind is QuestionType.TRUE_FALSE:
        return not right
    if kind is QuestionType.SHORT_TEXT:
        foreseen = [a.text.replace("*", "").strip() for a in question.answers if a.fraction < 1]
        return rng.choice([t for t in foreseen if t] or ["I am not sure"])
    if kind in (QuestionType.NUMERIC, QuestionType.CALCULATED):
        return _wrong_number(question, variant, str(right), rng)
    if kind is QuestionType.MATCHING:
        return _swapped(dict(right), question, variant, rng)
    if kind is QuestionType.GAPS:
        return _wrong_gap(dict(right), question, variant, rng)
    if kind is QuestionType.CLOZE:
        return _wrong_part(dict(right), question, variant, rng)
    if kind is QuestionType.ORDERING:
        order = list(right)
        first = rng.randrange(0, len(order) - 1)
        order[first], order[first + 1] = order[first + 1], order[first]  # two neighbours swapped
        return order
    return "I did not finish this one."  # a written answer: the teacher grades it


def _wrong_selection(question: Question, variant: Variant, right: list[str], rng: random.Random) -> list[str]:
    wrong = [label for label, i in shown_choices(question, variant) if question.choices[i].fraction <= 0]
    chosen = list(right)
    if len(chosen) > 1:
        chosen.remove(rng.choice(chosen))  # missed one of the right ones …
    else:
        chosen = []
    if wrong and (not chosen or rng.random() < 0.5):
        chosen.append(rng.choice(wrong))  # … and perhaps ticked a tempting wrong one
    return sorted(chosen)


def _wrong_number(question: Question, variant: Variant, right: str, rng: random.Random) -> str:
    found = NUMBER.match(right)
    unit = found["unit"].strip() if found else question.unit
    foreseen = []
    for answer in question.numeric_answers:
        if answer.fraction < 1 and (answer.value is not None or answer.formula):
            try:
                foreseen.append(answer_value(question, answer, variant))
            except (ArithmeticError, ValueError):
                continue
    if foreseen:
        return f"{_figures(rng.choice(foreseen))} {unit}".strip()
    value = float(found["number"]) if found else 1.0
    slipped = value * rng.choice(SLIPS) if value else 1.0
    return f"{_figures(slipped)} {unit}".strip()


def _figures(value: float) -> str:
    """Three significant figures, as a student writes them."""
    return f"{value:.3g}"


def _swapped(
    right: dict[str, str], question: Question, variant: Variant, rng: random.Random
) -> dict[str, str]:
    prompts = sorted(right)
    if len(prompts) < 2:
        options = [label for label, _ in shown_answers(question, variant) if label not in right.values()]
        return {p: options[0] for p in prompts} if options else {}
    first, second = rng.sample(prompts, 2)
    wrong = dict(right)
    wrong[first], wrong[second] = right[second], right[first]
    return wrong


def _wrong_gap(right: dict[str, str], question: Question, variant: Variant, rng: random.Random) -> Any:
    """One gap given another choice of its group (or left empty when its group has no other)."""
    gap = rng.choice(sorted(right))
    offered = dict(gap_options(question, variant))[gap]
    others = [label for label, _ in offered if label != right[gap] and label not in right.values()]
    wrong = dict(right)
    if others:
        wrong[gap] = rng.choice(others)
    else:
        del wrong[gap]
    return wrong


def _wrong_part(right: dict[str, Any], question: Question, variant: Variant, rng: random.Random) -> Any:
    """One part answered wrongly the way its own type's wrong answers are, the others right."""
    from flipmastery.domain.cloze import parts

    number, _, sub_question, sub = rng.choice(parts(question, variant))
    wrong = dict(right)
    wrong[number] = wrong_response(sub_question, sub, right[number], rng)
    return wrong
