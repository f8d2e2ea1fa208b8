"""Reads of exit slips: access checks, a student's open slip, and a slip's results with tomorrow's groups.

Results are fetched in a fixed number of queries (slip, items, answers, roster) and computed in memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.utils import timezone

from flipmastery.accounts.models import Role, User
from flipmastery.classroom.models import Section
from flipmastery.classroom.selectors import access_section_as_teacher
from flipmastery.domain.errors import NotFound
from flipmastery.domain.exit_slips import Answer, tomorrows_groups
from flipmastery.domain.grading import shown_answer
from flipmastery.exitslips.models import ExitSlip, SlipAnswer, SlipItem


def access_slip_as_teacher(user: User, section_id: int, slip_id: int) -> ExitSlip:
    """A slip of a section the person teaches; "not found" for a missing and a forbidden one alike."""
    section = access_section_as_teacher(user, section_id)
    slip = ExitSlip.objects.select_related("objective").filter(section=section, pk=slip_id).first()
    if slip is None:
        raise NotFound("exit slip not found")
    slip.section = section
    return slip


def open_slip(section: Section) -> ExitSlip | None:
    return (
        ExitSlip.objects.filter(section=section, closed_at__isnull=True).select_related("objective").first()
    )


def open_slip_for_student(section: Section) -> tuple[ExitSlip, list[SlipItem]] | None:
    slip = open_slip(section)
    if slip is None:
        return None
    return slip, list(SlipItem.objects.filter(slip=slip))


def my_answers(slip: ExitSlip, student: User) -> dict[int, Any]:
    """What this student answered, by position (their own answers only, never whether they were right)."""
    return {
        position: response
        for position, response in SlipAnswer.objects.filter(item__slip=slip, student=student).values_list(
            "item__position", "response"
        )
    }


def roster(section: Section) -> list[User]:
    students = User.objects.filter(role=Role.STUDENT, enrollments__section=section)
    return sorted(students, key=lambda s: (s.shown_name().casefold(), s.username))


@dataclass(frozen=True)
class ItemSummary:
    position: int
    shown: dict[str, Any]
    key: str  # the right answer, for the teacher's eyes only
    answered: int
    right: int
    tags: list[tuple[str, int]]
    tag_choices: list[str]

    @property
    def percent(self) -> int | None:
        return round(100 * self.right / self.answered) if self.answered else None


@dataclass(frozen=True)
class Row:
    id: int
    name: str
    marks: list[SlipAnswer | None]


@dataclass(frozen=True)
class NamedGroup:
    item: int
    tag: str
    names: list[str]
    ids: list[int]

    @property
    def reason(self) -> str:
        """As the cockpit's accepted groups store why they were grouped."""
        return f"tag:{self.tag}" if self.tag else "objective"


@dataclass(frozen=True)
class Results:
    slip: ExitSlip
    items: list[ItemSummary]
    rows: list[Row]
    answered: int
    groups: list[NamedGroup] = field(default_factory=list)
    ready: list[str] = field(default_factory=list)
    alone: list[str] = field(default_factory=list)
    no_answer: list[str] = field(default_factory=list)
    decided: int = 0  # groups left out: already accepted or dismissed on the groups page


def slip_results(slip: ExitSlip) -> Results:
    items = list(SlipItem.objects.filter(slip=slip))
    answers = list(SlipAnswer.objects.filter(item__slip=slip).select_related("item"))
    students = roster(slip.section)
    names = {s.pk: s.shown_name() for s in students}
    by_student: dict[int, dict[int, SlipAnswer]] = {}
    for a in answers:
        by_student.setdefault(a.student_id, {})[a.item.position] = a
    summaries = []
    for item in items:
        of_item = [a for a in answers if a.item_id == item.pk and a.student_id in names]
        summaries.append(
            ItemSummary(
                position=item.position,
                shown=item.shown,
                key=shown_answer(item.value, item.the_variant),
                answered=len(of_item),
                right=sum(1 for a in of_item if a.correct),
                tags=Counter(a.tag for a in of_item if a.tag).most_common(),
                tag_choices=item.tag_list,
            )
        )
    rows = [
        Row(s.pk, names[s.pk], [by_student.get(s.pk, {}).get(i.position) for i in items]) for s in students
    ]
    sorting = tomorrows_groups(
        [s.pk for s in students],
        [i.position for i in items],
        [Answer(a.student_id, a.item.position, a.correct, a.tag) for a in answers],
    )
    return Results(
        slip=slip,
        items=summaries,
        rows=rows,
        answered=sum(1 for s in students if s.pk in by_student),
        groups=[
            NamedGroup(g.item, g.tag, [names[i] for i in g.students], list(g.students))
            for g in sorting.groups
        ],
        ready=[names[i] for i in sorting.ready],
        alone=[names[i] for i in sorting.alone],
        no_answer=[names[i] for i in sorting.no_answer],
    )


def without_decided(results: Results, decided: Iterable[tuple[str, str, Iterable[int]]]) -> Results:
    """The results without the groups the teacher already accepted or dismissed on the groups page
    (same objective, reason and members), so that a decided group is not suggested again."""
    done = {(objective, reason, frozenset(members)) for objective, reason, members in decided}
    code = results.slip.objective.code
    kept = [g for g in results.groups if (code, g.reason, frozenset(g.ids)) not in done]
    return replace(results, groups=kept, decided=len(results.groups) - len(kept))


def todays_slip(section: Section, now: datetime) -> ExitSlip | None:
    """The section's latest exit slip started today (the school's day), for tomorrow's groups."""
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    slip = (
        ExitSlip.objects.filter(section=section, started_at__gte=start, started_at__lte=now)
        .select_related("objective")
        .first()
    )
    if slip is not None:
        slip.section = section
    return slip


def slips_of(section: Section, limit: int = 10) -> list[ExitSlip]:
    return list(ExitSlip.objects.filter(section=section).select_related("objective")[:limit])
