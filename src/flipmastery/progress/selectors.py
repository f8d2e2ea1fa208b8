"""The student's playlist: every objective with its state, ways to learn it and the one next step.

Fetched in a fixed number of queries (whatever the number of objectives), then computed in the domain.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from flipmastery.accounts.models import User
from flipmastery.accounts.names import name_fields, shown_name
from flipmastery.assessments.models import Attempt
from flipmastery.assessments.sittings import on_paper_words
from flipmastery.classroom.models import Section
from flipmastery.courses.models import Activity, Enrichment, LearningObject, Objective
from flipmastery.domain.gating import GATE_CONFERENCE, GATE_CORRECTIVE, Standing, policy_from
from flipmastery.domain.mastery import (
    ObjectiveNode,
    State,
    missing_prerequisites,
    next_objective,
)
from flipmastery.progress.models import LearningObjectUse, QueueEntry
from flipmastery.progress.standings import ObjectiveFacts, histories, policy_for, standings, threshold_in


@dataclass(frozen=True)
class LearningObjectItem:
    id: int
    kind: str
    title: str
    url: str
    file_url: str
    minutes: int | None
    primary: bool
    done: bool


@dataclass(frozen=True)
class ActivityItem:
    id: int
    title: str
    description: str
    signed_off: bool


@dataclass(frozen=True)
class EnrichmentItem:
    id: int
    title: str
    description: str
    url: str


@dataclass(frozen=True)
class CorrectiveItem:
    """What to do after "not yet": a way to learn it not used yet, re-teaching, or a conference."""

    id: int  # the learning object's id; 0 for a conference or re-teaching
    kind: str  # "learning_object", "reteach", "conference"
    title: str
    done: bool


@dataclass(frozen=True)
class PlaylistObjective:
    id: int
    code: str
    statement: str
    tier: str
    outcome_code: str
    unit_code: str
    unit_title: str
    state: State
    prerequisites: tuple[str, ...]
    missing_prerequisites: tuple[str, ...]
    threshold: float
    estimated_minutes: int | None
    learning_objects: tuple[LearningObjectItem, ...]
    activities: tuple[ActivityItem, ...]
    enrichments: tuple[EnrichmentItem, ...]
    correctives: tuple[CorrectiveItem, ...] = ()
    gate: tuple[str, ...] = ()
    may_start_check: bool = False
    check_passed: bool = False
    review_due: bool = False
    attempts: int = 0
    on_paper: bool = False  # the check is open as a printed copy: worked on paper, never on a screen

    @property
    def primary(self) -> LearningObjectItem | None:
        return next((lo for lo in self.learning_objects if lo.primary), None)

    @property
    def alternates(self) -> tuple[LearningObjectItem, ...]:
        return tuple(lo for lo in self.learning_objects if not lo.primary)


@dataclass(frozen=True)
class NextStep:
    objective: str
    kind: str  # "learn", "mastered_all", "wait"
    message: str


@dataclass(frozen=True)
class Playlist:
    section_id: int
    section_name: str
    course_title: str
    objectives: tuple[PlaylistObjective, ...]
    next: NextStep

    @property
    def mastered_count(self) -> int:
        return sum(1 for o in self.objectives if o.state is State.MASTERED)


def threshold_for(objective: Objective, section: Section) -> float:
    """Objective override, else section override, else the course default."""
    return threshold_in(section, objective.threshold)


def student_playlist(*, section: Section, student: User) -> Playlist:
    """One student's playlist in seven flat queries (rows as tuples, no model objects: it is the hot path)."""
    course_id = section.course_id
    objectives = list(
        Objective.objects.filter(course_id=course_id, retired=False)
        .order_by("unit__order", "unit_id", "order", "id")
        .values_list(
            "id",
            "code",
            "statement",
            "tier",
            "outcome_code",
            "threshold",
            "estimated_minutes",
            "unit__code",
            "unit__title",
            "policy",
        )
    )
    prerequisites: dict[int, list[str]] = defaultdict(list)
    prerequisite_ids: dict[int, list[int]] = defaultdict(list)
    for objective_id, code, target in (
        Objective.prerequisites.through.objects.filter(from_objective__course_id=course_id)
        .order_by("to_objective__order", "to_objective_id")
        .values_list("from_objective_id", "to_objective__code", "to_objective_id")
    ):
        prerequisites[objective_id].append(code)
        prerequisite_ids[objective_id].append(target)
    used = set(
        LearningObjectUse.objects.filter(section=section, student=student).values_list(
            "learning_object_id", flat=True
        )
    )
    learning_objects: dict[int, list[LearningObjectItem]] = defaultdict(list)
    for lo_id, objective_id, kind, title, url, file, minutes, primary in (
        LearningObject.objects.filter(objective__course_id=course_id, retired=False)
        .order_by("objective_id", "-is_primary", "order", "id")
        .values_list("id", "objective_id", "kind", "title", "url", "file", "minutes", "is_primary")
    ):
        file_url = default_storage.url(file) if file else ""
        learning_objects[objective_id].append(
            LearningObjectItem(lo_id, kind, title, url, file_url, minutes, primary, lo_id in used)
        )
    activities: dict[int, list[ActivityItem]] = defaultdict(list)
    for a_id, objective_id, title, description in (
        Activity.objects.filter(objective__course_id=course_id, retired=False)
        .order_by("objective_id", "order", "id")
        .values_list("id", "objective_id", "title", "description")
    ):
        activities[objective_id].append(ActivityItem(a_id, title, description, False))
    enrichments: dict[int, list[EnrichmentItem]] = defaultdict(list)
    for e_id, objective_id, title, description, url in (
        Enrichment.objects.filter(objective__course_id=course_id, retired=False)
        .order_by("objective_id", "order", "id")
        .values_list("id", "objective_id", "title", "description", "url")
    ):
        enrichments[objective_id].append(EnrichmentItem(e_id, title, description, url))
    facts = [
        ObjectiveFacts(
            row[0],
            row[1],
            tuple(prerequisite_ids.get(row[0], ())),
            tuple(str(lo.id) for lo in learning_objects.get(row[0], ())),
            tuple(str(a.id) for a in activities.get(row[0], ())),
            policy_for(section, row[5], row[9]),
        )
        for row in objectives
    ]
    found = histories(section, [student.pk])
    standing_of = standings(facts, {o: h for (_who, o), h in found.items()}, timezone.now())
    states = {f.code: standing_of[f.id].state for f in facts}
    # One query more, and only mid-check: which open checks are printed copies (assessments/sittings.py).
    printed = _printed(section, student) if State.CHECKING in states.values() else set()
    nodes = [ObjectiveNode(row[1], tuple(prerequisites.get(row[0], ()))) for row in objectives]
    mastered = [code for code, state in states.items() if state is State.MASTERED]
    items = tuple(
        PlaylistObjective(
            id=o_id,
            code=code,
            statement=statement,
            tier=tier,
            outcome_code=outcome_code,
            unit_code=unit_code,
            unit_title=unit_title,
            state=states[code],
            prerequisites=node.prerequisites,
            missing_prerequisites=tuple(missing_prerequisites(node, mastered)),
            threshold=threshold_in(section, threshold),
            estimated_minutes=minutes,
            learning_objects=tuple(learning_objects.get(o_id, ())),
            activities=tuple(
                ActivityItem(
                    a.id, a.title, a.description, str(a.id) not in standing_of[o_id].activities_missing
                )
                for a in activities.get(o_id, ())
            ),
            # Enrichment opens for a student who is ahead: once the objective is mastered.
            enrichments=tuple(enrichments.get(o_id, ())) if states[code] is State.MASTERED else (),
            correctives=_correctives(standing_of[o_id], learning_objects.get(o_id, [])),
            gate=standing_of[o_id].gate,
            may_start_check=standing_of[o_id].may_start_check,
            check_passed=standing_of[o_id].check_passed,
            review_due=standing_of[o_id].review_due,
            attempts=standing_of[o_id].attempts,
            on_paper=o_id in printed,
        )
        for (
            o_id,
            code,
            statement,
            tier,
            outcome_code,
            threshold,
            minutes,
            unit_code,
            unit_title,
            _policy,
        ), node in zip(objectives, nodes, strict=True)
    )
    return Playlist(
        section_id=section.pk,
        section_name=section.name,
        course_title=section.course.title,
        objectives=items,
        next=_next_step(items, policy_from(section.course.policy, section.policy).essentials_first),
    )


def _printed(section: Section, student: User) -> set[int]:
    """The objectives whose open check is a printed copy."""
    found = Attempt.objects.filter(
        section=section, student=student, state=Attempt.State.OPEN, paper_code__isnull=False
    )
    return set(found.values_list("objective_id", flat=True))


def _correctives(s: Standing, ways: list[LearningObjectItem]) -> tuple[CorrectiveItem, ...]:
    """After a "not yet": the ways to learn it not used before, else re-teaching; and the conference."""
    if s.failed_at is None or s.state not in (State.NOT_YET, State.READY_TO_RETAKE):
        return ()
    by_id = {str(lo.id): lo for lo in ways}
    items = [
        CorrectiveItem(int(lo_id), "learning_object", by_id[lo_id].title, lo_id in s.correctives_done)
        for lo_id in s.correctives
        if lo_id in by_id
    ]
    conference_done = GATE_CONFERENCE not in s.gate
    if not items:
        items.append(CorrectiveItem(0, "reteach", _("Re-teaching with your teacher"), conference_done))
    items.append(CorrectiveItem(0, "conference", _("A conference with your teacher"), conference_done))
    return tuple(items)


def _next_step(items: tuple[PlaylistObjective, ...], essentials_first: bool = True) -> NextStep:
    essential = [i.code for i in items if i.tier == "essential"] if essentials_first else None
    code = next_objective(((item.code, item.state) for item in items), essential)
    if code is not None:
        item = next(i for i in items if i.code == code)
        special = _loop_step(item)
        if special is not None:
            return special
        if item.primary is None:
            return NextStep(code, "learn", _("Work on %(code)s.") % {"code": code})
        title = item.primary.title
        if title.endswith((".", "?", "!", "।")):  # a title may end a sentence itself
            words = _("Work on %(code)s: start with %(title)s")
        else:
            words = _("Work on %(code)s: start with %(title)s.")
        return NextStep(code, "learn", words % {"code": code, "title": title})
    if items and all(i.state is State.MASTERED for i in items):
        return NextStep(
            "", "mastered_all", _("You have mastered every objective. Ask your teacher for enrichment.")
        )
    return NextStep("", "wait", _("Nothing is open yet: ask your teacher."))


def _loop_step(item: PlaylistObjective) -> NextStep | None:
    """The next step inside the mastery loop, when the objective is past plain learning."""
    code = {"code": item.code}
    if item.state is State.NOT_YET:
        todo = [c.title for c in item.correctives if not c.done and c.kind == "learning_object"]
        if todo and GATE_CORRECTIVE in item.gate:
            return NextStep(
                item.code,
                "corrective",
                _("Not yet on %(code)s. Learn it another way: %(title)s. Then talk with your teacher.")
                % {**code, "title": todo[0]},
            )
        return NextStep(item.code, "conference", _("Not yet on %(code)s: talk with your teacher.") % code)
    if item.state is State.READY_TO_RETAKE:
        return NextStep(item.code, "retake", _("Take a new version of the %(code)s check.") % code)
    if item.state is State.CHECK_REQUESTED and not item.may_start_check:
        return NextStep(item.code, "wait", _("Wait for your teacher to approve your %(code)s check.") % code)
    if item.state is State.CHECKING and item.on_paper:
        return NextStep(item.code, "paper", on_paper_words(item.code))
    if item.state is State.CHECKING:
        return NextStep(item.code, "check", _("Finish your %(code)s check.") % code)
    if item.check_passed:
        missing = [a.title for a in item.activities if not a.signed_off]
        return NextStep(
            item.code,
            "activity",
            _("You passed the %(code)s check. Ask your teacher to sign off: %(what)s.")
            % {**code, "what": ", ".join(missing)},
        )
    return None


@dataclass(frozen=True)
class WaitingEntry:
    id: int
    kind: str
    student_id: int
    student_username: str
    student_name: str
    objective: str
    note: str
    created_at: Any
    waiting_seconds: int
    reasons: tuple[str, ...] = ()  # every reason the student waits, oldest first (`kind` is the first)


def section_queue(section: Section, now: Any) -> list[WaitingEntry]:
    """Who waits for the teacher, oldest first, in one query."""
    rows = (
        QueueEntry.objects.filter(section=section, resolved_at__isnull=True)
        .order_by("created_at", "id")
        .values_list(
            "id",
            "kind",
            "student_id",
            "objective__code",
            "note",
            "created_at",
            "reasons",
            *name_fields("student"),
        )
    )
    return [
        WaitingEntry(
            i,
            kind,
            sid,
            who[0],
            shown_name(*who),
            code or "",
            note,
            created,
            int((now - created).total_seconds()),
            tuple(reasons or (kind,)),
        )
        for i, kind, sid, code, note, created, reasons, *who in rows
    ]
