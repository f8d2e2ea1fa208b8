"""Reads of the course model, each owning its joins so callers do not query in loops."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Section
from flipmastery.classroom.selectors import sections_for
from flipmastery.courses.models import Course, LearningObject, Objective, Unit
from flipmastery.domain.course import Graph, PrerequisiteEdge, graph_problems
from flipmastery.domain.errors import NotFound, Problem
from flipmastery.prepared import Prepared


def course_objectives(course: Course) -> QuerySet[Objective]:
    """Every objective of a course in order, with what the outline shows, in a fixed number of queries."""
    return (
        Objective.objects.filter(course=course)
        .select_related("unit")
        .prefetch_related(
            Prefetch("prerequisites", queryset=Objective.objects.only("id", "code")),
            Prefetch(
                "learning_objects", queryset=LearningObject.objects.order_by("-is_primary", "order", "id")
            ),
            "activities",
            "enrichments",
        )
        .order_by("unit__order", "unit_id", "order", "id")
    )


def prerequisite_problems(
    course: Course, objective: Objective, code: str, prerequisites: list[Objective]
) -> list[Problem]:
    """What would be wrong with giving `objective` these prerequisites (used by the admin form)."""
    graph = Graph()
    foreign: dict[str, str] = {}
    for other in (
        Objective.objects.filter(course=course).exclude(pk=objective.pk).prefetch_related("prerequisites")
    ):
        graph.codes.add(other.code)
        graph.edges.extend(PrerequisiteEdge(other.code, p.code) for p in other.prerequisites.all())
    graph.codes.add(code)
    for prerequisite in prerequisites:
        if prerequisite.course_id != course.pk:
            foreign[f"{prerequisite.code}@{prerequisite.course_id}"] = str(prerequisite.course)
            graph.edges.append(PrerequisiteEdge(code, f"{prerequisite.code}@{prerequisite.course_id}"))
        else:
            graph.edges.append(PrerequisiteEdge(code, prerequisite.code))
    return graph_problems(graph, foreign)


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


# (course, code) is unique: no ORDER BY, whose default here joins the course and the unit
def _objective_by_code(course_id: int, code: str) -> QuerySet[Objective]:
    return Objective.objects.filter(course_id=course_id, code=code, retired=False).order_by()[:1]


_OBJECTIVE_BY_CODE = Prepared(_objective_by_code, int, str)


def objective_in_section(section: Section, code: str) -> Objective:
    """An objective of the section's course by its code; retired ones are not found."""
    objective = _OBJECTIVE_BY_CODE.first(section.course_id, code)
    if objective is None:
        raise NotFound(f"objective {code} not found in this course")
    return objective


def unit_in_section(section: Section, code: str) -> Unit:
    unit = Unit.objects.filter(course_id=section.course_id, code=code).first()
    if unit is None:
        raise NotFound(f"unit {code} not found in this course")
    return unit
