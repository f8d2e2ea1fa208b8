"""The teacher's cockpit in pure functions: micro-groups, pacing, the grade scale and item analysis.

Each takes plain values fetched once by a selector and computes with no queries (DESIGN §4).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flipmastery.domain.errors import Invalid, Problem
from flipmastery.domain.mastery import State

# ---- groups -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stuck:
    """A student stuck on an objective, with the misconception tags the teacher recorded."""

    student: int
    objective: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Group:
    objective: str
    reason: str  # "objective" or "tag:<tag>"
    students: tuple[int, ...]


def micro_groups(stuck: Sequence[Stuck], *, smallest: int = 2, largest: int = 4) -> list[Group]:
    """Groups of 2–4 students stuck on the same objective, those sharing a misconception tag first.

    A student is in at most one group per objective; leftovers of one join the last group if it has
    room, else they are not grouped (one student is a conference, not a group).
    """
    by_objective: dict[str, list[Stuck]] = defaultdict(list)
    for s in stuck:
        by_objective[s.objective].append(s)
    groups: list[Group] = []
    for objective in sorted(by_objective):
        people = by_objective[objective]
        placed: set[int] = set()
        by_tag: dict[str, list[int]] = defaultdict(list)
        for s in people:
            for tag in s.tags:
                by_tag[tag].append(s.student)
        for tag in sorted(by_tag, key=lambda t: (-len(by_tag[t]), t)):
            free = [p for p in dict.fromkeys(by_tag[tag]) if p not in placed]
            for chunk in _chunks(free, smallest, largest):
                groups.append(Group(objective, f"tag:{tag}", tuple(chunk)))
                placed.update(chunk)
        rest = [s.student for s in people if s.student not in placed]
        for chunk in _chunks(list(dict.fromkeys(rest)), smallest, largest):
            groups.append(Group(objective, "objective", tuple(chunk)))
    return groups


def _chunks(people: list[int], smallest: int, largest: int) -> list[list[int]]:
    if len(people) < smallest:
        return []
    count = math.ceil(len(people) / largest)
    size, extra = divmod(len(people), count)
    chunks, at = [], 0
    for i in range(count):
        n = size + (1 if i < extra else 0)
        chunks.append(people[at : at + n])
        at += n
    return [c for c in chunks if len(c) >= smallest]


# ---- pacing -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Benchmark:
    day: int  # days since the start of the course
    mastered: int  # objectives expected mastered by then


@dataclass(frozen=True)
class Pace:
    mastered: int
    expected: int  # by the benchmarks, today
    behind: int  # objectives behind the benchmark (0 when on pace or ahead)
    per_week: float  # the student's own pace so far
    projected_finish_day: float | None  # day the student would finish at their pace (None: no pace yet)


def expected_by(benchmarks: Sequence[Benchmark], day: float) -> int:
    """Objectives expected mastered on `day`, interpolated between benchmarks (0 before the first)."""
    points = sorted(benchmarks, key=lambda b: b.day)
    if not points or day <= 0:
        return 0
    previous = Benchmark(0, 0)
    for b in points:
        if day <= b.day:
            span = b.day - previous.day
            share = (day - previous.day) / span if span else 1.0
            return math.floor(previous.mastered + share * (b.mastered - previous.mastered))
        previous = b
    return previous.mastered


def pace(mastered_days: Sequence[float], total: int, benchmarks: Sequence[Benchmark], today: float) -> Pace:
    """A student's pace from the days they mastered objectives, against the section's benchmarks."""
    mastered = len(mastered_days)
    expected = min(expected_by(benchmarks, today), total)
    per_week = mastered / (today / 7) if today > 0 else 0.0
    finish = None
    if mastered >= total:
        finish = max(mastered_days) if mastered_days else today
    elif per_week > 0:
        finish = today + (total - mastered) / per_week * 7
    return Pace(mastered, expected, max(0, expected - mastered), round(per_week, 2), finish)


def weekly_benchmarks(total: int, per_week: float, essentials: int = 0) -> list[Benchmark]:
    """Benchmarks at a steady pace (e.g. 3.5 a week), one a week until every objective is due."""
    if per_week <= 0:
        raise Invalid([Problem("a pace must be more than 0 objectives a week")])
    marks, week = [], 1
    while True:
        due = min(total, math.floor(per_week * week))
        marks.append(Benchmark(week * 7, due))
        if due >= total:
            return marks
        week += 1


# ---- grades -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeRule:
    """A letter when every essential is mastered (or `essentials` share) and `nice` share of the rest."""

    letter: str
    essentials: float = 1.0
    nice: float = 0.0


DEFAULT_SCALE = (
    GradeRule("A", 1.0, 0.8),
    GradeRule("B", 1.0, 0.5),
    GradeRule("C", 1.0, 0.0),
    GradeRule("D", 0.7, 0.0),
)


@dataclass(frozen=True)
class Grade:
    letter: str
    percent: float
    essentials: tuple[int, int]  # mastered, total
    nice: tuple[int, int]


def grade(
    states: Mapping[str, State], essential: set[str], scale: Sequence[GradeRule] = DEFAULT_SCALE
) -> Grade:
    """The school's letter and percent from objectives mastered; essentials weigh twice."""
    ess = [c for c in states if c in essential]
    nice = [c for c in states if c not in essential]
    ess_done = sum(1 for c in ess if states[c] is State.MASTERED)
    nice_done = sum(1 for c in nice if states[c] is State.MASTERED)
    ess_share = ess_done / len(ess) if ess else 1.0
    nice_share = nice_done / len(nice) if nice else 1.0
    weight = 2 * len(ess) + len(nice)
    percent = round(100 * (2 * ess_done + nice_done) / weight, 1) if weight else 0.0
    letter = next(
        (r.letter for r in scale if ess_share >= r.essentials - 1e-9 and nice_share >= r.nice - 1e-9), "F"
    )
    return Grade(letter, percent, (ess_done, len(ess)), (nice_done, len(nice)))


def parse_scale(text: str) -> list[GradeRule]:
    """ "A = 100% essentials + 80% nice-to-know; B = 100% + 50%; …" → rules, best first."""
    rules, problems = [], []
    for part in [p.strip() for p in text.split(";") if p.strip()]:
        letter, _, rest = part.partition("=")
        numbers = [n.strip().rstrip("%").split()[0] for n in rest.split("+") if n.strip()]
        try:
            shares = [float(n) / 100 for n in numbers]
        except ValueError:
            problems.append(Problem(f"cannot read {part!r}: write e.g. 'A = 100% + 80%'"))
            continue
        if not letter.strip() or not 1 <= len(shares) <= 2 or any(not 0 <= s <= 1 for s in shares):
            problems.append(Problem(f"cannot read {part!r}: write e.g. 'A = 100% + 80%'"))
            continue
        rules.append(GradeRule(letter.strip(), shares[0], shares[1] if len(shares) > 1 else 0.0))
    if problems:
        raise Invalid(problems)
    return rules


# ---- item analysis ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemStats:
    question: int
    seen_by: int  # students who saw it
    responses: int
    difficulty: float  # mean score, 0..1 (higher = easier)
    discrimination: float | None  # point-biserial: item score against the rest of the attempt
    flags: tuple[str, ...]


def item_analysis(rows: Sequence[tuple[int, int, int, float, float]], students: int) -> list[ItemStats]:
    """Per question from rows of (question, student, attempt, item score, attempt score without it).

    Flags: "everyone misses it" (difficulty < 0.2 with 5+ responses) and "does not separate strong
    from weak students" (discrimination < 0.1 with 10+ responses) — signs of a broken item.
    """
    by_question: dict[int, list[tuple[int, float, float]]] = defaultdict(list)
    for question, student, _attempt, score, rest in rows:
        by_question[question].append((student, score, rest))
    result = []
    for question in sorted(by_question):
        data = by_question[question]
        scores = [s for _, s, _ in data]
        rests = [r for _, _, r in data]
        difficulty = sum(scores) / len(scores)
        disc = _correlation(scores, rests)
        flags = []
        if len(data) >= 5 and difficulty < 0.2:
            flags.append("everyone misses it")
        if len(data) >= 10 and disc is not None and disc < 0.1:
            flags.append("does not separate strong from weak students")
        result.append(
            ItemStats(
                question,
                len({st for st, _, _ in data}),
                len(data),
                round(difficulty, 3),
                None if disc is None else round(disc, 3),
                tuple(flags),
            )
        )
    return result


def _correlation(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 3:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    sy = math.sqrt(sum((y - my) ** 2 for y in ys))
    if sx == 0 or sy == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (sx * sy)
