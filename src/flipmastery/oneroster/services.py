"""Writes of a OneRoster import: a bundle's classes become sections of our courses, its teachers and
students get accounts and memberships, and every sourcedId is remembered (`SourcedId`), so the same bundle
again changes nothing and a delta finds what it changes. One transaction: any problem, and nothing changed.

Decisions a school's IT person can rely on (the README says them too):
- A class becomes a section when its SIS course is mapped to one of our courses: by the mapping the admin
  gives (SIS courseCode or sourcedId = our course code), else the mapping of an earlier import, else a course
  of ours whose code is the SIS courseCode. Classes of other courses (art, PE: not taught here) are listed as
  skipped, never refused: an SIS exports the whole school.
- Only teachers and students of imported classes get accounts, with no password: students sign in with
  their card (or a password their teacher sets), teachers with one set by whoever runs the server
  (`flipmastery changepassword`). School admins,
  aides, proctors and guardians get none (an import never widens anyone's access; guardians get a private
  link from the student's page). An existing account with the same username is linked only if it has the
  same role; a school admin's only as a teacher (admins see every section anyway).
- Removing (status tobedeleted, or missing from a bulk file) never deletes anyone's work: a person is
  unenrolled, a class's section archived; accounts stay.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Section, new_join_code
from flipmastery.courses.models import Course
from flipmastery.domain.errors import Invalid, Location, Problem
from flipmastery.domain.formats.oneroster import parse_bundle
from flipmastery.domain.formats.oneroster_records import Bundle, RosterClass
from flipmastery.oneroster.bundles import read_bundle_path
from flipmastery.oneroster.models import SourcedId
from flipmastery.oneroster.people import People

Kind = SourcedId.Kind
MAPPING = "course mapping"
NAME_MAX = 120


@dataclass(frozen=True)
class Change:
    kind: str  # add, change, remove or skip
    text: str
    where: str = ""  # "classes.csv:3", when one row says it


@dataclass
class ImportReport:
    dry_run: bool
    source: str = ""
    changes: list[Change] = field(default_factory=list)

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def changed(self) -> int:
        return sum(1 for c in self.changes if c.kind != "skip")

    def lines(self) -> list[str]:
        words = {"add": "+", "change": "~", "remove": "-", "skip": "skipped:"}
        found = [f"{words[c.kind]} {c.text}" + (f"  ({c.where})" if c.where else "") for c in self.changes]
        verb = _("would change") if self.dry_run else _("changed")
        found.append(
            _("%(n)s %(verb)s; nothing was saved (dry run).") % {"n": self.changed, "verb": verb}
            if self.dry_run
            else _("%(n)s %(verb)s.") % {"n": self.changed, "verb": verb}
        )
        return found


def oneroster_import_path(
    *, path: Path, course_map: Mapping[str, str], now: datetime, dry_run: bool = False
) -> ImportReport:
    return oneroster_import(files=read_bundle_path(path), course_map=course_map, now=now, dry_run=dry_run)


@transaction.atomic
def oneroster_import(
    *, files: Mapping[str, str], course_map: Mapping[str, str], now: datetime, dry_run: bool = False
) -> ImportReport:
    """Import a bundle (file name → text). Invalid lists every problem with its file and line, and then
    nothing is saved; `dry_run` reports what would change and saves nothing."""
    links: dict[str, dict[str, SourcedId]] = {k: {} for k in Kind.values}
    for link in SourcedId.objects.select_related("user", "section", "course"):
        links[link.kind][link.sourced_id] = link
    bundle, problems = parse_bundle(files, {k: set(v) for k, v in links.items()})
    if problems:
        raise Invalid(problems)
    run = _Import(bundle, links, now, ImportReport(dry_run=dry_run, source=bundle.source))
    run.records()
    run.courses(course_map)
    run.classes()
    run.users()
    run.enrolments()
    run.removals()
    run.summarise()
    if run.problems:
        raise Invalid(run.problems)
    if dry_run:
        transaction.set_rollback(True)
    return run.report


def _placed(rc: RosterClass) -> dict[str, str]:
    """Where a class sits in the SIS (its school and first term), which its results carry back."""
    return {"school": rc.school[:255], "term": (rc.terms[0] if rc.terms else "")[:255]}


class _Import(People):
    """One import's steps, in order; each adds its changes to the report and its problems to the list."""

    def __init__(
        self, bundle: Bundle, links: dict[str, dict[str, SourcedId]], now: datetime, report: ImportReport
    ) -> None:
        self.bundle, self.links, self.now, self.report = bundle, links, now, report
        self.problems: list[Problem] = []
        self.skipped: Counter[str] = Counter()
        self.course_of: dict[str, Course | None] = {}
        self.section_of: dict[str, Section] = {}  # class sourcedId → its (writable) section
        self.user_of: dict[str, User] = {}  # user sourcedId → account
        self.members: set[tuple[int, int]] = set()
        self.teaching: set[tuple[int, int]] = set()

    def note(self, kind: str, text: str, where: Location | None = None) -> None:
        self.report.changes.append(Change(kind, text, str(where) if where else ""))

    def link(self, kind: str, sid: str, **fields: object) -> tuple[SourcedId, bool]:
        """Create or update the link of a sourcedId; (link, whether anything was written)."""
        found = self.links[kind].get(sid)
        if found is None:
            found = SourcedId.objects.create(kind=kind, sourced_id=sid, updated_at=self.now, **fields)
            self.links[kind][sid] = found
            return found, True
        differs = {k: v for k, v in fields.items() if getattr(found, k) != v}
        if differs:
            for k, v in differs.items():
                setattr(found, k, v)
            found.updated_at = self.now
            found.save()
        return found, bool(differs)

    # --- schools, terms, courses ---------------------------------------------------------------------

    def records(self) -> None:
        for org in self.bundle.orgs:
            if not org.removed:
                _org, new = self.link(Kind.ORG, org.sourced_id, title=org.name[:255])
                if new:
                    self.note("change", _("school %(name)s recorded") % {"name": org.name}, org.where)
        for session in self.bundle.sessions:
            if not session.removed:
                self.link(Kind.SESSION, session.sourced_id, title=session.title[:255])

    def courses(self, course_map: Mapping[str, str]) -> None:
        ours = {c.code.lower(): c for c in Course.objects.all()}
        sis_keys = {c.sourced_id for c in self.bundle.courses} | {
            c.code for c in self.bundle.courses if c.code
        }
        for number, (key, code) in enumerate(course_map.items(), start=1):
            if code.lower() not in ours:
                self.problems.append(
                    Problem(
                        _("%(key)s = %(code)s: no course here has the code %(code)s")
                        % {"key": key, "code": code},
                        Location(MAPPING, number),
                    )
                )
            if key not in sis_keys and key not in self.links[Kind.COURSE]:
                self.problems.append(
                    Problem(
                        _("%(key)s is the courseCode or sourcedId of no course in courses.csv")
                        % {"key": key},
                        Location(MAPPING, number),
                    )
                )
        for sid, link in self.links[Kind.COURSE].items():
            self.course_of[sid] = link.course
        for c in self.bundle.courses:
            if c.removed:
                continue
            old = self.links[Kind.COURSE].get(c.sourced_id)
            wanted = course_map.get(c.sourced_id) or (course_map.get(c.code) if c.code else None)
            target = (
                ours.get(wanted.lower())
                if wanted
                else (old.course if old and old.course else ours.get(c.code.lower()) if c.code else None)
            )
            self.course_of[c.sourced_id] = target
            label = f"{c.title} ({c.code})" if c.code else c.title
            _link, written = self.link(Kind.COURSE, c.sourced_id, title=c.title[:255], course=target)
            if written and target is not None:
                self.note(
                    "change",
                    _("SIS course %(sis)s is taught here as %(ours)s") % {"sis": label, "ours": target.code},
                    c.where,
                )

    # --- classes → sections -------------------------------------------------------------------------

    def classes(self) -> None:
        for rc in self.bundle.classes:
            if rc.removed:
                self._archive(rc.sourced_id, rc.where)
                continue
            course = self.course_of.get(rc.course)
            link = self.links[Kind.CLASS].get(rc.sourced_id)
            if course is None:
                self.note(
                    "skip",
                    _("class %(title)s: its course is not mapped to a course here") % {"title": rc.title},
                    rc.where,
                )
                if link is None:  # remembered, so a later delta may name it
                    self.link(Kind.CLASS, rc.sourced_id, title=rc.title[:255], **_placed(rc))
                continue
            if link is not None and link.section is not None:
                self._keep(rc, link.section, course)
            else:
                self._open(rc, course)
        if self.bundle.mode("classes") == "bulk":
            present = {c.sourced_id for c in self.bundle.classes}
            for sid in [s for s in self.links[Kind.CLASS] if s not in present]:
                self._archive(sid, None)
        in_bundle = {c.sourced_id for c in self.bundle.classes}
        for sid, link in self.links[Kind.CLASS].items():  # a delta's enrolments may name earlier classes
            if sid not in in_bundle and link.section and link.section.archived_at is None:
                self.section_of[sid] = link.section

    def _open(self, rc: RosterClass, course: Course) -> None:
        code = new_join_code()
        while Section.objects.filter(join_code=code).exists():
            code = new_join_code()
        section = Section.objects.create(
            course=course, name=rc.title[:NAME_MAX], join_mode=Section.JoinMode.CLOSED, join_code=code
        )
        self.link(Kind.CLASS, rc.sourced_id, title=rc.title[:255], **_placed(rc), section=section)
        self.section_of[rc.sourced_id] = section
        self.note(
            "add",
            _("new section %(name)s of %(course)s") % {"name": section.name, "course": course.code},
            rc.where,
        )

    def _keep(self, rc: RosterClass, section: Section, course: Course) -> None:
        if section.archived_at is not None:
            self.note(
                "skip", _("section %(name)s is archived: left as it is") % {"name": section.name}, rc.where
            )
            return
        self.section_of[rc.sourced_id] = section
        self.link(Kind.CLASS, rc.sourced_id, title=rc.title[:255], **_placed(rc), section=section)
        if section.course_id != course.pk:
            self.note(
                "skip",
                _("section %(name)s stays on its course %(code)s (a section's course never changes)")
                % {"name": section.name, "code": section.course.code},
                rc.where,
            )
        name = rc.title[:NAME_MAX]
        if section.name != name:
            self.note(
                "change", _("section %(old)s renamed %(new)s") % {"old": section.name, "new": name}, rc.where
            )
            section.name = name
            section.save(update_fields=["name"])

    def _archive(self, sid: str, where: Location | None) -> None:
        link = self.links[Kind.CLASS].get(sid)
        section = link.section if link else None
        if section is None or section.archived_at is not None:
            return
        section.archived_at = self.now
        section.save(update_fields=["archived_at"])
        self.note(
            "remove",
            _("section %(name)s archived: the SIS removed its class (its work is kept)")
            % {"name": section.name},
            where,
        )

    def summarise(self) -> None:
        for why, n in sorted(self.skipped.items()):
            self.note("skip", f"{why}: {n}")
