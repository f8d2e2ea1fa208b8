"""What the teacher's queue shows, fetched in a fixed number of queries whatever the queue's length, then
computed in plain Python: each waiting student with where they stand on the objective they wait about."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flipmastery.accounts.names import name_fields, shown_name
from flipmastery.assessments.models import Attempt
from flipmastery.classroom.models import Enrollment, Section
from flipmastery.courses.models import Activity, LearningObject, Objective
from flipmastery.domain.gating import Standing
from flipmastery.domain.mastery import State, next_objective
from flipmastery.notes.selectors import notes_counts
from flipmastery.progress.selectors import WaitingEntry
from flipmastery.progress.standings import ObjectiveFacts, course_facts, histories, standings
from flipmastery.web.views_loop import AFTER_NOT_YET


@dataclass(frozen=True)
class Row:
    entry: WaitingEntry
    state: State | None  # where the student stands on the entry's objective now
    gate: tuple[str, ...]  # what a retake still needs (domain.gating's GATE_* words)
    attempts: int
    last_attempt: int | None
    ways: tuple[tuple[str, bool], ...]  # other ways to learn it prescribed after "not yet": title, used
    activities: tuple[tuple[int, str], ...]  # required activities not signed off yet
    suggested: str  # for help with no objective: the student's first open objective
    resolved: bool = False
    done: str = ""  # the action just recorded
    error: str = ""  # a rule's refusal, in its words
    refused: str = ""  # or the page's own refusal, by code
    notes: tuple[int, int, int] | None = None  # guided notes on the objective: filled, boxes, objective id

    @property
    def minutes(self) -> int:
        return max(self.entry.waiting_seconds, 0) // 60

    @property
    def hours(self) -> int:
        return self.minutes // 60

    @property
    def rest(self) -> int:
        return self.minutes % 60


@dataclass(frozen=True)
class Board:
    """Everything the queue page shows, fetched in a fixed number of queries whatever the queue's length."""

    rows: list[Row]
    codes: list[str]  # the course's objectives in order
    activities: list[tuple[int, str, str]]  # id, objective code, title
    students: list[tuple[int, str]]  # id, shown name
    states: tuple[str, ...] = tuple(s.value for s in State)


def board(section: Section, entries: list[WaitingEntry], now: datetime, *, everyone: bool = True) -> Board:
    ordered = list(
        Objective.objects.filter(course_id=section.course_id, retired=False).order_by(
            "unit__order", "unit_id", "order", "id"
        )
    )
    facts = course_facts(section, ordered)
    activities = list(
        Activity.objects.filter(objective__in=ordered, retired=False)
        .order_by("objective__unit__order", "objective__order", "order", "id")
        .values_list("id", "objective__code", "title")
    )
    students: list[tuple[int, str]] = []
    if everyone:
        students = [
            (pk, shown_name(*who))
            for pk, *who in Enrollment.objects.filter(section=section)
            .order_by("student__username")
            .values_list("student_id", *name_fields("student"))
        ]
    return Board(
        _rows(section, entries, facts, activities, now), [f.code for f in facts], activities, students
    )


def _rows(
    section: Section,
    entries: list[WaitingEntry],
    facts: list[ObjectiveFacts],
    activities: list[tuple[int, str, str]],
    now: datetime,
) -> list[Row]:
    if not entries:
        return []
    ids = {e.student_id for e in entries}
    per_student: dict[int, dict[int, Any]] = defaultdict(dict)
    for (student, objective), history in histories(section, ids).items():
        per_student[student][objective] = history
    standing_of = {sid: standings(facts, per_student.get(sid, {}), now) for sid in ids}
    by_code = {f.code: f for f in facts}
    codes = {e.objective for e in entries if e.objective}
    latest: dict[tuple[int, str], int] = {}
    for sid, code, attempt_id in (
        Attempt.objects.filter(section=section, student_id__in=ids, objective__code__in=codes)
        .order_by("-started_at", "-id")
        .values_list("student_id", "objective__code", "id")
    ):
        latest.setdefault((sid, code), attempt_id)
    wanted = {
        lo
        for e in entries
        if e.objective in by_code
        for lo in standing_of[e.student_id][by_code[e.objective].id].correctives
    }
    titles = dict(LearningObject.objects.filter(pk__in=wanted).values_list("id", "title")) if wanted else {}
    notes = notes_counts(section, ids, codes)
    rows = []
    for e in entries:
        fact = by_code.get(e.objective)
        mine = standing_of[e.student_id]
        s: Standing | None = mine[fact.id] if fact is not None else None
        rows.append(
            Row(
                entry=e,
                state=s.state if s else None,
                gate=s.gate if s else (),
                attempts=s.attempts if s else 0,
                last_attempt=latest.get((e.student_id, e.objective)),
                ways=tuple((titles.get(int(lo), "?"), lo in s.correctives_done) for lo in s.correctives)
                if s and s.state in AFTER_NOT_YET
                else (),
                activities=tuple(
                    (a_id, title)
                    for a_id, code, title in activities
                    if s and code == e.objective and str(a_id) in s.activities_missing
                ),
                suggested=next_objective((f.code, mine[f.id].state) for f in facts) or "",
                notes=(*notes[(e.student_id, e.objective)], fact.id)
                if fact is not None and (e.student_id, e.objective) in notes
                else None,
            )
        )
    return rows
