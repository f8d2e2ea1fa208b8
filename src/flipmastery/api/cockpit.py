"""The teacher's cockpit in the API: the gradebook, pacing and the school report (teachers only; 404 for
anyone else). The class grid stays `GET /sections/{id}/progress` (api/loop.py), built from the same board.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from pydantic import BaseModel as Schema
from pydantic import Field

from flipmastery.api.auth import person
from flipmastery.api.schemas import ErrorOut
from flipmastery.classroom.models import Section
from flipmastery.classroom.selectors import access_section_as_teacher, sections_for
from flipmastery.cockpit.board import Board, Column, grade_over
from flipmastery.cockpit.selectors import class_board
from flipmastery.cockpit.summaries import school_report as school_summaries
from flipmastery.domain.errors import NotFound
from flipmastery.domain.mastery import State

router = Router(tags=["teacher cockpit"])
ERRORS: dict[int, type] = {401: ErrorOut, 404: ErrorOut}


class ObjectiveHeadOut(Schema):
    code: str
    statement: str
    tier: str = Field(description='"essential" or "nice_to_know".')
    unit: str = Field(description="The unit's code.")
    grading_period: str = ""


class PaceOut(Schema):
    mastered: int
    expected: int = Field(description="Objectives the benchmarks expect mastered by today.")
    behind: int = Field(description="Objectives behind the benchmark (0: on pace or ahead).")
    per_week: float = Field(description="The student's own pace so far.")
    projected_finish: date | None = Field(description="When the student would finish at their own pace.")


def header(columns: list[Column]) -> list[ObjectiveHeadOut]:
    return [
        ObjectiveHeadOut(
            code=c.code, statement=c.statement, tier=c.tier, unit=c.unit_code, grading_period=c.grading_period
        )
        for c in columns
    ]


class StudentOut(Schema):
    """A student wherever the API names one."""

    id: int
    username: str = Field(description="The login: stable, for machines and for telling namesakes apart.")
    name: str = Field(
        description="How the class knows them, as every page shows it: the display name, else the first "
        "and last name, else the username."
    )


def student_of(row: Any) -> StudentOut:
    return StudentOut(id=row.id, username=row.username, name=row.name)


def pace_of(row: Any) -> PaceOut:
    p = row.pace
    return PaceOut(
        mastered=p.mastered,
        expected=p.expected,
        behind=p.behind,
        per_week=p.per_week,
        projected_finish=row.projected_finish,
    )


def unit_board(section: Section, now: datetime, unit: str) -> Board:
    whole = class_board(section, now)
    codes = {c.code for c in whole.columns if c.unit_code == unit}
    return whole.only(codes) if unit and codes else whole


# ---- gradebook ---------------------------------------------------------------------------------------


class GradeOut(Schema):
    letter: str
    percent: float
    essentials: dict[str, int] = Field(description='{"mastered", "total"}')
    nice_to_know: dict[str, int] = Field(description='{"mastered", "total"}')


class StandardOut(Schema):
    state: str
    mastered: bool
    attempts: int
    evidence: str = Field(description='What made it mastered: "check_result", "override", "activity", …')
    mastered_at: datetime | None = None


class GradebookRowOut(Schema):
    student: StudentOut
    objectives: dict[str, StandardOut]
    grade: GradeOut


class GradebookOut(Schema):
    objectives: list[ObjectiveHeadOut]
    period: str = Field(description="The grading period shown; empty for the whole course.")
    scale: str
    students: list[GradebookRowOut]


@router.get(
    "/sections/{int:section_id}/gradebook",
    response={200: GradebookOut, **ERRORS},
    operation_id="section_gradebook",
)
def gradebook(request: HttpRequest, section_id: int, period: str = "") -> GradebookOut:
    """Standards-based gradebook: per student per objective mastered or not (attempts, evidence), and
    the school's letter and percent from the section's grade scale. `period` keeps one grading
    period's objectives (its units')."""
    section = access_section_as_teacher(person(request), section_id)
    whole = class_board(section, timezone.now())
    shown = whole.only({c.code for c in whole.columns if c.grading_period == period}) if period else whole
    rows = []
    for r in shown.rows:
        g = grade_over(r, shown.columns, shown.plan)
        cells = {c.code: r.cells[c.code] for c in shown.columns}
        rows.append(
            GradebookRowOut(
                student=student_of(r),
                objectives={
                    code: StandardOut(
                        state=cell.state.value,
                        mastered=cell.state is State.MASTERED,
                        attempts=cell.attempts,
                        evidence=cell.evidence if cell.state is State.MASTERED else "",
                        mastered_at=cell.mastered_at,
                    )
                    for code, cell in cells.items()
                },
                grade=GradeOut(
                    letter=g.letter,
                    percent=g.percent,
                    essentials={"mastered": g.essentials[0], "total": g.essentials[1]},
                    nice_to_know={"mastered": g.nice[0], "total": g.nice[1]},
                ),
            )
        )
    return GradebookOut(
        objectives=header(shown.columns), period=period, scale=shown.plan.scale_text, students=rows
    )


# ---- pacing --------------------------------------------------------------------------------------------


class PacingRowOut(Schema):
    student: StudentOut
    pace: PaceOut


class PacingOut(Schema):
    start: date
    per_week: float
    expected_today: int
    total: int
    students: list[PacingRowOut]


@router.get(
    "/sections/{int:section_id}/pacing", response={200: PacingOut, **ERRORS}, operation_id="section_pacing"
)
def pacing(request: HttpRequest, section_id: int) -> PacingOut:
    """Each student's pace against the section's benchmarks, most behind first, with projected finish."""
    section = access_section_as_teacher(person(request), section_id)
    whole = class_board(section, timezone.now())
    rows = sorted(whole.rows, key=lambda r: (-r.behind, r.username))
    return PacingOut(
        start=whole.plan.start,
        per_week=whole.plan.per_week,
        expected_today=whole.expected,
        total=len(whole.columns),
        students=[PacingRowOut(student=student_of(r), pace=pace_of(r)) for r in rows],
    )


# ---- the school report ----------------------------------------------------------------------------------


class ReportRowOut(Schema):
    student: StudentOut
    grade: str
    percent: float
    essentials: int = Field(description="Essential objectives mastered.")
    nice_to_know: int = Field(description="Nice-to-know objectives mastered.")
    behind: int = Field(description="Objectives behind the section's pacing benchmark.")


class ReportSectionOut(Schema):
    id: int
    name: str
    course: str
    objectives: int
    essentials: int
    students: list[ReportRowOut]


class ReportOut(Schema):
    sections: list[ReportSectionOut]


@router.get("/school/report", response={200: ReportOut, **ERRORS}, operation_id="school_report")
def school_report(request: HttpRequest) -> ReportOut:
    """Every section I teach (all of them for a school admin): each student's grade, percent, objectives
    mastered and pace. Read in four queries, from each section's summary (cockpit/summaries.py)."""
    user = person(request)
    if not (user.is_teacher or user.is_school_admin):
        raise NotFound("not found")
    sections = list(sections_for(user))
    # Built without validating again what the board computed (2,000 rows): model_construct.
    row, student = ReportRowOut.model_construct, StudentOut.model_construct
    return ReportOut(
        sections=[
            ReportSectionOut.model_construct(
                id=found.section.pk,
                name=found.section.name,
                course=found.section.course.code,
                objectives=found.objectives,
                essentials=found.essentials,
                students=[
                    row(
                        student=student(id=r.id, username=r.username, name=r.name),
                        grade=r.grade,
                        percent=r.percent,
                        essentials=r.essentials,
                        nice_to_know=r.nice_to_know,
                        behind=r.behind,
                    )
                    for r in found.rows
                ],
            )
            for found in school_summaries(sections, timezone.now())
        ]
    )
