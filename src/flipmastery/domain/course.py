"""The shape of a course (units, objectives, learning objects) and the rules of its prerequisite graph."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from flipmastery.domain.errors import Location, Problem
from flipmastery.domain.guided_notes import NotesTemplate

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$")


class Tier(enum.StrEnum):
    ESSENTIAL = "essential"
    NICE_TO_KNOW = "nice_to_know"


class LearningObjectKind(enum.StrEnum):
    VIDEO = "video"
    WORKSHEET = "worksheet"
    TEXT = "text"
    SIMULATION = "simulation"
    LINK = "link"
    FILE = "file"


@dataclass(frozen=True)
class LearningObjectSpec:
    kind: LearningObjectKind
    title: str
    url: str = ""
    file: str = ""  # a path inside the package, for uploaded files
    minutes: int | None = None
    body: str = ""  # Markdown, for text sections written in the package
    answers: str = ""  # Markdown: a worksheet's key or worked solutions, shown as the section decides
    location: Location | None = None
    notes: NotesTemplate | None = None  # guided notes students fill beside it (domain/guided_notes.py)


@dataclass(frozen=True)
class ActivitySpec:
    title: str
    description: str = ""
    location: Location | None = None


@dataclass(frozen=True)
class EnrichmentSpec:
    title: str
    description: str = ""
    url: str = ""
    location: Location | None = None


@dataclass(frozen=True)
class ObjectiveSpec:
    code: str
    statement: str
    tier: Tier = Tier.ESSENTIAL
    outcome_code: str = ""
    prerequisites: tuple[str, ...] = ()
    threshold: float | None = None
    estimated_minutes: int | None = None
    learn: tuple[LearningObjectSpec, ...] = ()
    activities: tuple[ActivitySpec, ...] = ()
    enrichment: tuple[EnrichmentSpec, ...] = ()
    check_items: int = 2
    check_written: int = 0  # free-response items a teacher grades; the decision waits for them
    policy: tuple[tuple[str, object], ...] = ()  # mastery policy settings for this objective only
    bank: str = ""
    location: Location | None = None
    prerequisite_locations: tuple[Location | None, ...] = ()


@dataclass(frozen=True)
class UnitSpec:
    code: str
    title: str
    objectives: tuple[ObjectiveSpec, ...] = ()
    location: Location | None = None


@dataclass(frozen=True)
class CourseSpec:
    code: str
    title: str
    threshold: float = 0.8
    language: str = "en"
    description: str = ""
    units: tuple[UnitSpec, ...] = ()
    policy: tuple[tuple[str, object], ...] = ()  # the course's default mastery policy
    location: Location | None = None
    grade: int | None = None  # grade level (Class 1–12), for the video-length rule of thumb

    @property
    def objectives(self) -> list[ObjectiveSpec]:
        return [o for u in self.units for o in u.objectives]


@dataclass(frozen=True)
class PrerequisiteEdge:
    """`objective` needs `prerequisite`; `location` says where the teacher wrote it."""

    objective: str
    prerequisite: str
    location: Location | None = None


@dataclass
class Graph:
    """Objective codes and their prerequisite edges, as the validation rules see them."""

    codes: set[str] = field(default_factory=set)
    edges: list[PrerequisiteEdge] = field(default_factory=list)


def graph_problems(graph: Graph, foreign: Mapping[str, str] | None = None) -> list[Problem]:
    """Every problem with a prerequisite graph: unknown codes, codes of another course, self-loops, cycles.

    `foreign` maps objective codes that exist in other courses to that course's code, so the message
    can say where the teacher's code actually lives.
    """
    foreign = foreign or {}
    problems: list[Problem] = []
    known: dict[str, list[str]] = {code: [] for code in graph.codes}
    for edge in graph.edges:
        if edge.prerequisite == edge.objective:
            problems.append(
                Problem(f"objective {edge.objective} lists itself as a prerequisite", edge.location)
            )
        elif edge.prerequisite in graph.codes:
            known[edge.objective].append(edge.prerequisite)
        elif edge.prerequisite in foreign:
            problems.append(
                Problem(
                    f"prerequisite {edge.prerequisite} of {edge.objective} belongs to another course "
                    f"({foreign[edge.prerequisite]}); prerequisites must be objectives of this course",
                    edge.location,
                )
            )
        else:
            problems.append(
                Problem(
                    f"unknown prerequisite {edge.prerequisite} for objective {edge.objective}", edge.location
                )
            )
    for cycle in find_cycles(known):
        where = next((e.location for e in graph.edges if e.objective == cycle[0]), None)
        problems.append(Problem("prerequisites form a cycle: " + " → ".join([*cycle, cycle[0]]), where))
    return problems


def find_cycles(needs: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Each distinct cycle of the graph once (iterative DFS, so deep chains cannot overflow the stack)."""
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(needs, white)
    cycles: list[list[str]] = []
    seen_cycles: set[frozenset[str]] = set()
    for root in sorted(needs):
        if colour[root] != white:
            continue
        path: list[str] = [root]
        iterators = [iter(sorted(needs[root]))]
        colour[root] = grey
        while iterators:
            nxt = next(iterators[-1], None)
            if nxt is None:
                colour[path.pop()] = black
                iterators.pop()
                continue
            if colour.get(nxt, black) == grey:
                cycle = path[path.index(nxt) :]
                key = frozenset(cycle)
                if key not in seen_cycles:
                    seen_cycles.add(key)
                    cycles.append(cycle)
            elif colour.get(nxt) == white:
                colour[nxt] = grey
                path.append(nxt)
                iterators.append(iter(sorted(needs[nxt])))
    return cycles


def course_problems(spec: CourseSpec, foreign: Mapping[str, str] | None = None) -> list[Problem]:
    """The rules a course must satisfy before anything of it is stored."""
    problems: list[Problem] = []
    seen_units: dict[str, Location | None] = {}
    seen_objectives: dict[str, Location | None] = {}
    graph = Graph()
    if not (0 < spec.threshold <= 1):
        problems.append(Problem(f"course threshold {spec.threshold} must be between 0 and 1", spec.location))
    for unit in spec.units:
        if unit.code in seen_units:
            problems.append(Problem(f"unit code {unit.code} is used twice", unit.location))
        seen_units[unit.code] = unit.location
        for obj in unit.objectives:
            if obj.code in seen_objectives:
                problems.append(
                    Problem(
                        f"objective code {obj.code} is used twice (first at {seen_objectives[obj.code]})",
                        obj.location,
                    )
                )
            seen_objectives[obj.code] = obj.location
            graph.codes.add(obj.code)
            if obj.threshold is not None and not (0 < obj.threshold <= 1):
                problems.append(
                    Problem(f"threshold {obj.threshold} of {obj.code} must be between 0 and 1", obj.location)
                )
            for i, prerequisite in enumerate(obj.prerequisites):
                loc = obj.prerequisite_locations[i] if i < len(obj.prerequisite_locations) else obj.location
                graph.edges.append(PrerequisiteEdge(obj.code, prerequisite, loc))
    problems.extend(graph_problems(graph, foreign))
    return problems
