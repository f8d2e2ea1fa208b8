"""The question editor's form: POST fields ⇄ the one question the YAML editor holds.

The form does not build a question itself. `question_form_yaml` writes the fields as the YAML of one question,
one field or row per line, and reads that with the editor's own reader (`views_banks.read_one`), so a
question made by form is exactly the question the same YAML makes, and every problem the reader finds
is mapped back from its line to the field that wrote the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.http import QueryDict

from flipmastery.domain.formats.moodle_cloze import cloze_reasons, moodle_cloze_text
from flipmastery.domain.questions import (
    TRUE,
    Choice,
    NumericAnswer,
    QuestionType,
    Tolerance,
    true_false_answer,
)
from flipmastery.domain.questions import Question as QuestionValue

PREFIX = "q-"
MAX_ROWS = 60  # more than any question needs; a longer list is a mistake or an attack

# Each kind of repeatable row: its form fields, in order, and the YAML key each writes ("" for none).
ROWS: dict[str, dict[str, str]] = {
    "choices": {"text": "text", "correct": "correct", "weight": "fraction", "feedback": "feedback"},
    "answers": {"text": "text", "credit": "fraction", "feedback": "feedback"},
    "numbers": {
        "value": "value",
        "formula": "formula",
        "tolerance": "tolerance",
        "mode": "relative",
        "credit": "fraction",
        "feedback": "feedback",
    },
    "variables": {
        "name": "",
        "min": "min",
        "max": "max",
        "step": "step",
        "decimals": "decimals",
        "values": "values",
    },
    "derived": {"name": "", "formula": ""},
    "pairs": {"prompt": "prompt", "answer": "answer"},
    "items": {"text": ""},
    "gaps": {"text": "text", "group": "group", "gap": "gap", "infinite": "infinite"},
}
CHECKBOXES = {"correct", "infinite"}
TYPE_ROWS: dict[QuestionType, tuple[str, ...]] = {
    QuestionType.SINGLE_CHOICE: ("choices",),
    QuestionType.MULTIPLE_RESPONSE: ("choices",),
    QuestionType.SHORT_TEXT: ("answers",),
    QuestionType.NUMERIC: ("numbers",),
    QuestionType.CALCULATED: ("variables", "derived", "numbers"),
    QuestionType.MATCHING: ("pairs",),
    QuestionType.ORDERING: ("items",),
    QuestionType.GAPS: ("gaps",),
}
COMMON = ("id", "type", "title", "text", "format", "points", "tags", "feedback")
TYPE_FIELDS: dict[QuestionType, tuple[str, ...]] = {
    QuestionType.SINGLE_CHOICE: ("shuffle",),
    QuestionType.MULTIPLE_RESPONSE: ("shuffle",),
    QuestionType.TRUE_FALSE: ("answer", "feedback_true", "feedback_false"),
    QuestionType.SHORT_TEXT: ("case_sensitive",),
    QuestionType.NUMERIC: ("unit", "unit_penalty", "decimals"),
    QuestionType.CALCULATED: ("unit", "unit_penalty", "decimals", "group"),
    QuestionType.ORDERING: ("grading",),
    QuestionType.GAPS: ("shuffle",),
    QuestionType.FREE_RESPONSE: ("rubric",),
}
FLAGS = {"shuffle": True, "case_sensitive": False}  # checkboxes and their default
NEW_ROWS = {
    "choices": 3,
    "answers": 1,
    "numbers": 1,
    "variables": 2,
    "derived": 0,
    "pairs": 3,
    "items": 4,
    "gaps": 3,
}


@dataclass
class QuestionForm:
    """What the form holds: text exactly as typed, so a question with problems comes back as it was."""

    fields: dict[str, str] = field(default_factory=dict)
    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    @property
    def type(self) -> QuestionType | None:
        try:
            return QuestionType(self.fields.get("type", ""))
        except ValueError:
            return None

    def kinds(self) -> tuple[str, ...]:
        return TYPE_ROWS.get(self.type, ()) if self.type else ()

    def row_list(self, kind: str) -> list[dict[str, str]]:
        return self.rows.setdefault(kind, [])

    def add_row(self, kind: str) -> int:
        rows = self.row_list(kind)
        if kind in ROWS and len(rows) < MAX_ROWS:
            rows.append(blank_row(kind))
        return len(rows) - 1

    def remove_row(self, kind: str, index: int) -> None:
        rows = self.row_list(kind)
        if 0 <= index < len(rows):
            del rows[index]

    def retype(self, new: str) -> None:
        """Another type keeps the text and every row that still applies; new kinds of row start blank."""
        self.fields["type"] = new
        for kind in self.kinds():
            if not any(not row_is_blank(row) for row in self.row_list(kind)):
                self.rows[kind] = [blank_row(kind) for _ in range(NEW_ROWS[kind])]
        for name, default in FLAGS.items():
            self.fields.setdefault(name, "1" if default else "")


def blank_row(kind: str) -> dict[str, str]:
    return dict.fromkeys(ROWS[kind], "")


def row_is_blank(row: dict[str, str]) -> bool:
    return not any(v.strip() for k, v in row.items() if k not in CHECKBOXES and k != "mode")


def field_id(name: str, kind: str = "", index: int | None = None) -> str:
    """The HTML name (and, after "id-", the id) of a field: q-text, q-choices-0-weight."""
    return f"{PREFIX}{kind}-{index}-{name}" if kind else f"{PREFIX}{name}"


# ---- POST → form ----------------------------------------------------------------------------------


def from_post(data: QueryDict) -> QuestionForm:
    form = QuestionForm()
    shown = set(data.getlist(f"{PREFIX}shown"))
    for name in (*COMMON, *{n for names in TYPE_FIELDS.values() for n in names}):
        if name in FLAGS:
            checked = data.get(field_id(name)) == "1"
            form.fields[name] = "1" if checked or (name not in shown and FLAGS[name]) else ""
        else:
            form.fields[name] = data.get(field_id(name), "")
    for kind, names in ROWS.items():
        try:
            count = min(MAX_ROWS, max(0, int(data.get(f"{PREFIX}{kind}-count", "0"))))
        except ValueError:
            count = 0
        form.rows[kind] = [
            {name: data.get(field_id(name, kind, i), "") for name in names} for i in range(count)
        ]
    return form


# ---- question → form ------------------------------------------------------------------------------


def number_text(x: float | None) -> str:
    """A number as typed back: 2.0 → "2", 0.1 → "0.1"; it reads back as exactly the same float."""
    if x is None:
        return ""
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


def percent_text(fraction: float) -> str:
    """0.5 → "50", 1/3 → "33.33333333333333": a percent that `read_percent` turns back into `fraction`."""
    for places in (0, 1, 2, 3, 4):
        text = f"{fraction * 100:.{places}f}"
        if from_percent(Decimal(text)) == fraction:
            return text
    exact = (Decimal(repr(fraction)) * 100).normalize()
    return format(exact, "f")


def from_percent(value: Decimal) -> float:
    return float(value / 100)  # Decimal divides exactly, so the float is the nearest to the percent


def from_value(value: QuestionValue) -> QuestionForm:
    form = QuestionForm()
    f = form.fields
    f.update(
        id=value.key,
        type=value.type.value,
        title=value.title,
        text=value.text,
        format=value.format.value,
        points="" if value.points == 1.0 else number_text(value.points),
        tags=", ".join(value.tags),
        feedback=value.general_feedback,
        shuffle="1" if value.shuffle else "",
        case_sensitive="1" if value.case_sensitive else "",
        unit=value.unit,
        unit_penalty="" if value.unit_penalty == 1.0 else percent_text(value.unit_penalty),
        decimals="" if value.answer_decimals is None else str(value.answer_decimals),
        group=value.group,
        rubric=value.rubric,
        grading=value.order_grading.value,
    )
    kind = value.type
    if kind is QuestionType.CLOZE:  # the form writes the parts in the text, as Moodle's editor does
        # A part Moodle's syntax cannot say (a unit, a relative tolerance) keeps the text as it is, [[1]] …,
        # so the form refuses it and says to use the YAML view, rather than drop what it cannot show.
        f["text"] = value.text if cloze_reasons(value) else moodle_cloze_text(value)
    if kind is QuestionType.TRUE_FALSE:
        by_text = {c.text: c for c in value.choices}
        f["answer"] = "true" if true_false_answer(value) else "false"
        f["feedback_true"] = by_text[TRUE].feedback if TRUE in by_text else ""
        f["feedback_false"] = by_text["false"].feedback if "false" in by_text else ""
    form.rows["choices"] = _choice_rows(value.choices, kind is QuestionType.MULTIPLE_RESPONSE)
    form.rows["answers"] = [
        {
            "text": a.text,
            "credit": "" if a.fraction == 1.0 else percent_text(a.fraction),
            "feedback": a.feedback,
        }
        for a in value.answers
    ]
    form.rows["numbers"] = [_number_row(a) for a in value.numeric_answers]
    form.rows["variables"] = [
        {
            "name": v.name,
            "min": number_text(v.minimum),
            "max": number_text(v.maximum),
            "step": number_text(v.step),
            "decimals": "" if v.decimals is None else str(v.decimals),
            "values": ", ".join(number_text(x) for x in v.values),
        }
        for v in value.variables
    ]
    form.rows["derived"] = [{"name": d.name, "formula": d.formula} for d in value.derived]
    form.rows["pairs"] = [{"prompt": p.prompt, "answer": p.answer} for p in value.pairs]
    form.rows["items"] = [{"text": item} for item in value.items]
    form.rows["gaps"] = [
        {
            "text": c.text,
            "group": "" if c.group == 1 else str(c.group),
            "gap": ", ".join(str(g) for g, a in enumerate(value.gap_answers, start=1) if a == number),
            "infinite": "1" if c.infinite else "",
        }
        for number, c in enumerate(value.gap_choices, start=1)
    ]
    return form


def _choice_rows(choices: tuple[Choice, ...], multiple: bool) -> list[dict[str, str]]:
    """Right answers worth what "correct" gives them (all for a single choice, equal shares of 100 %
    for a multiple response) are ticked; any other weight is written out."""
    right = [c.fraction for c in choices if c.fraction > 0]
    share = 1.0 / len(right) if multiple and right else 1.0
    ticked = all(x == share for x in right) and (multiple or len(right) == 1)
    rows = []
    for c in choices:
        correct = ticked and c.fraction > 0
        weight = "" if correct or c.fraction == 0 else percent_text(c.fraction)
        rows.append(
            {"text": c.text, "correct": "1" if correct else "", "weight": weight, "feedback": c.feedback}
        )
    return rows


def _number_row(answer: NumericAnswer) -> dict[str, str]:
    relative = answer.tolerance_mode is Tolerance.RELATIVE
    return {
        "value": number_text(answer.value),
        "formula": answer.formula,
        "tolerance": percent_text(answer.tolerance) if relative else number_text(answer.tolerance),
        "mode": "relative" if relative else "absolute",
        "credit": "" if answer.fraction == 1.0 else percent_text(answer.fraction),
        "feedback": answer.feedback,
    }


def new_form(value: QuestionValue) -> QuestionForm:
    """A form to start from, with a few blank rows of every kind the type uses."""
    form = from_value(value)
    for kind in form.kinds():
        if not form.row_list(kind):
            form.rows[kind] = [blank_row(kind) for _ in range(NEW_ROWS[kind])]
    return form
