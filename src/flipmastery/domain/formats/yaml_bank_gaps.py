"""The YAML form of a gaps question: its text with [[1]], [[2]] … and its choices, each with its group and
the gaps it is right for.

    - type: gaps
      text: The [[1]] sat on the [[2]].
      choices:
        - {text: cat, gap: 1}             # right for gap 1; group 1 unless told
        - dog
        - {text: mat, group: 2, gap: 2}
        - {text: rug, group: 2}
      shuffle: false                      # choices shuffled within their group unless false
"""

from __future__ import annotations

from typing import Any

from flipmastery.domain.formats.yaml_bank_base import Reader, kind
from flipmastery.domain.formats.yamlsource import Mapping, Sequence
from flipmastery.domain.gaps import MAX_GAPS, gap_problem
from flipmastery.domain.generation import GAP
from flipmastery.domain.questions import GapChoice, Question, QuestionType

GAP_CHOICE_KEYS = {"text", "group", "gap", "infinite"}
MAX_GROUP = 20  # Moodle offers groups 1 to 20


def gaps_fields(reader: Reader, node: Mapping, what: str) -> dict[str, Any]:
    raw_items = node.get("choices")
    if raw_items is None:
        reader.problem(f"{what} needs 'choices'", node.line)
        items = Sequence()
    else:
        items = reader.sequence(raw_items, f"'choices' of {what}", node.line_of("choices")) or Sequence()
    choices: list[GapChoice] = []
    right: dict[int, int] = {}  # gap → choice number
    before = len(reader.problems)
    for i, raw in enumerate(items):
        line = items.line_at(i)
        if not isinstance(raw, Mapping):
            text = reader.scalar(raw, f"a choice of {what}", line)
            if text == "":
                reader.problem(f"a choice of {what} is empty", line)
            choices.append(GapChoice(text or ""))
            continue
        reader.unknown(raw, GAP_CHOICE_KEYS, f"a choice of {what}")
        text = reader.text(raw, "text", f"a choice of {what}", required=True)
        group = reader.whole(raw, "group", f"choice '{text}'", 1, MAX_GROUP) or 1
        infinite = reader.flag(raw, "infinite", f"choice '{text}'", False)
        for gap in _gaps(reader, raw, f"choice '{text}'"):
            if gap in right:
                reader.problem(f"gap {gap} of {what} has two right choices; give it one", raw.line_of("gap"))
            right[gap] = len(choices) + 1
        choices.append(GapChoice(text, group, infinite))
    text = node.get("text")
    in_text = [int(n) for n in GAP.findall(text)] if isinstance(text, str) else []
    answers = tuple(right.get(gap, 0) for gap in range(1, max([*right, *in_text], default=0) + 1))
    fields: dict[str, Any] = {
        "gap_choices": tuple(choices),
        "gap_answers": answers,
        "shuffle": reader.flag(node, "shuffle", what, True),
    }
    if len(reader.problems) == before and isinstance(text, str):
        missing = [str(gap) for gap, answer in enumerate(answers, start=1) if answer == 0]
        if missing:
            reader.problem(
                f"no choice of {what} is right for gap {', '.join(missing)}", node.line_of("choices")
            )
        else:
            problem = gap_problem(Question(QuestionType.GAPS, text, **fields))
            if problem:
                reader.problem(f"{what}: {problem}", node.line_of("choices"))
    return fields


def _gaps(reader: Reader, raw: Mapping, what: str) -> list[int]:
    value = raw.get("gap")
    if value is None:
        return []
    values = list(value) if isinstance(value, Sequence) else [value]
    if not all(isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= MAX_GAPS for v in values):
        reader.problem(
            f"'gap' of {what} must be a gap number from 1 to {MAX_GAPS} or a list of them, not {kind(value)}",
            raw.line_of("gap"),
        )
        return []
    return [int(v) for v in values]


def gaps_yaml(question: Question) -> list[Any]:
    """The choices as written in YAML: plain text when group 1, right for no gap and used once."""
    out: list[Any] = []
    for number, choice in enumerate(question.gap_choices, start=1):
        gaps = [gap for gap, answer in enumerate(question.gap_answers, start=1) if answer == number]
        entry: dict[str, Any] = {"text": choice.text}
        if choice.group != 1:
            entry["group"] = choice.group
        if gaps:
            entry["gap"] = gaps[0] if len(gaps) == 1 else gaps
        if choice.infinite:
            entry["infinite"] = True
        out.append(entry if len(entry) > 1 else choice.text)
    return out
