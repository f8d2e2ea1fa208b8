"""GET /me/sections: the sections the caller teaches or is enrolled in."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from flipmastery.api.auth import person
from flipmastery.api.schemas import CourseOut, ErrorOut, MySectionOut
from flipmastery.classroom.selectors import sections_for

router = Router(tags=["me"])


@router.get(
    "/sections",
    response={200: list[MySectionOut], 401: ErrorOut},
    exclude_none=True,  # a student's rows have no join_code key at all
    operation_id="me_sections",
)
def my_sections(request: HttpRequest) -> list[MySectionOut]:
    user = person(request)
    # sections_for gives teachers (and school admins, who act as teachers) what they teach, students
    # what they are enrolled in, so the role is the same on every row.
    staff = user.is_teacher or user.is_school_admin
    return [
        MySectionOut(
            id=s.pk,
            name=s.name,
            course=CourseOut(code=s.course.code, title=s.course.title),
            role="teacher" if staff else "student",
            join_code=s.join_code if staff else None,
            archived=s.archived_at is not None,
        )
        for s in sections_for(user)
    ]
