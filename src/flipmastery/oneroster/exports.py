"""Results for the SIS: each section's gradebook as OneRoster 1.2 CSV (categories, line items, results and
the manifest), zipped. The numbers are the gradebook's own (`cockpit.selectors.school_boards`: the replay
of `domain/gating.py` and the grade scale), never computed again here; the files are written by
`domain/formats/oneroster_write.py`. Sections and students keep the sourcedIds their import gave them, so
the SIS finds its own classes and students; the others get stable ids of our own."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime

from django.utils import timezone

from flipmastery.classroom.models import Section
from flipmastery.cockpit.board import Board, grade_over
from flipmastery.cockpit.selectors import school_boards
from flipmastery.domain.errors import NotFound
from flipmastery.domain.formats.oneroster_write import (
    ClassResults,
    ObjectiveColumn,
    ObjectiveResult,
    StudentResults,
    derived_id,
    results_files,
)
from flipmastery.domain.mastery import State
from flipmastery.oneroster.models import SourcedId

Kind = SourcedId.Kind
SOURCE = "flipmastery"


def sections_to_export(which: str) -> list[Section]:
    """`school` (every section of this year) or a section's id; NotFound otherwise."""
    found = Section.objects.select_related("course")
    if which.strip().lower() == "school":
        return list(found.filter(archived_at__isnull=True).order_by("name", "id"))
    if which.strip().isdigit():
        section = found.filter(pk=int(which)).first()
        if section is not None:
            return [section]
    raise NotFound(f"there is no section {which!r}: give a section's number, or school for every section")


def results_zip(*, sections: Sequence[Section], now: datetime) -> bytes:
    files = results_files(
        class_results(sections, now), today=timezone.localdate(now).isoformat(), source=SOURCE
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def class_results(sections: Sequence[Section], now: datetime) -> list[ClassResults]:
    boards = school_boards(list(sections), now)
    section_ids = {s.pk for s in sections}
    class_links: dict[int, SourcedId] = {
        link.section_id: link
        for link in SourcedId.objects.filter(kind=Kind.CLASS, section_id__in=section_ids)
        if link.section_id is not None
    }
    students = {sid for board in boards for sid in (r.id for r in board.rows)}
    user_sid: dict[int, str] = {
        link.user_id: link.sourced_id
        for link in SourcedId.objects.filter(kind=Kind.USER, user_id__in=students)
        if link.user_id is not None
    }
    today = timezone.localdate(now).isoformat()
    return [
        _class(section, board, class_links.get(section.pk), user_sid, today)
        for section, board in zip(sections, boards, strict=True)
    ]


def _class(
    section: Section, board: Board, link: SourcedId | None, user_sid: dict[int, str], today: str
) -> ClassResults:
    students = tuple(
        StudentResults(
            user_sid.get(row.id) or derived_id("user", str(row.id)),
            {
                c.code: ObjectiveResult(
                    cell.state.value, cell.state is State.MASTERED, cell.attempts, cell.pending
                )
                for c in board.columns
                for cell in [row.cells[c.code]]
            },
            (graded := grade_over(row, board.columns, board.plan)).percent,
            graded.letter,
        )
        for row in board.rows
    )
    return ClassResults(
        link.sourced_id if link else derived_id("class", str(section.pk)),
        link.school if link else "",
        link.term if link else "",
        section.name,
        tuple(ObjectiveColumn(c.code, c.statement) for c in board.columns),
        students,
        timezone.localdate(section.created_at).isoformat(),
        today,
    )
