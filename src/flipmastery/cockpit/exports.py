"""The gradebook as a spreadsheet: one row per student, one column per objective, then percent and grade.

Cells a teacher typed (names) are written so that a spreadsheet never runs them as formulas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from flipmastery.cockpit.board import Board, Column, grade_over

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Sheet:
    header: list[str]
    rows: list[list[str | float | int]]
    columns: list[Column]


def gradebook_sheet(board: Board) -> Sheet:
    """The gradebook of a board's objectives (a grading period's, or the whole course's)."""
    codes = [c.code for c in board.columns]
    header = ["Student", "Username", *codes, "Percent", "Grade"]
    rows: list[list[str | float | int]] = []
    for row in board.rows:
        graded = grade_over(row, board.columns, board.plan)
        rows.append(
            [
                row.name,
                row.username,
                *(row.cells[code].state.value for code in codes),
                graded.percent,
                graded.letter,
            ]
        )
    return Sheet(header, rows, list(board.columns))


def _safe(value: str | float | int) -> str | float | int:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def as_csv(sheet: Sheet) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(sheet.header)
    writer.writerows([_safe(v) for v in row] for row in sheet.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8 (Hindi names)


def as_xlsx(sheet: Sheet, title: str) -> bytes:
    book = Workbook()
    grades = book.active
    assert grades is not None
    grades.title = "Gradebook"
    grades.append(sheet.header)
    for row in sheet.rows:
        grades.append([_safe(v) for v in row])
    for cell in next(grades.iter_rows(min_row=1, max_row=1)):
        cell.font = Font(bold=True)
    grades.freeze_panes = "C2"
    names = [str(row[0]) for row in sheet.rows]
    _widths(grades, [max(map(len, ["Student", *names])) + 2, 14])
    objectives = book.create_sheet("Objectives")
    objectives.append(["Code", "Statement", "Tier", "Unit", "Grading period"])
    for c in sheet.columns:
        objectives.append([c.code, _safe(c.statement), c.tier, c.unit_code, c.grading_period])
    for cell in next(objectives.iter_rows(min_row=1, max_row=1)):
        cell.font = Font(bold=True)
    _widths(objectives, [12, 70, 14, 10, 16])
    book.properties.title = title[:200]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _widths(sheet: object, widths: Sequence[int]) -> None:
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(width, 80)  # type: ignore[attr-defined]
