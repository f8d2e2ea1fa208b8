"""Guided notes as the pages show them: each part with its boxes, given cells, labels and image, ready for a
template to lay out (to fill, to read, or blank on paper)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from django.urls import reverse

from flipmastery.courses.models import LearningObject
from flipmastery.domain.guided_notes import NotesTemplate, Part, cell_key
from flipmastery.web.ranges import content_type_for

IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml")


@dataclass(frozen=True)
class Cell:
    key: str
    given: str
    value: str
    heading: str


@dataclass(frozen=True)
class LabelBox:
    n: int
    x: float
    y: float
    value: str


@dataclass(frozen=True)
class PartView:
    id: str
    n: int
    kind: str
    question: str
    text: str = ""
    columns: tuple[str, ...] = ()
    rows: list[list[Cell]] = field(default_factory=list)
    labels: list[LabelBox] = field(default_factory=list)
    image_url: str = ""
    filled: int = 0
    total: int = 0
    stamp: str = ""  # when this part was last saved (a timestamp), for the autosave's kept copies

    @property
    def saved_at(self) -> datetime | None:
        return datetime.fromtimestamp(float(self.stamp), tz=UTC) if self.stamp else None


def lo_image_url(learning_object: LearningObject) -> str:
    """The learning object's own file, when it is an image a diagram can be drawn on."""
    name = learning_object.file.name or ""
    return learning_object.file.url if name and content_type_for(name) in IMAGE_TYPES else ""


def present(
    template: NotesTemplate,
    answers: dict[str, Any],
    learning_object: LearningObject,
    template_id: int,
    stamps: dict[str, float] | None = None,
) -> list[PartView]:
    shown = []
    for n, part in enumerate(template.parts, start=1):
        mine = answers.get(part.id) or {}
        done = sum(1 for name in part.fields() if str(mine.get(name, "")).strip())
        view = _part(part, n, mine, learning_object, template_id, done)
        stamp = (stamps or {}).get(part.id)
        shown.append(replace(view, stamp=repr(float(stamp))) if stamp else view)
    return shown


def _part(
    part: Part, n: int, mine: dict[str, str], learning_object: LearningObject, template_id: int, done: int
) -> PartView:
    total = len(part.fields())
    if part.kind == "prompt":
        return PartView(
            part.id, n, part.kind, part.question, text=mine.get("text", ""), filled=done, total=total
        )
    if part.kind == "table":
        rows = [
            [
                Cell(
                    key := cell_key(r, c),
                    part.given.get(key, ""),
                    "" if key in part.given else mine.get(key, ""),
                    heading,
                )
                for c, heading in enumerate(part.columns, start=1)
            ]
            for r in range(1, part.rows + 1)
        ]
        return PartView(
            part.id, n, part.kind, part.question, columns=part.columns, rows=rows, filled=done, total=total
        )
    image = (
        reverse("notes_image", args=[template_id, part.id]) if part.image else lo_image_url(learning_object)
    )
    labels = [
        LabelBox(i, label.x, label.y, mine.get(f"l{i}", "")) for i, label in enumerate(part.labels, start=1)
    ]
    return PartView(
        part.id, n, part.kind, part.question, labels=labels, image_url=image, filled=done, total=total
    )
