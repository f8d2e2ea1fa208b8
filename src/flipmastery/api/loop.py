"""The mastery loop in the API: learning objects used, requests, teacher evidence, the queue and the grid."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from ninja import Router
from pydantic import BaseModel as Schema
from pydantic import Field

from flipmastery.accounts.models import User
from flipmastery.api.auth import person
from flipmastery.api.cockpit import (
    ObjectiveHeadOut,
    PaceOut,
    StudentOut,
    header,
    pace_of,
    student_of,
    unit_board,
)
from flipmastery.api.schemas import ErrorOut
from flipmastery.classroom.models import Section
from flipmastery.classroom.selectors import access_section_as_student, access_section_as_teacher
from flipmastery.cockpit.board import sorted_rows
from flipmastery.cockpit.selectors import grid_version, version_matches, waiting_since
from flipmastery.courses.selectors import learning_object_in_section, objective_in_section
from flipmastery.domain.errors import NotFound
from flipmastery.progress.selectors import section_queue
from flipmastery.progress.services import evidence_record, learning_object_mark_used, request_create

router = Router(tags=["mastery loop"])
ERRORS: dict[int, type] = {401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class DoneOut(Schema):
    learning_object: int
    done: bool = True
    first_time: bool


@router.post(
    "/{int:section_id}/learning-objects/{int:lo_id}/done",
    response={200: DoneOut, **ERRORS},
    operation_id="learning_object_done",
)
def done(request: HttpRequest, section_id: int, lo_id: int) -> DoneOut:
    """I used this learning object (it counts toward correctives). Saying it twice changes nothing. A video
    on this server counts once 80 % of it was played (409 before that, saying how much was)."""
    student = person(request)
    section = access_section_as_student(student, section_id)
    lo = learning_object_in_section(section, lo_id)
    first = learning_object_mark_used(
        section=section, student=student, learning_object=lo, now=timezone.now()
    )
    return DoneOut(learning_object=lo.pk, first_time=first)


class RequestIn(Schema):
    kind: Literal["help", "check"]
    objective: str | None = Field(default=None, description="Objective code; required for a check request.")
    note: str = Field(default="", max_length=500)


class RequestOut(Schema):
    queued: bool
    entry: int | None
    message: str


@router.post(
    "/{int:section_id}/requests", response={200: RequestOut, **ERRORS}, operation_id="request_create"
)
def ask(request: HttpRequest, section_id: int, body: RequestIn) -> RequestOut:
    """Join the teacher's queue: "help", or "check" (I'm ready for my check)."""
    student = person(request)
    section = access_section_as_student(student, section_id)
    objective = objective_in_section(section, body.objective) if body.objective else None
    made = request_create(
        section=section,
        student=student,
        kind=body.kind,
        objective=objective,
        note=body.note,
        now=timezone.now(),
    )
    return RequestOut(
        queued=made.entry is not None, entry=made.entry.pk if made.entry else None, message=made.message
    )


class EvidenceIn(Schema):
    student: int | str = Field(description="The student's id or username.")
    objective: str
    kind: Literal["verbal", "activity", "conference", "release", "approve", "override"]
    outcome: Literal["pass", "not_yet"] | None = None
    note: str = Field(default="", max_length=2000)
    tags: list[str] = Field(default_factory=list, max_length=10, description="Misconception tags.")
    activity: int | None = Field(default=None, description='The activity signed off, for kind "activity".')
    state: str | None = Field(default=None, description='For kind "override": the state to set.')
    reason: str = Field(default="", max_length=2000, description='Required for kind "override".')


class EvidenceOut(Schema):
    id: int
    student: int
    objective: str
    kind: str
    state: str = Field(description="The student's state on the objective after this evidence.")


@router.post(
    "/{int:section_id}/evidence", response={200: EvidenceOut, **ERRORS}, operation_id="evidence_record"
)
def record(request: HttpRequest, section_id: int, body: EvidenceIn) -> EvidenceOut:
    """Teacher evidence: verbal check, activity sign-off, conference, retake release, approval, override."""
    teacher = person(request)
    section = access_section_as_teacher(teacher, section_id)
    student = _student_in(section, body.student)
    objective = objective_in_section(section, body.objective)
    event = evidence_record(
        section=section,
        teacher=teacher,
        student=student,
        objective=objective,
        kind=body.kind,
        now=timezone.now(),
        outcome=None if body.outcome is None else body.outcome == "pass",
        note=body.note,
        tags=body.tags,
        activity=body.activity,
        state=body.state,
        reason=body.reason,
    )
    return EvidenceOut(
        id=event.pk, student=student.pk, objective=objective.code, kind=event.kind, state=event.state
    )


def _student_in(section: Section, who: int | str) -> User:
    found = section.students.filter(**({"pk": who} if isinstance(who, int) else {"username": who})).first()
    if found is None:
        raise NotFound("no such student in this section")
    return found


class QueueEntryOut(Schema):
    id: int
    kind: str = Field(description='The first reason: "help", "check", "conference" or "signoff".')
    reasons: list[str] = Field(
        description="Every reason this student waits about this objective, oldest first: one entry per "
        'student and objective. "signoff": a passed check waits for required activities to be signed off.'
    )
    student: StudentOut
    objective: str
    note: str
    created_at: Any
    waiting_seconds: int


@router.get(
    "/{int:section_id}/queue", response={200: list[QueueEntryOut], **ERRORS}, operation_id="section_queue"
)
def queue(request: HttpRequest, section_id: int) -> list[QueueEntryOut]:
    """Who waits for what, oldest first, with the wait so far."""
    section = access_section_as_teacher(person(request), section_id)
    return [
        QueueEntryOut(
            id=e.id,
            kind=e.kind,
            reasons=list(e.reasons),
            student=StudentOut(id=e.student_id, username=e.student_username, name=e.student_name),
            objective=e.objective,
            note=e.note,
            created_at=e.created_at,
            waiting_seconds=e.waiting_seconds,
        )
        for e in section_queue(section, timezone.now())
    ]


class ProgressCellOut(Schema):
    state: str
    attempts: int
    review_due: bool = False
    gate: list[str] = Field(default_factory=list, description="What a retake still needs, when NOT_YET.")
    check_passed: bool = Field(
        default=False, description="The check is passed and only required activities wait to be signed off."
    )


class ProgressRowOut(Schema):
    student: StudentOut
    last_activity: Any
    objectives: dict[str, ProgressCellOut]
    last_scores: dict[str, float | None] = Field(
        default_factory=dict,
        description="Objective code → score of the latest submitted check that scored it (0..1), or null.",
    )
    behind: int = Field(default=0, description="Objectives behind the section's pacing benchmark.")
    pace: PaceOut | None = None


class ProgressOut(Schema):
    objectives: list[str]
    header: list[ObjectiveHeadOut] = Field(
        default_factory=list, description="The objectives in order, with their tier and unit."
    )
    students: list[ProgressRowOut]


@router.get(
    "/{int:section_id}/progress",
    response={200: ProgressOut, 304: None, **ERRORS},
    operation_id="section_progress",
)
def progress(
    request: HttpRequest, section_id: int, response: HttpResponse, unit: str = "", sort: str = "name"
) -> ProgressOut | HttpResponse:
    """The class grid: one row per student with, per objective code, its state and attempt count; the
    latest scores and pace. Send the ETag back as If-None-Match: 304 while nothing changed. `unit`
    keeps one unit's objectives; `sort` orders the rows: "name" (default), "behind" (most behind
    first), "waiting" (in the queue first, longest wait first) or "state:<code>" (that objective's
    state, "not yet" first); anything else is "name"."""
    section = access_section_as_teacher(person(request), section_id)
    now = timezone.now()
    tag, _changed, _seen = grid_version(section, now, unit, "api", sort)
    if version_matches(request.headers.get("If-None-Match", ""), tag):
        unchanged = HttpResponseNotModified()
        unchanged.headers["ETag"] = tag
        return unchanged
    response.headers["ETag"] = tag
    shown = unit_board(section, now, unit)
    codes = [c.code for c in shown.columns]
    waiting = waiting_since(section) if sort == "waiting" else {}
    rows = sorted_rows(shown.rows, sort, waiting)
    return ProgressOut(
        objectives=codes,
        header=header(shown.columns),
        students=[
            ProgressRowOut(
                student=student_of(r),
                last_activity=r.last_activity,
                objectives={
                    code: ProgressCellOut(
                        state=s.state.value,
                        attempts=s.attempts,
                        review_due=s.review_due,
                        gate=list(s.gate),
                        check_passed=s.check_passed and s.state.value != "MASTERED",
                    )
                    for code, s in ((code, r.cells[code]) for code in codes)
                },
                last_scores={code: r.cells[code].last_score for code in codes},
                behind=r.behind,
                pace=pace_of(r),
            )
            for r in rows
        ],
    )
