"""The question form written as the editor's YAML, one field or row per line, and read back with the
editor's reader; every problem the reader finds is mapped from its line to the field that wrote it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from flipmastery.domain.errors import Invalid, Problem
from flipmastery.domain.formats.moodle_cloze import read_cloze_text
from flipmastery.domain.formats.yaml_bank_write import cloze_parts_yaml
from flipmastery.domain.generation import GAP
from flipmastery.domain.questions import Question as QuestionValue
from flipmastery.domain.questions import QuestionType, TextFormat
from flipmastery.web.question_form import (
    COMMON,
    FLAGS,
    ROWS,
    TYPE_FIELDS,
    TYPE_ROWS,
    QuestionForm,
    field_id,
    from_percent,
    row_is_blank,
)

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
        elif name == "text" and kind is QuestionType.CLOZE:
            _write_cloze(w, value, f.get("format", ""))
        elif name == "text" or value.strip():
            w.line(f"{name}: {_q(value)}", _Place(field_id(name)))
    if kind is None:
        return "\n".join(w.lines) + "\n", w.places, w.problems
    for name in TYPE_FIELDS.get(kind, ()):
        _scalar(w, name, f.get(name, ""))
    for rows_kind in TYPE_ROWS.get(kind, ()):
        ROW_WRITERS[rows_kind](w, form.row_list(rows_kind), kind)
    return "\n".join(w.lines) + "\n", w.places, w.problems


def _write_cloze(w: _Writer, text: str, text_format: str) -> None:
    """A cloze text written in Moodle's syntax as our text with [[1]], [[2]] … and its parts, one a line."""
    place = _Place(field_id("text"))
    fmt = TextFormat(text_format) if text_format in {f.value for f in TextFormat} else TextFormat.MARKDOWN
    marked, parts, problems = read_cloze_text(text, fmt)
    if GAP.search(text):
        problems = [
            _(
                "this cloze question has a part the form cannot show (a unit or a relative tolerance): "
                "edit it in the YAML view"
            )
        ]
    w.problems += [FieldProblem(problem, field_id("text")) for problem in problems]
    w.line(f"text: {_q(marked if not problems else text)}", place)
    if problems:
        return
    w.line("parts:", place)
    for part in cloze_parts_yaml(QuestionValue(QuestionType.CLOZE, marked, cloze_parts=parts)):
        w.line(f"  - {json.dumps(part, ensure_ascii=False)}", place)


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
    return from_percent(number)


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


def _write_items(w: _Writer, rows: list[dict[str, str]], kind: QuestionType) -> None:
    _header(w, "items")
    for i, row in enumerate(rows):
        if not row_is_blank(row):
            w.line(f"  - {_q(row.get('text', ''))}", _row_place("items", i))


def _write_gaps(w: _Writer, rows: list[dict[str, str]], kind: QuestionType) -> None:
    _header(w, "gaps", "choices")
    for i, row in enumerate(rows):
        if row_is_blank(row):
            continue
        parts = [f"text: {_q(row.get('text', ''))}"]
        if row.get("group", "").strip():
            parts.append(f"group: {_whole(row['group'])}")
        gaps = [g.strip() for g in row.get("gap", "").split(",") if g.strip()]
        if gaps:
            numbers = all(re.fullmatch(r"\d{1,6}", g) for g in gaps)
            parts.append(
                f"gap: [{', '.join(str(int(g)) for g in gaps)}]" if numbers else f"gap: {_q(row['gap'])}"
            )
        if row.get("infinite") == "1":
            parts.append("infinite: true")
        w.line(f"  - {{{', '.join(parts)}}}", _row_place("gaps", i))


ROW_WRITERS: dict[str, Callable[[_Writer, list[dict[str, str]], QuestionType], None]] = {
    "choices": _write_choices,
    "answers": _write_answers,
    "numbers": _write_numbers,
    "variables": _write_variables,
    "derived": _write_derived,
    "pairs": _write_pairs,
    "items": _write_items,
    "gaps": _write_gaps,
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
_VARIABLE_WORDS = re.compile(r"\b(min|step|decimals|values)\b")


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
        # a variable's limits are said unquoted: "has min 5 above max 1", "needs a step above 0"
        said = _VARIABLE_WORDS.search(message) if place.main.startswith(field_id("variables")) else None
        if said and said.group(1) in place.keys:
            return FieldProblem(message, place.keys[said.group(1)])
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
    if kind is QuestionType.CLOZE:  # the text holds the parts
        return field_id("text")
    if kind is QuestionType.GAPS:  # the text holds the gaps; every other problem is about the choices
        return field_id("text") if "the text must hold" in message else field_id("gaps")
    named = _QUOTED.findall(message)
    scalars = set(COMMON) | set(TYPE_FIELDS.get(kind, ()) if kind else ())
    for key in named:
        if key in scalars:
            return field_id(key)
        if key in ("choices", "pairs", "variables", "derived", "items"):
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
    if kind is QuestionType.ORDERING:
        return field_id("grading") if "grading" in lowered else field_id("items")
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
