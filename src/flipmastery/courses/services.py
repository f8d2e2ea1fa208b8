"""Writes to the course model. A course package is imported whole or not at all, matched by codes."""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from flipmastery.courses.models import Activity, Course, Enrichment, LearningObject, Objective, Unit
from flipmastery.courses.packages import COURSE_FILE, Package, read_package
from flipmastery.domain.course import CourseSpec, ObjectiveSpec
from flipmastery.domain.errors import Invalid, Problem
from flipmastery.domain.formats.bank import BankEntry, read_bank
from flipmastery.domain.formats.course_package import parse_course
from flipmastery.domain.video_length import course_video_warnings
from flipmastery.questions.services import bank_save, entry_problems


@dataclass
class ImportReport:
    """What an import made, changed and kept; printed by the CLI and shown in the admin."""

    course_code: str = ""
    dry_run: bool = False
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    retired: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def count(self, bucket: dict[str, int], what: str) -> None:
        bucket[what] = bucket.get(what, 0) + 1

    def lines(self) -> list[str]:
        verb = "would be" if self.dry_run else "was"
        out = [
            f"course {self.course_code}: " + ("dry run, nothing was changed" if self.dry_run else "imported")
        ]
        for label, bucket in (("created", self.created), ("updated", self.updated)):
            if bucket:
                out.append(f"  {label}: " + ", ".join(counted(n, what) for what, n in sorted(bucket.items())))
        out.extend(f"  retired (not in the package any more; history kept): {r}" for r in self.retired)
        out.extend(f"  note: {n}" for n in self.notes)
        if not (self.created or self.updated or self.retired):
            out.append(f"  nothing {verb} changed")
        return out


PLURALS = {"activity": "activities"}


def counted(n: int, what: str) -> str:
    """ "1 objective", "140 objectives", "2 activities"."""
    return f"{n} {what}" if n == 1 else f"{n} {PLURALS.get(what, what + 's')}"


class _DryRun(Exception):
    """Raised inside the transaction of a dry run so that everything is rolled back."""


def course_import_path(*, path: Path, dry_run: bool = False) -> ImportReport:
    package = read_package(path)
    return course_import(package=package, dry_run=dry_run)


def course_import(*, package: Package, dry_run: bool = False) -> ImportReport:
    """Validate the whole package, then create or update the course by codes in one transaction.

    Sections, enrolments and student history are never touched; objectives, learning objects and
    activities no longer in the package are retired (hidden), not deleted, so no history is lost.
    """
    text = package.text(COURSE_FILE)
    existing_code = _peek_course_code(text)
    foreign = dict(Objective.objects.exclude(course__code=existing_code).values_list("code", "course__code"))
    spec = parse_course(text, file=COURSE_FILE, package_has=package.has, foreign=foreign)
    report = ImportReport(course_code=spec.code, dry_run=dry_run)
    report.notes.extend(f"{w.objective}: {w.message()}" for w in course_video_warnings(spec))
    banks = _read_banks(spec, package)
    pending_files: list[tuple[str, bytes]] = []
    try:
        with transaction.atomic():
            apply_course_spec(spec, package, report, pending_files)
            _save_banks(spec.code, banks, report)
            if dry_run:
                raise _DryRun
            transaction.on_commit(lambda: store_files(pending_files))
    except _DryRun:
        pass
    return report


def _read_banks(spec: CourseSpec, package: Package) -> dict[str, tuple[str, list[BankEntry]]]:
    """Every bank of the package read and checked before anything is written; all problems at once."""
    banks: dict[str, tuple[str, list[BankEntry]]] = {}
    problems: list[Problem] = []
    for objective in spec.objectives:
        if not objective.bank:
            continue
        try:
            entries = read_bank(package.files[objective.bank], objective.bank)
            problems.extend(entry_problems(entries, objective.bank))
            banks[objective.code] = (objective.bank, entries)
        except Invalid as err:
            problems.extend(err.problems)
    if problems:
        raise Invalid(problems)
    return banks


def _save_banks(
    course_code: str, banks: dict[str, tuple[str, list[BankEntry]]], report: ImportReport
) -> None:
    objectives = {o.code: o for o in Objective.objects.filter(course__code=course_code, code__in=list(banks))}
    for code, (file, entries) in banks.items():
        # The package is the bank's source of truth: questions it no longer has are retired.
        bank = bank_save(objective=objectives[code], entries=entries, actor=None, replace=True)
        counts = f"{bank.created} new, {bank.updated} changed, {bank.unchanged} unchanged"
        retired = f", {len(bank.retired)} retired" if bank.retired else ""
        report.notes.append(f"{file}: questions of {code}: {counts}{retired}")


def _peek_course_code(text: str) -> str:
    """The course code, if the file is well-formed enough to tell (the full parse reports problems)."""
    from flipmastery.domain.errors import Invalid
    from flipmastery.domain.formats import yamlsource

    try:
        data = yamlsource.load(text, COURSE_FILE)
    except Invalid:
        return ""
    head = data.get("course") if isinstance(data, dict) else None
    return str(head.get("code", "")) if isinstance(head, dict) else ""


def apply_course_spec(
    spec: CourseSpec, package: Package, report: ImportReport, pending: list[tuple[str, bytes]]
) -> None:
    """Store a checked course as it is: create, update and retire (never delete) to match it. The import and
    the studio both save through here, inside their own transaction, so they cannot disagree."""
    course, created = Course.objects.get_or_create(
        code=spec.code,
        defaults={
            "title": spec.title,
            "threshold": spec.threshold,
            "language": spec.language,
            "description": spec.description,
            "policy": dict(spec.policy),
            "grade_level": spec.grade,
        },
    )
    if created:
        report.count(report.created, "course")
    elif _set(
        course,
        title=spec.title,
        threshold=spec.threshold,
        language=spec.language,
        description=spec.description,
        policy=dict(spec.policy),
        grade_level=spec.grade,
    ):
        report.count(report.updated, "course")
    units = {u.code: u for u in course.units.all()}
    objectives = {o.code: o for o in Objective.objects.filter(course=course)}
    seen: set[str] = set()
    for unit_order, unit_spec in enumerate(spec.units):
        unit = units.get(unit_spec.code)
        if unit is None:
            unit = Unit.objects.create(
                course=course, code=unit_spec.code, title=unit_spec.title, order=unit_order
            )
            report.count(report.created, "unit")
        elif _set(unit, title=unit_spec.title, order=unit_order):
            report.count(report.updated, "unit")
        for order, obj_spec in enumerate(unit_spec.objectives):
            seen.add(obj_spec.code)
            fields: dict[str, Any] = {
                "unit": unit,
                "statement": obj_spec.statement,
                "tier": obj_spec.tier.value,
                "outcome_code": obj_spec.outcome_code,
                "threshold": obj_spec.threshold,
                "estimated_minutes": obj_spec.estimated_minutes,
                "check_items": obj_spec.check_items,
                "check_written": obj_spec.check_written,
                "policy": dict(obj_spec.policy),
                "bank_file": obj_spec.bank,
                "order": order,
                "retired": False,
            }
            objective = objectives.get(obj_spec.code)
            if objective is None:
                objective = Objective.objects.create(course=course, code=obj_spec.code, **fields)
                objectives[obj_spec.code] = objective
                report.count(report.created, "objective")
            elif _set(objective, **fields):
                report.count(report.updated, "objective")
            _apply_children(objective, obj_spec, package, report, pending)
    for obj_spec in spec.objectives:
        objective = objectives[obj_spec.code]
        wanted = [objectives[code] for code in obj_spec.prerequisites]
        if {p.pk for p in objective.prerequisites.all()} != {p.pk for p in wanted}:
            objective.prerequisites.set(wanted)
    for code, objective in objectives.items():
        if code not in seen and not objective.retired:
            objective.retired = True
            objective.save(update_fields=["retired"])
            report.retired.append(f"objective {code}")


def _apply_children(
    objective: Objective,
    spec: ObjectiveSpec,
    package: Package,
    report: ImportReport,
    pending: list[tuple[str, bytes]],
) -> None:
    def learning_object_fields(i: int, lo: Any) -> dict[str, Any]:
        fields = {
            "kind": lo.kind.value,
            "title": lo.title,
            "url": lo.url,
            "body": lo.body,
            "answers": lo.answers,
            "minutes": lo.minutes,
            "is_primary": i == 0,
            "order": i,
        }
        if lo.file:
            data = package.files[lo.file]
            name = f"learning-objects/{hashlib.sha256(data).hexdigest()[:16]}/{posixpath.basename(lo.file)}"
            pending.append((name, data))
            fields["file"] = name
        return fields

    # The primary flag is unique per objective: clear it first so reordering never collides.
    primary = LearningObject.objects.filter(objective=objective, is_primary=True)
    if spec.learn:
        primary = primary.exclude(title__iexact=spec.learn[0].title)
    primary.update(is_primary=False)
    _sync(LearningObject, objective, list(spec.learn), learning_object_fields, report, "learning object")
    _apply_notes(objective, spec, report)
    _sync(
        Activity,
        objective,
        list(spec.activities),
        lambda i, a: {"title": a.title, "description": a.description, "order": i},
        report,
        "activity",
    )
    _sync(
        Enrichment,
        objective,
        list(spec.enrichment),
        lambda i, e: {"title": e.title, "description": e.description, "url": e.url, "order": i},
        report,
        "enrichment task",
    )


def _apply_notes(objective: Objective, spec: ObjectiveSpec, report: ImportReport) -> None:
    """Guided notes a package gives (`notes:` under a learning object); notes it leaves out stay as built."""
    from django.utils import timezone

    from flipmastery.notes.services import notes_template_from_package  # the notes app builds on courses

    for item in spec.learn:
        if item.notes is None:
            continue
        row = LearningObject.objects.filter(
            objective=objective, title__iexact=item.title, retired=False
        ).first()
        if row is not None and notes_template_from_package(
            learning_object=row, template=item.notes, now=timezone.now()
        ):
            report.count(report.updated, "guided notes")


def _sync(
    model: Any,
    objective: Objective,
    specs: Sequence[Any],
    fields_of: Callable[[int, Any], dict[str, Any]],
    report: ImportReport,
    what: str,
) -> None:
    """Match children by title (what a teacher recognises), update or create them, retire the rest."""
    existing = {row.title.casefold(): row for row in model.objects.filter(objective=objective)}
    for i, item in enumerate(specs):
        fields = {**fields_of(i, item), "retired": False}
        row = existing.pop(item.title.casefold(), None)
        if row is None:
            row = model.objects.create(objective=objective, **fields)
            report.count(report.created, what)
        elif _set(row, **fields):
            report.count(report.updated, what)
    for row in existing.values():
        if not row.retired:
            row.retired = True
            row.save(update_fields=["retired"])
            report.retired.append(f"{what} '{row.title}' of {objective.code}")


def _set(instance: Any, **fields: Any) -> bool:
    """Assign and save only what changed; True when something did."""
    changed = []
    for name, value in fields.items():
        current = getattr(instance, name)
        if name == "file":
            current = current.name if current else ""
        if current != value:
            setattr(instance, name, value)
            changed.append(name)
    if changed:
        instance.save(update_fields=changed)
    return bool(changed)


def store_files(files: list[tuple[str, bytes]]) -> None:
    for name, data in files:
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(data))
