"""Pages fetch everything in a fixed number of queries, whatever the size of the course."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories

# session, user, section, objectives + 4 prefetches, uses (done flags), events replayed, the queue (places),
# an open exit slip
PLAYLIST_QUERIES = 12
OUTLINE_QUERIES = 8  # session, user, section, objectives + 4 prefetches


def course_of(n: int) -> tuple[Any, Any]:
    """A course of n objectives in two units, each needing the one before, with rich learning content."""
    course = factories.course()
    units = [factories.unit(course, order=1), factories.unit(course, order=2)]
    student = factories.student()
    section = factories.section(course, students=[student])
    previous = None
    for i in range(n):
        objective = factories.objective(units[i * 2 // n], prerequisites=[previous] if previous else None)
        factories.learning_object(objective, is_primary=True)
        factories.learning_object(objective, kind="text", url="", body="**x**")
        factories.activity(objective)
        objective.enrichments.create(title="More")
        if i < n // 3:
            factories.mastered(section, student, objective, at="2025-01-01T10:00Z")
        previous = objective
    return section, student


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_the_playlist_query_count_does_not_grow_with_the_course(
    client: Any, django_assert_num_queries: Any, size: int
) -> None:
    section, student = course_of(size)
    client.force_login(student)
    with django_assert_num_queries(PLAYLIST_QUERIES):
        response = client.get(f"/sections/{section.pk}/playlist/")
    assert response.content.decode().count('class="card objective') == size


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_the_outline_query_count_does_not_grow_with_the_course(
    client: Any, django_assert_num_queries: Any, size: int
) -> None:
    section, _ = course_of(size)
    teacher = factories.teacher()
    section.teachers.add(teacher)
    client.force_login(teacher)
    with django_assert_num_queries(OUTLINE_QUERIES):
        response = client.get(f"/sections/{section.pk}/outline/")
    assert response.content.decode().count('class="card objective"') == size
