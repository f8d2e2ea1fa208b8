"""A prepared query gives what its queryset gives, for any values, in one query."""

from __future__ import annotations

from typing import Any

import pytest

from flipmastery.classroom.models import Section
from flipmastery.courses.models import Objective
from flipmastery.prepared import NotPreparable, Prepared, insert, update
from tests import factories

pytestmark = pytest.mark.django_db

SECTION_WITH_COURSE = Prepared(
    lambda pk, name: Section.objects.select_related("course").filter(pk=pk, name=name).order_by(), int, str
)


def fields(obj: Any) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_it_makes_the_objects_the_queryset_makes(django_assert_num_queries: Any) -> None:
    section = factories.section(name="Chemistry 11-A")
    section.policy = {"retake_needs_conference": False, "cooldown_minutes": 5}
    section.save(update_fields=["policy"])
    expected = Section.objects.select_related("course").get(pk=section.pk)
    with django_assert_num_queries(1):  # the course comes in the same row, as select_related's does
        (found,) = SECTION_WITH_COURSE(section.pk, "Chemistry 11-A")
        assert fields(found.course) == fields(expected.course)
    assert fields(found) == fields(expected)
    assert found.policy == {"retake_needs_conference": False, "cooldown_minutes": 5}  # JSON decoded
    assert found.created_at == expected.created_at and found.created_at.tzinfo is not None
    assert found._state.db == "default" and not found._state.adding  # saves as an update


def test_each_call_runs_with_its_own_values() -> None:
    first, second = factories.section(name="A"), factories.section(name="B")
    assert [s.pk for s in SECTION_WITH_COURSE(second.pk, "B")] == [second.pk]
    assert [s.pk for s in SECTION_WITH_COURSE(first.pk, "A")] == [first.pk]
    assert SECTION_WITH_COURSE(first.pk, "B") == []
    assert SECTION_WITH_COURSE.first(first.pk, "B") is None
    assert SECTION_WITH_COURSE.sql().count("%s") == 2  # the values are parameters, never in the SQL


def test_a_hostile_value_is_a_value_and_a_huge_number_finds_nothing() -> None:
    section = factories.section(name="A")
    assert SECTION_WITH_COURSE(section.pk, "A' OR '1'='1") == []
    assert SECTION_WITH_COURSE(10**30, "A") == []  # the ORM's "no rows", not SQLite's OverflowError
    assert Section.objects.filter(pk=10**30).first() is None


def test_a_queryset_whose_sql_moves_its_values_is_refused() -> None:
    contains = Prepared(lambda code: Objective.objects.filter(code__contains=code), str)  # becomes %code%
    with pytest.raises(NotPreparable):
        contains("A")
    twice = Prepared(lambda n, m: Objective.objects.filter(order=n), int, int)  # m is never used
    with pytest.raises(NotPreparable):
        twice(1, 2)


def stored(model: Any, pks: list[int]) -> list[dict[str, Any]]:
    return [fields(o) for o in model.objects.filter(pk__in=pks).order_by("pk")]


def test_insert_stores_what_bulk_create_stores(django_assert_num_queries: Any) -> None:
    from django.utils import timezone

    from flipmastery.progress.models import ProgressEvent

    section, student = factories.section(), factories.student()
    objective = factories.objective()
    now = timezone.now()

    def events() -> list[ProgressEvent]:
        return [
            ProgressEvent(
                section=section,
                student=student,
                objective=objective,
                kind="check_result",
                state="MASTERED",
                outcome=n == 0,
                reason=f"attempt {n}: 80 % (threshold 80 %) — ✓",
                tags=["unit confusion", "sign"] if n else [],
                at=now,
            )
            for n in range(3)
        ]

    ours, django = events(), ProgressEvent.objects.bulk_create(events())
    with django_assert_num_queries(1):
        insert(ours)
    assert all(e.pk and not e._state.adding for e in ours) and len({e.pk for e in ours}) == 3
    drop = ["id"]
    mine = [
        {k: v for k, v in row.items() if k not in drop} for row in stored(ProgressEvent, [e.pk for e in ours])
    ]
    theirs = [
        {k: v for k, v in row.items() if k not in drop}
        for row in stored(ProgressEvent, [e.pk for e in django])
    ]
    assert mine == theirs and mine[1]["tags"] == ["unit confusion", "sign"] and mine[0]["outcome"] is True
    insert([])  # nothing to write: no statement


def test_update_writes_the_named_columns_only(django_assert_num_queries: Any) -> None:
    section = factories.section(name="Before")
    section.policy = {"cooldown_minutes": 10}
    section.name = "not written"
    with django_assert_num_queries(1):
        update(section, ["policy"])
    section.refresh_from_db()
    assert section.policy == {"cooldown_minutes": 10} and section.name == "Before"
