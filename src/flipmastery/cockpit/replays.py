"""Each student's replay, kept in this process and reused until something it depends on changes.

Replaying a class (fetching every event and running the mastery loop on every cell) is most of the
grid's cost, and between two looks at the grid only a few students have done anything. So a replay is
kept with a marker of what it was made from — the student's events (newest id and count: they are
append-only), their attempts (newest id, latest submission) and their enrollment — and the course's
facts (objectives, prerequisites, ways to learn, activities, policies, all compared by value). A look at
the grid reads the markers of the whole class in one query and replays only the students whose marker
moved. When a policy has a retake cooldown the replay also depends on the clock, so it is kept for the
minute only. Each replay is also put in the shared cache, under its marker and a digest of the course's
facts, so a restarted or a second server finds it there. Nothing here decides anything: a moved marker
only means a fresh replay, and markers are read before the evidence, so a replay is never older than the
marker it is kept with.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Hashable, Sequence
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import connection

from flipmastery.accounts.models import User
from flipmastery.accounts.names import shown_name
from flipmastery.assessments.models import Attempt
from flipmastery.classroom.models import Enrollment, Section
from flipmastery.cockpit.board import Replayed, replay
from flipmastery.progress.models import ProgressEvent
from flipmastery.progress.standings import ObjectiveFacts, histories

SECTIONS_KEPT = 200  # a school's sections; a section not looked at for a while is replayed afresh

# section id → (what the course's facts were, student id → (marker, replay))
_kept: OrderedDict[int, tuple[Hashable, dict[int, tuple[Hashable, Replayed]]]] = OrderedDict()
_lock = threading.Lock()
# section id → (the grid version's marks they were read under, its students with markers): `enrolled_in`
_enrolled_kept: OrderedDict[int, tuple[str, list[Enrolled]]] = OrderedDict()


def forget() -> None:
    """Drop every kept replay, and stop reading those this process put in the shared cache (tests, whose
    rolled-back transactions give the same ids and so the same markers to other histories; a server never
    needs it: its ids are never given twice)."""
    global _generation
    with _lock:
        _kept.clear()
        _course_keys.clear()
        _enrolled_kept.clear()
        _generation = secrets.token_hex(4)


def _table(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


Enrolled = tuple[int, str, str, Hashable]  # student id, username, name, marker


def enrolled_with_markers(section: Section) -> list[Enrolled]:
    """The section's students (id, username, name) with the marker of what their replay depends on:
    one query."""
    return enrolled_in([section.pk]).get(section.pk, [])


def enrolled_in(sections: Sequence[int], seen: str = "") -> dict[int, list[Enrolled]]:
    """Section id → its students with their markers, for any number of sections in one query. Written in
    SQL (portable: derived tables and aggregates) because it runs on every look at the grid, and the
    ORM would spend longer building it than the database answering it.

    `seen`: for one section, its grid version's marks read just before (`grid_version`: the newest
    event, attempt and enrollment, their counts, the minute). While they are the same, nobody joined,
    left, acted or submitted, so the rows this process read under them are the rows: the look at the
    grid makes no aggregate over the section's history (a name changed shows within the minute, as the
    grid's version says)."""
    if not sections:
        return {}
    if seen and len(sections) == 1:
        with _lock:
            kept = _enrolled_kept.get(sections[0])
        if kept is not None and kept[0] == seen:
            return {sections[0]: kept[1]}
        read = enrolled_in(sections)
        with _lock:
            _enrolled_kept[sections[0]] = (seen, read.get(sections[0], []))
            _enrolled_kept.move_to_end(sections[0])
            while len(_enrolled_kept) > SECTIONS_KEPT:
                _enrolled_kept.popitem(last=False)
        return read
    marks = ", ".join(["%s"] * len(sections))
    sql = f"""
        SELECT e.section_id, e.student_id, u.username, u.display_name, u.first_name, u.last_name,
               e.joined_at, ev.last, ev.n, at.last, at.submitted
        FROM {_table(Enrollment)} e
        JOIN {_table(User)} u ON u.id = e.student_id
        LEFT JOIN (SELECT section_id, student_id, MAX(id) AS last, COUNT(id) AS n FROM {_table(ProgressEvent)}
                   WHERE section_id IN ({marks}) GROUP BY section_id, student_id) ev
               ON ev.section_id = e.section_id AND ev.student_id = e.student_id
        LEFT JOIN (SELECT section_id, student_id, MAX(id) AS last, MAX(submitted_at) AS submitted
                   FROM {_table(Attempt)}
                   WHERE section_id IN ({marks}) GROUP BY section_id, student_id) at
               ON at.section_id = e.section_id AND at.student_id = e.student_id
        WHERE e.section_id IN ({marks})
        ORDER BY e.section_id, u.username
    """  # noqa: S608 - table names from the models; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [*sections, *sections, *sections])
        rows = cursor.fetchall()
    found: dict[int, list[Enrolled]] = defaultdict(list)
    for section, pk, username, name, first, last, joined, event, events, attempt, submitted in rows:
        marker = (joined, event, events, attempt, submitted)
        found[section].append((pk, username, shown_name(username, name, first, last), marker))
    return found


def replays(
    section: Section,
    facts: list[ObjectiveFacts],
    students: Sequence[Enrolled],
    now: datetime,
) -> dict[int, Replayed]:
    """Student → replay, replaying only those whose marker moved (two queries when any did). A replay this
    process does not keep is looked for in the shared cache (one read for the class), where each new one
    is also put: a restarted or a second server finds the class replayed."""
    from flipmastery.cockpit.selectors import latest_scores  # selectors imports this module

    clock = int(now.timestamp() // 60) if any(f.policy.retake_cooldown_minutes for f in facts) else None
    course = (section.created_at, tuple(facts))  # created_at: a test database may reuse an id
    with _lock:
        known = _kept.get(section.pk)
    kept = dict(known[1]) if known is not None and known[0] == course else {}
    wanted = {pk: (marker, clock) for pk, _, _, marker in students}
    stale = [pk for pk, marker in wanted.items() if pk not in kept or kept[pk][0] != marker]
    key = _course_key(section.created_at, facts) if stale else ""
    if stale:
        shared = _shared(section, key, {pk: wanted[pk] for pk in stale})
        kept.update(shared)
        stale = [pk for pk in stale if pk not in shared]
    if stale:
        per_student: dict[int, dict[int, list[Any]]] = defaultdict(dict)
        for (student, objective), items in histories(section, stale).items():
            per_student[student][objective] = items
        scores, attempted = latest_scores(section, stale)
        by_student: dict[int, dict[str, tuple[float, bool]]] = defaultdict(dict)
        for (student, code), score in scores.items():
            by_student[student][code] = score
        for pk in stale:
            made = replay(facts, per_student.get(pk, {}), by_student.get(pk, {}), attempted.get(pk), now)
            kept[pk] = (wanted[pk], made)
        if len(stale) > FEW:  # a class replayed at once: one entry (a file cache lists its folder per write)
            cache.set(CLASS.format(section.pk), (key, {pk: kept[pk] for pk in wanted}), SHARED_SECONDS)
        else:
            cache.set_many({SHARED.format(section.pk, pk): (key, *kept[pk]) for pk in stale}, SHARED_SECONDS)
    result = {pk: kept[pk][1] for pk in wanted}
    with _lock:
        _kept[section.pk] = (course, {pk: kept[pk] for pk in wanted})
        _kept.move_to_end(section.pk)
        while len(_kept) > SECTIONS_KEPT:
            _kept.popitem(last=False)
    return result


SHARED = "cockpit:replay:1:{}:{}"  # the format, section, student
CLASS = "cockpit:replays:1:{}"  # the format, section: a class replayed at once
FEW = 8
SHARED_SECONDS = 24 * 3600
# (id of a section's facts, its created_at) → (those facts, their digest)
_course_keys: OrderedDict[tuple[int, datetime], tuple[list[ObjectiveFacts], str]] = OrderedDict()
_generation = ""  # every server process reads the same replays, until `forget`


def _course_key(created: datetime, facts: list[ObjectiveFacts]) -> str:
    """A digest of the course's facts in the section (the same list while they do not change, see
    course_shapes): a replay kept under other facts is never taken."""
    with _lock:
        found = _course_keys.get((id(facts), created))
    if found is not None and found[0] is facts:
        return found[1]
    digest = hashlib.sha256(repr((_generation, created, facts)).encode()).hexdigest()
    with _lock:
        _course_keys[(id(facts), created)] = (facts, digest)
        while len(_course_keys) > SECTIONS_KEPT:
            _course_keys.popitem(last=False)
    return digest


def _shared(
    section: Section, course: str, wanted: dict[int, Hashable]
) -> dict[int, tuple[Hashable, Replayed]]:
    """The replays the shared cache keeps for these students under these markers: one read, of each
    student's entry and the class's."""
    found = cache.get_many([CLASS.format(section.pk), *(SHARED.format(section.pk, pk) for pk in wanted)])
    whole = found.get(CLASS.format(section.pk))
    class_kept: dict[int, tuple[Hashable, Replayed]] = {}
    if isinstance(whole, tuple) and len(whole) == 2 and whole[0] == course and isinstance(whole[1], dict):
        class_kept = whole[1]
    kept = {}
    for pk, marker in wanted.items():
        entry = found.get(SHARED.format(section.pk, pk))
        made: object = None
        if isinstance(entry, tuple) and len(entry) == 3 and entry[0] == course and entry[1] == marker:
            made = entry[2]
        elif pk in class_kept and class_kept[pk][0] == marker:
            made = class_kept[pk][1]
        if isinstance(made, Replayed):
            kept[pk] = (marker, made)
    return kept
