"""POST /sections/{id}/students/{student}/unlock: a teacher lets a student sign in again at once."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from flipmastery.accounts.services import sign_in_unlock
from flipmastery.api.auth import person
from flipmastery.api.schemas import ErrorOut
from flipmastery.classroom.selectors import access_section_as_teacher

router = Router(tags=["teacher"])


@router.post(
    "/{int:section_id}/students/{int:student_id}/unlock",
    response={204: None, 401: ErrorOut, 404: ErrorOut},
    operation_id="section_student_unlock",
)
def unlock(request: HttpRequest, section_id: int, student_id: int) -> tuple[int, None]:
    """After too many wrong passwords sign-in waits for that student (per username, never per address);
    this ends the wait and forgets the wrong passwords, from every address. Teachers of the section only:
    for anyone else the section, like a student not in it, is not found."""
    section = access_section_as_teacher(person(request), section_id)
    sign_in_unlock(section=section, student_id=student_id)
    return 204, None
