"""Reads for a school admin's pages and API: the school's staff, its courses with their teachers, and every
section with its teachers and students counted. Each fetches in a fixed number of queries, whatever the size
of the school, and `access_school` lets only a school admin in ("not found" for anyone else)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet

from flipmastery.accounts.models import Role, User
from flipmastery.classroom.models import Section
from flipmastery.courses.models import Course
from flipmastery.domain.errors import NotFound


def access_school(user: User) -> User:
    """The caller, if they are a school admin (a superuser counts as one); NotFound for anyone else, so a
    teacher or a student learns nothing, not even that these pages exist."""
    if not (user.is_active and user.is_school_admin):
        raise NotFound("not found")
    return user


def _staff() -> QuerySet[User]:
    return User.objects.filter(Q(role__in=[Role.TEACHER, Role.ADMIN]) | Q(is_superuser=True))


def school_people() -> list[User]:
    """Teachers, school admins and superusers, active ones first, by name: one query."""
    found = list(_staff())
    return sorted(found, key=lambda u: (not u.is_active, u.shown_name().casefold(), u.username))


def assignable_teachers() -> list[User]:
    """Who may be put on a course or a section: active teachers and school admins, by name."""
    found = User.objects.filter(is_active=True, role__in=[Role.TEACHER, Role.ADMIN])
    return sorted(found, key=lambda u: (u.shown_name().casefold(), u.username))


@dataclass(frozen=True)
class Person:
    id: int
    username: str
    name: str


def _person(user: User) -> Person:
    return Person(user.pk, user.username, user.shown_name())


def _by_name(people: list[Person]) -> list[Person]:
    return sorted(people, key=lambda p: (p.name.casefold(), p.username))


@dataclass(frozen=True)
class CourseRow:
    id: int
    code: str
    title: str
    language: str
    teachers: list[Person]
    sections: int


def school_courses() -> list[CourseRow]:
    """Every course with the teachers assigned to it and how many sections it has: two queries."""
    courses = list(Course.objects.annotate(section_count=Count("sections")).order_by("title", "code"))
    teachers: dict[int, list[Person]] = defaultdict(list)
    through = Course.teachers.through.objects.select_related("user").filter(
        course__in=[c.pk for c in courses]
    )
    for row in through:
        teachers[row.course_id].append(_person(row.user))
    return [
        CourseRow(
            c.pk,
            c.code,
            c.title,
            c.language,
            _by_name(teachers.get(c.pk, [])),
            c.section_count,  # type: ignore[attr-defined]
        )
        for c in courses
    ]


def access_course(code: str) -> Course:
    found = Course.objects.filter(code__iexact=code.strip()).first()
    if found is None:
        raise NotFound(f"there is no course with the code {code.strip()!r}")
    return found


@dataclass(frozen=True)
class SectionRow:
    id: int
    name: str
    course_code: str
    course_title: str
    course_language: str
    teachers: list[Person]
    students: int
    archived_at: datetime | None
    created_at: datetime


def school_sections() -> list[SectionRow]:
    """Every section of the school, this year's first and then the archived (latest first), each with its
    teachers and its number of students: two queries."""
    sections = list(Section.objects.select_related("course").annotate(student_count=Count("enrollments")))
    teachers: dict[int, list[Person]] = defaultdict(list)
    through = Section.teachers.through.objects.select_related("user").filter(
        section__in=[s.pk for s in sections]
    )
    for row in through:
        teachers[row.section_id].append(_person(row.user))
    rows = [
        SectionRow(
            s.pk,
            s.name,
            s.course.code,
            s.course.title,
            s.course.language,
            _by_name(teachers.get(s.pk, [])),
            s.student_count,  # type: ignore[attr-defined]
            s.archived_at,
            s.created_at,
        )
        for s in sections
    ]
    active = sorted((r for r in rows if r.archived_at is None), key=lambda r: (r.name.casefold(), r.id))
    archived = sorted(
        (r for r in rows if r.archived_at is not None),
        key=lambda r: (-(r.archived_at.timestamp() if r.archived_at else 0), r.name.casefold(), r.id),
    )
    return active + archived
