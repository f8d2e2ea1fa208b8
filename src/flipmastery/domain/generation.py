"""Turning a question into the variant one student sees in one attempt: values drawn, options shuffled.

A variant is small and plain (it is stored in the attempt's snapshot) and everything about the item
is a function of the question and its variant: the text shown, the key and the grade.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from flipmastery.domain.errors import DomainError
from flipmastery.domain.formula import FormulaError, parse
from flipmastery.domain.questions import Question, QuestionType, Variable


class Rng(Protocol):
    """What generation needs of a random generator; the shell passes a seeded `random.Random`."""

    def random(self) -> float: ...
    def randrange(self, start: int, stop: int) -> int: ...
    def uniform(self, a: float, b: float) -> float: ...
    def shuffle(self, x: list[Any]) -> None: ...


@dataclass(frozen=True)
class Variant:
    """The parts of one item that change from attempt to attempt."""

    values: tuple[tuple[str, float], ...] = ()  # drawn and derived variables, in order
    order: tuple[int, ...] = ()  # choices (or matching prompts) in the order shown
    answer_order: tuple[int, ...] = ()  # matching: the distinct answers in the order shown

    @property
    def env(self) -> dict[str, float]:
        return dict(self.values)

    def to_json(self) -> dict[str, Any]:
        return {
            "values": dict(self.values),
            "order": list(self.order),
            "answer_order": list(self.answer_order),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Variant:
        return cls(
            values=tuple((str(k), float(v)) for k, v in dict(data.get("values") or {}).items()),
            order=tuple(int(i) for i in data.get("order") or ()),
            answer_order=tuple(int(i) for i in data.get("answer_order") or ()),
        )


DEFAULT_DECIMALS = 2
# What a variable may be, so that drawing and counting its values stay plain float arithmetic that can never
# overflow: 10¹⁰⁰ is far beyond any quantity a class meets (6.02×10²³, 2×10³⁰ kg); a step finer than
# 10⁻¹⁰ cannot be shown (steps fix the decimals shown, to ten places); a grid of more than a billion values
# is a typing mistake.
MAX_MAGNITUDE = 1e100
MIN_STEP = 1e-10
MAX_STEPS = 1_000_000_000
MAX_DECIMALS = 12


class BadVariable(DomainError):
    """A variable whose values cannot be drawn; the message names it and the limit it breaks."""

    code = "bad_variable"


def variable_problems(variable: Variable) -> list[str]:
    """What keeps a variable from being drawn, each said after its name ("has min 5 above max 1")."""
    numbers = [x for x in (variable.minimum, variable.maximum, variable.step) if x is not None]
    numbers += variable.values
    if not all(math.isfinite(x) for x in numbers):
        return ["has a number that is not finite"]
    too_big = [x for x in numbers if abs(x) > MAX_MAGNITUDE]
    if too_big:
        return [f"has the number {too_big[0]:g}; the numbers of a variable must be within ±{MAX_MAGNITUDE:g}"]
    if variable.values:
        return []
    problems = []
    low, high = variable.minimum or 0.0, variable.maximum if variable.maximum is not None else 0.0
    if low > high:
        problems.append(f"has min {low:g} above max {high:g}")
    if variable.decimals is not None and not 0 <= variable.decimals <= MAX_DECIMALS:
        problems.append(f"needs decimals from 0 to {MAX_DECIMALS}, not {variable.decimals}")
    step = variable.step
    if step is not None and step <= 0:
        problems.append(f"needs a step above 0, not {step:g}")
    elif step is not None and step < MIN_STEP:
        problems.append(f"has the step {step:g}; the smallest step is {MIN_STEP:g}")
    elif step is not None and (high - low) / step > MAX_STEPS:
        problems.append(
            f"from {low:g} to {high:g} in steps of {step:g} has more than {MAX_STEPS:,} values; "
            "use a larger step or a smaller range"
        )
    return problems


def _drawable(variable: Variable) -> None:
    problems = variable_problems(variable)
    if problems:
        raise BadVariable(f"variable {variable.name} {problems[0]}")


def generate(
    question: Question, rng: Rng, shared: MutableMapping[str, dict[str, float]] | None = None
) -> Variant:
    """A fresh variant. Calculated items of one `group` share their variables through `shared`."""
    values: tuple[tuple[str, float], ...] = ()
    if question.type is QuestionType.CALCULATED:
        pool = shared.setdefault(question.group, {}) if shared is not None and question.group else {}
        drawn: dict[str, float] = {}
        for variable in question.variables:
            if variable.name not in pool:
                pool[variable.name] = draw(variable, rng)
            drawn[variable.name] = pool[variable.name]
        values = tuple(derive(question, drawn).items())
    order: tuple[int, ...] = ()
    answer_order: tuple[int, ...] = ()
    if question.type in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE, QuestionType.TRUE_FALSE):
        order = _shuffled(
            len(question.choices), rng, question.shuffle and question.type is not QuestionType.TRUE_FALSE
        )
    elif question.type is QuestionType.MATCHING:
        order = _shuffled(len(prompts(question)), rng, True)
        answer_order = _shuffled(len(match_answers(question)), rng, True)
    elif question.type is QuestionType.ORDERING:
        order = _shuffled(len(question.items), rng, True)
        if len(order) > 1 and order == tuple(range(len(order))):
            order = order[1:] + order[:1]  # never shown already in the right order
    elif question.type is QuestionType.GAPS:
        order = _gap_order(question, rng)
    elif question.type is QuestionType.CLOZE:
        # Cloze: the choices of each choice part, part after part, each shuffled only when its part says so.
        order = tuple(
            index
            for part in question.cloze_parts
            if part.choices
            for index in _shuffled(len(part.choices), rng, part.shuffle)
        )
    return Variant(values, order, answer_order)


def _gap_order(question: Question, rng: Rng) -> tuple[int, ...]:
    """Gaps: every choice, group by group (in group number order), shuffled within its group when asked."""
    order: list[int] = []
    for group in sorted({c.group for c in question.gap_choices}):
        members = [i for i, c in enumerate(question.gap_choices) if c.group == group]
        if question.shuffle:
            rng.shuffle(members)
        order += members
    return tuple(order)


def derive(question: Question, drawn: Mapping[str, float]) -> dict[str, float]:
    """The drawn values followed by every derived variable, computed in order."""
    env = dict(drawn)
    for item in question.derived:
        env[item.name] = parse(item.formula)(env)
    return env


def draw(variable: Variable, rng: Rng) -> float:
    _drawable(variable)
    if variable.values:
        return float(variable.values[rng.randrange(0, len(variable.values))])
    low, high = variable.minimum or 0.0, variable.maximum if variable.maximum is not None else 0.0
    if variable.step:
        steps = math.floor((high - low) / variable.step + 1e-9)
        places = _places(variable.step)
        return round(low + variable.step * rng.randrange(0, steps + 1), places)
    places = variable.decimals if variable.decimals is not None else DEFAULT_DECIMALS
    return round(rng.uniform(low, high), places)


def variable_choices(variable: Variable) -> int:
    """How many different values a variable can take."""
    _drawable(variable)
    if variable.values:
        return len(set(variable.values))
    low, high = variable.minimum or 0.0, variable.maximum if variable.maximum is not None else 0.0
    if variable.step:
        return math.floor((high - low) / variable.step + 1e-9) + 1
    places = variable.decimals if variable.decimals is not None else DEFAULT_DECIMALS
    spread: float = (high - low) * 10**places
    return max(1, math.floor(spread + 0.5) + 1)


def variant_count(question: Question) -> int:
    """Distinct versions of one item counted by its numbers (shuffling options does not make a new item)."""
    count = 1
    for variable in question.variables:
        count *= variable_choices(variable)
    return count


def _places(step: float) -> int:
    text = f"{step:.10f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def _shuffled(n: int, rng: Rng, shuffle: bool) -> tuple[int, ...]:
    order = list(range(n))
    if shuffle:
        rng.shuffle(order)
    return tuple(order)


def prompts(question: Question) -> list[str]:
    """Matching: the prompts to match, in authoring order (pairs with an empty prompt are distractors)."""
    return [pair.prompt for pair in question.pairs if pair.prompt.strip()]


def match_answers(question: Question) -> list[str]:
    """Matching: every distinct answer, in authoring order."""
    seen: list[str] = []
    for pair in question.pairs:
        if pair.answer not in seen:
            seen.append(pair.answer)
    return seen


# ---- text -----------------------------------------------------------------------------------------

# `{=…}` may hold `{a}` (Moodle's way of naming a variable inside a formula).
_PLACEHOLDER = re.compile(r"\{=((?:[^{}]|\{[A-Za-z_][A-Za-z0-9_]*\}){1,500})\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def fill(text: str, question: Question, variant: Variant) -> str:
    """Replace `{name}` and `{=formula}` in a calculated question's text with this variant's numbers."""
    if question.type is not QuestionType.CALCULATED or "{" not in text:
        return text
    env = variant.env
    drawn = {v.name: v for v in question.variables}

    def replace(match: re.Match[str]) -> str:
        if match.group(2) is not None:
            name = match.group(2)
            if name not in env:
                return match.group(0)
            if name in drawn:
                return format_drawn(env[name], drawn[name])
            return format_number(env[name], question.answer_decimals)
        try:
            return format_number(parse(match.group(1))(env), question.answer_decimals)
        except FormulaError:
            return match.group(0)

    return _PLACEHOLDER.sub(replace, text)


def format_drawn(value: float, variable: Variable) -> str:
    """A drawn value exactly as drawn: 2.50 when drawn to 2 places, 300 for a whole number."""
    if variable.values:
        return format_number(value, None)
    places = _places(variable.step) if variable.step else variable.decimals
    if places is None:
        places = DEFAULT_DECIMALS
    return f"{value:.{places}f}"


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def format_number(value: float, decimals: int | None, significant: int = 4) -> str:
    """A number for people: fixed decimals when asked, else 4 significant figures; 6.022×10²³ when huge."""
    if not math.isfinite(value):  # a tolerance of 1e308 around a key, say: shown, never a crash
        return str(value)
    if decimals is not None and 1e-4 <= abs(value) < 1e9:
        return f"{value:.{decimals}f}"
    if value == 0 or 1e-4 <= abs(value) < 1e6:
        text = f"{value:.{significant}g}"
        if "e" in text:  # .4g of 123456 is 1.235e+05; say it in full
            text = f"{value:.0f}"
        return text
    mantissa, exponent = f"{value:.{significant - 1}e}".split("e")
    return f"{mantissa}×10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def shown_choices(question: Question, variant: Variant) -> list[tuple[str, int]]:
    """(label, index into question.choices) in the order shown; labels a, b, c … hide the authoring order."""
    if question.type is QuestionType.TRUE_FALSE:
        return [(c.text, i) for i, c in enumerate(question.choices)]
    return [(_label(position), index) for position, index in enumerate(variant.order)]


def shown_prompts(question: Question, variant: Variant) -> list[tuple[str, str]]:
    """Matching: (id, prompt) in the order shown; ids are 1, 2, 3 …"""
    all_prompts = prompts(question)
    return [(str(position + 1), all_prompts[index]) for position, index in enumerate(variant.order)]


def shown_answers(question: Question, variant: Variant) -> list[tuple[str, str]]:
    """Matching: (label, answer) in the order shown."""
    answers = match_answers(question)
    return [(_label(position), answers[index]) for position, index in enumerate(variant.answer_order)]


def shown_items(question: Question, variant: Variant) -> list[tuple[str, str]]:
    """Ordering: (label, item) in the shuffled order shown; labels a, b, c … hide the right order."""
    return [(_label(position), question.items[index]) for position, index in enumerate(variant.order)]


def shown_gap_choices(question: Question, variant: Variant) -> list[tuple[str, int]]:
    """Gaps: (label, index into question.gap_choices) in the order shown, group by group; labels a, b, c …
    run across the groups, so a letter names one choice on paper and hides the authoring order."""
    return [(_label(position), index) for position, index in enumerate(variant.order)]


def gap_options(question: Question, variant: Variant) -> list[tuple[str, list[tuple[str, str]]]]:
    """Gaps: for each gap in order, its number ("1", "2" …) and the (label, text) of the choices it offers
    (those of its right choice's group, in the order shown). Never says which is right."""
    shown = shown_gap_choices(question, variant)
    out: list[tuple[str, list[tuple[str, str]]]] = []
    for gap, answer in enumerate(question.gap_answers, start=1):
        group = question.gap_choices[answer - 1].group if 0 < answer <= len(question.gap_choices) else None
        offered = [
            (label, question.gap_choices[index].text)
            for label, index in shown
            if question.gap_choices[index].group == group
        ]
        out.append((str(gap), offered))
    return out


GAP = re.compile(r"\[\[(\d{1,3})\]\]")


def gap_pieces(text: str) -> list[tuple[str, str]]:
    """A gaps question's text as (text before, gap number) pieces; the last piece's gap is ""."""
    pieces: list[tuple[str, str]] = []
    at = 0
    for match in GAP.finditer(text):
        pieces.append((text[at : match.start()], str(int(match.group(1)))))
        at = match.end()
    pieces.append((text[at:], ""))
    return pieces


def _label(position: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return letters[position] if position < 26 else f"{letters[position // 26 - 1]}{letters[position % 26]}"


def labels(items: Sequence[tuple[str, Any]]) -> dict[str, Any]:
    return dict(items)
