"""The pacing charts as geometry for a server-rendered SVG (no chart library): numbers in, shapes out.

The template draws them; every number is computed here, so the charts need no script and no style
attribute (the Content-Security-Policy allows neither inline).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flipmastery.cockpit.board import DAY, Board, StudentRow, start_of

WIDTH = 760
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 14, 34
BAR_ROW = 24
BAR_LEFT = 170
BAR_RIGHT = 210


@dataclass(frozen=True)
class Tick:
    at: float  # x or y in the chart's coordinates
    label: str


@dataclass(frozen=True)
class Line:
    points: str  # "x,y x,y …" for <polyline>
    behind: bool
    name: str


@dataclass(frozen=True)
class OverTime:
    """Objectives mastered over the course's days: the benchmark line and each student's steps."""

    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    benchmark: str
    students: list[Line]
    today: float


@dataclass(frozen=True)
class Bar:
    y: float
    name: str
    label: str  # the name, shortened to fit beside the bar
    bar_y: float
    mastered: int
    expected: int
    behind: int
    bar_width: float
    expected_x: float
    finish: date | None
    text_x: float


@dataclass(frozen=True)
class Bars:
    """One bar per student: mastered today, with a mark where the benchmark expects them to be."""

    width: int
    height: int
    left: int
    scale_right: float
    bars: list[Bar]
    ticks: list[Tick]
    top: int
    bottom: int


def over_time(board: Board, now: datetime, total: int) -> OverTime:
    now_day = board.today
    end_day = max([now_day, *(b.day for b in board.benchmarks), 7.0])
    height = 300
    right, bottom = WIDTH - RIGHT, height - BOTTOM
    top_count = max(total, 1)

    def x(day: float) -> float:
        return round(LEFT + (right - LEFT) * min(max(day, 0.0), end_day) / end_day, 1)

    def y(count: float) -> float:
        return round(bottom - (bottom - TOP) * count / top_count, 1)

    bench = [(0.0, 0)] + [(float(b.day), b.mastered) for b in board.benchmarks]
    benchmark = " ".join(f"{x(d)},{y(m)}" for d, m in bench)
    start = start_of(board.plan, now)
    lines = []
    for row in board.rows:
        days = sorted(
            (c.mastered_at - start).total_seconds() / DAY for c in row.cells.values() if c.mastered_at
        )
        points, count = [f"{x(0)},{y(0)}"], 0
        for day in days:
            points.append(f"{x(day)},{y(count)}")
            count += 1
            points.append(f"{x(day)},{y(count)}")
        points.append(f"{x(now_day)},{y(count)}")
        lines.append(Line(" ".join(points), row.behind > 0, row.name))
    weeks = math.ceil(end_day / 7)
    step = max(1, math.ceil(weeks / 10))
    x_ticks = [Tick(x(w * 7), f"w{w}") for w in range(0, weeks + 1, step)]
    y_step = max(1, math.ceil(top_count / 6))
    y_ticks = [Tick(y(n), str(n)) for n in range(0, top_count + 1, y_step)]
    return OverTime(WIDTH, height, LEFT, right, TOP, bottom, x_ticks, y_ticks, benchmark, lines, x(now_day))


def bars(board: Board, total: int) -> Bars:
    rows = sorted(board.rows, key=lambda r: (-r.behind, r.name.lower()))
    scale_right = WIDTH - BAR_RIGHT
    span = scale_right - BAR_LEFT
    top_count = max(total, 1)
    made = []
    for i, row in enumerate(rows):
        made.append(_bar(row, i, span, top_count, scale_right))
    step = max(1, math.ceil(top_count / 5))
    ticks = [Tick(round(BAR_LEFT + span * n / top_count, 1), str(n)) for n in range(0, top_count + 1, step)]
    bottom = TOP + BAR_ROW * len(rows)
    return Bars(WIDTH, bottom + 26, BAR_LEFT, scale_right, made, ticks, TOP, bottom)


def _bar(row: StudentRow, i: int, span: float, top_count: int, scale_right: float) -> Bar:
    p = row.pace
    return Bar(
        y=TOP + BAR_ROW * i,
        name=row.name,
        label=row.name if len(row.name) <= 22 else row.name[:21] + "…",
        bar_y=TOP + BAR_ROW * i + 3,
        mastered=p.mastered,
        expected=p.expected,
        behind=p.behind,
        bar_width=round(span * p.mastered / top_count, 1),
        expected_x=round(BAR_LEFT + span * p.expected / top_count, 1),
        finish=row.projected_finish,
        text_x=scale_right + 8,
    )


def plan_end(board: Board, total: int) -> date | None:
    """The day the benchmarks expect every objective mastered."""
    last = next((b for b in board.benchmarks if b.mastered >= total), None)
    return board.plan.start + timedelta(days=last.day) if last else None
