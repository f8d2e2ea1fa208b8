"""The teacher's guided-notes form: its fields read into the plain parts the domain checks, and the parts
laid out as fields again (after a refusal, with everything typed kept)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from flipmastery.domain.guided_notes import MAX_COLUMNS, MAX_PARTS, MAX_ROWS, cell_key


def blank_part(kind: str) -> dict[str, Any]:
    if kind == "table":
        return {"kind": "table", "question": "", "columns": ["", ""], "rows": 3}
    if kind == "diagram":
        return {"kind": "diagram", "question": "", "labels": [{"x": 25, "y": 25}, {"x": 75, "y": 75}]}
    return {"kind": "prompt", "question": ""}


def parts_from_post(
    data: QueryDict, files: MultiValueDict[str, UploadedFile]
) -> tuple[list[dict[str, Any]], dict[int, UploadedFile]]:
    """The parts as typed, in order, without those marked "remove"; uploads keyed by the kept part's
    position (from 1)."""
    parts: list[dict[str, Any]] = []
    images: dict[int, UploadedFile] = {}
    count = _number(data.get("count"), MAX_PARTS + 1)
    for i in range(1, count + 1):
        p = f"part-{i}-"
        kind = data.get(p + "kind", "")
        if not kind or data.get(p + "remove"):
            continue
        part: dict[str, Any] = {"kind": kind, "question": data.get(p + "question", "")}
        if data.get(p + "id", "").isdigit():
            part["id"] = data[p + "id"]
        if kind == "table":
            part["columns"] = data.get(p + "columns", "")
            part["rows"] = data.get(p + "rows", "")
            part["given"] = {
                key[len(p) :]: str(data.get(key, ""))
                for key in data
                if key.startswith(p + "r") and str(data.get(key, "")).strip() and key[len(p) :] != "rows"
            }
        elif kind == "diagram":
            part["labels"] = data.get(p + "labels", "")
            if data.get(p + "image"):
                part["image"] = data[p + "image"]
        parts.append(part)
        upload = files.get(p + "upload")
        if upload is not None and kind == "diagram":
            images[len(parts)] = upload
    return parts, images


def form_parts(parts: list[Any]) -> list[dict[str, Any]]:
    """Each part as the form's fields: columns and labels as lines, a grid of the table's given cells."""
    shown = []
    for n, raw in enumerate(parts, start=1):
        part = dict(raw) if isinstance(raw, Mapping) else {"kind": "prompt"}
        columns = part.get("columns", [])
        lines = columns.splitlines() if isinstance(columns, str) else [str(c) for c in columns]
        headings = [c for c in lines if c.strip()] or [""]
        rows = _number(part.get("rows"), MAX_ROWS) or 1
        found = part.get("given")
        given: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
        labels = part.get("labels", [])
        if isinstance(labels, str):
            labels_text = labels
        else:
            labels_text = "\n".join(
                f"{_short(spot.get('x'))} {_short(spot.get('y'))}" if isinstance(spot, Mapping) else str(spot)
                for spot in labels
            )
        shown.append(
            {
                "n": n,
                "id": part.get("id", ""),
                "kind": part.get("kind", "prompt"),
                "question": part.get("question", ""),
                "columns_text": "\n".join(lines),
                "rows": rows,
                "grid": [
                    [
                        (cell_key(r, c), given.get(cell_key(r, c), ""))
                        for c in range(1, min(len(headings), MAX_COLUMNS) + 1)
                    ]
                    for r in range(1, rows + 1)
                ],
                "headings": headings[:MAX_COLUMNS],
                "labels_text": labels_text,
                "image": part.get("image", ""),
            }
        )
    return shown


def _number(value: Any, most: int) -> int:
    text = str(value or "").strip()
    return min(int(text), most) if text.isdigit() else 0


def _short(value: Any) -> str:
    number = float(value or 0)
    return str(int(number)) if number == int(number) else str(number)
