"""Writing questions as a YAML bank a teacher can read and edit; reading it back gives them unchanged."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from flipmastery.domain.formats.yaml_bank_cloze import cloze_yaml
from flipmastery.domain.formats.yaml_bank_gaps import gaps_yaml
from flipmastery.domain.questions import (
    TRUE,
    Choice,
    NumericAnswer,
    OrderGrading,
    Question,
    QuestionType,
    TextAnswer,
    TextFormat,
    Tolerance,
    Variable,
)

HEADER = (
    "# Question bank in flipmastery's YAML format (types and keys: flipmastery.domain.formats.yaml_bank)\n"
)
WIDTH = 100
SHORT = 60  # a choice or answer this short (and on one line) is written as a one-line {…} mapping


class _Flow(dict[str, Any]):
    """A mapping written on one line: {min: 2, max: 6, decimals: 1}."""


class _FlowList(list[Any]):
    """A list written on one line: [boyle, gas-laws]."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key ("questions:\n  - id: …"), as people write YAML.
        super().increase_indent(flow, False)


_OTHER_BREAKS = frozenset("\r\x85\u2028\u2029")


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    # YAML reads \r, NEL and the Unicode separators as line breaks; only escapes keep them exactly.
    if _OTHER_BREAKS.intersection(data):
        style: str | None = '"'
    else:
        style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _float(dumper: yaml.SafeDumper, data: float) -> yaml.Node:
    if data.is_integer() and abs(data) < 1e15:
        return dumper.represent_int(int(data))  # 1, not 1.0: reads back as the same float
    return dumper.represent_float(data)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(float, _float)
_Dumper.add_representer(
    _Flow, lambda d, data: d.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)
)
_Dumper.add_representer(
    _FlowList, lambda d, data: d.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)
)


def write_questions(questions: Sequence[Question]) -> str:
    items = [_question(q) for q in questions]
    body = yaml.dump(
        {"questions": items},
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=WIDTH,
        default_flow_style=False,
    )
    # A blank line between questions; only the items of `questions` start at column 2 with "- ".
    lines = body.splitlines()
    spaced = [
        "\n" + line if line.startswith("  - ") and i > 1 else line for i, line in enumerate(lines, start=0)
    ]
    return HEADER + "\n".join(spaced) + "\n"


def _question(q: Question) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if q.key:
        out["id"] = q.key
    out["type"] = q.type.value
    if q.title:
        out["title"] = q.title
    out["text"] = q.text
    kind = q.type
    if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        out["choices"] = _choices(q.choices, kind is QuestionType.MULTIPLE_RESPONSE)
        if not q.shuffle:
            out["shuffle"] = False
    elif kind is QuestionType.TRUE_FALSE:
        out["answer"] = any(c.text == TRUE and c.fraction > 0 for c in q.choices)
        for choice in q.choices:
            if choice.feedback and choice.text in ("true", "false"):
                out[f"feedback_{choice.text}"] = choice.feedback
    elif kind is QuestionType.SHORT_TEXT:
        out["answers"] = [_text_answer(a) for a in q.answers]
        if q.case_sensitive:
            out["case_sensitive"] = True
    elif kind in (QuestionType.NUMERIC, QuestionType.CALCULATED):
        out.update(_numbers(q))
    elif kind is QuestionType.MATCHING:
        out["pairs"] = [_short({"prompt": p.prompt, "answer": p.answer}) for p in q.pairs if p.prompt]
        extra = [p.answer for p in q.pairs if not p.prompt]
        if extra:
            short = sum(len(e) for e in extra) <= SHORT and not any("\n" in e for e in extra)
            out["distractors"] = _FlowList(extra) if short else extra
    elif kind is QuestionType.ORDERING:
        out["items"] = list(q.items)
        if q.order_grading is not OrderGrading.ALL_OR_NOTHING:
            out["grading"] = q.order_grading.value
    elif kind is QuestionType.GAPS:
        out["choices"] = [c if isinstance(c, str) else _short(c) for c in gaps_yaml(q)]
        if not q.shuffle:
            out["shuffle"] = False
    elif kind is QuestionType.CLOZE:
        out["parts"] = cloze_yaml(q, _question)
    elif kind is QuestionType.FREE_RESPONSE and q.rubric:
        out["rubric"] = q.rubric
    if q.points != 1.0:
        out["points"] = q.points
    if q.general_feedback:
        out["feedback"] = q.general_feedback
    if q.tags:
        out["tags"] = _FlowList(q.tags)
    if q.format is not TextFormat.MARKDOWN:
        out["format"] = q.format.value
    return out


def cloze_parts_yaml(question: Question) -> list[dict[str, Any]]:
    """A cloze question's parts as its YAML writes them (for the question editor, which writes its own)."""
    return cloze_yaml(question, _question)


def _short(mapping: dict[str, Any]) -> dict[str, Any]:
    texts = [v for v in mapping.values() if isinstance(v, str)]
    one_line = not any("\n" in t for t in texts) and sum(len(t) for t in texts) <= SHORT
    return _Flow(mapping) if one_line else mapping


def _choices(choices: Sequence[Choice], multiple: bool) -> list[Any]:
    positive = [c.fraction for c in choices if c.fraction > 0]
    # `correct: true` reads back as 1 in a single choice; in a multiple response as an equal share of
    # 1, so there it is used only when every right choice has exactly that share.
    share = 1.0 / len(positive) if multiple and positive else 1.0
    marked = not multiple or all(f == share for f in positive)
    out: list[Any] = []
    for c in choices:
        if c.fraction == 0 and not c.feedback:
            out.append(c.text)
            continue
        item: dict[str, Any] = {"text": c.text}
        if marked and c.fraction == share:
            item["correct"] = True
        elif c.fraction != 0:
            item["fraction"] = c.fraction
        if c.feedback:
            item["feedback"] = c.feedback
        out.append(_short(item))
    return out


def _text_answer(answer: TextAnswer) -> Any:
    if answer.fraction == 1.0 and not answer.feedback:
        return answer.text
    item: dict[str, Any] = {"text": answer.text}
    if answer.fraction != 1.0:
        item["fraction"] = answer.fraction
    if answer.feedback:
        item["feedback"] = answer.feedback
    return _short(item)


def _numbers(q: Question) -> dict[str, Any]:
    calculated = q.type is QuestionType.CALCULATED
    out: dict[str, Any] = {}
    if calculated:
        out["variables"] = {v.name: _variable(v) for v in q.variables}
        if q.derived:
            out["derived"] = {d.name: d.formula for d in q.derived}
    answers = [_numeric_answer(a, calculated) for a in q.numeric_answers]
    if len(answers) == 1:
        out["answer"] = answers[0]
    else:
        out["answers"] = answers
    if q.unit:
        out["unit"] = q.unit
    if q.unit_penalty != 1.0:
        out["unit_penalty"] = q.unit_penalty
    if q.answer_decimals is not None:
        out["decimals"] = q.answer_decimals
    if calculated and q.group:
        out["group"] = q.group
    return out


def _variable(v: Variable) -> _Flow:
    if v.values:
        return _Flow(values=_FlowList(v.values))
    out = _Flow()
    for key, value in (("min", v.minimum), ("max", v.maximum), ("step", v.step), ("decimals", v.decimals)):
        if value is not None:
            out[key] = value
    return out


def _numeric_answer(a: NumericAnswer, calculated: bool) -> Any:
    plain = a.tolerance == 0 and a.tolerance_mode is Tolerance.ABSOLUTE and a.fraction == 1.0
    if not calculated and not a.formula and a.value is not None and plain and not a.feedback:
        return a.value
    item: dict[str, Any] = {}
    if a.formula:
        item["formula"] = a.formula
    if a.value is not None and not (calculated and a.formula):
        item["value"] = a.value
    elif a.value is None and not a.formula:
        item["value"] = "*"  # any other number (Moodle's catch-all), for its feedback
    if calculated or a.tolerance or a.tolerance_mode is Tolerance.RELATIVE:
        item["tolerance"] = a.tolerance
    if a.tolerance_mode is Tolerance.RELATIVE:
        item["relative"] = True
    if a.fraction != 1.0:
        item["fraction"] = a.fraction
    if a.feedback:
        item["feedback"] = a.feedback
    return _short(item)
