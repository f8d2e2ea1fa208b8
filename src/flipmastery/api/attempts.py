"""Checks through the API: start or resume, autosave one response, submit, read, and the teacher's key."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from pydantic import BaseModel as Schema
from pydantic import Field

from flipmastery.api.auth import person
from flipmastery.api.schemas import ErrorOut
from flipmastery.assessments.selectors import access_attempt, attempt_key, attempt_view, next_step
from flipmastery.assessments.services import (
    Started,
    attempt_start,
    attempt_submit,
    item_grade,
    pretest_start,
    response_save,
    unit_test_start,
)
from flipmastery.assessments.sittings import refuse_on_paper
from flipmastery.classroom.selectors import access_section_as_student
from flipmastery.courses.selectors import objective_in_section, unit_in_section

section_router = Router(tags=["checks"])
router = Router(tags=["checks"])

RESPONSE_SHAPES = (
    'Depends on the item\'s `type`: single_choice → a choice id ("b"); multiple_response → a list of '
    'choice ids (["a", "c"]); true_false → true or false; short_text → text; numeric and calculated → '
    'text with the number and, when `needs_unit`, its unit ("101.3 kPa"); matching → an object from '
    'prompt id to option id ({"1": "c"}); ordering → every item id of `items`, in the order given '
    '(["c", "a", "b"]); gaps → an object from gap id to the id of a choice that gap offers ({"1": "c"}; '
    "a choice may fill one gap only unless it is infinite); cloze → an object from part id to that part's "
    'answer in the shape of its `type` ({"1": "Boyle", "2": "22.4", "3": "b", "4": ["a", "c"]}); '
    "free_response → text. null clears the answer."
)


class ResponseIn(Schema):
    response: Any = Field(description=RESPONSE_SHAPES)


class SavedOut(Schema):
    item: int
    saved_at: Any
    response: Any


class ObjectiveResultOut(Schema):
    code: str
    score: float = Field(description="Share of this objective's points earned, 0 to 1.")
    threshold: float
    passed: bool | None = Field(
        description="The check's verdict: score ≥ threshold; null while a teacher still has to grade a "
        "free response."
    )
    mastered: bool = Field(
        description="The student's standing on the objective now is MASTERED. A passed check is not "
        "mastery while required activities wait to be signed off."
    )
    state: str = Field(description="The student's state on the objective now (DESIGN §2).")
    pending: bool = False
    activities_missing: list[str] = Field(
        default_factory=list, description="After a pass: the required activities still to be signed off."
    )


class LeftOutOut(Schema):
    code: str
    reason: str = Field(
        description='Why it is not in this test: "locked", "mastered", "checking", "passed" (waiting for '
        'sign-offs), "retake_gate", "approval" or "opened_later".'
    )
    message: str


class AttemptOut(Schema):
    id: int
    state: str = Field(description='"open" or "submitted".')
    kind: str
    section: int
    objective: str | None
    thresholds: dict[str, float]
    started_at: Any
    submitted_at: Any = None
    items: list[dict[str, Any]] = Field(
        description="id, type, prompt_html, objective, choices/prompts/options (ordering: items; gaps: "
        "gap_choices and gaps, each gap's id and the choice ids it offers, its place in prompt_html a "
        '<span class="gap-blank" data-gap="id">; cloze: parts, each part\'s id, type, layout, needs_unit and '
        "choices, its place in prompt_html a gap-blank span of its id), response; once submitted also score, "
        "status and feedback_html. Never an answer."
    )
    objectives: list[ObjectiveResultOut] = Field(description="Per-objective scores once submitted.")
    next: dict[str, Any] | None = None
    left_out: list[LeftOutOut] = Field(
        default_factory=list,
        description="A unit test or pre-test: the unit's objectives it does not check now, and why.",
    )


class KeyItemOut(Schema):
    id: int
    objective: str
    question: int
    version: int
    type: str
    correct_response: Any = Field(description="PUT this as the response to score full marks.")
    answer: str = Field(description="The answer as a teacher would write it.")


class KeyOut(Schema):
    attempt: int
    items: list[KeyItemOut]


ERRORS: dict[int, type] = {401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@section_router.post(
    "/{int:section_id}/objectives/{code}/attempts",
    response={200: AttemptOut, 201: AttemptOut, **ERRORS},
    operation_id="attempt_start",
)
def start(request: HttpRequest, section_id: int, code: str) -> tuple[int, dict[str, Any]]:
    """Start this objective's check, or resume the open attempt (200). The items carry no answers. A check
    printed on paper is worked there: 409."""
    student = person(request)
    section = access_section_as_student(student, section_id)
    objective = objective_in_section(section, code)
    started = attempt_start(section=section, student=student, objective=objective, now=timezone.now())
    return (200 if started.resumed else 201), attempt_view(started.attempt)


@section_router.post(
    "/{int:section_id}/units/{code}/attempts",
    response={200: AttemptOut, 201: AttemptOut, **ERRORS},
    operation_id="unit_test_start",
)
def start_unit_test(request: HttpRequest, section_id: int, code: str) -> tuple[int, dict[str, Any]]:
    """Start (or resume) the unit test: items from each objective of the unit not yet mastered."""
    student = person(request)
    section = access_section_as_student(student, section_id)
    unit = unit_in_section(section, code)
    started = unit_test_start(section=section, student=student, unit=unit, now=timezone.now())
    return (200 if started.resumed else 201), _with_left_out(started)


@section_router.post(
    "/{int:section_id}/units/{code}/pretest",
    response={200: AttemptOut, 201: AttemptOut, **ERRORS},
    operation_id="pretest_start",
)
def start_pretest(request: HttpRequest, section_id: int, code: str) -> tuple[int, dict[str, Any]]:
    """Start (or resume) the unit's diagnostic pre-test over its prerequisites from earlier units."""
    student = person(request)
    section = access_section_as_student(student, section_id)
    unit = unit_in_section(section, code)
    started = pretest_start(section=section, student=student, unit=unit, now=timezone.now())
    return (200 if started.resumed else 201), _with_left_out(started)


def _with_left_out(started: Started) -> dict[str, Any]:
    view = attempt_view(started.attempt)
    view["left_out"] = [{"code": o.code, "reason": o.reason, "message": o.message} for o in started.left_out]
    return view


@router.put(
    "/{int:attempt_id}/responses/{int:item}", response={200: SavedOut, **ERRORS}, operation_id="response_save"
)
def save(request: HttpRequest, attempt_id: int, item: int, body: ResponseIn) -> SavedOut:
    """Autosave one response of an open attempt (409 once it is submitted, or while it is a printed copy)."""
    saved = response_save(
        attempt_id=attempt_id,
        student=person(request),
        position=item,
        response=body.response,
        now=timezone.now(),
        on_screen=True,
    )
    return SavedOut(item=saved.position, saved_at=saved.saved_at, response=saved.response)


@router.post("/{int:attempt_id}/submit", response={200: AttemptOut, **ERRORS}, operation_id="attempt_submit")
def submit(request: HttpRequest, attempt_id: int) -> dict[str, Any]:
    """Grade and decide. Submitting again returns the same result. A printed copy is entered by its
    teacher, never submitted here (409)."""
    attempt = attempt_submit(
        attempt_id=attempt_id, student=person(request), now=timezone.now(), on_screen=True
    )
    return _with_next(attempt_view(attempt))


@router.get("/{int:attempt_id}", response={200: AttemptOut, **ERRORS}, operation_id="attempt_read")
def read(request: HttpRequest, attempt_id: int) -> dict[str, Any]:
    """The attempt for its student or a teacher of its section; the review once it is submitted."""
    user = person(request)
    attempt = access_attempt(user, attempt_id)
    refuse_on_paper(attempt, user)  # its student works a printed copy on paper (409)
    view = attempt_view(attempt, for_teacher=attempt.student_id != user.pk)
    return _with_next(view) if view["state"] == "submitted" else view


@router.get("/{int:attempt_id}/key", response={200: KeyOut, **ERRORS}, operation_id="attempt_key")
def key(request: HttpRequest, attempt_id: int) -> dict[str, Any]:
    """The answer key of this attempt's version; for teachers of its section only."""
    return attempt_key(access_attempt(person(request), attempt_id, teacher_only=True))


class GradeIn(Schema):
    score: float = Field(ge=0, le=1, description="Share of the item's points earned, 0 to 1.")
    feedback: str = Field(default="", max_length=5000)


@router.post(
    "/{int:attempt_id}/items/{int:item}/grade",
    response={200: AttemptOut, **ERRORS},
    operation_id="item_grade",
)
def grade_item(request: HttpRequest, attempt_id: int, item: int, body: GradeIn) -> dict[str, Any]:
    """A teacher grades a written (free response) answer; the decision follows once none is pending."""
    teacher = person(request)
    attempt = access_attempt(teacher, attempt_id, teacher_only=True)
    graded = item_grade(
        attempt=attempt,
        position=item,
        score=body.score,
        feedback=body.feedback,
        teacher=teacher,
        now=timezone.now(),
    )
    return _with_next(attempt_view(graded, for_teacher=True))


def _with_next(view: dict[str, Any]) -> dict[str, Any]:
    view["next"] = next_step(view)
    return view
