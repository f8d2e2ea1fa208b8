"""The course studio's edits, one service each: change the course's spec, then save it as an import would."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.db import transaction

from flipmastery.accounts.models import User
from flipmastery.courses.models import Course, Objective
from flipmastery.courses.selectors import course_objectives
from flipmastery.courses.studio import (
    UPLOADS,
    Part,
    Place,
    Renames,
    Saved,
    StudioInvalid,
    bank_copy,
    course_spec,
    lock_course,
    objective_spec,
    studio_save,
    upload_name,
)
from flipmastery.domain.course import CourseSpec, LearningObjectSpec, ObjectiveSpec, Tier, UnitSpec
from flipmastery.domain.errors import NotFound, Problem

P = ParamSpec("P")
R = TypeVar("R")


def edit(service: Callable[P, R]) -> Callable[P, R]:
    """One edit of `course=`: read, change and save in one transaction, holding the course's lock."""

    @functools.wraps(service)
    def locked(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic():
            course = kwargs["course"]
            assert isinstance(course, Course)
            lock_course(course)
            return service(*args, **kwargs)

    return locked


# --- the course -----------------------------------------------------------------------------------------


@transaction.atomic
def course_create(
    *, actor: User, code: str, title: str, threshold: float, language: str, description: str = ""
) -> Course:
    """A new, empty course; its maker teaches it (and so may build it and open sections of it)."""
    spec = CourseSpec(code=code, title=title, threshold=threshold, language=language, description=description)
    saved = studio_save(spec=spec, place=Place(), course=None)
    saved.course.teachers.add(actor)
    return saved.course


@transaction.atomic
def course_copy(*, actor: User, source: Course, code: str, title: str) -> Course:
    """A copy of `source` under a new code: units, objectives, learning objects, files and questions."""
    spec = dataclasses.replace(course_spec(source), code=code, title=title)
    saved = studio_save(spec=spec, place=Place(), course=None)
    saved.course.teachers.add(actor)
    bank_copy(source=source, target=saved.course, actor=actor)
    return saved.course


@edit
def course_settings_save(
    *,
    course: Course,
    title: str,
    threshold: float,
    language: str,
    description: str,
    grade: int | None = None,
) -> Saved:
    spec = dataclasses.replace(
        course_spec(course),
        title=title,
        threshold=threshold,
        language=language,
        description=description,
        grade=grade,
    )
    return studio_save(spec=spec, place=Place(), course=course)


# --- units ----------------------------------------------------------------------------------------------


@edit
def unit_add(*, course: Course, code: str, title: str) -> Saved:
    spec = course_spec(course)
    spec = dataclasses.replace(spec, units=(*spec.units, UnitSpec(code=code, title=title)))
    return studio_save(spec=spec, place=Place(unit=code), course=course)


@edit
def unit_save(*, course: Course, unit_code: str, code: str, title: str) -> Saved:
    spec = course_spec(course)
    units = tuple(
        dataclasses.replace(u, code=code, title=title) if u.code == unit_code else u for u in spec.units
    )
    _need(any(u.code == unit_code for u in spec.units), f"unit {unit_code}")
    return studio_save(
        spec=dataclasses.replace(spec, units=units),
        place=Place(unit=code),
        course=course,
        renames=Renames(unit=(unit_code, code)),
    )


@edit
def unit_move(*, course: Course, unit_code: str, step: int) -> Saved:
    spec = course_spec(course)
    units = _moved(list(spec.units), [u.code for u in spec.units].index(_found(spec, unit_code)), step)
    return studio_save(spec=dataclasses.replace(spec, units=tuple(units)), place=Place(), course=course)


def _found(spec: CourseSpec, unit_code: str) -> str:
    _need(any(u.code == unit_code for u in spec.units), f"unit {unit_code}")
    return unit_code


# --- objectives -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectiveFields:
    """What the objective form edits; the rest of an objective (learning objects, bank, policy) stays."""

    unit: str
    code: str
    statement: str
    tier: Tier
    outcome_code: str
    threshold: float | None
    estimated_minutes: int | None
    prerequisites: tuple[str, ...]
    check_items: int = 2  # auto-graded questions in its mastery check
    check_written: int = 0  # and free responses a teacher grades


@edit
def objective_add(*, course: Course, values: ObjectiveFields) -> Saved:
    spec = course_spec(course)
    new = ObjectiveSpec(
        code=values.code,
        statement=values.statement,
        tier=values.tier,
        outcome_code=values.outcome_code,
        threshold=values.threshold,
        estimated_minutes=values.estimated_minutes,
        prerequisites=values.prerequisites,
        check_items=values.check_items,
        check_written=values.check_written,
    )
    _need(any(u.code == values.unit for u in spec.units), f"unit {values.unit}")
    units = tuple(
        dataclasses.replace(u, objectives=(*u.objectives, new)) if u.code == values.unit else u
        for u in spec.units
    )
    place = Place(objective=values.code)
    return studio_save(spec=dataclasses.replace(spec, units=units), place=place, course=course)


@edit
def objective_save(*, course: Course, code: str, values: ObjectiveFields) -> Saved:
    """Change an objective's fields; a new unit takes it at its end, a new code renames it (history kept)."""
    spec = course_spec(course)
    old = _objective(spec, code)
    new = dataclasses.replace(
        old,
        code=values.code,
        statement=values.statement,
        tier=values.tier,
        outcome_code=values.outcome_code,
        threshold=values.threshold,
        estimated_minutes=values.estimated_minutes,
        prerequisites=values.prerequisites,
        check_items=values.check_items,
        check_written=values.check_written,
    )
    _need(any(u.code == values.unit for u in spec.units), f"unit {values.unit}")
    renamed = {code: values.code}
    units = []
    for u in spec.units:
        objectives = [new if o.code == code else _renamed(o, renamed) for o in u.objectives]
        if any(o.code == code for o in u.objectives) and u.code != values.unit:
            objectives = [o for o in objectives if o is not new]
        if u.code == values.unit and not any(o is new for o in objectives):
            objectives.append(new)
        units.append(dataclasses.replace(u, objectives=tuple(objectives)))
    return studio_save(
        spec=dataclasses.replace(spec, units=tuple(units)),
        place=Place(objective=values.code),
        course=course,
        renames=Renames(objective=(code, values.code)),
    )


def _renamed(o: ObjectiveSpec, renamed: dict[str, str]) -> ObjectiveSpec:
    """Prerequisites follow a renamed objective."""
    if not any(p in renamed for p in o.prerequisites):
        return o
    return dataclasses.replace(o, prerequisites=tuple(renamed.get(p, p) for p in o.prerequisites))


@edit
def objective_move(*, course: Course, code: str, step: int) -> Saved:
    spec = course_spec(course)
    _objective(spec, code)
    units = tuple(
        dataclasses.replace(u, objectives=tuple(_moved(list(u.objectives), _index(u.objectives, code), step)))
        if any(o.code == code for o in u.objectives)
        else u
        for u in spec.units
    )
    return studio_save(spec=dataclasses.replace(spec, units=units), place=Place(), course=course)


@edit
def objective_retire(*, course: Course, code: str) -> Saved:
    """Take an objective out of the course: hidden from students, its history kept (never deleted)."""
    spec = course_spec(course)
    _objective(spec, code)
    needing = [o.code for o in spec.objectives if code in o.prerequisites]
    if needing:
        message = (
            f"{code} is a prerequisite of {', '.join(needing)}: "
            "take it out of their prerequisites first, so nobody waits for an objective they cannot see"
        )
        raise StudioInvalid([Problem(message)], {"": [message]})
    units = tuple(
        dataclasses.replace(u, objectives=tuple(o for o in u.objectives if o.code != code))
        for u in spec.units
    )
    return studio_save(spec=dataclasses.replace(spec, units=units), place=Place(), course=course)


@edit
def objective_restore(*, course: Course, code: str) -> Saved:
    """Bring back a retired objective at the end of its unit, as it was (prerequisites still here)."""
    spec = course_spec(course)
    rows = list(course_objectives(course).filter(code=code, retired=True))
    if not rows:
        raise NotFound(f"objective {code} is not one taken out of this course")
    live = set(Objective.objects.filter(course=course, retired=False).values_list("pk", flat=True))
    back = objective_spec(rows[0], live)
    unit = rows[0].unit.code
    units = tuple(
        dataclasses.replace(u, objectives=(*u.objectives, back)) if u.code == unit else u for u in spec.units
    )
    return studio_save(
        spec=dataclasses.replace(spec, units=units), place=Place(objective=code), course=course
    )


def _objective(spec: CourseSpec, code: str) -> ObjectiveSpec:
    found = next((o for o in spec.objectives if o.code == code), None)
    if found is None:
        raise NotFound(f"objective {code} not found in this course")
    return found


def _index(objectives: tuple[ObjectiveSpec, ...], code: str) -> int:
    return [o.code for o in objectives].index(code)


REMOVE_FILE = "-"  # an edited learning object's `file` when its teacher takes its file away


# --- learning objects, activities, enrichment ----------------------------------------------------------


@edit
def part_add(
    *,
    course: Course,
    objective_code: str,
    part: str,
    item: Part,
    upload: tuple[str, bytes] | None = None,
) -> Saved:
    """Add a learning object ("learn"), a required activity ("activities") or enrichment ("enrichment")."""
    spec = course_spec(course)
    items = [*getattr(_objective(spec, objective_code), part)]
    if isinstance(item, LearningObjectSpec) and item.file == REMOVE_FILE:
        item = dataclasses.replace(item, file="")
    item, uploads = _with_upload(item, upload)
    items.append(item)
    place = Place(objective=objective_code, part=part, index=len(items) - 1)
    return _save_part(course, spec, objective_code, part, items, place, uploads)


@edit
def part_save(
    *,
    course: Course,
    objective_code: str,
    part: str,
    title: str,
    item: Part,
    upload: tuple[str, bytes] | None = None,
) -> Saved:
    """Change the item now titled `title`; a learning object keeps its file unless a new one is uploaded
    or its `file` is REMOVE_FILE."""
    spec = course_spec(course)
    items = [*getattr(_objective(spec, objective_code), part)]
    index = _part_index(items, title)
    if isinstance(item, LearningObjectSpec) and upload is None and item.file != REMOVE_FILE:
        old = items[index]
        assert isinstance(old, LearningObjectSpec)
        item = dataclasses.replace(item, file=old.file)
    elif isinstance(item, LearningObjectSpec) and item.file == REMOVE_FILE:
        item = dataclasses.replace(item, file="")
    item, uploads = _with_upload(item, upload)
    items[index] = item
    place = Place(objective=objective_code, part=part, index=index)
    renames = Renames(part=(part, objective_code, title, item.title))
    return _save_part(course, spec, objective_code, part, items, place, uploads, renames)


@edit
def part_move(*, course: Course, objective_code: str, part: str, title: str, step: int) -> Saved:
    spec = course_spec(course)
    items = [*getattr(_objective(spec, objective_code), part)]
    items = _moved(items, _part_index(items, title), step)
    return _save_part(course, spec, objective_code, part, items, Place(objective=objective_code), {})


@edit
def part_retire(*, course: Course, objective_code: str, part: str, title: str) -> Saved:
    """Take it out: hidden from students, kept with what they did with it (never deleted)."""
    spec = course_spec(course)
    items = [*getattr(_objective(spec, objective_code), part)]
    del items[_part_index(items, title)]
    return _save_part(course, spec, objective_code, part, items, Place(objective=objective_code), {})


def _with_upload(item: Part, upload: tuple[str, bytes] | None) -> tuple[Part, dict[str, bytes]]:
    if upload is None or not isinstance(item, LearningObjectSpec):
        return item, {}
    inside = UPLOADS + upload_name(upload[0])
    return dataclasses.replace(item, file=inside), {inside: upload[1]}


def _part_index(items: list[Any], title: str) -> int:
    for i, item in enumerate(items):
        if item.title.casefold() == title.casefold():
            return i
    raise NotFound(f"'{title}' not found")


def _save_part(
    course: Course,
    spec: CourseSpec,
    objective_code: str,
    part: str,
    items: list[Any],
    place: Place,
    uploads: dict[str, bytes],
    renames: Renames | None = None,
) -> Saved:
    units = tuple(
        dataclasses.replace(
            u,
            objectives=tuple(
                _with_part(o, part, items) if o.code == objective_code else o for o in u.objectives
            ),
        )
        for u in spec.units
    )
    return studio_save(
        spec=dataclasses.replace(spec, units=units),
        place=place,
        course=course,
        uploads=uploads,
        renames=renames,
    )


# --- shared -------------------------------------------------------------------------------------------


def _moved(items: list[Any], index: int, step: int) -> list[Any]:
    """`items` with the one at `index` moved one place up (step -1) or down (+1); at an end, unchanged."""
    target = index + (1 if step > 0 else -1)
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    return items


def _need(found: bool, what: str) -> None:
    if not found:
        raise NotFound(f"{what} not found in this course")


def _with_part(o: ObjectiveSpec, part: str, items: list[Any]) -> ObjectiveSpec:
    if part == "learn":
        return dataclasses.replace(o, learn=tuple(items))
    if part == "activities":
        return dataclasses.replace(o, activities=tuple(items))
    return dataclasses.replace(o, enrichment=tuple(items))
