"""Gaps questions (Moodle's gapselect and ddwtos): the response's shape, its grade, the key and the problems
that keep one from a student. A response is {"1": "c", "2": "a"}: gap number → the label of a choice shown."""

from __future__ import annotations

from typing import Any

from flipmastery.domain.generation import GAP, Variant, gap_options, shown_gap_choices
from flipmastery.domain.questions import Question

MAX_GAPS = 100


def gap_problem(question: Question) -> str:
    """Why a gaps question cannot be put in front of a student ("" when it can)."""
    choices, answers = question.gap_choices, question.gap_answers
    numbers = [int(n) for n in GAP.findall(question.text)]
    if not answers:
        return "a gaps question needs at least one gap [[1]] in its text"
    if len(answers) > MAX_GAPS:
        return f"a gaps question may have at most {MAX_GAPS} gaps, not {len(answers)}"
    if numbers != list(range(1, len(answers) + 1)):
        return (
            f"the text must hold the gaps [[1]] to [[{len(answers)}]] once each, in that order, "
            f"not {_said(numbers)}"
        )
    if not all(c.text.strip() for c in choices):
        return "every choice of a gaps question needs text"
    for gap, answer in enumerate(answers, start=1):
        if not 0 < answer <= len(choices):
            return f"gap {gap}'s right choice must be one of the choices 1 to {len(choices)}, not {answer}"
    for number, choice in enumerate(choices, start=1):
        uses = sum(1 for answer in answers if answer == number)
        if uses > 1 and not choice.infinite:
            return (
                f"choice {number} ('{choice.text}') is right for {uses} gaps: let it be used more than once"
            )
    for group in {c.group for c in choices}:
        texts = [" ".join(c.text.split()) for c in choices if c.group == group]
        if len(set(texts)) < len(texts):
            return f"two choices of group {group} are the same; a gap could not tell them apart"
    return ""


def _said(numbers: list[int]) -> str:
    return ", ".join(f"[[{n}]]" for n in numbers) or "none"


def clean_gaps(question: Question, variant: Variant, response: Any) -> dict[str, str] | str:
    """The response as stored, or (a str) what its shape should have been. A choice that may be used once
    must not fill two gaps."""
    offered = {gap: {label for label, _ in options} for gap, options in gap_options(question, variant)}
    wanted = f"an object from gap numbers ({', '.join(offered)}) to the label of a choice that gap offers"
    if not isinstance(response, dict) or not all(
        k in offered and (v is None or v in offered[k]) for k, v in response.items()
    ):
        return wanted
    given = {k: v for k, v in response.items() if v is not None}
    index_of = dict(shown_gap_choices(question, variant))
    for label in set(given.values()):
        choice = question.gap_choices[index_of[label]]
        if not choice.infinite and sum(1 for v in given.values() if v == label) > 1:
            return f"{wanted}; choice {label} ('{choice.text}') may fill one gap only"
    return given


def gaps_score(question: Question, variant: Variant, response: dict[str, str]) -> float:
    """Each gap an equal share, as Moodle grades both types."""
    key = gaps_key(question, variant)
    if not key:
        return 0.0
    return sum(1 for gap, label in key.items() if response.get(gap) == label) / len(key)


def gaps_key(question: Question, variant: Variant) -> dict[str, str]:
    """Gap number → the label of its right choice in this variant."""
    label_of = {index: label for label, index in shown_gap_choices(question, variant)}
    return {str(gap): label_of[answer - 1] for gap, answer in enumerate(question.gap_answers, start=1)}


def gaps_answer(question: Question) -> str:
    """The right choices as a teacher would say them: "1. cat; 2. mat"."""
    return "; ".join(
        f"{gap}. {question.gap_choices[answer - 1].text}"
        for gap, answer in enumerate(question.gap_answers, start=1)
        if 0 < answer <= len(question.gap_choices)
    )
