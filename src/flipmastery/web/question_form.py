"""The question editor's form: POST fields ⇄ the one question the YAML editor holds.

The form does not build a question itself. It writes the fields out as the native YAML of one question,
one field or row per line, and reads that with the editor's own reader (`views_banks.read_one`), so a
question made by form is exactly the question the same YAML makes, and every problem the reader finds
is mapped back from its line to the field that wrote the line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.http import QueryDict
from django.utils.translation import gettext as _

from flipmastery.domain.errors import Invalid, Problem
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
}
CHECKBOXES = {"correct"}
TYPE_ROWS: dict[QuestionType, tuple[str, ...]] = {
    QuestionType.SINGLE_CHOICE: ("choices",),
    QuestionType.MULTIPLE_RESPONSE: ("choices",),
    QuestionType.SHORT_TEXT: ("answers",),
    QuestionType.NUMERIC: ("numbers",),
    QuestionType.CALCULATED: ("variables", "derived", "numbers"),
    QuestionType.MATCHING: ("pairs",),
}
COMMON = ("id", "type", "title", "text", "format", "points", "tags", "feedback")
TYPE_FIELDS: dict[QuestionType, tuple[str, ...]] = {
    QuestionType.SINGLE_CHOICE: ("shuffle",),
    QuestionType.MULTIPLE_RESPONSE: ("shuffle",),
    QuestionType.TRUE_FALSE: ("answer", "feedback_true", "feedback_false"),
    QuestionType.SHORT_TEXT: ("case_sensitive",),
    QuestionType.NUMERIC: ("unit", "unit_penalty", "decimals"),
    QuestionType.CALCULATED: ("unit", "unit_penalty", "decimals", "group"),
    QuestionType.FREE_RESPONSE: ("rubric",),
}
FLAGS = {"shuffle": True, "case_sensitive": False}  # checkboxes and their default
NEW_ROWS = {"choices": 3, "answers": 1, "numbers": 1, "variables": 2, "derived": 0, "pairs": 3}


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
        if _from_percent(Decimal(text)) == fraction:
            return text
    exact = (Decimal(repr(fraction)) * 100).normalize()
    return format(exact, "f")


def _from_percent(value: Decimal) -> float:
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
    )
    kind = value.type
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


# ---- form → YAML ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldProblem:
    """A problem and the field it is about ("" when it is about the whole question)."""

    message: str
    field: str = ""


@dataclass(frozen=True)
class _Place:
    main: str  # the field a problem on this line is about
    keys: dict[str, str] = field(default_factory=dict)  # YAML key said in a message → its field


class FormInvalid(Exception):
    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.message for p in problems))


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.places: dict[int, _Place] = {}
        self.problems: list[FieldProblem] = []

    def line(self, text: str, place: _Place) -> None:
        self.lines.append(text)
        self.places[len(self.lines)] = place


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def to_yaml(form: QuestionForm) -> tuple[str, dict[int, _Place], list[FieldProblem]]:
    """The YAML of the form's question, where each line came from, and problems found on the way."""
    w = _Writer()
    f = form.fields
    kind = form.type
    for name in COMMON:
        value = f.get(name, "")
        if name == "type":
            w.line(f"type: {_q(value)}", _Place(field_id("type")))
        elif name == "tags":
            tags = [t.strip() for t in value.split(",") if t.strip()]
            if tags:
                w.line(f"tags: [{', '.join(_q(t) for t in tags)}]", _Place(field_id("tags")))
        elif name == "points":
            if value.strip():
                w.line(f"points: {_q(value.strip())}", _Place(field_id("points")))
        elif name == "text" or value.strip():
            w.line(f"{name}: {_q(value)}", _Place(field_id(name)))
    if kind is None:
        return "\n".join(w.lines) + "\n", w.places, w.problems
    for name in TYPE_FIELDS.get(kind, ()):
        _scalar(w, name, f.get(name, ""))
    for rows_kind in TYPE_ROWS.get(kind, ()):
        ROW_WRITERS[rows_kind](w, form.row_list(rows_kind), kind)
    return "\n".join(w.lines) + "\n", w.places, w.problems


def _scalar(w: _Writer, name: str, value: str) -> None:
    place = _Place(field_id(name))
    if name in FLAGS:
        w.line(f"{name}: {'true' if value == '1' else 'false'}", place)
    elif name == "answer":  # true/false
        if value in ("true", "false"):
            w.line(f"answer: {value}", place)
    elif name == "unit_penalty":
        number = _percent(w, value, field_id(name), 0, 100)
        if number is not None:
            w.line(f"unit_penalty: {number!r}", place)
    elif name == "decimals":
        if value.strip():
            w.line(f"decimals: {_whole(value)}", place)
    elif value.strip() or name in ("feedback_true", "feedback_false"):
        w.line(f"{name}: {_q(value.strip() if name in ('unit', 'group') else value)}", place)


def _whole(value: str) -> str:
    text = value.strip()
    return str(int(text)) if re.fullmatch(r"[+-]?\d{1,6}", text) else _q(text)


def _percent(w: _Writer, value: str, where: str, low: float, high: float) -> float | None:
    """A percent typed in the form (50, 33.3, -25 %) as a fraction; a problem at its field if it is not."""
    text = value.strip().removesuffix("%").strip().replace("−", "-")
    if not text:
        return None
    try:
        number = Decimal(text)
        if not number.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        w.problems.append(
            FieldProblem(
                _("write a percent as a number, e.g. 50 or -25, not “%(text)s”") % {"text": value.strip()},
                where,
            )
        )
        return None
    if not low <= number <= high:
        message = _("must be from %(low)s %% to %(high)s %%, not %(value)s %%")
        w.problems.append(
            FieldProblem(message % {"low": f"{low:g}", "high": f"{high:g}", "value": text}, where)
        )
        return None
    return _from_percent(number)


def _row_place(kind: str, index: int) -> _Place:
    names = ROWS[kind]
    main = next(iter(names))
    keys = {key: field_id(name, kind, index) for name, key in names.items() if key}
    return _Place(field_id(main, kind, index), keys)


def _header(w: _Writer, kind: str, key: str | None = None) -> None:
    w.line(f"{key or kind}:", _Place(field_id(kind)))


def _write_choices(w: _Writer, rows: list[dict[str, str]], kind: QuestionType) -> None:
    _header(w, "choices")
    for i, row in enumerate(rows):
        if row_is_blank(row):
            continue
        parts = [f"text: {_q(row.get('text', ''))}"]
        weight = _percent(w, row.get("weight", ""), field_id("weight", "choices", i), -100, 100)
        if weight is not None:
            parts.append(f"fraction: {weight!r}")
        elif row.get("correct") == "1":
            parts.append("correct: true")
        if row.get("feedback", "").strip():
            parts.append(f"feedback: {_q(row['feedback'])}")
        w.line(f"  - {{{', '.join(parts)}}}", _row_place("choices", i))


def _write_answers(w: _Writer, rows: list[dict[str, str]], kind: QuestionType) -> None:
    _header(w, "answers")
    for i, row in enumerate(rows):
        if row_is_blank(row):
            continue
        parts = [f"text: {_q(row.get('text', ''))}"]
        credit = _percent(w, row.get("credit", ""), field_id("credit", "answers", i), 0, 100)
        if credit is not None:
            parts.append(f"fraction: {credit!r}")
        if row.get("feedback", "").strip():
            parts.append(f"feedback: {_q(row['feedback'])}")
        w.line(f"  - {{{', '.join(parts)}}}", _row_place("answers", i))


def _write_numbers(w: _Writer, rows: list[dict[str, str]], kind: QuestionType) -> None:
    _header(w, "numbers", "answers")
    calculated = kind is QuestionType.CALCULATED
    for i, row in enumerate(rows):
        if row_is_blank(row):
            continue
        parts = []
        if calculated and row.get("formula", "").strip():
            parts.append(f"formula: {_q(row['formula'].strip())}")
        if row.get("value", "").strip() and (not calculated or not row.get("formula", "").strip()):
            parts.append(f"value: {_q(row['value'].strip())}")
        tolerance = row.get("tolerance", "").strip()
        if row.get("mode") == "relative" and tolerance:
            size = _percent(w, tolerance, field_id("tolerance", "numbers", i), 0, 10**6)
            if size is not None:
                parts.append(f"tolerance: {size!r}, relative: true")
        elif tolerance:
            parts.append(f"tolerance: {_q(tolerance)}")
        credit = _percent(w, row.get("credit", ""), field_id("credit", "numbers", i), 0, 100)
        if credit is not None:
            parts.append(f"fraction: {credit!r}")
        if row.get("feedback", "").strip():
            parts.append(f"feedback: {_q(row['feedback'])}")
        w.line(f"  - {{{', '.join(parts)}}}", _row_place("numbers", i))


def _write_variables(w: _Writer, rows: list[dict[str, str]], kind: QuestionType) -> None:
    _header(w, "variables")
    for i, row in enumerate(rows):
        if row_is_blank(row):
            continue
        parts = []
        for name in ("min", "max", "step"):
            if row.get(name, "").strip():
                parts.append(f"{name}: {_q(row[name].strip())}")
        if row.get("decimals", "").strip():
            parts.append(f"decimals: {_whole(row['decimals'])}")
        values = [v for v in re.split(r"[,;\s]+", row.get("values", "")) if v]
        if values or (row.get("values", "").strip() and not parts):
            parts.append(f"values: [{', '.join(_q(v) for v in values)}]")
        w.line(f"  {_q(row.get('name', '').strip())}: {{{', '.join(parts)}}}", _row_place("variables", i))


def _write_derived(w: _Writer, rows: list[dict[str, str]], kind: QuestionType) -> None:
    filled = [(i, row) for i, row in enumerate(rows) if not row_is_blank(row)]
    if not filled:
        return
    _header(w, "derived")
    for i, row in filled:
        place = _Place(field_id("formula", "derived", i), {"name": field_id("name", "derived", i)})
        w.line(f"  {_q(row.get('name', '').strip())}: {_q(row.get('formula', '').strip())}", place)


def _write_pairs(w: _Writer, rows: list[dict[str, str]], kind: QuestionType) -> None:
    _header(w, "pairs")
    extra = []
    for i, row in enumerate(rows):
        if row_is_blank(row):
            continue
        if not row.get("prompt", "").strip():
            extra.append((i, row))
            continue
        parts = f"prompt: {_q(row['prompt'])}, answer: {_q(row.get('answer', ''))}"
        w.line(f"  - {{{parts}}}", _row_place("pairs", i))
    if extra:
        w.line("distractors:", _Place(field_id("pairs")))
        for i, row in extra:
            w.line(f"  - {_q(row.get('answer', ''))}", _Place(field_id("answer", "pairs", i)))


ROW_WRITERS: dict[str, Callable[[_Writer, list[dict[str, str]], QuestionType], None]] = {
    "choices": _write_choices,
    "answers": _write_answers,
    "numbers": _write_numbers,
    "variables": _write_variables,
    "derived": _write_derived,
    "pairs": _write_pairs,
}


# ---- form → question ------------------------------------------------------------------------------


def to_value(form: QuestionForm, read: Callable[[str], tuple[QuestionValue, int]]) -> QuestionValue:
    """The form's question, read by `read` (the editor's YAML reader), or FormInvalid with every problem
    at its field."""
    text, places, problems = to_yaml(form)
    if form.type is None:
        problems.insert(0, FieldProblem(_("choose the type of question"), field_id("type")))
    try:
        value = read(text)[0]
    except Invalid as error:
        problems += [_at_field(p, places, form) for p in error.problems]
        raise FormInvalid(_unique(problems)) from None
    if problems:
        raise FormInvalid(_unique(problems))
    return value


def _unique(problems: list[FieldProblem]) -> list[FieldProblem]:
    return list(dict.fromkeys(problems))


_QUOTED = re.compile(r"'([A-Za-z_]+)'")


def _at_field(problem: Problem, places: dict[int, _Place], form: QuestionForm) -> FieldProblem:
    line = problem.location.line if problem.location else None
    place = places.get(line or 0)
    message = problem.message
    if place is not None and place.main == field_id("numbers"):
        return FieldProblem(message, _numbers_field(message, form))
    if place is not None and line != 1:
        for key in _QUOTED.findall(message):
            if key in place.keys:
                return FieldProblem(message, place.keys[key])
        return FieldProblem(message, place.main)
    return FieldProblem(message, _guess_field(message, form))


def _numbers_field(message: str, form: QuestionForm) -> str:
    """The answer row a problem said at the 'answers:' line is about: the formula it quotes or uses."""
    filled = [(i, row) for i, row in enumerate(form.row_list("numbers")) if not row_is_blank(row)]
    calculated = form.type is QuestionType.CALCULATED
    if "full credit" in message:
        return _first_row_field(form, "numbers", "credit")
    for i, row in filled:
        formula = row.get("formula", "").strip()
        if calculated and formula and f"'{formula}'" in message:
            return field_id("formula", "numbers", i)
    for name in _QUOTED.findall(message):
        for i, row in filled:
            if calculated and re.search(rf"\b{re.escape(name)}\b", row.get("formula", "")):
                return field_id("formula", "numbers", i)
    return _first_row_field(form, "numbers", "formula" if calculated else "value")


def _guess_field(message: str, form: QuestionForm) -> str:
    """The field a problem of the whole question is about, from what it says (e.g. "needs 'answer'")."""
    kind = form.type
    named = _QUOTED.findall(message)
    scalars = set(COMMON) | set(TYPE_FIELDS.get(kind, ()) if kind else ())
    for key in named:
        if key in scalars:
            return field_id(key)
        if key in ("choices", "pairs", "variables", "derived"):
            return field_id(key)
        if key in ("answer", "answers") and kind in (QuestionType.NUMERIC, QuestionType.CALCULATED):
            return _first_row_field(
                form, "numbers", "formula" if kind is QuestionType.CALCULATED else "value"
            )
        if key in ("answer", "answers") and kind is QuestionType.SHORT_TEXT:
            return field_id("answers")
    variable = re.match(r"variable ([A-Za-z_][A-Za-z0-9_]*) ", message)
    if variable:
        for i, row in enumerate(form.row_list("variables")):
            if row.get("name", "").strip() == variable.group(1):
                return field_id("name", "variables", i)
    lowered = message.lower()
    if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE, QuestionType.TRUE_FALSE):
        return field_id("answer") if kind is QuestionType.TRUE_FALSE else field_id("choices")
    if kind is QuestionType.SHORT_TEXT:
        return field_id("answers")
    if kind is QuestionType.MATCHING:
        return field_id("pairs")
    if kind in (QuestionType.NUMERIC, QuestionType.CALCULATED):
        if "decimals" in lowered:
            return field_id("decimals")
        if "unit" in lowered:
            return field_id("unit")
        return _first_row_field(form, "numbers", "formula" if kind is QuestionType.CALCULATED else "value")
    return ""


def _first_row_field(form: QuestionForm, kind: str, name: str) -> str:
    for i, row in enumerate(form.row_list(kind)):
        if not row_is_blank(row):
            return field_id(name, kind, i)
    return field_id(kind)


def new_form(value: QuestionValue) -> QuestionForm:
    """A form to start from, with a few blank rows of every kind the type uses."""
    form = from_value(value)
    for kind in form.kinds():
        if not form.row_list(kind):
            form.rows[kind] = [blank_row(kind) for _ in range(NEW_ROWS[kind])]
    return form
