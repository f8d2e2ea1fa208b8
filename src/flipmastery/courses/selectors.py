"""Reads of the course model, each owning its joins so callers do not query in loops."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from flipmastery.courses.models import Course, LearningObject, Objective
from flipmastery.domain.course import Graph, PrerequisiteEdge, graph_problems
from flipmastery.domain.errors import Problem


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
