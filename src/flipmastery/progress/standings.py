"""Where students stand: their evidence fetched once, replayed by the domain's mastery loop.

Every page and API reads states through here, so the playlist, the check gate and the teacher's
grid can never disagree. Fetches are flat and fixed in number; the replay is pure Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import F

from flipmastery.accounts.names import name_fields, shown_name
from flipmastery.classroom.models import Section
from flipmastery.courses.models import Activity, LearningObject, Objective
from flipmastery.domain.gating import Evidence, Kind, Policy, Standing, last_active, policy_from, standing
from flipmastery.domain.mastery import State
from flipmastery.progress.models import ProgressEvent
from flipmastery.written_out import stored_moment


@dataclass(frozen=True)
class ObjectiveFacts:
    """What the loop needs to know of one objective, fetched once for a whole course."""

    id: int
    code: str
    prerequisites: tuple[int, ...]
    learning_objects: tuple[str, ...]  # ids, primary first
    activities: tuple[str, ...]
    policy: Policy


@dataclass(frozen=True)
class _Stored:
    """The facts of one objective that do not depend on the section (its policy does)."""

    id: int
    code: str
    prerequisites: tuple[int, ...]
    learning_objects: tuple[str, ...]
    activities: tuple[str, ...]
    threshold: float | None
    policy: Any


# (course id, its facts_version) → its live objectives' facts. The version is read with the section, so
# a change made by any process is seen at once; an old version is never asked for again.
_KEPT: dict[tuple[int, int], tuple[_Stored, ...]] = {}
_KEEP_AT_MOST = 512  # courses; a district's whole catalogue, a few kilobytes each


def forget_course_facts(course_id: int) -> None:
    """Called by a change to the course's facts: what this process kept of them goes."""
    for key in [k for k in _KEPT if k[0] == course_id]:
        _KEPT.pop(key, None)


def course_facts(
    section: Section, objectives: Iterable[Objective] | None = None, *, graph: bool = True
) -> list[ObjectiveFacts]:
    """The facts of every live objective of the section's course — from this process's memory when the
    course has not changed since, else in four queries — or of the objectives given (three queries
    without the prerequisite `graph`, when the caller resolves prerequisites itself)."""
    if objectives is None:
        course = section.course
        key = (course.pk, course.facts_version)
        stored = _KEPT.get(key)
        if stored is None:
            rows = list(
                Objective.objects.filter(course=course, retired=False)
                .annotate(read_at_version=F("course__facts_version"))
                .order_by()
            )
            stored = _fetch(rows, True)
            # kept under the version read with the rows, not the one the caller's Course carries: a change
            # whose transaction is rolled back leaves nothing under a version anyone will ask for again
            if rows and len(_KEPT) >= _KEEP_AT_MOST:
                _KEPT.clear()
            if rows:
                _KEPT[(course.pk, rows[0].read_at_version)] = stored
    else:
        stored = _fetch(list(objectives), graph)
    return [
        ObjectiveFacts(
            f.id,
            f.code,
            f.prerequisites,
            f.learning_objects,
            f.activities,
            policy_for(section, f.threshold, f.policy),
        )
        for f in stored
    ]


@dataclass(frozen=True)
class Parts:
    """What the mastery loop reads of some objectives besides their rows, by objective id."""

    prerequisites: Mapping[int, tuple[int, ...]]
    learning_objects: Mapping[int, tuple[str, ...]]  # ids, primary first
    activities: Mapping[int, tuple[str, ...]]


def parts_of(ids: Sequence[int], *, graph: bool = True) -> Parts:
    """The prerequisites (unless not `graph`), live learning objects and live activities of these
    objectives: three queries (two), whatever their number. The cockpit's course shapes read them here too."""
    prerequisites: dict[int, list[int]] = defaultdict(list)
    if graph:
        for source, target in Objective.prerequisites.through.objects.filter(
            from_objective__in=ids
        ).values_list("from_objective_id", "to_objective_id"):
            prerequisites[source].append(target)
    learning: dict[int, list[str]] = defaultdict(list)
    for lo_id, objective_id in (
        LearningObject.objects.filter(objective__in=ids, retired=False)
        .order_by("objective_id", "-is_primary", "order", "id")
        .values_list("id", "objective_id")
    ):
        learning[objective_id].append(str(lo_id))
    activities: dict[int, list[str]] = defaultdict(list)
    for a_id, objective_id in (
        Activity.objects.filter(objective__in=ids, retired=False)
        .order_by("order", "id")
        .values_list("id", "objective_id")
    ):
        activities[objective_id].append(str(a_id))
    return Parts(
        {k: tuple(v) for k, v in prerequisites.items()},
        {k: tuple(v) for k, v in learning.items()},
        {k: tuple(v) for k, v in activities.items()},
    )


def _fetch(rows: Sequence[Objective], graph: bool) -> tuple[_Stored, ...]:
    parts = parts_of([o.pk for o in rows], graph=graph)
    return tuple(
        _Stored(
            o.pk,
            o.code,
            parts.prerequisites.get(o.pk, ()),
            parts.learning_objects.get(o.pk, ()),
            parts.activities.get(o.pk, ()),
            o.threshold,
            o.policy,
        )
        for o in rows
    )


def policy_of(objective: Objective, section: Section) -> Policy:
    """The policy in force for one objective in one section (no queries once the course is loaded)."""
    return policy_for(section, objective.threshold, objective.policy)


def threshold_in(section: Section, objective_threshold: float | None) -> float:
    """Objective override, else section override, else the course default."""
    if objective_threshold is not None:
        return objective_threshold
    return section.threshold if section.threshold is not None else section.course.threshold


def policy_for(section: Section, objective_threshold: float | None, objective_policy: Any) -> Policy:
    """Course policy, then section, then objective; the threshold columns win over `threshold` keys."""
    threshold = threshold_in(section, objective_threshold)
    return policy_from(section.course.policy, section.policy, objective_policy, {"threshold": threshold})


# Read by every start, submit and piece of evidence, and by the grid for a class: written out, a third of
# the CPU the ORM spends building it (tests/progress pin the table and columns). Only placeholders are
# put in the text; the values go as parameters.
HISTORY = (
    "SELECT student_id, objective_id, kind, state, outcome, ref, reason, at FROM progress_progressevent"
    " WHERE section_id = %s AND student_id IN ({students}){objectives} ORDER BY at, id"
)
WRITTEN_OUT_AT_MOST = 500  # ids in one IN list; more (a school's report) go through the ORM


def histories(
    section: Section, student_ids: Iterable[int], objective_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], list[Evidence]]:
    """(student, objective) → evidence, from the progress events: one query.

    A learning object used is an event too ("used", ref = its id), besides its LearningObjectUse row,
    so one read of the history is enough for the replay."""
    students = list(student_ids)
    wanted = list(objective_ids) if objective_ids is not None else None
    found: dict[tuple[int, int], list[Evidence]] = defaultdict(list)
    if not students or (wanted is not None and not wanted):
        return found
    for student, objective, *event in _history_rows(section, students, wanted):
        item = stored_evidence(*event)
        if item is not None:
            found[(student, objective)].append(item)
    return found


def _history_rows(
    section: Section, students: list[int], wanted: list[int] | None
) -> Iterable[tuple[Any, ...]]:
    if len(students) > WRITTEN_OUT_AT_MOST or (wanted is not None and len(wanted) > WRITTEN_OUT_AT_MOST):
        events = ProgressEvent.objects.filter(section=section, student__in=students)
        if wanted is not None:
            events = events.filter(objective__in=wanted)
        return events.order_by("at", "id").values_list(
            "student_id", "objective_id", "kind", "state", "outcome", "ref", "reason", "at"
        )
    places = ", ".join(["%s"] * len(students))
    among = "" if wanted is None else " AND objective_id IN ({})".format(", ".join(["%s"] * len(wanted)))
    sql = HISTORY.format(students=places, objectives=among)
    with connection.cursor() as cursor:
        cursor.execute(sql, [section.pk, *students, *(wanted or ())])
        return cursor.fetchall()


# One student's history with how many events the student has in the section in all (what a start and a
# submit compare under their write lock to find anything added since): one statement, so both are read
# from the same moment, and there is always a row, with the count, when no event matches.
SIZED_HISTORY = (
    "SELECT c.n, e.objective_id, e.kind, e.state, e.outcome, e.ref, e.reason, e.at"
    " FROM (SELECT COUNT(*) AS n FROM progress_progressevent WHERE section_id = %s AND student_id = %s) c"
    " LEFT JOIN progress_progressevent e ON e.section_id = %s AND e.student_id = %s{objectives}"
    " ORDER BY e.at, e.id"
)


def sized_history(
    section_id: int, student_id: int, objective_ids: Iterable[int] | None = None
) -> tuple[dict[int, list[Evidence]], int]:
    """Objective → evidence of one student (of these objectives only, if given), and the number of the
    student's events in the section, all objectives and kinds: one query."""
    wanted = list(objective_ids) if objective_ids is not None else None
    if wanted is None:
        among = ""
    elif wanted:
        among = " AND e.objective_id IN ({})".format(", ".join(["%s"] * len(wanted)))
    else:
        among = " AND 1 = 0"  # no objective: only the count
    found: dict[int, list[Evidence]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(
            SIZED_HISTORY.format(objectives=among),
            [section_id, student_id, section_id, student_id, *(wanted or ())],
        )
        rows = cursor.fetchall()
    for _, objective, *event in rows:
        item = stored_evidence(*event) if objective is not None else None  # no event: the count's row
        if item is not None:
            found[objective].append(item)
    return found, int(rows[0][0])


def stored_evidence(
    kind: str, state: str, outcome: bool | None, ref: str, reason: str, at: object
) -> Evidence | None:
    """A stored event's columns as read by a cursor, as evidence for the replay (None if it only narrates)."""
    when = stored_moment(at)
    return to_evidence(kind, state, outcome, ref, reason, when) if when is not None else None


_KINDS = {k.value: k for k in Kind}


def to_evidence(
    kind: str, state: str, outcome: bool | None, ref: str, reason: str, at: datetime
) -> Evidence | None:
    """A stored event as evidence for the replay; events that only narrate (e.g. "opened") are skipped."""
    when = at.timestamp()
    if kind == "check_result":
        return Evidence(
            Kind.CHECK_RESULT, when, outcome=outcome if outcome is not None else state == State.MASTERED
        )
    if kind == "override":
        return Evidence(Kind.OVERRIDE, when, state=State(state), reason=reason or "recorded")
    found = _KINDS.get(kind)
    if found is None:
        return None
    return Evidence(found, when, outcome=outcome, ref=ref)


def standings(
    facts: list[ObjectiveFacts], history: Mapping[int, list[Evidence]], now: datetime
) -> dict[int, Standing]:
    """Objective id → standing for one student; prerequisites are resolved in dependency order."""
    by_id = {f.id: f for f in facts}
    result: dict[int, Standing] = {}
    pending = list(facts)
    moment = now.timestamp()
    while pending:
        progressed = []
        for f in pending:
            if all(p in result or p not in by_id for p in f.prerequisites):
                # a retired prerequisite (or one of another course) holds nothing back
                met = all(result[p].state is State.MASTERED for p in f.prerequisites if p in by_id)
                result[f.id] = standing(
                    history.get(f.id, []),
                    f.policy,
                    prerequisites_met=met,
                    learning_objects=f.learning_objects,
                    activities=f.activities,
                    now=moment,
                )
                progressed.append(f)
        if not progressed:  # a cycle cannot be imported, but never loop forever on bad data
            for f in pending:
                result[f.id] = standing(history.get(f.id, []), f.policy, prerequisites_met=False, now=moment)
            break
        done = {f.id for f in progressed}  # by id: comparing whole facts cost more than the replay
        pending = [f for f in pending if f.id not in done]
    return result


def student_standings(
    section: Section, student_id: int, now: datetime
) -> tuple[list[ObjectiveFacts], dict[int, Standing]]:
    facts = course_facts(section)
    found = histories(section, [student_id])
    return facts, standings(facts, {o: h for (_, o), h in found.items()}, now)


@dataclass(frozen=True)
class ClassRow:
    student_id: int
    username: str
    name: str
    states: dict[str, Standing]  # objective code → standing
    last_activity: datetime | None


def class_progress(section: Section, now: datetime) -> tuple[list[ObjectiveFacts], list[ClassRow]]:
    """Every student of the section on every objective: a fixed number of queries, then pure replay."""
    from flipmastery.classroom.models import Enrollment

    facts = course_facts(section)
    students = list(
        Enrollment.objects.filter(section=section)
        .order_by("student__username")
        .values_list("student_id", *name_fields("student"))
    )
    found = histories(section, [s for s, *_ in students])
    last: dict[int, float] = {}
    per_student: dict[int, dict[int, list[Evidence]]] = defaultdict(dict)
    for (student, objective), items in found.items():
        per_student[student][objective] = items
        active = last_active(items)
        if active is not None:
            last[student] = max(last.get(student, 0.0), active)
    rows = []
    for student, *who in students:
        result = standings(facts, per_student.get(student, {}), now)
        when = datetime.fromtimestamp(last[student], tz=now.tzinfo) if student in last else None
        rows.append(ClassRow(student, who[0], shown_name(*who), {f.code: result[f.id] for f in facts}, when))
    return facts, rows
