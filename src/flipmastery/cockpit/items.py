"""Item analysis of a course's banks from the graded items of a section's attempts (no queries here)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from flipmastery.cockpit.selectors import BankQuestion
from flipmastery.domain.cockpit import ItemStats, item_analysis

MARKUP = re.compile(r"[*_`#>$\\]|\{[^}]*\}")


@dataclass(frozen=True)
class ItemLine:
    question: BankQuestion
    label: str  # its title, or the start of its text
    stats: ItemStats | None  # None: no student has answered it yet
    exposure: float | None  # share of this objective's attempts that showed it

    @property
    def flagged(self) -> bool:
        return bool(self.stats and self.stats.flags)


@dataclass(frozen=True)
class BankReport:
    objective: str
    lines: list[ItemLine]
    attempts: int  # attempts that asked this objective


def label_of(q: BankQuestion, limit: int = 90) -> str:
    if q.title.strip():
        return q.title.strip()
    text = " ".join(MARKUP.sub("", q.text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bank_reports(
    rows: Sequence[tuple[int, int, int, float, float, str]], questions: Sequence[BankQuestion], students: int
) -> list[BankReport]:
    """Per objective's bank, per question: difficulty, discrimination, exposure and who saw it.

    An item's "rest" is the student's score on the other items of the same attempt (so an item is not
    correlated with itself); an attempt of one item has no rest, and its own score stands in."""
    earned: dict[int, float] = defaultdict(float)
    possible: dict[int, float] = defaultdict(float)
    asked: dict[str, set[int]] = defaultdict(set)
    for _q, _s, attempt, score, points, code in rows:
        earned[attempt] += score * points
        possible[attempt] += points
        asked[code].add(attempt)
    analysed = []
    for question, student, attempt, score, points, _code in rows:
        other = possible[attempt] - points
        rest = (earned[attempt] - score * points) / other if other > 0 else score
        analysed.append((question, student, attempt, score, rest))
    stats = {s.question: s for s in item_analysis(analysed, students)}
    by_objective: dict[str, list[ItemLine]] = defaultdict(list)
    order: dict[str, None] = {}
    for q in questions:
        order.setdefault(q.objective)
        found = stats.get(q.id)
        attempts = len(asked.get(q.objective, ()))
        exposure = found.responses / attempts if found and attempts else None
        if q.retired and found is None:
            continue  # retired and never asked: nothing to analyse
        by_objective[q.objective].append(ItemLine(q, label_of(q), found, exposure))
    return [BankReport(code, by_objective[code], len(asked.get(code, ()))) for code in order]
