"""A school admin in the API: the school's teachers (list, add), who teaches a course, every section. Anyone
else is told 404, as for a section that is not theirs: these operations do not exist for them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Router
from pydantic import BaseModel as Schema
from pydantic import Field

from flipmastery.accounts.models import Role, User
from flipmastery.api.auth import person
from flipmastery.api.schemas import CourseOut, ErrorOut
from flipmastery.school.selectors import access_course, access_school, school_people, school_sections
from flipmastery.school.services import course_teacher_add, person_add

router = Router(tags=["school"])
ERRORS: dict[int, type] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class StaffOut(Schema):
    username: str
    name: str
    role: Literal["teacher", "admin", "superuser"] = Field(
        description='"admin" is a school admin; a "superuser" also reaches the admin pages at /admin/.'
    )
    active: bool = Field(description="false: deactivated, cannot sign in.")


def _staff(user: User) -> StaffOut:
    role = "superuser" if user.is_superuser else ("admin" if user.role == Role.ADMIN else "teacher")
    return StaffOut(username=user.username, name=user.shown_name(), role=role, active=user.is_active)  # type: ignore[arg-type]


class StaffIn(Schema):
    username: str = Field(max_length=150)
    name: str = Field(max_length=150, description="As the school knows them.")
    role: Literal["teacher", "admin"] = Field(
        default="teacher", description='"admin" (a school admin) only when a superuser asks (403 otherwise).'
    )
    password: str = Field(default="", max_length=128, description="Leave it out to have one made for you.")


class NewStaffOut(StaffOut):
    password: str = Field(description="Shown only this once; only its hash is stored.")


@router.get("/teachers", response={200: list[StaffOut], **ERRORS}, operation_id="school_teachers")
def teachers(request: HttpRequest) -> list[StaffOut]:
    """The school's teachers, school admins and superusers, active ones first (school admins only)."""
    access_school(person(request))
    return [_staff(u) for u in school_people()]


@router.post("/teachers", response={201: NewStaffOut, **ERRORS}, operation_id="school_teacher_add")
def teacher_add(request: HttpRequest, body: StaffIn) -> tuple[int, NewStaffOut]:
    """Add a teacher (or, for a superuser, a school admin). 422 lists every problem; nothing is saved then."""
    admin = access_school(person(request))
    made = person_add(
        by=admin, username=body.username, name=body.name, role=body.role, password=body.password
    )
    return 201, NewStaffOut(**_staff(made.person).model_dump(), password=made.password)


class UsernameIn(Schema):
    username: str = Field(max_length=150, description="An active teacher's or school admin's username.")


class CourseTeachersOut(Schema):
    course: CourseOut
    teachers: list[StaffOut]
    changed: bool = Field(description="false when they taught the course already.")


@router.post(
    "/courses/{code}/teachers",
    response={200: CourseTeachersOut, **ERRORS},
    operation_id="school_course_teacher_add",
)
def course_teacher(request: HttpRequest, code: str, body: UsernameIn) -> CourseTeachersOut:
    """Assign a teacher to a course: they may then open sections of it (school admins only)."""
    access_school(person(request))
    course = access_course(code)
    _added, changed = course_teacher_add(course=course, username=body.username)
    shown = sorted(course.teachers.all(), key=lambda t: (t.shown_name().casefold(), t.username))
    return CourseTeachersOut(
        course=CourseOut(code=course.code, title=course.title),
        teachers=[_staff(t) for t in shown],
        changed=changed,
    )


class TeacherRef(Schema):
    username: str
    name: str


class SchoolSectionOut(Schema):
    id: int
    name: str
    course: CourseOut
    teachers: list[TeacherRef]
    students: int = Field(description="How many students are enrolled.")
    archived: bool
    archived_at: datetime | None


@router.get("/sections", response={200: list[SchoolSectionOut], **ERRORS}, operation_id="school_sections")
def sections(request: HttpRequest) -> list[SchoolSectionOut]:
    """Every section of the school, this year's and then the archived, with its teachers and number of
    students (school admins only; a school admin may then use every section's operations)."""
    access_school(person(request))
    return [
        SchoolSectionOut(
            id=r.id,
            name=r.name,
            course=CourseOut(code=r.course_code, title=r.course_title),
            teachers=[TeacherRef(username=t.username, name=t.name) for t in r.teachers],
            students=r.students,
            archived=r.archived_at is not None,
            archived_at=r.archived_at,
        )
        for r in school_sections()
    ]
