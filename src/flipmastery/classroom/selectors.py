"""Who may see which section. Each access_* helper fetches and checks in one step and says "not found"
for both missing and forbidden, so a probe learns nothing about sections it is not in."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Section
from flipmastery.domain.errors import NotFound


def sections_for(user: User) -> QuerySet[Section]:
    """The sections a person teaches or is enrolled in (a school admin sees all)."""
    base = Section.objects.select_related("course").order_by("name")
    if user.is_school_admin:
        return base
    if user.is_teacher:
        return base.filter(teachers=user)
    return base.filter(enrollments__student=user)


def access_section(user: User, section_id: int) -> Section:
    section = sections_for(user).filter(pk=section_id).first()
    if section is None:
        raise NotFound("section not found")
    return section


def access_section_as_student(user: User, section_id: int) -> Section:
    section = (
        Section.objects.select_related("course").filter(pk=section_id, enrollments__student=user).first()
    )
    if section is None:
        raise NotFound("section not found")
    return section


def access_section_as_teacher(user: User, section_id: int) -> Section:
    if not (user.is_teacher or user.is_school_admin):
        raise NotFound("section not found")
    return access_section(user, section_id)


def taught_sections(user: User) -> QuerySet[Section]:
    """The sections a teacher (or school admin) sees, each with `student_count`."""
    return sections_for(user).annotate(student_count=Count("enrollments", distinct=True))
