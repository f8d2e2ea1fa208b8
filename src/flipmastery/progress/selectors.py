"""The student's playlist: every objective with its state, ways to learn it and the one next step.

Fetched in a fixed number of queries (whatever the number of objectives), then computed in the domain.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

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
    objectives = list(
        Objective.objects.filter(course_id=section.course_id, retired=False)
        .select_related("unit")
        .prefetch_related(
            Prefetch("prerequisites", queryset=Objective.objects.only("id", "code")),
            Prefetch(
                "learning_objects",
                queryset=LearningObject.objects.filter(retired=False).order_by("-is_primary", "order", "id"),
            ),
            Prefetch("activities", queryset=Activity.objects.filter(retired=False)),
            Prefetch("enrichments", queryset=Enrichment.objects.filter(retired=False)),
        )
        .order_by("unit__order", "unit_id", "order", "id")
    )
    recorded: dict[str, State] = {}
    for code, state in (
        ProgressEvent.objects.filter(section=section, student=student)
        .order_by("at", "id")
        .values_list("objective__code", "state")
    ):
        recorded[code] = State(state)
    used = set(
        LearningObjectUse.objects.filter(section=section, student=student).values_list(
            "learning_object_id", flat=True
        )
    )
    nodes = [ObjectiveNode(o.code, tuple(p.code for p in o.prerequisites.all())) for o in objectives]
    states = playlist_states(nodes, recorded)
    mastered = [code for code, state in states.items() if state is State.MASTERED]
    items = tuple(
        PlaylistObjective(
            id=o.pk,
            code=o.code,
            statement=o.statement,
            tier=o.tier,
            outcome_code=o.outcome_code,
            unit_code=o.unit.code,
            unit_title=o.unit.title,
            state=states[o.code],
            prerequisites=node.prerequisites,
            missing_prerequisites=tuple(missing_prerequisites(node, mastered)),
            threshold=threshold_for(o, section),
            estimated_minutes=o.estimated_minutes,
            learning_objects=tuple(
                LearningObjectItem(
                    id=lo.pk,
                    kind=lo.kind,
                    title=lo.title,
                    url=lo.url,
                    file_url=lo.file.url if lo.file else "",
                    minutes=lo.minutes,
                    primary=lo.is_primary,
                    done=lo.pk in used,
                )
                for lo in o.learning_objects.all()
            ),
            activities=tuple(ActivityItem(a.pk, a.title, a.description, False) for a in o.activities.all()),
            enrichments=tuple(
                EnrichmentItem(e.pk, e.title, e.description, e.url) for e in o.enrichments.all()
            ),
        )
        for o, node in zip(objectives, nodes, strict=True)
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
        return NextStep(code, "learn", f"Work on {code}{how}.")
    if items and all(i.state is State.MASTERED for i in items):
        return NextStep(
            "", "mastered_all", "You have mastered every objective. Ask your teacher for enrichment."
        )
    return NextStep("", "wait", "Nothing is open yet: ask your teacher.")
