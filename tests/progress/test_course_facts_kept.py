"""Each process keeps a course's facts under its facts_version: a change anywhere is seen by the next read,
and a change that is rolled back leaves nothing behind."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from flipmastery.classroom.models import Section
from flipmastery.courses.models import Activity, Course, new_facts_version
from flipmastery.progress.standings import course_facts
from tests import factories

pytestmark = pytest.mark.django_db


def fresh(section: Section) -> Section:
    return Section.objects.select_related("course").get(pk=section.pk)


def activities_of(section: Section, code: str) -> tuple[str, ...]:
    return next(f.activities for f in course_facts(fresh(section)) if f.code == code)


@pytest.fixture
def room() -> dict[str, Any]:
    return factories.small_classroom()


def test_an_activity_added_is_in_the_next_read_and_the_reads_between_ask_nothing(
    room: dict[str, Any], django_assert_num_queries: Any
) -> None:
    section = fresh(room["section"])
    before = activities_of(section, "GAS-1")
    with django_assert_num_queries(0):
        course_facts(section)
    added = Activity.objects.create(objective=room["a"], title="Pressure lab write-up")
    assert activities_of(section, "GAS-1") == (*before, str(added.pk))


def test_a_change_by_another_process_is_seen_through_the_version_alone(room: dict[str, Any]) -> None:
    section = room["section"]
    before = activities_of(section, "GAS-1")
    # another process: rows written without this process's signals, and the version drawn anew
    Activity.objects.bulk_create([Activity(objective=room["a"], title="Made elsewhere")])
    assert activities_of(section, "GAS-1") == before  # same version: this process's copy still stands
    Course.objects.filter(pk=room["course"].pk).update(facts_version=new_facts_version())
    made = Activity.objects.get(title="Made elsewhere")
    assert activities_of(section, "GAS-1") == (*before, str(made.pk))


def test_a_rolled_back_change_leaves_nothing_kept(room: dict[str, Any]) -> None:
    section = room["section"]
    before = activities_of(section, "GAS-1")
    with pytest.raises(RuntimeError), transaction.atomic():
        Activity.objects.create(objective=room["a"], title="Never saved")
        assert len(activities_of(section, "GAS-1")) == len(before) + 1  # read inside the change
        raise RuntimeError("the edit is refused")
    assert activities_of(section, "GAS-1") == before


def test_the_course_object_a_caller_holds_may_be_older_than_the_change(room: dict[str, Any]) -> None:
    section = fresh(room["section"])  # loaded before the change: its course carries the old version
    course_facts(section)
    added = Activity.objects.create(objective=room["a"], title="Added after the load")
    assert str(added.pk) in next(f.activities for f in course_facts(section) if f.code == "GAS-1")


def test_the_history_written_out_names_the_models_table_and_columns() -> None:
    from flipmastery.progress.models import ProgressEvent
    from flipmastery.progress.standings import HISTORY

    columns = {f.column for f in ProgressEvent._meta.concrete_fields}
    named = HISTORY.split("SELECT ")[1].split(" FROM ")[0].split(", ")
    assert set(named) <= columns and ProgressEvent._meta.db_table in HISTORY.split()


def test_a_sized_history_counts_every_event_of_the_student_in_the_section(room: dict[str, Any]) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from flipmastery.domain.gating import Kind
    from flipmastery.progress.models import ProgressEvent
    from flipmastery.progress.standings import SIZED_HISTORY, histories, sized_history

    section, (asha, ben), a, b = room["section"], room["students"], room["a"], room["b"]
    now = timezone.now()

    def event(student: Any, objective: Any, kind: str, minutes: int, where: Section = section) -> None:
        ProgressEvent.objects.create(
            section=where,
            student=student,
            objective=objective,
            kind=kind,
            state="LEARNING",
            at=now + timedelta(minutes=minutes),
        )

    assert sized_history(section.pk, asha.pk) == ({}, 0)  # no event: still a row, with the count
    assert sized_history(section.pk, asha.pk, [a.pk]) == ({}, 0)
    event(asha, a, "used", 2)
    event(asha, a, "opened", 1)  # narrates only: no evidence, but counted
    event(asha, b, "check_started", 3)
    event(ben, a, "used", 4)  # another student
    other = factories.section(room["course"], teachers=[room["teacher"]], students=[asha], name="Other")
    event(asha, a, "used", 5, where=other)  # another section

    found, size = sized_history(section.pk, asha.pk)
    assert size == 3
    assert found == {o: h for (_, o), h in histories(section, [asha.pk]).items()}
    assert [e.kind for e in found[a.pk]] == [Kind.USED] and [e.kind for e in found[b.pk]] == [
        Kind.CHECK_STARTED
    ]
    only_b, size = sized_history(section.pk, asha.pk, [b.pk])
    assert size == 3 and list(only_b) == [b.pk]  # the evidence of these objectives; the count of all
    assert sized_history(section.pk, asha.pk, []) == ({}, 3)

    columns = {f.column for f in ProgressEvent._meta.concrete_fields}
    named = [
        c.removeprefix("e.") for c in SIZED_HISTORY.split("SELECT c.n, ")[1].split(" FROM ")[0].split(", ")
    ]
    assert set(named) <= columns and SIZED_HISTORY.count(f"FROM {ProgressEvent._meta.db_table} ") == 1
    assert f"JOIN {ProgressEvent._meta.db_table} e ON" in SIZED_HISTORY
