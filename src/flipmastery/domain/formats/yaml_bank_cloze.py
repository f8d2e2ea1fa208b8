"""The YAML form of a cloze question: its text with [[1]], [[2]] … and a list of parts, each written with the
keys of its own type (short_text, numeric, single_choice, multiple_response) plus its weight and layout.

    - type: cloze
      text: The capital of France is [[1]]; water boils at [[2]] °C at sea level.
      parts:
        - {type: short_text, answers: [Paris, {text: Lyon, fraction: 0.5}]}
        - {type: numeric, answer: {value: 100, tolerance: 1}, weight: 2}   # weight 1 unless told
        - type: single_choice         # layout: dropdown (default), vertical or horizontal
          choices: [{text: oxygen, correct: true}, nitrogen]
          shuffle: true               # choices keep their order unless told
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flipmastery.domain.cloze import MAX_PARTS, cloze_problem, part_question
from flipmastery.domain.formats.yaml_bank_base import Reader
from flipmastery.domain.formats.yamlsource import Mapping, Sequence
from flipmastery.domain.questions import (
    CLOZE_PART_TYPES,
    ClozeLayout,
    ClozePart,
    Question,
    QuestionType,
)

PART_KEYS: dict[QuestionType, set[str]] = {
    QuestionType.SHORT_TEXT: {"answers", "answer", "case_sensitive"},
    QuestionType.NUMERIC: {"answer", "answers", "unit"},
    QuestionType.SINGLE_CHOICE: {"choices", "shuffle", "layout"},
    QuestionType.MULTIPLE_RESPONSE: {"choices", "shuffle", "layout"},
}
LAYOUTS = [layout.value for layout in ClozeLayout]


def cloze_fields(reader: Reader, node: Mapping, what: str) -> dict[str, Any]:
    from flipmastery.domain.formats.yaml_bank_read import FIELD_READERS  # reads each part as its own type

    raw = node.get("parts")
    if raw is None:
        reader.problem(f"{what} needs 'parts', one for each [[1]], [[2]] … of its text", node.line)
        items = Sequence()
    else:
        items = reader.sequence(raw, f"'parts' of {what}", node.line_of("parts")) or Sequence()
    if len(items) > MAX_PARTS:
        reader.problem(f"{what} may have at most {MAX_PARTS} parts", node.line_of("parts"))
        items = Sequence()
    before = len(reader.problems)
    parts: list[ClozePart] = []
    for i, value in enumerate(items):
        said = f"part {i + 1} of {what}"
        part = reader.mapping(value, said, items.line_at(i))
        if part is None:
            continue
        names = [t.value for t in CLOZE_PART_TYPES]
        kind = reader.text(part, "type", said, required=True)
        if kind and kind not in names:
            reader.problem(f"'type' of {said} must be one of {', '.join(names)}", part.line_of("type"))
        if kind not in names:
            continue
        qtype = QuestionType(kind)
        reader.unknown(part, {"type", "weight", *PART_KEYS[qtype]}, said)
        fields = FIELD_READERS[qtype](reader, part, said)
        weight = reader.whole(part, "weight", said, 1, 100) or 1
        choosing = qtype in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE)
        layout = _layout(reader, part, said, qtype)
        parts.append(
            ClozePart(
                qtype,
                weight,
                answers=fields.get("answers", ()),
                case_sensitive=fields.get("case_sensitive", False),
                numeric_answers=fields.get("numeric_answers", ()),
                unit=fields.get("unit", ""),
                choices=fields.get("choices", ()),
                shuffle=reader.flag(part, "shuffle", said, False) if choosing else False,
                layout=layout,
            )
        )
    text = node.get("text")
    if len(reader.problems) == before and isinstance(text, str) and raw is not None:
        problem = cloze_problem(Question(QuestionType.CLOZE, text, cloze_parts=tuple(parts)))
        if problem:
            reader.problem(f"{what}: {problem}", node.line_of("parts"))
    return {"cloze_parts": tuple(parts)}


def _layout(reader: Reader, part: Mapping, what: str, qtype: QuestionType) -> ClozeLayout:
    default = ClozeLayout.VERTICAL if qtype is QuestionType.MULTIPLE_RESPONSE else ClozeLayout.DROPDOWN
    raw = part.get("layout")
    if raw is None:
        return default
    allowed = LAYOUTS if qtype is QuestionType.SINGLE_CHOICE else LAYOUTS[1:]
    if raw not in allowed:
        reader.problem(f"'layout' of {what} must be {' or '.join(allowed)}", part.line_of("layout"))
        return default
    return ClozeLayout(raw)


def cloze_yaml(question: Question, write: Callable[[Question], dict[str, Any]]) -> list[dict[str, Any]]:
    """The parts as written in YAML, each by `write` (the writer of its own type) without text."""
    out: list[dict[str, Any]] = []
    for part in question.cloze_parts:
        entry = {k: v for k, v in write(part_question(part)).items() if k not in ("text", "shuffle")}
        if part.weight != 1:
            entry["weight"] = part.weight
        if part.shuffle:
            entry["shuffle"] = True
        default = (
            ClozeLayout.VERTICAL if part.type is QuestionType.MULTIPLE_RESPONSE else ClozeLayout.DROPDOWN
        )
        if part.choices and part.layout is not default:
            entry["layout"] = part.layout.value
        out.append(entry)
    return out
