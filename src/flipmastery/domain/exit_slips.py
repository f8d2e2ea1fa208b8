"""Exit slips: which misconception a wrong answer shows, and tomorrow's small groups from a slip's answers.

An exit slip is evidence for the teacher, never a mastery decision: nothing here knows about progress.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

MIN_GROUP = 2
MAX_GROUP = 5
ANY_WRONG = "*"  # the tags key for "any wrong answer" (a choice's own tag wins over it)


def wrong_answer_tag(tags: Mapping[str, str], choice: int | None) -> str:
    """The misconception tag a wrong answer carries: its choice's tag (by the choice's index in the
    question), else the item's tag for any wrong answer, else none."""
    if choice is not None and tags.get(str(choice), "").strip():
        return tags[str(choice)].strip()
    return tags.get(ANY_WRONG, "").strip()


@dataclass(frozen=True)
class Answer:
    """One student's answer to one item (by its position on the slip)."""

    student: int
    item: int
    correct: bool
    tag: str = ""


@dataclass(frozen=True)
class SuggestedGroup:
    """Students to sit together tomorrow: they missed `item` (0 when they missed different ones), and share
    `tag` when it is not empty."""

    item: int
    tag: str
    students: tuple[int, ...]


@dataclass(frozen=True)
class Sorting:
    groups: tuple[SuggestedGroup, ...]
    ready: tuple[int, ...]  # every item right: ready to move on
    alone: tuple[int, ...]  # missed something nobody else missed that way: a word with the teacher
    no_answer: tuple[int, ...]  # answered none of it


def _chunks(students: list[int]) -> list[tuple[int, ...]]:
    """Split into groups of MIN_GROUP..MAX_GROUP, as even as possible (6 → 3+3, 11 → 4+4+3)."""
    count = math.ceil(len(students) / MAX_GROUP)
    size, extra = divmod(len(students), count)
    out, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        out.append(tuple(students[start:end]))
        start = end
    return out


def tomorrows_groups(roster: Sequence[int], items: Iterable[int], answers: Iterable[Answer]) -> Sorting:
    """Sort a class by a slip's answers.

    A student who answered every item right is ready to move on. A student who missed an item goes with
    those who missed an item with the same misconception tag (the tag most of the class shares first), else
    with those who missed the same item; a group has 2–5 students. Those left on their own join one group of
    "missed different things" when there are at least two of them, else are listed alone. A student with some
    answers missing counts what they answered; one who answered nothing is listed as no answer.
    Students keep the roster's order inside every list.
    """
    positions = sorted(set(items))
    mine: dict[int, dict[int, Answer]] = {}
    for a in answers:
        if a.item in positions:
            mine.setdefault(a.student, {})[a.item] = a
    order = {s: i for i, s in enumerate(roster)}
    missed = {
        s: [by[i] for i in positions if i in by and not by[i].correct] for s, by in mine.items() if s in order
    }
    tag_counts = Counter(
        a.tag for misses in missed.values() for a in {x.tag: x for x in misses}.values() if a.tag
    )
    item_counts = Counter(a.item for misses in missed.values() for a in misses)

    buckets: dict[tuple[int, str], list[int]] = {}
    for student in roster:
        misses = missed.get(student)
        if not misses:
            continue
        tagged = [a for a in misses if a.tag]
        if tagged:
            best = max(tagged, key=lambda a: (tag_counts[a.tag], -a.item))
            key = (0, best.tag)
        else:
            first = max(misses, key=lambda a: (item_counts[a.item], -a.item))
            key = (first.item, "")
        buckets.setdefault(key, []).append(student)

    groups: list[SuggestedGroup] = []
    leftover: list[int] = []
    for (item, tag), students in sorted(buckets.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(students) < MIN_GROUP:
            leftover.extend(students)
            continue
        # a tag group names the item when everyone in it missed the same one with that tag
        shown_item = item
        if tag:
            with_tag = {a.item for s in students for a in missed[s] if a.tag == tag}
            shown_item = next(iter(with_tag)) if len(with_tag) == 1 else 0
        groups.extend(SuggestedGroup(shown_item, tag, chunk) for chunk in _chunks(students))
    leftover.sort(key=order.__getitem__)
    alone: tuple[int, ...] = ()
    if len(leftover) >= MIN_GROUP:
        groups.extend(SuggestedGroup(0, "", chunk) for chunk in _chunks(leftover))
    else:
        alone = tuple(leftover)
    ready = tuple(s for s in roster if s in missed and not missed[s])
    no_answer = tuple(s for s in roster if s not in missed)
    return Sorting(tuple(groups), ready, alone, no_answer)
