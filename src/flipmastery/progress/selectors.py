"""The student's playlist: every objective with its state, ways to learn it and the one next step.

Fetched in a fixed number of queries (whatever the number of objectives), then computed in the domain.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.files.storage import default_storage

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Section
from flipmastery.courses.models import Activity, Enrichment, LearningObject, Objective
from flipmastery.domain.mastery import (
    ObjectiveNode,
    State,
    missing_prerequisites,
    next_objective,
    playlist_states,
)
from flipmastery.progress.models import LearningObjectUse, ProgressEvent


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
    if objective.threshold is not None:
        return objective.threshold
    if section.threshold is not None:
        return section.threshold
    return section.course.threshold


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
        )
    )
    prerequisites: dict[int, list[str]] = defaultdict(list)
    for objective_id, code in (
        Objective.prerequisites.through.objects.filter(from_objective__course_id=course_id)
        .order_by("to_objective__order", "to_objective_id")
        .values_list("from_objective_id", "to_objective__code")
    ):
        prerequisites[objective_id].append(code)
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
    recorded: dict[str, State] = {}
    for code, state in (
        ProgressEvent.objects.filter(section=section, student=student)
        .order_by("at", "id")
        .values_list("objective__code", "state")
    ):
        recorded[code] = State(state)

    nodes = [ObjectiveNode(row[1], tuple(prerequisites.get(row[0], ()))) for row in objectives]
    states = playlist_states(nodes, recorded)
    mastered = [code for code, state in states.items() if state is State.MASTERED]
    default_threshold = section.threshold if section.threshold is not None else section.course.threshold
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
            threshold=threshold if threshold is not None else default_threshold,
            estimated_minutes=minutes,
            learning_objects=tuple(learning_objects.get(o_id, ())),
            activities=tuple(activities.get(o_id, ())),
            enrichments=tuple(enrichments.get(o_id, ())),
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
        ), node in zip(objectives, nodes, strict=True)
    )
    return Playlist(
        section_id=section.pk,
        section_name=section.name,
        course_title=section.course.title,
        objectives=items,
        next=_next_step(items),
    )


def _next_step(items: tuple[PlaylistObjective, ...]) -> NextStep:
    code = next_objective((item.code, item.state) for item in items)
    if code is not None:
        item = next(i for i in items if i.code == code)
        how = f": start with {item.primary.title}" if item.primary else ""
        ending = "" if how.endswith((".", "?", "!", "।")) else "."  # titles may end a sentence themselves
        return NextStep(code, "learn", f"Work on {code}{how}{ending}")
    if items and all(i.state is State.MASTERED for i in items):
        return NextStep(
            "", "mastered_all", "You have mastered every objective. Ask your teacher for enrichment."
        )
    return NextStep("", "wait", "Nothing is open yet: ask your teacher.")
