"""The course studio: a teacher's edits to a course, each checked and saved exactly as a package import.

Every edit reads the course into a CourseSpec, changes that spec, writes it as `course.yaml` and reads it
back with the package reader (so the studio refuses what an import refuses, with the same words), then
stores it through the import's own apply step: matched by codes and titles, retired and never deleted.
Problems are placed next to the form field the teacher was editing, found by the line they name.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from flipmastery.accounts.models import User
from flipmastery.courses.models import Course, LearningObject, Objective, Unit
from flipmastery.courses.packages import COURSE_FILE, Package
from flipmastery.courses.selectors import course_objectives
from flipmastery.courses.services import ImportReport, apply_course_spec, store_files
from flipmastery.courses.signals import facts_changed
from flipmastery.domain.course import (
    ActivitySpec,
    CourseSpec,
    EnrichmentSpec,
    LearningObjectKind,
    LearningObjectSpec,
    ObjectiveSpec,
    Tier,
    UnitSpec,
)
from flipmastery.domain.errors import Invalid, NotFound, Problem
from flipmastery.domain.formats import yamlsource
from flipmastery.domain.formats.bank import BankEntry
from flipmastery.domain.formats.course_package import parse_course
from flipmastery.domain.formats.course_package_write import write_course
from flipmastery.domain.guided_notes import parse_template
from flipmastery.questions.selectors import bank_questions
from flipmastery.questions.services import bank_save

STORED = "learning-objects/"  # where the import stores a learning object's file (services._apply_children)
UPLOADS = "uploads/"  # where an upload sits in the studio's in-memory package
PARTS = ("learn", "activities", "enrichment")
FIRST_AT = re.compile(r" \(first at [^)]*\)")
Part = LearningObjectSpec | ActivitySpec | EnrichmentSpec


# --- who may edit ---------------------------------------------------------------------------------------


def studio_courses(user: User) -> QuerySet[Course]:
    """Courses this person may build: those a school admin assigned them to (all, for a school admin)."""
    if user.is_school_admin:
        return Course.objects.all()
    if not user.is_teacher:
        return Course.objects.none()
    return Course.objects.filter(teachers=user)


def access_course_for_studio(user: User, course_id: int) -> Course:
    """The course if this person may edit it; missing and forbidden read the same."""
    course = studio_courses(user).filter(pk=course_id).first()
    if course is None:
        raise NotFound("course not found")
    return course


# --- reading the course as a package would say it -------------------------------------------------------


def lock_course(course: Course) -> None:
    """Inside a transaction: edits of one course wait for each other, so none is built on a stale read
    (each edit rewrites the whole course, and would otherwise retire what another just added)."""
    Course.objects.select_for_update().filter(pk=course.pk).exists()


def course_spec(course: Course) -> CourseSpec:
    """The course as a CourseSpec: what is not retired, in order; a stored file named by its storage path."""
    units = list(Unit.objects.filter(course=course).order_by("order", "id"))
    by_unit: dict[int, list[ObjectiveSpec]] = {u.pk: [] for u in units}
    objectives = list(course_objectives(course))
    live = {o.pk for o in objectives if not o.retired}
    _attach_notes(course, objectives)
    for o in objectives:
        if o.retired:
            continue
        by_unit[o.unit_id].append(objective_spec(o, live))
    return CourseSpec(
        code=course.code,
        title=course.title,
        threshold=course.threshold,
        language=course.language,
        description=course.description,
        units=tuple(UnitSpec(u.code, u.title, tuple(by_unit[u.pk])) for u in units),
        policy=tuple(course.policy.items()),
        grade=course.grade_level,
    )


def objective_spec(o: Objective, live: set[int]) -> ObjectiveSpec:
    """One objective (children prefetched) as the package says it; prerequisites among `live` ids only."""
    return ObjectiveSpec(
        code=o.code,
        statement=o.statement,
        tier=Tier(o.tier),
        outcome_code=o.outcome_code,
        prerequisites=tuple(sorted(p.code for p in o.prerequisites.all() if p.pk in live)),
        threshold=o.threshold,
        estimated_minutes=o.estimated_minutes,
        learn=tuple(_learning_object(lo) for lo in _live(o.learning_objects.all())),
        activities=tuple(ActivitySpec(a.title, a.description) for a in _live(o.activities.all())),
        enrichment=tuple(EnrichmentSpec(e.title, e.description, e.url) for e in _live(o.enrichments.all())),
        check_items=o.check_items,
        check_written=o.check_written,
        policy=tuple(o.policy.items()),
        bank=o.bank_file,
    )


def _attach_notes(course: Course, objectives: list[Objective]) -> None:
    """Each learning object (prefetched) with its guided notes, read in one query, for the package."""
    from flipmastery.notes.models import NotesTemplate  # the notes app builds on courses

    templates = {
        lo_id: parse_template(parts)
        for lo_id, parts in NotesTemplate.objects.filter(
            learning_object__objective__course=course
        ).values_list("learning_object_id", "parts")
    }
    for o in objectives:
        for lo in o.learning_objects.all():
            lo.guided_notes = templates.get(lo.pk)  # type: ignore[attr-defined]


def _live(rows: Any) -> list[Any]:
    return sorted((r for r in rows if not r.retired), key=lambda r: (r.order, r.pk))


def _learning_object(lo: LearningObject) -> LearningObjectSpec:
    return LearningObjectSpec(
        kind=LearningObjectKind(lo.kind),
        title=lo.title,
        url=lo.url,
        file=lo.file.name or "",
        minutes=lo.minutes,
        body=lo.body,
        answers=lo.answers,
        notes=getattr(lo, "guided_notes", None),
    )


# --- checking and saving one edit -----------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where an edit happened, so that its problems land next to the fields of its form."""

    unit: str = ""
    objective: str = ""
    part: str = ""  # "learn", "activities" or "enrichment"
    index: int = -1


@dataclass(frozen=True)
class Renames:
    """Codes and titles changed by the edit: renamed in place first, so history stays with the row."""

    unit: tuple[str, str] | None = None
    objective: tuple[str, str] | None = None
    part: tuple[str, str, str, str] | None = None  # part, objective code, old title, new title


class StudioInvalid(Invalid):
    """Invalid, with each problem's message placed under a field of the form (or none: "")."""

    def __init__(self, problems: list[Problem], fields: Mapping[str, list[str]]) -> None:
        super().__init__(problems)
        self.fields = dict(fields)


@dataclass
class Saved:
    course: Course
    report: ImportReport = field(default_factory=ImportReport)


def studio_save(
    *,
    spec: CourseSpec,
    place: Place,
    course: Course | None,
    uploads: Mapping[str, bytes] | None = None,
    renames: Renames | None = None,
) -> Saved:
    """Check `spec` as an import would and store it the way an import does; StudioInvalid changes nothing."""
    uploads = dict(uploads or {})
    renames = renames or Renames()
    text = write_course(spec)
    known = set(uploads) | {o.bank for o in spec.objectives if o.bank}
    known |= {lo.file for o in spec.objectives for lo in o.learn if lo.file.startswith(STORED)}
    foreign = dict(Objective.objects.exclude(course__code=spec.code).values_list("code", "course__code"))
    placed = _duplicate_titles(spec, place)
    problems: list[Problem] = []
    try:
        parse_course(text, file=COURSE_FILE, package_has=known.__contains__, foreign=foreign)
    except Invalid as err:
        problems = err.problems
    if course is None and Course.objects.filter(code=spec.code).exists():
        placed.append(("code", f"a course with code {spec.code} exists already; choose another code"))
    if course is not None and renames.objective:
        _, new = renames.objective
        if Objective.objects.filter(course=course, code=new, retired=True).exists():
            placed.append(("code", f"code {new} belonged to an objective of this course that was removed"))
    if problems or placed:
        raise _placed(text, place, problems, placed)
    report = ImportReport(course_code=spec.code)
    pending: list[tuple[str, bytes]] = []
    with transaction.atomic():
        if course is not None:
            _rename(course, renames)
        apply_course_spec(_as_applied(spec), Package(name="studio", files=uploads), report, pending)
        if course is None and not report.created.get("course"):  # made by someone else a moment ago
            message = f"a course with code {spec.code} exists already; choose another code"
            raise StudioInvalid([Problem(message)], {"code": [message]})
        saved = Course.objects.get(code=spec.code)
        _keep_stored_files(saved, spec, report)
        transaction.on_commit(lambda: store_files(pending))
    return Saved(saved, report)


def _as_applied(spec: CourseSpec) -> CourseSpec:
    """The spec the import step applies: files already stored are kept as they are (set after)."""

    def learn(lo: LearningObjectSpec) -> LearningObjectSpec:
        return lo if lo.file.startswith(UPLOADS) else dataclasses.replace(lo, file="")

    return dataclasses.replace(
        spec,
        units=tuple(
            dataclasses.replace(
                u,
                objectives=tuple(
                    dataclasses.replace(o, learn=tuple(learn(lo) for lo in o.learn)) for o in u.objectives
                ),
            )
            for u in spec.units
        ),
    )


def _keep_stored_files(course: Course, spec: CourseSpec, report: ImportReport) -> None:
    """A learning object names a stored file (kept, copied from another course) or none (removed)."""
    wanted = {
        (o.code, lo.title.casefold()): lo.file
        for o in spec.objectives
        for lo in o.learn
        if not lo.file.startswith(UPLOADS)
    }
    rows = LearningObject.objects.filter(objective__course=course, retired=False).select_related("objective")
    for row in rows:
        key = (row.objective.code, row.title.casefold())
        if key in wanted and (row.file.name or "") != wanted[key]:
            row.file.name = wanted[key]
            row.save(update_fields=["file"])
            report.count(report.updated, "learning object")


def _rename(course: Course, renames: Renames) -> None:
    if renames.unit and renames.unit[0] != renames.unit[1]:
        Unit.objects.filter(course=course, code=renames.unit[0]).update(code=renames.unit[1])
    if renames.objective and renames.objective[0] != renames.objective[1]:
        Objective.objects.filter(course=course, code=renames.objective[0]).update(code=renames.objective[1])
    if renames.part and renames.part[2].casefold() != renames.part[3].casefold():
        part, code, old, new = renames.part
        model = _model_of(part)
        rows = model.objects.filter(objective__course=course, objective__code=code)
        if not rows.filter(title__iexact=new).exists():  # else the import revives that one
            rows.filter(title__iexact=old).update(title=new)
    facts_changed(course.pk)  # the updates above bypass the signals


def _model_of(part: str) -> Any:
    from flipmastery.courses.models import Activity, Enrichment

    return {"learn": LearningObject, "activities": Activity, "enrichment": Enrichment}[part]


def _duplicate_titles(spec: CourseSpec, place: Place) -> list[tuple[str, str]]:
    """Learning objects, activities and enrichment are matched by title, so two of one objective may not
    share one: an import would take them for one and the same."""
    out = []
    for o in spec.objectives:
        if place.objective and o.code != place.objective:
            continue
        for part in PARTS:
            seen: set[str] = set()
            for item in getattr(o, part):
                key = item.title.casefold()
                if key in seen:
                    out.append(("title", f"{o.code} already has '{item.title}'; give this one another title"))
                seen.add(key)
    return out


def _placed(text: str, place: Place, problems: list[Problem], placed: list[tuple[str, str]]) -> StudioInvalid:
    """Each problem under the form field whose line it names; a cycle under the prerequisites."""
    lines = _field_lines(text, place)
    fields: dict[str, list[str]] = {}
    for name, message in placed:
        fields.setdefault(name, []).append(message)
    for problem in problems:
        # "(first at course.yaml:9)" names a line of a file the teacher of the studio never saw.
        problem = Problem(FIRST_AT.sub("", problem.message), problem.location)
        line = problem.location.line if problem.location else None
        name = lines.get(line, "") if line is not None else ""
        if not name and place.objective and not place.part and "prerequisite" in problem.message:
            name = "prerequisites"
        elif not name and place.part == "learn" and "needs a 'url'" in problem.message:
            name = "url"
        elif not name and place.part == "learn" and "needs a 'file'" in problem.message:
            name = "file"
        fields.setdefault(name, []).append(problem.message)
    every = [*problems, *(Problem(m) for _, m in placed)]
    return StudioInvalid(every, fields)


def _field_lines(text: str, place: Place) -> dict[int, str]:
    """Line → key of the mapping the edit is about (its first key's line is the mapping's own: left out)."""
    try:
        data = yamlsource.load(text, COURSE_FILE)
    except Invalid:
        return {}
    node: Any = data.get("course")
    for unit in data.get("units") or []:
        if place.unit and unit.get("code") == place.unit and not place.objective:
            node = unit
        for objective in unit.get("objectives") or []:
            if place.objective and objective.get("code") == place.objective:
                node = objective
                if place.part:
                    items = objective.get(place.part) or []
                    node = items[place.index] if 0 <= place.index < len(items) else None
    if not isinstance(node, yamlsource.Mapping):
        return {}
    return {line: key for key, line in node.key_lines.items() if line != node.line or key == "code"}


def bank_copy(*, source: Course, target: Course, actor: User) -> int:
    """The current questions of `source` into the objectives of `target` with the same codes."""
    objectives = {o.code: o for o in Objective.objects.filter(course=target)}
    by_code: dict[str, list[BankEntry]] = {}
    for code, value in bank_questions(course_code=source.code):
        by_code.setdefault(code, []).append(BankEntry(value, 0))
    for code, entries in by_code.items():
        if code in objectives:
            bank_save(objective=objectives[code], entries=entries, actor=actor, replace=False)
    return sum(len(e) for e in by_code.values())


def upload_name(name: str) -> str:
    """A safe file name for an upload, short enough for its storage path (FileField's 100 characters)."""
    from django.utils.text import get_valid_filename

    base = posixpath.basename(name.replace("\\", "/"))
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    try:
        safe_stem = get_valid_filename(stem)[:50] or "file"
    except Exception:  # SuspiciousFileOperation for names such as ".."
        safe_stem = "file"
    safe_suffix = "".join(c for c in suffix if c.isalnum())[:10].lower()
    return f"{safe_stem}.{safe_suffix}" if safe_suffix else safe_stem
