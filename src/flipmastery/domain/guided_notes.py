"""Guided notes: a template of parts a student fills in beside a video, read and checked without Django.

A template is an ordered list of parts, each with a stable id (answers are keyed by it, so editing or
removing one part never moves a student's answers to another):

- prompt: a question and a text box;
- table: column headings, a number of rows, cells to fill (some given by the teacher);
- diagram: an image (uploaded, or the learning object's own) with numbered labels placed on it, each a
  text box where the student says what the number points to.

`parse_template` turns what a teacher typed (a form, or a course package's `notes:`) into a `NotesTemplate`,
listing every problem with the part it is in. `clean_answers` keeps only the fields a part has. Notes are
evidence for a conversation, never a mastery decision: nothing here scores anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flipmastery.domain.errors import Invalid, Problem

KINDS = ("prompt", "table", "diagram")
MAX_PARTS = 20
MAX_QUESTION = 1000
MAX_HEADING = 100
MAX_COLUMNS = 8
MAX_ROWS = 20
MAX_CELL = 200  # a cell the teacher gives
MAX_LABELS = 20
MAX_ANSWER = 4000  # one text box of a student
MAX_IMAGE_NAME = 300


@dataclass(frozen=True)
class Label:
    """A number placed on the diagram, at x% from the left and y% from the top."""

    x: float
    y: float


@dataclass(frozen=True)
class Part:
    id: str
    kind: str
    question: str = ""  # a prompt's question, a table's or diagram's caption
    columns: tuple[str, ...] = ()
    rows: int = 0
    given: Mapping[str, str] = field(default_factory=dict)  # "r1c2" -> text given by the teacher
    image: str = ""  # a stored file's name; "" means the learning object's own image
    labels: tuple[Label, ...] = ()

    def fields(self) -> tuple[str, ...]:
        """The names of the boxes a student fills, in reading order."""
        if self.kind == "prompt":
            return ("text",)
        if self.kind == "table":
            return tuple(
                key
                for r in range(1, self.rows + 1)
                for c in range(1, len(self.columns) + 1)
                if (key := cell_key(r, c)) not in self.given
            )
        return tuple(f"l{n}" for n in range(1, len(self.labels) + 1))


@dataclass(frozen=True)
class NotesTemplate:
    parts: tuple[Part, ...]

    def part(self, part_id: str) -> Part | None:
        return next((p for p in self.parts if p.id == part_id), None)

    def total(self) -> int:
        return sum(len(p.fields()) for p in self.parts)


def cell_key(row: int, column: int) -> str:
    return f"r{row}c{column}"


def filled(template: NotesTemplate, answers: Mapping[str, Mapping[str, str]]) -> tuple[int, int]:
    """(boxes with something written in them, boxes in all): "3/5 filled"."""
    done = sum(
        1 for p in template.parts for name in p.fields() if str(answers.get(p.id, {}).get(name, "")).strip()
    )
    return done, template.total()


def clean_answers(part: Part, sent: Mapping[str, str]) -> dict[str, str]:
    """The boxes of this part as the student typed them (nothing else kept); empty boxes left out.
    A box longer than MAX_ANSWER is refused whole, so nothing is half-saved."""
    kept: dict[str, str] = {}
    problems = []
    for name in part.fields():
        text = _plain(sent.get(name, "")).rstrip()
        if len(text) > MAX_ANSWER:
            problems.append(
                Problem(f"A box holds at most {MAX_ANSWER} characters; this one has {len(text)}.")
            )
        elif text.strip():
            kept[name] = text
    if problems:
        raise Invalid(problems)
    return kept


def parse_template(raw: Any) -> NotesTemplate:
    """A template from plain data ({"parts": [...]} or the list itself); every problem says which part."""
    if isinstance(raw, Mapping):
        raw = raw.get("parts", [])
    if not isinstance(raw, list):
        raise Invalid([Problem("Guided notes must be a list of parts.")])
    if len(raw) > MAX_PARTS:
        raise Invalid([Problem(f"Guided notes have at most {MAX_PARTS} parts; these have {len(raw)}.")])
    problems: list[Problem] = []
    taken = {str(p["id"]) for p in raw if isinstance(p, Mapping) and _is_id(p.get("id"))}
    counter = max((int(i) for i in taken), default=0)
    parts: list[Part] = []
    seen: set[str] = set()
    for n, item in enumerate(raw, start=1):
        where = f"Part {n}"
        if not isinstance(item, Mapping):
            problems.append(Problem(f"{where}: must be a prompt, a table or a diagram."))
            continue
        part_id = str(item["id"]) if _is_id(item.get("id")) else ""
        if not part_id or part_id in seen:
            counter += 1
            part_id = str(counter)
        seen.add(part_id)
        kind = str(item.get("kind", "")).strip()
        if kind not in KINDS:
            problems.append(Problem(f"{where}: kind must be prompt, table or diagram, not '{kind}'."))
            continue
        where = f"Part {n} ({kind})"
        question = _text(item.get("question", ""), MAX_QUESTION, f"{where}: the question", problems)
        if kind == "prompt":
            if not question.strip():
                problems.append(Problem(f"{where}: write the question the student answers."))
            parts.append(Part(part_id, kind, question))
        elif kind == "table":
            parts.append(_table(part_id, question, item, where, problems))
        else:
            parts.append(_diagram(part_id, question, item, where, problems))
    if problems:
        raise Invalid(problems)
    return NotesTemplate(tuple(parts))


def template_data(template: NotesTemplate) -> dict[str, Any]:
    """The plain data `parse_template` reads back to the same template (stored as JSON, written to YAML)."""
    out: list[dict[str, Any]] = []
    for p in template.parts:
        item: dict[str, Any] = {"id": p.id, "kind": p.kind}
        if p.question:
            item["question"] = p.question
        if p.kind == "table":
            item["columns"] = list(p.columns)
            item["rows"] = p.rows
            if p.given:
                item["given"] = dict(sorted(p.given.items(), key=lambda kv: _cell_order(kv[0]) or (0, 0)))
        elif p.kind == "diagram":
            if p.image:
                item["image"] = p.image
            item["labels"] = [{"x": label.x, "y": label.y} for label in p.labels]
        out.append(item)
    return {"parts": out}


def _table(part_id: str, question: str, item: Mapping[str, Any], where: str, problems: list[Problem]) -> Part:
    columns_raw = item.get("columns", [])
    if isinstance(columns_raw, str):
        columns_raw = [c for c in columns_raw.splitlines() if c.strip()]
    columns: list[str] = []
    if not isinstance(columns_raw, list) or not columns_raw:
        problems.append(Problem(f"{where}: give the column headings, one per line."))
    elif len(columns_raw) > MAX_COLUMNS:
        problems.append(Problem(f"{where}: at most {MAX_COLUMNS} columns; this has {len(columns_raw)}."))
    else:
        for c, heading in enumerate(columns_raw, start=1):
            text = _text(heading, MAX_HEADING, f"{where}: heading {c}", problems).strip()
            if not text:
                problems.append(Problem(f"{where}: heading {c} is empty."))
            columns.append(text)
    rows = _whole(item.get("rows", 0))
    if rows is None or not 1 <= rows <= MAX_ROWS:
        problems.append(Problem(f"{where}: rows must be a whole number from 1 to {MAX_ROWS}."))
        rows = 0
    given: dict[str, str] = {}
    given_raw = item.get("given", {}) or {}
    if not isinstance(given_raw, Mapping):
        problems.append(Problem(f"{where}: given cells must map a cell like r1c2 to its text."))
        given_raw = {}
    if not rows or not columns:
        given_raw = {}  # the table's size is wrong already: its cells cannot be checked against it
    for key, value in given_raw.items():
        order = _cell_order(str(key))
        if order is None or not (1 <= order[0] <= rows and 1 <= order[1] <= max(len(columns), 1)):
            problems.append(Problem(f"{where}: there is no cell '{key}' in this table."))
            continue
        text = _text(value, MAX_CELL, f"{where}: cell {key}", problems)
        if text.strip():
            given[cell_key(*order)] = text.strip()
    return Part(part_id, "table", question, tuple(columns), rows, given)


def _diagram(
    part_id: str, question: str, item: Mapping[str, Any], where: str, problems: list[Problem]
) -> Part:
    image = _text(item.get("image", ""), MAX_IMAGE_NAME, f"{where}: the image name", problems).strip()
    if ".." in image or image.startswith("/") or "\\" in image:
        problems.append(Problem(f"{where}: '{image}' is not a file of this course."))
        image = ""
    labels_raw = item.get("labels", [])
    if isinstance(labels_raw, str):
        labels_raw = [line.replace(",", " ").split() for line in labels_raw.splitlines() if line.strip()]
    labels: list[Label] = []
    if not isinstance(labels_raw, list) or not labels_raw:
        problems.append(Problem(f"{where}: place at least one numbered label (x% and y% on the image)."))
        labels_raw = []
    elif len(labels_raw) > MAX_LABELS:
        problems.append(Problem(f"{where}: at most {MAX_LABELS} labels; this has {len(labels_raw)}."))
        labels_raw = []
    for n, spot in enumerate(labels_raw, start=1):
        if isinstance(spot, Mapping):
            pair = [spot.get("x"), spot.get("y")]
        elif isinstance(spot, (list, tuple)):
            pair = list(spot)
        else:
            pair = []
        numbers = [_percent(v) for v in pair]
        if len(numbers) != 2 or any(v is None for v in numbers):
            problems.append(
                Problem(f"{where}: label {n} needs two numbers 0-100: x% from the left, y% from the top.")
            )
            continue
        labels.append(Label(float(numbers[0] or 0), float(numbers[1] or 0)))
    return Part(part_id, "diagram", question, image=image, labels=tuple(labels))


def _is_id(value: Any) -> bool:
    return isinstance(value, (int, str)) and not isinstance(value, bool) and str(value).isdigit()


def _plain(value: Any) -> str:
    """Text without NUL and the control characters a database or printer chokes on (tab, newline kept)."""
    return "".join(ch for ch in str(value) if ch in "\t\n" or (ch >= " " and ch != "\x7f"))


def _text(value: Any, limit: int, what: str, problems: list[Problem]) -> str:
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        problems.append(Problem(f"{what} must be text."))
        return ""
    text = _plain(value).replace("\r\n", "\n").strip()
    if len(text) > limit:
        problems.append(Problem(f"{what} is {len(text)} characters long; at most {limit}."))
        return text[:limit]
    return text


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _percent(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(str(value).strip().rstrip("%"))
    except ValueError:
        return None
    if number != number or not 0 <= number <= 100:  # NaN, or off the image
        return None
    return round(number, 1)


def _cell_order(key: str) -> tuple[int, int] | None:
    text = key.strip().lower()
    if not text.startswith("r") or "c" not in text:
        return None
    row, _, column = text[1:].partition("c")
    if not (row.isdigit() and column.isdigit()):
        return None
    return int(row), int(column)
