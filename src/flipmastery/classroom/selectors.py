"""Who may see which section, and what a teacher manages in one. Each access_* helper fetches and checks in
one step and says "not found" for both missing and forbidden, so a probe learns nothing about sections it is
not in."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from flipmastery.accounts.models import Role, User
from flipmastery.classroom.models import Enrollment, JoinRequest, Section
from flipmastery.courses.models import Course
from flipmastery.domain.errors import NotFound
from flipmastery.domain.gating import Policy, policy_from
from flipmastery.prepared import Prepared

# Spaces and dashes a student may type or copy from the board ("ab3 k7q" is AB3K7Q).
_NOT_IN_A_CODE = re.compile(r"[\s\-–—_.]+")


def sections_for(user: User) -> QuerySet[Section]:
    """The sections a person teaches or is enrolled in (a school admin sees all), archived ones too."""
    base = Section.objects.select_related("course").order_by("name")
    if user.is_school_admin:
        return base
    if user.is_teacher:
        return base.filter(teachers=user)
    return base.filter(enrollments__student=user)


def active_sections_for(user: User) -> QuerySet[Section]:
    """The sections of this year: archived ones have left every active list."""
    return sections_for(user).filter(archived_at__isnull=True)


def archived_sections_for(user: User) -> QuerySet[Section]:
    return sections_for(user).filter(archived_at__isnull=False).order_by("-archived_at", "name")


def access_section(user: User, section_id: int) -> Section:
    """The section with its course if `user` may see it (as `sections_for` says); every page of a section
    asks, so the read is prepared."""
    if user.is_school_admin:
        section = _SECTION.first(section_id)
    elif user.is_teacher:
        section = _SECTION_OF_TEACHER.first(section_id, user.pk)
    else:
        section = _SECTION_OF_STUDENT.first(section_id, user.pk)
    if section is None:
        raise NotFound("section not found")
    return section


# as sections_for(user).filter(pk=…), each unique: no ORDER BY
_SECTION = Prepared(
    lambda section_id: Section.objects.select_related("course").filter(pk=section_id).order_by()[:1], int
)
_SECTION_OF_TEACHER = Prepared(
    lambda section_id, teacher_id: (
        Section.objects.select_related("course").filter(pk=section_id, teachers=teacher_id).order_by()[:1]
    ),
    int,
    int,
)
_SECTION_OF_STUDENT = Prepared(
    lambda section_id, student_id: (
        Section.objects.select_related("course")
        .filter(pk=section_id, enrollments__student_id=student_id)
        .order_by()[:1]
    ),
    int,
    int,
)


def access_section_as_student(user: User, section_id: int) -> Section:
    section = _SECTION_OF_STUDENT.first(section_id, user.pk)
    if section is None:
        raise NotFound("section not found")
    return section


def access_section_as_teacher(user: User, section_id: int) -> Section:
    if not (user.is_teacher or user.is_school_admin):
        raise NotFound("section not found")
    return access_section(user, section_id)


def taught_sections(user: User, *, archived: bool = False) -> QuerySet[Section]:
    """The active (or the archived) sections a teacher or school admin sees, each with `student_count` and
    `waiting_count` (students who entered the join code and wait to be accepted)."""
    found = archived_sections_for(user) if archived else active_sections_for(user)
    return found.annotate(
        student_count=Count("enrollments", distinct=True),
        waiting_count=Count("join_requests", filter=Q(join_requests__decided_at__isnull=True), distinct=True),
    )


# --- opening a section ----------------------------------------------------------------------------------


def courses_for_new_sections(user: User) -> QuerySet[Course]:
    """The courses a person may open a section of: those a school admin assigned them to (every course, for a
    school admin)."""
    if user.is_school_admin:
        return Course.objects.order_by("title")
    if user.is_teacher:
        return user.courses_taught.order_by("title")
    return Course.objects.none()


def access_course_for_new_section(user: User, course: int | str) -> Course:
    """A course the person may open a section of, by id or code ("not found" for any other)."""
    by = {"pk": course} if isinstance(course, int) else {"code__iexact": course}
    found = courses_for_new_sections(user).filter(**by).first()
    if found is None:
        raise NotFound("course not found")
    return found


# --- joining by code ------------------------------------------------------------------------------------


def join_code_of(typed: str) -> str:
    """What a student typed, as a join code: capitals, without spaces or dashes."""
    return _NOT_IN_A_CODE.sub("", typed).upper()


def section_by_join_code(typed: str) -> Section | None:
    code = join_code_of(typed)
    if not code:
        return None
    return Section.objects.select_related("course").filter(join_code=code).first()


def waiting_join_requests(section: Section) -> list[JoinRequest]:
    """Students who entered the code and wait for a teacher to accept or decline them, oldest first."""
    return list(
        JoinRequest.objects.select_related("student")
        .filter(section=section, decided_at__isnull=True)
        .order_by("created_at", "id")
    )


def access_join_request(section: Section, request_id: int) -> JoinRequest:
    found = (
        JoinRequest.objects.select_related("student", "section")
        .filter(section=section, pk=request_id)
        .first()
    )
    if found is None:
        raise NotFound("join request not found")
    return found


def my_waiting_requests(student: User) -> list[JoinRequest]:
    """The sections a student asked to join and waits for, oldest first."""
    found = JoinRequest.objects.select_related("section").filter(student=student, decided_at__isnull=True)
    return list(found.order_by("created_at", "id"))


def waiting_request_of(section: Section, student: User) -> JoinRequest | None:
    return JoinRequest.objects.filter(section=section, student=student, decided_at__isnull=True).first()


# --- the roster -----------------------------------------------------------------------------------------


def roster_of(section: Section) -> list[Enrollment]:
    """The section's students with when they joined, by name as the class knows them."""
    enrolled = list(Enrollment.objects.select_related("student").filter(section=section))
    return sorted(enrolled, key=lambda e: (e.student.shown_name().casefold(), e.student.username))


def access_student_of_section(section: Section, who: int | str) -> User:
    """A student enrolled in the section, by id or username ("not found" for anyone else)."""
    by = {"pk": who} if isinstance(who, int) else {"username__iexact": who}
    found = User.objects.filter(role=Role.STUDENT, enrollments__section=section, **by).first()
    if found is None:
        raise NotFound("no such student in this section")
    return found


def teachers_of(section: Section) -> list[User]:
    return sorted(section.teachers.all(), key=lambda t: (t.shown_name().casefold(), t.username))


# --- policies -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionPolicy:
    """What a section's settings page shows: the policy in force, the course's default beside each setting,
    and what the section itself sets (None: it follows the course)."""

    in_force: Policy
    course_default: Policy
    own: dict[str, object]


def section_policy(section: Section) -> SectionPolicy:
    course = section.course
    # As progress.standings layers them: the threshold columns win over `threshold` keys of a policy.
    default = policy_from(course.policy, {"threshold": course.threshold})
    own: dict[str, object] = {
        k: v for k, v in (section.policy or {}).items() if v is not None and k != "threshold"
    }
    threshold = section.threshold if section.threshold is not None else course.threshold
    in_force = policy_from(course.policy, own, {"threshold": threshold})
    if section.threshold is not None:
        own["threshold"] = section.threshold
    return SectionPolicy(in_force, default, own)
