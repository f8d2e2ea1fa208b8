"""Sections in the API: a student's playlist and joining by code; a teacher opening, changing, sharing and
archiving their sections, accepting the students who wait to join, and resetting a student's password."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from pydantic import BaseModel as Schema
from pydantic import ConfigDict, Field

from flipmastery.api.auth import person
from flipmastery.api.cockpit import StudentOut
from flipmastery.api.errors import ApiError
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
from flipmastery.classroom.join_throttle import TOO_MANY_WRONG_CODES, address_of, join_blocked, wrong_code
from flipmastery.classroom.models import JoinRequest, Section
from flipmastery.classroom.selectors import (
    access_course_for_new_section,
    access_join_request,
    access_section_as_student,
    access_section_as_teacher,
    access_student_of_section,
    section_policy,
    teachers_of,
    waiting_join_requests,
)
from flipmastery.classroom.services import (
    SectionChanges,
    join_request_decide,
    section_create,
    section_join,
    section_teacher_add,
    section_teacher_remove,
    section_update,
    student_password_reset,
)
from flipmastery.domain.errors import NotFound
from flipmastery.domain.gating import CheckMode, Policy
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


# --- teachers manage their sections ---------------------------------------------------------------------

manage = Router(tags=["sections"])
joining = Router(tags=["student"])
ERRORS: dict[int, type] = {401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class TeacherOut(Schema):
    username: str
    name: str


class PolicyOut(Schema):
    threshold: float = Field(description="Score needed on an objective's items, a fraction: 0.8 is 80 %.")
    check_mode: Literal["self_serve", "approval"]
    retake_needs_corrective: bool
    retake_needs_conference: bool
    retake_cooldown_minutes: int
    retake_needs_release: bool
    review_items: int
    essentials_first: bool


class SectionOut(Schema):
    id: int
    name: str
    course: CourseOut
    join_code: str
    join_mode: Literal["closed", "approve", "open"]
    archived: bool
    archived_at: datetime | None
    teachers: list[TeacherOut]
    policy: dict[str, Any] = Field(
        description="What this section sets itself (threshold as a fraction); any other setting follows the "
        "course."
    )
    policy_in_force: PolicyOut
    course_default: PolicyOut


POLICY_HELP = (
    "Leave a setting out to keep it; send null to follow the course's default again. Checked by the same "
    "rules as `policy:` in a course package."
)


class PolicyIn(Schema):
    """Section policy settings, each optional; unknown settings are refused by name."""

    model_config = ConfigDict(extra="allow")

    threshold: Any = Field(default=None, description="A fraction between 0 and 1, e.g. 0.8.")
    check_mode: Any = Field(default=None, description='"self_serve" or "approval".')
    retake_needs_corrective: Any = Field(default=None, description="true or false.")
    retake_needs_conference: Any = Field(default=None, description="true or false.")
    retake_cooldown_minutes: Any = Field(default=None, description="Whole minutes, 0 or more.")
    retake_needs_release: Any = Field(default=None, description="true or false.")
    review_items: Any = Field(default=None, description="Spaced-review items per check, 0 or more.")
    essentials_first: Any = Field(default=None, description="true or false.")

    def changes(self) -> dict[str, object]:
        sent = self.model_dump(exclude_unset=True)
        return {**sent, **(self.model_extra or {})}


class SectionIn(Schema):
    course: int | str = Field(
        description="The course's id or code: one assigned to you (any, for a school admin)."
    )
    name: str = Field(max_length=200)
    join_mode: Literal["closed", "approve", "open"] = "approve"


class SectionPatch(Schema):
    name: str | None = Field(default=None, max_length=200)
    join_mode: Literal["closed", "approve", "open"] | None = None
    policy: PolicyIn | None = Field(default=None, description=POLICY_HELP)
    archived: bool | None = Field(
        default=None,
        description="true archives the section at the end of its year (read-only); false unarchives.",
    )


def _policy_out(policy: Policy) -> PolicyOut:
    return PolicyOut(**{**asdict(policy), "check_mode": policy.check_mode.value})


def section_out(section: Section) -> SectionOut:
    found = section_policy(section)
    return SectionOut(
        id=section.pk,
        name=section.name,
        course=CourseOut(code=section.course.code, title=section.course.title),
        join_code=section.join_code,
        join_mode=section.join_mode,  # type: ignore[arg-type]
        archived=section.archived_at is not None,
        archived_at=section.archived_at,
        teachers=[TeacherOut(username=t.username, name=t.shown_name()) for t in teachers_of(section)],
        policy={k: (v.value if isinstance(v, CheckMode) else v) for k, v in found.own.items()},
        policy_in_force=_policy_out(found.in_force),
        course_default=_policy_out(found.course_default),
    )


@manage.post("", response={201: SectionOut, **ERRORS}, operation_id="section_create")
def create(request: HttpRequest, body: SectionIn) -> tuple[int, SectionOut]:
    """Open a section of a course; you become its teacher. Its join code is made for you."""
    teacher = person(request)
    course = access_course_for_new_section(teacher, body.course)
    made = section_create(teacher=teacher, course=course, name=body.name, join_mode=body.join_mode)
    return 201, section_out(made)


@manage.patch(
    "/{int:section_id}",
    response={200: SectionOut, **ERRORS},
    operation_id="section_update",
    url_name="section_update",
)
def update(request: HttpRequest, section_id: int, body: SectionPatch) -> SectionOut:
    """Rename, set the join mode or the policies, archive or unarchive; all or nothing. An archived section
    takes only `"archived": false` (409 otherwise)."""
    section = access_section_as_teacher(person(request), section_id)
    changes = SectionChanges(
        name=body.name,
        join_mode=body.join_mode,
        policy=body.policy.changes() if body.policy is not None else None,
        archived=body.archived,
    )
    return section_out(section_update(section=section, changes=changes, now=timezone.now()))


class TeachersOut(Schema):
    teachers: list[TeacherOut]
    changed: bool = Field(description="false when the teacher was a teacher of the section already.")


def _teachers(section: Section, changed: bool) -> TeachersOut:
    shown = [TeacherOut(username=t.username, name=t.shown_name()) for t in teachers_of(section)]
    return TeachersOut(teachers=shown, changed=changed)


@manage.post(
    "/{int:section_id}/teachers/{username}",
    response={200: TeachersOut, **ERRORS},
    operation_id="section_teacher_add",
)
def teacher_add(request: HttpRequest, section_id: int, username: str) -> TeachersOut:
    """Add a co-teacher by username: they get everything you have in this section."""
    section = access_section_as_teacher(person(request), section_id)
    _added, changed = section_teacher_add(section=section, username=username)
    return _teachers(section, changed)


@manage.delete(
    "/{int:section_id}/teachers/{username}",
    response={200: TeachersOut, **ERRORS},
    operation_id="section_teacher_remove",
)
def teacher_remove(request: HttpRequest, section_id: int, username: str) -> TeachersOut:
    """Take a teacher off the section (yourself too); the last teacher stays (409)."""
    section = access_section_as_teacher(person(request), section_id)
    section_teacher_remove(section=section, username=username)
    return _teachers(section, True)


class JoinRequestOut(Schema):
    id: int
    student: StudentOut
    created_at: datetime
    state: Literal["waiting", "accepted", "declined"]


def _join_request_out(found: JoinRequest) -> JoinRequestOut:
    state = "waiting" if found.decided_at is None else ("accepted" if found.accepted else "declined")
    return JoinRequestOut(
        id=found.pk,
        student=StudentOut(
            id=found.student_id, username=found.student.username, name=found.student.shown_name()
        ),
        created_at=found.created_at,
        state=state,  # type: ignore[arg-type]
    )


@manage.get(
    "/{int:section_id}/join-requests",
    response={200: list[JoinRequestOut], **ERRORS},
    operation_id="section_join_requests",
)
def join_requests(request: HttpRequest, section_id: int) -> list[JoinRequestOut]:
    """Students who entered the join code and wait for you to accept or decline them, oldest first."""
    section = access_section_as_teacher(person(request), section_id)
    return [_join_request_out(r) for r in waiting_join_requests(section)]


def _decide(request: HttpRequest, section_id: int, request_id: int, accept: bool) -> JoinRequestOut:
    teacher = person(request)
    section = access_section_as_teacher(teacher, section_id)
    found = access_join_request(section, request_id)
    return _join_request_out(
        join_request_decide(join_request=found, teacher=teacher, accept=accept, now=timezone.now())
    )


@manage.post(
    "/{int:section_id}/join-requests/{int:request_id}/accept",
    response={200: JoinRequestOut, **ERRORS},
    operation_id="join_request_accept",
)
def accept(request: HttpRequest, section_id: int, request_id: int) -> JoinRequestOut:
    """Enrol the waiting student. Accepting twice changes nothing; accepting after declining is a 409."""
    return _decide(request, section_id, request_id, accept=True)


@manage.post(
    "/{int:section_id}/join-requests/{int:request_id}/decline",
    response={200: JoinRequestOut, **ERRORS},
    operation_id="join_request_decline",
)
def decline(request: HttpRequest, section_id: int, request_id: int) -> JoinRequestOut:
    """Turn the waiting student away; they may enter the code again later."""
    return _decide(request, section_id, request_id, accept=False)


class PasswordIn(Schema):
    password: str = Field(
        default="", max_length=128, description="The new password; leave it out to have one made for you."
    )


class PasswordOut(Schema):
    username: str
    name: str
    password: str = Field(description="Shown only this once; only its hash is stored.")


@manage.post(
    "/{int:section_id}/students/{student}/password",
    response={200: PasswordOut, **ERRORS},
    operation_id="student_password_reset",
)
def password_reset(
    request: HttpRequest, section_id: int, student: str, body: PasswordIn | None = None
) -> PasswordOut:
    """Give a student of the section a new password (the student's id or username)."""
    section = access_section_as_teacher(person(request), section_id)
    who = access_student_of_section(section, int(student) if student.isdigit() else student)
    card = student_password_reset(section=section, student=who, password=body.password if body else "")
    return PasswordOut(username=card.username, name=card.name, password=card.password)


class JoinIn(Schema):
    code: str = Field(
        min_length=1, max_length=40, description="The section's join code; case and spaces do not matter."
    )


class JoinOut(Schema):
    section: SectionRef
    state: Literal["enrolled", "waiting"] = Field(
        description='"waiting": a teacher of the section accepts you first.'
    )
    already: bool = Field(description="You were in the section, or waiting, before.")
    message: str


@joining.post(
    "/join",
    response={200: JoinOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut},
    operation_id="section_join",
)
def join(request: HttpRequest, body: JoinIn) -> JoinOut:
    """Join a section with its code (students). 404: no section has it; 409: the section is archived or
    takes no new students; 429: too many wrong codes from this network in 10 minutes."""
    student = person(request)
    address = address_of(request)
    if join_blocked(address):
        raise ApiError(429, "throttled", str(TOO_MANY_WRONG_CODES))
    try:
        joined = section_join(student=student, code=body.code, now=timezone.now())
    except NotFound:
        wrong_code(address)
        raise
    return JoinOut(
        section=SectionRef(id=joined.section.pk, name=joined.section.name),
        state=joined.state,  # type: ignore[arg-type]
        already=joined.already,
        message=joined.message,
    )
