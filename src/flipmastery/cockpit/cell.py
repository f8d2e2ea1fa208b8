"""One cell of the class grid read whole: a student on an objective, as the teacher's panel shows it.

The standing is the mastery loop's replay of the student's evidence (`progress.standings`, the replay the
grid, the playlist and the queue read), so the panel never says anything the grid does not. Everything
is fetched in a fixed number of queries, whatever the length of the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q

from flipmastery.assessments.models import Attempt
from flipmastery.classroom.models import Section
from flipmastery.cockpit.selectors import HistoryEntry, student_history, student_in_section
from flipmastery.courses.models import Activity, LearningObject, Objective
from flipmastery.domain.errors import NotFound
from flipmastery.domain.gating import Standing
from flipmastery.domain.mastery import State
from flipmastery.progress.standings import student_standings


@dataclass(frozen=True)
class AttemptLine:
    """One check (or unit test) that asked this objective, with its result on it."""

    id: int
    kind: str
    started_at: datetime
    submitted_at: datetime | None
    score: int | None  # percent on this objective; None while open or waiting for grading
    threshold: int | None
    passed: bool | None
    pending: bool
    on_paper: bool


@dataclass(frozen=True)
class ActivityLine:
    id: int
    title: str
    signed_off: bool


@dataclass(frozen=True)
class CellView:
    student_id: int
    username: str
    name: str
    objective: Objective
    standing: Standing
    activities: tuple[ActivityLine, ...]
    ways: tuple[tuple[str, bool], ...]  # the ways to learn it prescribed after "not yet": title, used since
    attempts: tuple[AttemptLine, ...]
    history: tuple[HistoryEntry, ...]

    @property
    def state(self) -> State:
        return self.standing.state

    @property
    def missing(self) -> tuple[ActivityLine, ...]:
        return tuple(a for a in self.activities if not a.signed_off)

    @property
    def retake_closed(self) -> bool:
        """A "not yet" whose retake gate is still closed: the only time a release changes anything."""
        return self.standing.state is State.NOT_YET


def objective_of(section: Section, objective_id: int) -> Objective:
    """An objective of the section's course (not retired), by id: one query; "not found" otherwise."""
    found = (
        Objective.objects.select_related("unit")
        .filter(pk=objective_id, course_id=section.course_id, retired=False)
        .first()
    )
    if found is None:
        raise NotFound("objective not found in this course")
    return found


def cell_view(section: Section, student_id: int, objective_id: int, now: datetime) -> CellView:
    """The student (enrolled in the section) on the objective (of its course): ten queries."""
    student = student_in_section(section, student_id)
    objective = objective_of(section, objective_id)
    _facts, standing_of = student_standings(section, student[0], now)
    standing = standing_of[objective.pk]
    activities = tuple(
        ActivityLine(pk, title, str(pk) not in standing.activities_missing)
        for pk, title in Activity.objects.filter(objective=objective, retired=False)
        .order_by("order", "id")
        .values_list("id", "title")
    )
    ways: tuple[tuple[str, bool], ...] = ()
    if standing.correctives and standing.state in (State.NOT_YET, State.READY_TO_RETAKE):
        titles = dict(
            LearningObject.objects.filter(pk__in=[int(c) for c in standing.correctives]).values_list(
                "id", "title"
            )
        )
        ways = tuple((titles.get(int(c), "?"), c in standing.correctives_done) for c in standing.correctives)
    return CellView(
        student[0],
        student[1],
        student[2],
        objective,
        standing,
        activities,
        ways,
        tuple(attempts_on(section, student[0], objective)),
        tuple(student_history(section, student[0], objective.code)),
    )


def attempts_on(section: Section, student_id: int, objective: Objective) -> list[AttemptLine]:
    """The student's checks of this objective and unit tests of its unit that asked it, newest first:
    one query."""
    rows = (
        Attempt.objects.filter(section=section, student_id=student_id)
        .filter(Q(objective=objective) | Q(objective__isnull=True, unit_id=objective.unit_id))
        .order_by("-started_at", "-id")
        .values_list(
            "id", "kind", "state", "started_at", "submitted_at", "result", "thresholds", "paper_code"
        )
    )
    found = []
    for pk, kind, state, started, submitted, result, thresholds, paper in rows:
        asked = objective.code in (thresholds or {})
        mine = _result_on(result, objective.code)
        if not asked and mine is None:
            continue  # a unit test that left this objective out
        score = threshold = None
        passed, pending = None, False
        if state == Attempt.State.SUBMITTED and mine is not None:
            pending = bool(mine.get("pending"))
            if not pending:
                score = round(float(mine.get("score") or 0.0) * 100)
                passed = mine.get("passed")
                if passed is None:
                    passed = bool(mine.get("mastered"))
            if mine.get("threshold") is not None:
                threshold = round(float(mine["threshold"]) * 100)
        elif asked:
            threshold = round(float(thresholds[objective.code]) * 100)
        found.append(
            AttemptLine(pk, kind, started, submitted, score, threshold, passed, pending, bool(paper))
        )
    return found


def _result_on(result: Any, code: str) -> dict[str, Any] | None:
    if not isinstance(result, dict):
        return None
    return next((o for o in result.get("objectives", []) if o.get("code") == code), None)
