"""Reads for the cockpit: each fetches flat rows in a fixed number of queries, whatever the class size.

The computing is done elsewhere on the plain objects returned here (`board`, `items`, `groups`).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Max, Min, Model, Subquery
from django.utils import timezone
from django.utils.http import parse_etags

from flipmastery.accounts.names import name_fields, shown_name
from flipmastery.assessments.models import Attempt, AttemptItem
from flipmastery.classroom.models import Enrollment, Section
from flipmastery.cockpit.board import Board, ClassFacts, board
from flipmastery.cockpit.course_shapes import course_shapes
from flipmastery.cockpit.models import DEFAULT_SCALE_TEXT, Group, SectionPlan
from flipmastery.cockpit.plans import Plan, periods_from_json, read_scale
from flipmastery.cockpit.replays import enrolled_in, replays
from flipmastery.courses.models import LearningObject, Objective
from flipmastery.domain.cockpit import DEFAULT_SCALE
from flipmastery.domain.errors import DomainError, NotFound
from flipmastery.progress.models import ProgressEvent, QueueEntry
from flipmastery.questions.models import Question
from flipmastery.written_out import stored_moment


def plan_of(section: Section) -> Plan:
    """The section's plan, or the defaults (starting the day the section was made, 3.5 a week): one query."""
    return _plan(section, SectionPlan.objects.filter(section=section).first())


def _plan(section: Section, found: SectionPlan | None) -> Plan:
    if found is None:
        return Plan(
            timezone.localdate(section.created_at), 3.5, (), DEFAULT_SCALE_TEXT, tuple(DEFAULT_SCALE), False
        )
    try:
        rules = tuple(read_scale(found.scale))
    except DomainError:  # saved through the service it always reads; never break the pages over it
        rules = tuple(DEFAULT_SCALE)
    return Plan(found.start, found.per_week, periods_from_json(found.periods), found.scale, rules, True)


def course_columns(section: Section) -> list[Objective]:
    return list(
        Objective.objects.filter(course_id=section.course_id, retired=False)
        .select_related("unit")
        .order_by("unit__order", "unit_id", "order", "id")
    )


def class_facts(section: Section, now: datetime, seen: str = "") -> ClassFacts:
    """Everything the grid, pacing chart and gradebook compute from: six queries, and two more when a
    student did something since the last look (only they are replayed again, see `replays`). `seen`:
    the section's grid version marks, read just before (`grid_version`)."""
    return sections_facts([section], now, seen)[0]


def sections_facts(sections: Sequence[Section], now: datetime, seen: str = "") -> list[ClassFacts]:
    """The facts of many sections (a school report): each course's shape from the cache (`course_shapes`:
    four queries only for a course kept nowhere), students with their markers (one query), plans (one);
    and each section's replays (see `replays`). The sections' courses must be loaded
    (`select_related("course")`): each section's policy is applied without a query."""
    shapes = course_shapes(s.course for s in sections)
    enrolled = enrolled_in([s.pk for s in sections], seen)
    plans = {p.section_id: p for p in SectionPlan.objects.filter(section__in=[s.pk for s in sections])}
    found = []
    for section in sections:
        shape = shapes[section.course_id]
        students = enrolled.get(section.pk, [])
        found.append(
            ClassFacts(
                shape.columns,
                [(pk, u, n) for pk, u, n, _ in students],
                replays(section, shape.facts(section), students, now),
                _plan(section, plans.get(section.pk)),
            )
        )
    return found


def class_board(section: Section, now: datetime, seen: str = "") -> Board:
    """The class board of the whole course (see `board.board`; `seen`: see `class_facts`)."""
    return board(class_facts(section, now, seen), now)


def school_boards(sections: Sequence[Section], now: datetime) -> list[Board]:
    """Every section's board, for a report across the school (see `sections_facts`)."""
    return [board(facts, now) for facts in sections_facts(sections, now)]


def latest_scores(
    section: Section, students: list[int]
) -> tuple[dict[tuple[int, str], tuple[float, bool]], dict[int, datetime]]:
    """(student, objective code) → (score, pending) of the latest submitted attempt that scored it, and
    each student's latest attempt time. One query, reading only each check's latest attempt: the rows
    grow with students × objectives, not with every retake ever taken."""
    latest_ids = (
        Attempt.objects.filter(section=section, student_id__in=students)
        .values("student_id", "objective_id", "unit_id", "kind")
        .annotate(last=Max("id"))
        .values("last")
    )
    scores: dict[tuple[int, str], tuple[float, bool]] = {}
    attempted: dict[int, datetime] = {}
    seen: dict[tuple[int, str], datetime] = {}
    for student, result, started, submitted in Attempt.objects.filter(
        id__in=Subquery(latest_ids)
    ).values_list("student_id", "result", "started_at", "submitted_at"):
        moment = max(started, submitted) if submitted else started
        if student not in attempted or moment > attempted[student]:
            attempted[student] = moment
        if not submitted or not isinstance(result, dict):
            continue
        for o in result.get("objectives", []):
            key = (student, str(o.get("code")))
            if key not in seen or submitted > seen[key]:
                seen[key] = submitted
                scores[key] = (float(o.get("score") or 0.0), bool(o.get("pending")))
    return scores, attempted


def grid_version(section: Section, now: datetime, *extra: object) -> tuple[str, datetime | None, str]:
    """A weak ETag that changes when anything the grid shows may have changed: a progress event, a queue
    entry, an attempt started or submitted, a student joining, the course's objectives, the plan; and
    when the minute turns (times since last activity; an edit of an objective's words shows within it).
    One query, in SQL: it answers every poll, and the ORM takes longer to build it than SQLite to run it.
    """
    q = connection.ops.quote_name
    here, course = "section_id = %s", "course_id = %s"
    marks_of = [
        (ProgressEvent, "MAX(id)", here),
        (ProgressEvent, "MAX(at)", here),
        (QueueEntry, "MAX(created_at)", here),
        (QueueEntry, "MAX(resolved_at)", here),
        (QueueEntry, "COUNT(id)", here),
        (Attempt, "MAX(id)", here),
        (Attempt, "MAX(submitted_at)", here),
        (Enrollment, "MAX(id)", here),
        (Enrollment, "COUNT(id)", here),
        (SectionPlan, "MAX(updated_at)", here),
        (Objective, "MAX(id)", course),
        (Objective, "COUNT(id)", course + " AND NOT retired"),
    ]

    def scalar(model: type[Model], what: str, where: str) -> str:
        return f"(SELECT {what} FROM {q(model._meta.db_table)} WHERE {where})"  # noqa: S608 - names only

    sql = "SELECT " + ", ".join(scalar(*mark) for mark in marks_of)
    values = [section.course_id if where.startswith("course") else section.pk for _, _, where in marks_of]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        marks = cursor.fetchone() or ()
    seen = "|".join(str(part) for part in (*marks, int(now.timestamp() // 60)))
    tag = 'W/"' + hashlib.sha256("|".join((seen, *map(str, extra))).encode()).hexdigest()[:24] + '"'
    changed = [stored_moment(marks[i]) for i in (1, 2, 3, 6, 9)] if marks else []
    return tag, max((t for t in changed if t is not None), default=None), seen


def version_matches(if_none_match: str, tag: str) -> bool:
    """Whether an If-None-Match header names this version (weak comparison, as for a GET)."""
    sent = parse_etags(if_none_match)
    return "*" in sent or any(t.removeprefix("W/") == tag.removeprefix("W/") for t in sent)


# ---- the audit trail ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    at: datetime
    objective: str
    statement: str
    kind: str
    state: str
    outcome: bool | None
    reason: str
    note: str
    tags: tuple[str, ...]
    actor: str  # who recorded it; "" when the student's own action or the system's
    ref: str


def student_in_section(section: Section, student_id: int) -> tuple[int, str, str]:
    found = (
        Enrollment.objects.filter(section=section, student_id=student_id)
        .values_list("student_id", *name_fields("student"))
        .first()
    )
    if found is None:
        raise NotFound("no such student in this section")
    pk, *who = found
    return pk, who[0], shown_name(*who)


def student_history(section: Section, student_id: int, objective: str = "") -> list[HistoryEntry]:
    """Every progress event of a student in a section, newest first: one query."""
    events = ProgressEvent.objects.filter(section=section, student_id=student_id)
    if objective:
        events = events.filter(objective__code=objective)
    rows = events.order_by("-at", "-id").values_list(
        "id",
        "at",
        "objective__code",
        "objective__statement",
        "kind",
        "state",
        "outcome",
        "reason",
        "note",
        "tags",
        "actor_id",
        *name_fields("actor"),
        "ref",
    )
    found = []
    for pk, at, code, statement, kind, state, outcome, reason, note, tags, actor, *who, ref in rows:
        by = shown_name(*who) if actor and actor != student_id else ""
        found.append(
            HistoryEntry(
                pk,
                at,
                code,
                statement,
                kind,
                state,
                outcome,
                reason,
                note,
                tuple(map(str, tags or ())),
                by,
                ref,
            )
        )
    return found


# ---- item analysis --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BankQuestion:
    id: int
    objective: str
    key: str
    title: str
    text: str
    retired: bool


def item_rows(section: Section) -> list[tuple[int, int, int, float, float, str]]:
    """(question, student, attempt, score, points, objective code) of every graded item of the section's
    submitted attempts: one query."""
    rows = (
        AttemptItem.objects.filter(
            attempt__section=section, attempt__state=Attempt.State.SUBMITTED, score__isnull=False
        )
        .order_by()
        .values_list("question_id", "attempt__student_id", "attempt_id", "score", "points", "objective_code")
    )
    return [(q, s, a, score or 0.0, points, code) for q, s, a, score, points, code in rows]


def bank_questions(section: Section) -> list[BankQuestion]:
    """Every question of the course's banks, in course order: one query."""
    rows = (
        Question.objects.filter(objective__course_id=section.course_id)
        .order_by("objective__unit__order", "objective__order", "objective_id", "order", "id")
        .values_list("id", "objective__code", "key", "current__title", "current__data", "retired")
    )
    return [
        BankQuestion(pk, code, key, title or "", str((data or {}).get("text", "")), retired)
        for pk, code, key, title, data, retired in rows
    ]


def enrolled_count(section: Section) -> int:
    return Enrollment.objects.filter(section=section).count()


# ---- groups -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SavedGroup:
    id: int
    objective: str
    reason: str
    status: str
    members: tuple[int, ...]
    created_at: datetime


def latest_verbal_tags(section: Section) -> dict[tuple[int, int], tuple[str, ...]]:
    """(student, objective id) → the misconception tags of the latest verbal check: one query."""
    found: dict[tuple[int, int], tuple[str, ...]] = {}
    for student, objective, tags in (
        ProgressEvent.objects.filter(section=section, kind="verbal")
        .order_by("at", "id")
        .values_list("student_id", "objective_id", "tags")
    ):
        found[(student, objective)] = tuple(str(t) for t in tags or ())
    return found


def alternates(objective_ids: list[int]) -> dict[int, list[tuple[int, str, str]]]:
    """Objective id → its alternate learning objects (id, kind, title), to re-teach from: one query."""
    found: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for pk, objective, kind, title in (
        LearningObject.objects.filter(objective__in=objective_ids, retired=False, is_primary=False)
        .order_by("objective_id", "order", "id")
        .values_list("id", "objective_id", "kind", "title")
    ):
        found[objective].append((pk, kind, title))
    return found


def saved_groups(section: Section) -> list[SavedGroup]:
    """The section's accepted and dismissed groups with their members: two queries."""
    groups = list(
        Group.objects.filter(section=section)
        .order_by("-created_at", "-id")
        .values_list("id", "objective__code", "reason", "status", "created_at")
    )
    members: dict[int, list[int]] = defaultdict(list)
    for group, student in Group.members.through.objects.filter(group__section=section).values_list(
        "group_id", "user_id"
    ):
        members[group].append(student)
    return [
        SavedGroup(pk, code, reason, status, tuple(sorted(members.get(pk, ()))), created)
        for pk, code, reason, status, created in groups
    ]


def group_in_section(section: Section, group_id: int) -> Group:
    found = Group.objects.select_related("objective").filter(section=section, pk=group_id).first()
    if found is None:
        raise NotFound("group not found")
    return found


# ---- the grid's sorting -----------------------------------------------------------------------------------


def waiting_since(section: Section) -> dict[int, datetime]:
    """Student → since when they wait in the section's queue (their oldest open entry): one query."""
    found: dict[int, datetime] = {}
    for student, since in (
        QueueEntry.objects.filter(section=section, resolved_at__isnull=True)
        .order_by()
        .values("student_id")
        .annotate(since=Min("created_at"))
        .values_list("student_id", "since")
    ):
        found[student] = since
    return found
