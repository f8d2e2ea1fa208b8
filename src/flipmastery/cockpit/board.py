"""The class board computed from plain facts fetched once: no queries here (Saleor's fetch → calculate).

`replay` runs one student's evidence through the mastery loop (`progress.standings`, the same replay as
every other page) and keeps what the teacher reads off a cell: state, attempts, latest score, review
due, the gate, and since when and by what evidence. `board` adds, for the whole class, pace against the
benchmarks and the grade from the plan's scale. `selectors.class_facts` fetches the facts in a fixed
number of queries and keeps replays between looks (`replays`).
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flipmastery.cockpit.plans import Plan
from flipmastery.domain.cockpit import (
    Benchmark,
    Grade,
    GradeRule,
    Pace,
    expected_by,
    grade,
    pace,
    weekly_benchmarks,
)
from flipmastery.domain.gating import Evidence, Standing, last_active
from flipmastery.domain.mastery import State
from flipmastery.progress.standings import ObjectiveFacts, standings

DAY = 86400.0


@dataclass(frozen=True)
class Column:
    """An objective as the grid's header shows it."""

    id: int
    code: str
    statement: str
    tier: str
    unit_code: str
    unit_title: str
    grading_period: str

    @property
    def essential(self) -> bool:
        return self.tier == "essential"


@dataclass(frozen=True)
class Cell:
    state: State
    attempts: int
    last_score: float | None
    pending: bool  # the latest check waits for the teacher's grading
    review_due: bool
    gate: tuple[str, ...]
    check_passed: bool  # passed the check; waiting only for activity sign-offs
    since: datetime | None  # when the student reached this state (None: never moved)
    evidence: str  # the kind of evidence that put them there ("check_result", "override", "activity", …)

    @property
    def mastered_at(self) -> datetime | None:
        return self.since if self.state is State.MASTERED else None


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: what is built from it is kept by it
class Replayed:
    """One student replayed on every objective: what costs the time, so it can be kept (`replays`)."""

    cells: dict[str, Cell]  # objective code → cell
    last_activity: datetime | None


@dataclass(frozen=True)
class ClassFacts:
    """Everything the board needs (see `selectors.class_facts`)."""

    columns: list[Column]
    students: list[tuple[int, str, str]]  # id, username, shown name (accounts.names.shown_name)
    replayed: Mapping[int, Replayed]  # student → their replay
    plan: Plan


@dataclass(frozen=True)
class StudentRow:
    id: int
    username: str
    name: str
    cells: dict[str, Cell]  # objective code → cell
    last_activity: datetime | None
    pace: Pace
    projected_finish: date | None
    grade: Grade
    replayed: (
        Replayed  # where the cells come from (pages keep what they build from it, see web/cockpit_cells.py)
    )

    @property
    def behind(self) -> int:
        return self.pace.behind


@dataclass(frozen=True)
class Board:
    columns: list[Column]
    rows: list[StudentRow]
    plan: Plan
    benchmarks: list[Benchmark]
    today: float  # days since the plan's start
    expected: int  # objectives expected mastered today

    @property
    def essentials(self) -> set[str]:
        return {c.code for c in self.columns if c.essential}

    def only(self, codes: set[str]) -> Board:
        """The same board showing only some objectives (pace and grade stay whole-course)."""
        return Board(
            [c for c in self.columns if c.code in codes],
            self.rows,
            self.plan,
            self.benchmarks,
            self.today,
            self.expected,
        )


def start_of(plan: Plan, now: datetime) -> datetime:
    return datetime.combine(plan.start, time.min, tzinfo=now.tzinfo)


def replay(
    facts: list[ObjectiveFacts],
    history: Mapping[int, list[Evidence]],
    scores: Mapping[str, tuple[float, bool]],
    attempted: datetime | None,
    now: datetime,
) -> Replayed:
    """One student's cells from their evidence (objective id → evidence, in time order) and latest
    scores (objective code → score, pending?), with the mastery loop's own replay."""
    found = standings(facts, history, now)
    code_of = {f.id: f.code for f in facts}
    cells = {
        code_of[oid]: _cell(s, history.get(oid, []), scores.get(code_of[oid]), now)
        for oid, s in found.items()
    }
    latest = [t for t in map(last_active, history.values()) if t is not None]
    when = datetime.fromtimestamp(max(latest), tz=now.tzinfo) if latest else None
    if attempted is not None and (when is None or attempted > when):
        when = attempted
    return Replayed(cells, when)


def board(facts: ClassFacts, now: datetime) -> Board:
    """Every student on every objective, with pace and grade: linear in the class, no queries."""
    plan = facts.plan
    start = start_of(plan, now)
    today = max((now - start).total_seconds() / DAY, 0.0)
    total = len(facts.columns)
    benchmarks = weekly_benchmarks(total, plan.per_week) if total else []
    essential = {c.code for c in facts.columns if c.essential}
    rows = []
    begins = start.timestamp()
    columns = tuple((c.code, c.code in essential) for c in facts.columns)
    for student, username, name in facts.students:
        replayed = facts.replayed[student]
        days = [max((t - begins) / DAY, 0.0) for t in _mastered_at(replayed)]
        their_pace = pace(days, total, benchmarks, today)
        finish = their_pace.projected_finish_day
        rows.append(
            StudentRow(
                student,
                username,
                name,
                replayed.cells,
                replayed.last_activity,
                their_pace,
                plan.start + timedelta(days=finish) if finish is not None else None,
                _grade(replayed, columns, plan.rules),
                replayed,
            )
        )
    expected = min(expected_by(benchmarks, today), total)
    return Board(facts.columns, rows, plan, benchmarks, today, expected)


@functools.lru_cache(maxsize=8192)
def _mastered_at(replayed: Replayed) -> tuple[float, ...]:
    """When each mastered objective was mastered (a replay never changes: kept with it)."""
    return tuple(
        c.since.timestamp()
        for c in replayed.cells.values()
        if c.since is not None and c.state is State.MASTERED
    )


@functools.lru_cache(maxsize=8192)
def _grade(replayed: Replayed, columns: tuple[tuple[str, bool], ...], rules: tuple[GradeRule, ...]) -> Grade:
    """The grade of a replay over these objectives (code, essential?) on this scale (kept with them)."""
    cells = replayed.cells
    essential = {code for code, is_essential in columns if is_essential}
    return grade({code: cells[code].state for code, _ in columns}, essential, rules)


def _cell(s: Standing, history: list[Evidence], score: tuple[float, bool] | None, now: datetime) -> Cell:
    since, evidence = None, ""
    if s.transitions:
        # `standing` replays the history sorted by time (stable), and a transition's index points into
        # that order; `histories` already gives it in that order, so sorting again costs nothing.
        ordered = sorted(history, key=lambda e: e.at)
        last = s.transitions[-1]
        same = last.state is s.state or (s.state, last.state) == (State.READY_TO_RETAKE, State.NOT_YET)
        if same and last.because < len(ordered):
            cause = ordered[last.because]
            since = datetime.fromtimestamp(cause.at, tz=now.tzinfo)
            evidence = cause.kind.value
    return Cell(
        s.state,
        s.attempts,
        score[0] if score else None,
        bool(score and score[1]),
        s.review_due,
        s.gate,
        s.check_passed,
        since,
        evidence,
    )


def grade_over(row: StudentRow, columns: Sequence[Column], plan: Plan) -> Grade:
    """The grade counting only some objectives (a grading period's)."""
    essential = {c.code for c in columns if c.essential}
    return grade({c.code: row.cells[c.code].state for c in columns}, essential, plan.rules)


# The grid's orders, for the page and the API alike.
STATE_SORT = "state:"  # + an objective's code: that objective's state, "not yet" first
# An objective's states in the order a teacher acts on them: who failed, who waits to retake, who is being
# checked or asked to be, who is learning, ready, locked, and those done last.
STATE_ORDER = {
    s: n
    for n, s in enumerate(
        (
            State.NOT_YET,
            State.READY_TO_RETAKE,
            State.CHECKING,
            State.CHECK_REQUESTED,
            State.LEARNING,
            State.READY,
            State.LOCKED,
            State.MASTERED,
        )
    )
}


def name_key(r: StudentRow) -> tuple[str, str]:
    return (r.name.casefold(), r.username)


def sorted_rows(rows: list[StudentRow], sort: str, waiting: dict[int, datetime]) -> list[StudentRow]:
    """The grid's rows in the order asked for: "name", "behind" (most behind first), "waiting" (in the
    queue first, the longest wait first; `waiting` is student → since when) or "state:<code>"."""
    by_name = sorted(rows, key=name_key)
    if sort == "behind":
        return sorted(by_name, key=lambda r: -r.behind)
    if sort == "waiting":
        latest = datetime.max.replace(tzinfo=UTC)
        return sorted(by_name, key=lambda r: waiting.get(r.id, latest))
    if sort.startswith(STATE_SORT):
        code = sort[len(STATE_SORT) :]
        return sorted(by_name, key=lambda r: STATE_ORDER[r.cells[code].state] if code in r.cells else 99)
    return by_name


@dataclass(frozen=True)
class RowFilter:
    """Which students the grid shows: all of these that are set must hold (no queries: `waiting` is the
    set of students in the queue, fetched by the caller only when asked for)."""

    behind: bool = False  # behind the pacing benchmark
    waiting: bool = False  # in the teacher's queue
    objective: str = ""  # with `states`: in one of them on this objective ("": on any objective shown)
    states: frozenset[State] = frozenset()
    name: str = ""  # part of the name or the username, any case

    @property
    def active(self) -> bool:
        return bool(self.behind or self.waiting or self.states or self.name.strip())


def filtered_rows(
    rows: list[StudentRow], keep: RowFilter, waiting: Collection[int] = (), codes: Sequence[str] = ()
) -> list[StudentRow]:
    """The rows the filter keeps, in their order; `codes` are the objectives shown (for a state on any)."""
    wanted = keep.name.strip().casefold()
    looked_at = [keep.objective] if keep.objective else list(codes)

    def kept(r: StudentRow) -> bool:
        if keep.behind and not r.behind:
            return False
        if keep.waiting and r.id not in waiting:
            return False
        if keep.states and not any(
            code in r.cells and r.cells[code].state in keep.states for code in looked_at or r.cells
        ):
            return False
        return not wanted or wanted in r.name.casefold() or wanted in r.username.casefold()

    return [r for r in rows if kept(r)] if keep.active else rows
