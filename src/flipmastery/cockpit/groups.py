"""Suggested micro-groups from the class board (no queries here): students stuck on the same objective,
those sharing a misconception tag from their latest verbal check first (`domain.cockpit.micro_groups`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flipmastery.cockpit.board import Board, Column
from flipmastery.cockpit.selectors import SavedGroup
from flipmastery.domain.cockpit import Stuck, micro_groups
from flipmastery.domain.mastery import State

# LEARNING this long without asking for a check counts as stuck (an objective takes one to three lessons).
STUCK_LEARNING = timedelta(days=3)


@dataclass(frozen=True)
class Suggestion:
    objective: Column
    reason: str  # "objective" or "tag:<tag>"
    students: tuple[int, ...]

    @property
    def tag(self) -> str:
        return self.reason.removeprefix("tag:") if self.reason.startswith("tag:") else ""

    @property
    def key(self) -> str:
        """Names the suggestion in a form (objective and members), so a stale click is noticed."""
        return f"{self.objective.code}:{','.join(str(s) for s in self.students)}"


def stuck(
    board: Board,
    tags: Mapping[tuple[int, int], tuple[str, ...]],
    now: datetime,
    grouped: set[tuple[int, str]],
) -> list[Stuck]:
    """Students in NOT_YET, or LEARNING for long (not merely waiting for a sign-off), on each objective,
    leaving out those already in an accepted group for it."""
    found = []
    for column in board.columns:
        for row in board.rows:
            cell = row.cells[column.code]
            long_learning = (
                cell.state is State.LEARNING
                and not cell.check_passed
                and cell.since is not None
                and now - cell.since >= STUCK_LEARNING
            )
            if (cell.state is State.NOT_YET or long_learning) and (row.id, column.code) not in grouped:
                found.append(Stuck(row.id, column.code, tags.get((row.id, column.id), ())))
    return found


def suggestions(
    board: Board,
    tags: Mapping[tuple[int, int], tuple[str, ...]],
    saved: Sequence[SavedGroup],
    now: datetime,
) -> list[Suggestion]:
    """Micro-groups of 2–4 to re-teach, minus what the teacher already accepted or dismissed."""
    grouped = {(m, g.objective) for g in saved if g.status == "accepted" for m in g.members}
    dismissed = {(g.objective, g.members) for g in saved if g.status == "dismissed"}
    columns = {c.code: c for c in board.columns}
    made = micro_groups(stuck(board, tags, now, grouped))
    return [
        Suggestion(columns[g.objective], g.reason, tuple(sorted(g.students)))
        for g in made
        if (g.objective, tuple(sorted(g.students))) not in dismissed
    ]


def candidates(board: Board, code: str, members: Sequence[int], now: datetime) -> list[int]:
    """Who a group on `code` could hold: its members and everyone stuck on that objective."""
    on_it = {s.student for s in stuck(board, {}, now, set()) if s.objective == code}
    return [r.id for r in board.rows if r.id in on_it or r.id in members]
