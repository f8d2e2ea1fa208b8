"""The teacher's reports: the gradebook (page, CSV, XLSX), a student's audit trail, and item analysis.

Only the section's teachers see them (404 otherwise); each is computed from rows fetched in a fixed
number of queries, whatever the size of the class or the course.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import SafeString

from flipmastery.classroom.models import Section
from flipmastery.classroom.selectors import access_section_as_teacher
from flipmastery.cockpit.board import Board, grade_over
from flipmastery.cockpit.exports import as_csv, as_xlsx, gradebook_sheet
from flipmastery.cockpit.items import bank_reports
from flipmastery.cockpit.selectors import (
    bank_questions,
    class_board,
    course_columns,
    enrolled_count,
    item_rows,
    student_history,
    student_in_section,
)
from flipmastery.domain.cockpit import Grade
from flipmastery.web.cockpit_cells import gradebook_cells, objective_headers
from flipmastery.web.views import _user, page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class BookRow:
    id: int
    name: str
    username: str
    cells: SafeString
    grade: Grade


@dataclass(frozen=True)
class PeriodChoice:
    name: str
    end: Any  # date or None (a unit's grading period that the plan does not date)


def period_choices(whole: Board) -> list[PeriodChoice]:
    """The plan's grading periods, then any a unit names that the plan does not."""
    found = [PeriodChoice(p.name, p.end) for p in whole.plan.periods]
    named = {p.name for p in found}
    for c in whole.columns:
        if c.grading_period and c.grading_period not in named:
            named.add(c.grading_period)
            found.append(PeriodChoice(c.grading_period, None))
    return found


def in_period(whole: Board, period: str) -> Board:
    """The board of one grading period's objectives (its units'); the whole course for no period."""
    if not period:
        return whole
    return whole.only({c.code for c in whole.columns if c.grading_period == period})


def _filename(section: Section, period: str, extension: str) -> str:
    words = re.sub(r"[^A-Za-z0-9]+", "-", f"gradebook {section.name} {period}").strip("-").lower()
    return f"{words or 'gradebook'}-{timezone.localdate().isoformat()}.{extension}"


@page
def gradebook(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access_section_as_teacher(_user(request), section_id)
    now = timezone.now()
    whole = class_board(section, now)
    choices = period_choices(whole)
    period = request.GET.get("period", "")
    if period not in {p.name for p in choices}:
        period = ""
    shown = in_period(whole, period)
    wanted = request.GET.get("format", "")
    if wanted in ("csv", "xlsx"):
        sheet = gradebook_sheet(shown)
        if wanted == "csv":
            response = HttpResponse(as_csv(sheet), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(as_xlsx(sheet, f"{section.name} gradebook"), content_type=XLSX)
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{_filename(section, period, wanted)}"'
        )
        return response
    codes = tuple(c.code for c in shown.columns)
    rows = [
        BookRow(
            r.id,
            r.name,
            r.username,
            gradebook_cells(r.replayed, codes),
            grade_over(r, shown.columns, shown.plan),
        )
        for r in shown.rows
    ]
    context = {
        "section": section,
        "board": shown,
        "columns": shown.columns,
        "headers": objective_headers(shown.columns),
        "rows": rows,
        "periods": choices,
        "period": period,
        "period_end": next((p.end for p in choices if p.name == period), None),
        "essentials": sum(1 for c in shown.columns if c.essential),
        "plan": whole.plan,
        "query": f"period={period}&" if period else "",
    }
    return render(request, "web/cockpit/gradebook.html", context)


@page
def history(request: HttpRequest, section_id: int, student_id: int) -> HttpResponse:
    """Every change to every decision about one student: the append-only progress events, newest first."""
    section = access_section_as_teacher(_user(request), section_id)
    student = student_in_section(section, student_id)
    objective = request.GET.get("objective", "")
    entries = student_history(section, student[0], objective)
    context = {
        "section": section,
        "student": student,
        "entries": entries,
        "objective": objective,
        "codes": [o.code for o in course_columns(section)],
    }
    return render(request, "web/cockpit/history.html", context)


@page
def items(request: HttpRequest, section_id: int) -> HttpResponse:
    """Per question of the course's banks: difficulty, discrimination, exposure, who saw it, flags."""
    section = access_section_as_teacher(_user(request), section_id)
    students = enrolled_count(section)
    reports = bank_reports(item_rows(section), bank_questions(section), students)
    flagged = sum(1 for r in reports for line in r.lines if line.flagged)
    context = {"section": section, "reports": reports, "students": students, "flagged": flagged}
    return render(request, "web/cockpit/items.html", context)
