"""A question as plain JSON data and back, for storing versions; the inverse of each other exactly."""

from __future__ import annotations

import dataclasses
from typing import Any

from flipmastery.domain.questions import (
    Choice,
    ClozeLayout,
    ClozePart,
    Derived,
    GapChoice,
    MatchPair,
    NumericAnswer,
    OrderGrading,
    Question,
    QuestionType,
    TextAnswer,
    TextFormat,
    Tolerance,
    Variable,
)

_NESTED: dict[str, type] = {
    "choices": Choice,
    "answers": TextAnswer,
    "numeric_answers": NumericAnswer,
    "variables": Variable,
    "derived": Derived,
    "pairs": MatchPair,
    "gap_choices": GapChoice,
}
_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Question)}


def to_data(question: Question) -> dict[str, Any]:
    """Only the fields that differ from their defaults, so stored versions stay small and readable."""
    data: dict[str, Any] = {}
    for f in dataclasses.fields(question):
        value = getattr(question, f.name)
        if f.name in ("type", "text") or value != _DEFAULTS[f.name]:
            if f.name in _NESTED:
                value = [_compact(dataclasses.asdict(item)) for item in value]
            elif f.name == "cloze_parts":
                value = [_part_data(part) for part in value]
            elif isinstance(value, tuple):
                value = list(value)
            data[f.name] = (
                value.value if isinstance(value, (QuestionType, TextFormat, OrderGrading)) else value
            )
    return data


_PART_DEFAULTS = {f.name: f.default for f in dataclasses.fields(ClozePart)}


def _part_data(part: ClozePart) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(part):
        value = getattr(part, f.name)
        if f.name != "type" and value == _PART_DEFAULTS[f.name]:
            continue
        if f.name in _NESTED:
            value = [_compact(dataclasses.asdict(item)) for item in value]
        out[f.name] = value.value if isinstance(value, (QuestionType, ClozeLayout)) else value
    return out


def _part(data: dict[str, Any]) -> ClozePart:
    fields: dict[str, Any] = {}
    for key, value in data.items():
        if key in _NESTED:
            fields[key] = tuple(_item(_NESTED[key], v) for v in value)
        elif key == "type":
            fields[key] = QuestionType(value)
        elif key == "layout":
            fields[key] = ClozeLayout(value)
        else:
            fields[key] = value
    return ClozePart(**fields)


def _compact(item: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in item.items():
        if isinstance(value, Tolerance):
            value = value.value
        if isinstance(value, tuple):
            value = list(value)
        out[key] = value
    return out


def from_data(data: dict[str, Any]) -> Question:
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key in _NESTED:
            kwargs[key] = tuple(_item(_NESTED[key], v) for v in value)
        elif key == "cloze_parts":
            kwargs[key] = tuple(_part(v) for v in value)
        elif key == "type":
            kwargs[key] = QuestionType(value)
        elif key == "format":
            kwargs[key] = TextFormat(value)
        elif key in ("tags", "items", "gap_answers"):
            kwargs[key] = tuple(value)
        elif key == "order_grading":
            kwargs[key] = OrderGrading(value)
        else:
            kwargs[key] = value
    return Question(**kwargs)


def _item(cls: type, value: dict[str, Any]) -> Any:
    fields = dict(value)
    if "tolerance_mode" in fields:
        fields["tolerance_mode"] = Tolerance(fields["tolerance_mode"])
    if "values" in fields:
        fields["values"] = tuple(fields["values"])
    return cls(**fields)
