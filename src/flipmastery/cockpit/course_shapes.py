"""A course as the cockpit computes from it (objectives, prerequisites, ways to learn, activities), kept per
course token in this process and in the shared cache, so a look at the grid reads none of it again.

Only the course's own layer is kept: each section's policy and threshold are applied when the facts are
made (`CourseShape.facts`), from the section row the caller already holds. A course edit replaces the
course's token (`versions.course_changed`, called by `courses.services.apply_course_spec`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache

from flipmastery.classroom.models import Section
from flipmastery.cockpit.board import Column
from flipmastery.cockpit.versions import course_tokens
from flipmastery.courses.models import Course, Objective
from flipmastery.progress.standings import ObjectiveFacts, parts_of, policy_for

KEPT = 64  # courses kept in this process
SHAPE = "cockpit:shape:1:{}:{}"  # the shape's format, course id, course token
SHARED_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class ObjectiveShape:
    column: Column
    threshold: float | None
    policy: Any  # the objective's own layer of the policy (JSON)
    prerequisites: tuple[int, ...]
    learning_objects: tuple[str, ...]  # ids, primary first
    activities: tuple[str, ...]


@dataclass(frozen=True)
class CourseShape:
    objectives: tuple[ObjectiveShape, ...]  # in the grid's order

    @property
    def columns(self) -> list[Column]:
        return [o.column for o in self.objectives]

    def facts(self, section: Section) -> list[ObjectiveFacts]:
        """The mastery loop's facts in this section (its policy layered over the course's): no queries;
        the same list while neither the shape nor a policy changed (its replays are compared by it)."""
        course = section.course
        layers = repr((section.threshold, section.policy, course.threshold, course.policy))
        key = (section.pk, layers)
        with _lock:
            found = _facts.get(key)
        if found is not None and found[0] is self:
            return found[1]
        made = self._facts(section)
        with _lock:
            _facts[key] = (self, made)
            _facts.move_to_end(key)
            while len(_facts) > FACTS_KEPT:
                _facts.popitem(last=False)
        return made

    def _facts(self, section: Section) -> list[ObjectiveFacts]:
        return [
            ObjectiveFacts(
                o.column.id,
                o.column.code,
                o.prerequisites,
                o.learning_objects,
                o.activities,
                policy_for(section, o.threshold, o.policy),
            )
            for o in self.objectives
        ]


_kept: OrderedDict[tuple[int, str], CourseShape] = OrderedDict()
# (section, its policy layers) → (the shape, its facts in that section)
_facts: OrderedDict[tuple[int, str], tuple[CourseShape, list[ObjectiveFacts]]] = OrderedDict()
FACTS_KEPT = 400
_lock = threading.Lock()


def forget() -> None:
    """Drop the shapes kept in this process (tests; a second server process starts this way)."""
    with _lock:
        _kept.clear()
        _facts.clear()


def course_shapes(courses: Iterable[Course]) -> dict[int, CourseShape]:
    """Course id → its shape: one cache read while kept here, two when kept only in the shared cache, and
    four queries for the courses kept nowhere (any number of them). Kept under the course's token and,
    where the course row counts its changes (`facts_version`), that count too."""
    rows = {c.pk: c for c in courses}
    tokens = course_tokens(sorted(rows))
    wanted = {  # created_at: a test database may reuse an id
        pk: f"{token}-{getattr(rows[pk], 'facts_version', 0)}-{rows[pk].created_at.timestamp()}"
        for pk, token in tokens.items()
    }
    found: dict[int, CourseShape] = {}
    with _lock:
        for pk, token in wanted.items():
            if (pk, token) in _kept:
                found[pk] = _kept[(pk, token)]
                _kept.move_to_end((pk, token))
    missing = {pk: token for pk, token in wanted.items() if pk not in found}
    if missing:
        shared = cache.get_many([SHAPE.format(pk, token) for pk, token in missing.items()])
        for pk, token in list(missing.items()):
            shape = shared.get(SHAPE.format(pk, token))
            if isinstance(shape, CourseShape):
                found[pk] = shape
                del missing[pk]
    if missing:
        made = _fetch(list(missing))
        cache.set_many({SHAPE.format(pk, missing[pk]): shape for pk, shape in made.items()}, SHARED_SECONDS)
        found.update(made)
    with _lock:
        for pk, token in wanted.items():
            _kept[(pk, token)] = found[pk]
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return found


def _fetch(courses: list[int]) -> dict[int, CourseShape]:
    """The shapes of some courses from the database: four queries, whatever their number (the objectives
    here, their parts in `progress.standings.parts_of`)."""
    objectives: dict[int, list[Objective]] = defaultdict(list)
    for o in (
        Objective.objects.filter(course_id__in=courses, retired=False)
        .select_related("unit")
        .order_by("course_id", "unit__order", "unit_id", "order", "id")
    ):
        objectives[o.course_id].append(o)
    parts = parts_of([o.pk for found in objectives.values() for o in found])
    return {
        pk: CourseShape(
            tuple(
                ObjectiveShape(
                    Column(
                        o.pk, o.code, o.statement, o.tier, o.unit.code, o.unit.title, o.unit.grading_period
                    ),
                    o.threshold,
                    o.policy,
                    parts.prerequisites.get(o.pk, ()),
                    parts.learning_objects.get(o.pk, ()),
                    parts.activities.get(o.pk, ()),
                )
                for o in objectives.get(pk, [])
            )
        )
        for pk in courses
    }
