"""Sign-in cards over the API: a section's teachers issue (reprint) and revoke a student's card; anyone
trades a card's code for a Bearer token, as a username and password are traded at POST /auth/token."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Router
from pydantic import BaseModel as Schema
from pydantic import Field

from flipmastery.accounts.cards import (
    CardCodesThrottled,
    CardNotWorking,
    card_issue,
    card_revoke,
    card_sign_in,
    card_token_issue,
)
from flipmastery.accounts.models import Role, User
from flipmastery.api.auth import person
from flipmastery.api.errors import ApiError
from flipmastery.api.schemas import ErrorOut, TokenOut
from flipmastery.classroom.models import Section
from flipmastery.classroom.selectors import access_section_as_teacher
from flipmastery.domain.errors import NotFound

section_router = Router(tags=["sign-in cards"])
auth_router = Router(tags=["auth"])


class CardOut(Schema):
    student: int
    code: str = Field(description='Shown only now: only its digest is stored. Printed as "ABCDE-12345".')
    url: str = Field(description="What the card's QR code holds: opening it signs the student in.")
    created_at: str


class CardIn(Schema):
    code: str = Field(
        min_length=1, max_length=100, description="As printed; case, spaces and dashes do not matter."
    )


CARD_PATH = "/{int:section_id}/students/{int:student_id}/card"


@section_router.post(
    CARD_PATH,
    response={201: CardOut, 401: ErrorOut, 404: ErrorOut},
    operation_id="section_student_card_issue",
)
def issue_card(request: HttpRequest, section_id: int, student_id: int) -> tuple[int, CardOut]:
    """A new sign-in card for a student of the section (its teachers and school admins only): the old card,
    if any, stops working at once."""
    teacher = person(request)
    section = access_section_as_teacher(teacher, section_id)
    issued = card_issue(
        section=section, student=_student(section, student_id), by=teacher, now=timezone.now()
    )
    url = request.build_absolute_uri(reverse("card_link", args=[issued.shown]))
    return 201, CardOut(
        student=student_id, code=issued.shown, url=url, created_at=issued.card.created_at.isoformat()
    )


@section_router.delete(
    CARD_PATH, response={204: None, 401: ErrorOut, 404: ErrorOut}, operation_id="section_student_card_revoke"
)
def revoke_card(request: HttpRequest, section_id: int, student_id: int) -> tuple[int, None]:
    """The student's card stops working, and so do the tokens traded for it. Done again, nothing changes."""
    section = access_section_as_teacher(person(request), section_id)
    card_revoke(section=section, student=_student(section, student_id), now=timezone.now())
    return 204, None


def _student(section: Section, student_id: int) -> User:
    found = section.students.filter(pk=student_id, role=Role.STUDENT).first()
    if found is None:
        raise NotFound("no such student in this section")
    return found


@auth_router.post(
    "/card",
    auth=None,
    response={201: TokenOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    operation_id="auth_card_token_issue",
)
def card_token(request: HttpRequest, response: HttpResponse, body: CardIn) -> tuple[int, TokenOut | ErrorOut]:
    """A Bearer token for the student whose sign-in card's code this is. Wrong codes from one address are
    limited (429, with Retry-After), since a class behind one address shares the allowance."""
    try:
        card = card_sign_in(text=body.code, address=request.META.get("REMOTE_ADDR", ""), now=timezone.now())
    except CardNotWorking as refused:
        raise ApiError(401, "card_not_working", str(refused)) from refused
    except CardCodesThrottled as throttled:
        response["Retry-After"] = str(throttled.wait_seconds)  # kept only by an answer, not by a raise
        return 429, ErrorOut(
            error="throttled", message=str(throttled), details={"retry_after": throttled.wait_seconds}
        )
    return 201, TokenOut(token=card_token_issue(card=card))
