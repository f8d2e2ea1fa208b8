"""Reads the pages need that the apps' selectors do not offer yet (candidates to move into them).

Like the access_* selectors, each says "not found" for both missing and forbidden.
"""

from __future__ import annotations

from django.db.models import Count, QuerySet

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Section
from flipmastery.classroom.selectors import sections_for
from flipmastery.courses.models import LearningObject
from flipmastery.domain.errors import NotFound


def taught_sections(user: User) -> QuerySet[Section]:
    """The sections a teacher (or school admin) sees, each with `student_count`."""
    return sections_for(user).annotate(student_count=Count("enrollments", distinct=True))


def learning_object_in_section(section: Section, learning_object_id: int) -> LearningObject:
    """A learning object offered in this section: of an objective of its course, neither retired."""
    found = (
        LearningObject.objects.select_related("objective__unit")
        .filter(
            pk=learning_object_id,
            retired=False,
            objective__retired=False,
            objective__course_id=section.course_id,
        )
        .first()
    )
    if found is None:
        raise NotFound("learning object not found")
    return found


def visible_media_name(user: User, name: str) -> str:
    """`name` if an offered learning object of a course the user teaches or learns in uses that file."""
    courses = sections_for(user).order_by().values("course_id")
    offered = LearningObject.objects.filter(
        file=name, retired=False, objective__retired=False, objective__course_id__in=courses
    )
    # A NUL byte is refused before the query: PostgreSQL rejects it with an error, not "no rows".
    if not name or "\x00" in name or not offered.exists():
        raise NotFound("file not found")
    return name
