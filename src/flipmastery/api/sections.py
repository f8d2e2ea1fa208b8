"""Section operations for students; GET /sections/{id}/playlist is the student's objectives."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from flipmastery.api.auth import person
from flipmastery.api.schemas import (
    ActivityOut,
    CorrectiveOut,
    CourseOut,
    EnrichmentOut,
    ErrorOut,
    LearningObjectOut,
    NextStepOut,
    PlaylistObjectiveOut,
    PlaylistOut,
    SectionRef,
    UnitRef,
)
from flipmastery.classroom.selectors import access_section_as_student
from flipmastery.progress.selectors import LearningObjectItem, PlaylistObjective, student_playlist

router = Router(tags=["student"])


@router.get(
    "/{int:section_id}/playlist",
    response={200: PlaylistOut, 401: ErrorOut, 404: ErrorOut},
    operation_id="section_playlist",
)
def playlist(request: HttpRequest, section_id: int) -> PlaylistOut:
    """The caller's objectives in this section; only its students may see it (others get 404)."""
    student = person(request)
    section = access_section_as_student(student, section_id)
    found = student_playlist(section=section, student=student)
    return PlaylistOut(
        section=SectionRef(id=found.section_id, name=found.section_name),
        course=CourseOut(code=section.course.code, title=found.course_title),
        objectives=[_objective(o) for o in found.objectives],
        next=NextStepOut(objective=found.next.objective, kind=found.next.kind, message=found.next.message),
    )


def _objective(o: PlaylistObjective) -> PlaylistObjectiveOut:
    return PlaylistObjectiveOut(
        code=o.code,
        statement=o.statement,
        tier=o.tier,
        outcome_code=o.outcome_code,
        unit=UnitRef(code=o.unit_code, title=o.unit_title),
        state=o.state.value,
        prerequisites=list(o.prerequisites),
        missing_prerequisites=list(o.missing_prerequisites),
        threshold=o.threshold,
        estimated_minutes=o.estimated_minutes,
        learning_objects=[_learning_object(lo) for lo in o.learning_objects],
        activities=[ActivityOut(id=a.id, title=a.title, signed_off=a.signed_off) for a in o.activities],
        enrichment=[EnrichmentOut(id=e.id, title=e.title, url=e.url) for e in o.enrichments],
        correctives=[CorrectiveOut(id=c.id, kind=c.kind, title=c.title, done=c.done) for c in o.correctives],
        gate=list(o.gate),
        may_start_check=o.may_start_check,
        attempts=o.attempts,
        review_due=o.review_due,
    )


def _learning_object(lo: LearningObjectItem) -> LearningObjectOut:
    return LearningObjectOut(
        id=lo.id,
        kind=lo.kind,
        title=lo.title,
        url=lo.url or lo.file_url,
        minutes=lo.minutes,
        primary=lo.primary,
        role="primary" if lo.primary else "alternate",
        done=lo.done,
    )
