"""Guardian links in the API: the child or a teacher of the child's section makes, lists and revokes links,
and the holder of a link reads the child's progress with no sign-in. A link's secret and code are answered
once, when it is made; the list never holds them. A guardian's short code opens only the page at /g/, where
wrong codes are limited per address; the API takes the link's secret alone, which cannot be guessed."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from ninja import Router
from pydantic import BaseModel as Schema
from pydantic import Field

from flipmastery.accounts.models import GuardianLink
from flipmastery.api.auth import person
from flipmastery.api.schemas import ErrorOut
from flipmastery.guardians.selectors import (
    CheckResult,
    StepKind,
    access_link_to_revoke,
    access_student_for_links,
    guardian_progress,
    links_of,
    step_words,
)
from flipmastery.guardians.services import (
    LANGUAGES,
    guardian_link_create,
    guardian_link_open,
    guardian_link_revoke,
)

router = Router(tags=["guardians"])
ERRORS: dict[int, type] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class LinkIn(Schema):
    label: str = Field(default="", max_length=100, description='Who holds it, e.g. "Mother".')
    language: Literal["en", "hi"] = Field(default="en", description="The language of the guardian's page.")


class LinkOut(Schema):
    id: int
    student: int
    label: str
    language: str
    created_at: datetime
    created_by: str | None = Field(description="The username of whoever made it.")
    last_used_at: datetime | None
    revoked: bool
    revoked_at: datetime | None


class NewLinkOut(LinkOut):
    url: str = Field(description="The guardian's link: shown only this once; only its digest is stored.")
    secret: str = Field(description="The secret in the link, for GET /api/v1/guardian/{secret}.")
    code: str = Field(description="The short code a guardian may type at /g/ instead, e.g. K7QM2-XPD9A.")


def _link(link: GuardianLink) -> LinkOut:
    return LinkOut(
        id=link.pk,
        student=link.student_id,
        label=link.label,
        language=link.language,
        created_at=link.created_at,
        created_by=link.created_by.username if link.created_by else None,
        last_used_at=link.last_used_at,
        revoked=link.revoked_at is not None,
        revoked_at=link.revoked_at,
    )


@router.post(
    "/students/{int:student_id}/guardian-links",
    response={201: NewLinkOut, **ERRORS},
    operation_id="guardian_link_create",
)
def create(request: HttpRequest, student_id: int, body: LinkIn) -> tuple[int, NewLinkOut]:
    """Make a link to this student's progress for a guardian: the student themself, a teacher of one of the
    student's sections this year, or a school admin (404 for anyone else)."""
    me = person(request)
    student = access_student_for_links(me, student_id)
    issued = guardian_link_create(
        student=student, by=me, label=body.label, language=body.language, now=timezone.now()
    )
    url = request.build_absolute_uri(reverse("guardian_page", args=[issued.secret]))
    out = _link(issued.link).model_dump()
    return 201, NewLinkOut(**out, url=url, secret=issued.secret, code=issued.shown_code)


@router.get(
    "/students/{int:student_id}/guardian-links",
    response={200: list[LinkOut], **ERRORS},
    operation_id="guardian_links",
)
def listed(request: HttpRequest, student_id: int) -> list[LinkOut]:
    """The student's links, working ones first: who holds each, when it was last opened. No secrets."""
    student = access_student_for_links(person(request), student_id)
    return [_link(g) for g in links_of(student)]


@router.delete(
    "/guardian-links/{int:link_id}", response={200: LinkOut, **ERRORS}, operation_id="guardian_link_revoke"
)
def revoke(request: HttpRequest, link_id: int) -> LinkOut:
    """The link and its code open nothing from now on. A teacher of the student's section revokes any of the
    student's links; the student only those they made (403 for one their teacher made). Again: no change."""
    link = access_link_to_revoke(person(request), link_id)
    return _link(guardian_link_revoke(link=link, now=timezone.now()))


class ObjectiveOut(Schema):
    code: str
    statement: str
    tier: str
    unit: str
    state: str = Field(
        description="LOCKED, READY, LEARNING, CHECK_REQUESTED, CHECKING, NOT_YET, …, MASTERED."
    )
    check_passed: bool = Field(description="Passed the check; an activity waits for the teacher's sign-off.")
    review_due: bool


class StepOut(Schema):
    kind: StepKind
    objective: str
    message: str


class CheckOut(Schema):
    objective: str
    at: datetime
    score: float = Field(description="A fraction: 0.8 is 80 %.")
    result: CheckResult = Field(description='"pending": the teacher grades it.')


class GuardianSectionOut(Schema):
    name: str
    course: str
    teachers: list[str]
    mastered: int
    objectives: list[ObjectiveOut]
    next: StepOut
    checks: list[CheckOut] = Field(description="The latest checks, newest first; never items or answers.")


class GuardianOut(Schema):
    student: str = Field(description="The child's name as the class knows it.")
    language: str
    sections: list[GuardianSectionOut]


@router.get(
    "/guardian/{secret}",
    response={200: GuardianOut, 404: ErrorOut},
    auth=None,
    operation_id="guardian_view",
)
def guardian_view(request: HttpRequest, secret: str, lang: str = "") -> GuardianOut:
    """One child's progress for the holder of a guardian link (no sign-in): per section of this year, each
    objective's state, the next step and the recent checks. 404 once the link is revoked. `lang` ("en" or
    "hi") overrides the link's language for the words."""
    now = timezone.now()
    link = guardian_link_open(secret=secret, now=now)
    language = lang if lang in LANGUAGES else (link.language if link.language in LANGUAGES else "en")
    view = guardian_progress(link, now)
    with translation.override(language):
        sections = [
            GuardianSectionOut(
                name=s.name,
                course=s.course_title,
                teachers=s.teachers,
                mastered=s.mastered,
                objectives=[
                    ObjectiveOut(
                        code=o.code,
                        statement=o.statement,
                        tier=o.tier,
                        unit=o.unit_title,
                        state=o.state.value,
                        check_passed=o.check_passed,
                        review_due=o.review_due,
                    )
                    for o in s.objectives
                ],
                next=StepOut(kind=s.next.kind, objective=s.next.objective, message=step_words(s.next)),
                checks=[
                    CheckOut(objective=c.objective, at=c.at, score=c.score, result=c.result) for c in s.checks
                ],
            )
            for s in view.sections
        ]
    return GuardianOut(student=view.student_name, language=language, sections=sections)
