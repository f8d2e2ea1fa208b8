"""The school report from a summary of each section's board, kept in the shared cache: a school of 2,000
students is read in four queries, whatever its size, and replayed only where something changed.

A summary is what the report shows of each student — grade, percent, objectives mastered — taken
from the section's board (`board.board`, the same replay as every page), so the report can never say
other than the gradebook. It is kept under a key made of what it was computed from: the section's newest
progress event, attempt and enrollment and its head count (events are append-only, so a new one is a new
id; these are each read off an index), the plan's last save, the section's and the course's policy and
threshold, and the course's token (`versions`). Being behind pace depends on the day: it is worked out
from the kept count each time, as the domain's `pace` does.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import connection

from flipmastery.accounts.names import name_fields, shown_name
from flipmastery.assessments.models import Attempt
from flipmastery.classroom.models import Enrollment, Section
from flipmastery.cockpit.board import DAY, start_of
from flipmastery.cockpit.models import SectionPlan
from flipmastery.cockpit.plans import Plan
from flipmastery.cockpit.versions import course_tokens
from flipmastery.domain.cockpit import pace, weekly_benchmarks
from flipmastery.progress.models import ProgressEvent

SUMMARY = "cockpit:summary:2:{}"  # the number changes with the summary's shape: an old one is never read
SHARED_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class StudentSummary:
    grade: str
    percent: float
    essentials: int
    nice_to_know: int
    mastered: int  # objectives mastered (the pace's count)


@dataclass(frozen=True)
class SectionSummary:
    key: str
    objectives: int
    essentials: int
    students: dict[int, StudentSummary]


@dataclass(frozen=True)
class ReportRow:
    id: int
    username: str
    name: str
    grade: str
    percent: float
    essentials: int
    nice_to_know: int
    behind: int


@dataclass(frozen=True)
class SectionReport:
    section: Section
    objectives: int
    essentials: int
    rows: list[ReportRow]


def school_report(sections: Sequence[Section], now: datetime) -> list[SectionReport]:
    """Each section's students with grade and pace (sections with their course loaded): four queries and
    two cache reads, and the boards of the sections whose summary is out of date."""
    from flipmastery.cockpit.selectors import _plan, school_boards  # selectors imports board; no cycle

    if not sections:
        return []
    marks = _marks([s.pk for s in sections])
    names = _names([s.pk for s in sections])
    plans = {p.section_id: p for p in SectionPlan.objects.filter(section__in=[s.pk for s in sections])}
    tokens = course_tokens({s.course_id for s in sections})
    keys = {s.pk: _key(s, marks.get(s.pk, ()), tokens[s.course_id]) for s in sections}
    kept = cache.get_many([SUMMARY.format(s.pk) for s in sections])
    summaries: dict[int, SectionSummary] = {}
    for s in sections:
        found = kept.get(SUMMARY.format(s.pk))
        if (
            isinstance(found, SectionSummary)
            and found.key == keys[s.pk]
            and all(pk in found.students for pk, *_ in names.get(s.pk, ()))
        ):
            summaries[s.pk] = found
    stale = [s for s in sections if s.pk not in summaries]
    if stale:
        made = {s.pk: _summary(keys[s.pk], b) for s, b in zip(stale, school_boards(stale, now), strict=True)}
        cache.set_many({SUMMARY.format(pk): summary for pk, summary in made.items()}, SHARED_SECONDS)
        summaries.update(made)
    return [
        _section_report(s, summaries[s.pk], names.get(s.pk, []), _plan(s, plans.get(s.pk)), now)
        for s in sections
    ]


def _summary(key: str, found: object) -> SectionSummary:
    from flipmastery.cockpit.board import Board

    assert isinstance(found, Board)
    return SectionSummary(
        key,
        len(found.columns),
        len(found.essentials),
        {
            r.id: StudentSummary(
                r.grade.letter,
                r.grade.percent,
                r.grade.essentials[0],
                r.grade.nice[0],
                r.pace.mastered,
            )
            for r in found.rows
        },
    )


def _section_report(
    section: Section, summary: SectionSummary, names: list[tuple[int, str, str]], plan: Plan, now: datetime
) -> SectionReport:
    """The rows as `board.board` makes them. Behind pace is what `domain.cockpit.pace` says: the objectives
    the benchmarks expect by today (the same for the whole section) less those mastered."""
    today = max((now - start_of(plan, now)).total_seconds() / DAY, 0.0)
    total = summary.objectives
    benchmarks = weekly_benchmarks(total, plan.per_week) if total else []
    expected = pace((), total, benchmarks, today).expected
    rows = []
    for pk, username, name in names:
        s = summary.students[pk]
        behind = max(0, expected - s.mastered)
        rows.append(ReportRow(pk, username, name, s.grade, s.percent, s.essentials, s.nice_to_know, behind))
    return SectionReport(section, total, summary.essentials, rows)


def _key(section: Section, marks: Sequence[object], course_token: str) -> str:
    course = section.course
    parts = (
        *marks,
        section.threshold,
        section.policy,
        course.threshold,
        course.policy,
        getattr(course, "facts_version", 0),
        course_token,
        section.created_at,  # a test database may reuse an id
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _marks(sections: list[int]) -> dict[int, tuple[object, ...]]:
    """Section → its newest event, attempt and enrollment, head count and plan save: one query, each part
    read off an index (section_id, then the row id)."""
    q = connection.ops.quote_name

    def table(model: type) -> str:
        return str(q(model._meta.db_table))  # type: ignore[attr-defined]

    marks = ", ".join(["%s"] * len(sections))
    sql = f"""
        SELECT s.id,
               (SELECT MAX(id) FROM {table(ProgressEvent)} WHERE section_id = s.id),
               (SELECT MAX(id) FROM {table(Attempt)} WHERE section_id = s.id),
               (SELECT MAX(id) FROM {table(Enrollment)} WHERE section_id = s.id),
               (SELECT COUNT(id) FROM {table(Enrollment)} WHERE section_id = s.id),
               (SELECT MAX(updated_at) FROM {table(SectionPlan)} WHERE section_id = s.id)
        FROM {table(Section)} s WHERE s.id IN ({marks})
    """  # noqa: S608 - table names from the models; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, sections)
        return {row[0]: tuple(str(v) for v in row[1:]) for row in cursor.fetchall()}


def _names(sections: list[int]) -> dict[int, list[tuple[int, str, str]]]:
    """Section → its students (id, username, shown name) in the board's order: one query."""
    found: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for section, pk, *who in (
        Enrollment.objects.filter(section__in=sections)
        .order_by("section_id", "student__username")
        .values_list("section_id", "student_id", *name_fields("student"))
    ):
        found[section].append((pk, who[0], shown_name(*who)))
    return found
