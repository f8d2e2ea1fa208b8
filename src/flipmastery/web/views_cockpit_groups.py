"""Micro-groups for re-teaching: suggested from who is stuck, accepted, edited (members) or dismissed.

Suggestions are computed on every visit from the class board; only what the teacher decides is stored
(`cockpit.Group`), and a dismissed suggestion is stored too so that it does not come back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from flipmastery.classroom.models import Section
from flipmastery.classroom.selectors import access_section_as_teacher
from flipmastery.cockpit.board import Board, Column, StudentRow
from flipmastery.cockpit.groups import Suggestion, candidates, suggestions
from flipmastery.cockpit.models import Group
from flipmastery.cockpit.selectors import (
    SavedGroup,
    alternates,
    class_board,
    group_in_section,
    latest_verbal_tags,
    saved_groups,
)
from flipmastery.cockpit.services import group_dismiss, group_members_set, group_save
from flipmastery.courses.selectors import objective_in_section
from flipmastery.domain.errors import Invalid
from flipmastery.domain.mastery import State
from flipmastery.exitslips.models import ExitSlip
from flipmastery.exitslips.selectors import Results, slip_results, todays_slip, without_decided
from flipmastery.web.views import _user, action, page


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    state: State
    attempts: int
    tags: tuple[str, ...]
    checked: bool = True


@dataclass(frozen=True)
class ShownGroup:
    """A suggestion (id 0) or an accepted group, as the page shows it."""

    id: int
    column: Column
    reason: str
    members: list[Member]
    choices: list[Member]  # for an accepted group: who may be ticked (members and the stuck)
    ways: list[tuple[int, str, str]]  # alternate learning objects: id, kind, title
    created_at: datetime | None = None

    @property
    def tag(self) -> str:
        return self.reason.removeprefix("tag:") if self.reason.startswith("tag:") else ""


def _member(
    row: StudentRow, column: Column, tags: dict[tuple[int, int], tuple[str, ...]], checked: bool
) -> Member:
    cell = row.cells[column.code]
    return Member(row.id, row.name, cell.state, cell.attempts, tags.get((row.id, column.id), ()), checked)


def _shown(
    whole: Board,
    found: list[Suggestion],
    saved: list[SavedGroup],
    tags: dict[tuple[int, int], tuple[str, ...]],
    now: datetime,
) -> tuple[list[ShownGroup], list[ShownGroup]]:
    rows = {r.id: r for r in whole.rows}
    columns = {c.code: c for c in whole.columns}
    accepted = [g for g in saved if g.status == Group.Status.ACCEPTED and g.objective in columns]
    ways = alternates([s.objective.id for s in found] + [columns[g.objective].id for g in accepted])
    suggested = [
        ShownGroup(
            0,
            s.objective,
            s.reason,
            [_member(rows[i], s.objective, tags, True) for i in s.students],
            [],
            ways.get(s.objective.id, []),
        )
        for s in found
    ]
    groups = []
    for g in accepted:
        column = columns[g.objective]
        members = [_member(rows[i], column, tags, True) for i in g.members if i in rows]
        choices = [
            _member(rows[i], column, tags, i in g.members)
            for i in candidates(whole, g.objective, g.members, now)
        ]
        groups.append(
            ShownGroup(g.id, column, g.reason, members, choices, ways.get(column.id, []), g.created_at)
        )
    return suggested, groups


def _from_slip(slip: ExitSlip | None, saved: list[SavedGroup]) -> Results | None:
    """Tomorrow's groups from today's exit slip, less those already accepted or dismissed here."""
    if slip is None:
        return None
    return without_decided(slip_results(slip), [(g.objective, g.reason, g.members) for g in saved])


def _context(section: Section, now: datetime, **extra: Any) -> dict[str, Any]:
    whole = class_board(section, now)
    tags = latest_verbal_tags(section)
    saved = saved_groups(section)
    found = suggestions(whole, tags, saved, now)
    suggested, accepted = _shown(whole, found, saved, tags, now)
    slip = todays_slip(section, now)
    return {
        "exit_slip": _from_slip(slip, saved),
        "section": section,
        "suggested": suggested,
        "accepted": accepted,
        "dismissed": sum(1 for g in saved if g.status == Group.Status.DISMISSED),
        **extra,
    }


@page
def groups(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access_section_as_teacher(_user(request), section_id)
    return render(request, "web/cockpit/groups.html", _context(section, timezone.now()))


def _students(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("student") if v.isdigit()]


def _back(section: Section, anchor: str = "") -> HttpResponse:
    return redirect(reverse("cockpit_groups", args=[section.pk]) + (f"#{anchor}" if anchor else ""))


def _refused(request: HttpRequest, section: Section, error: Invalid) -> HttpResponse:
    context = _context(section, timezone.now(), errors=[p.message for p in error.problems])
    return render(request, "web/cockpit/groups.html", context, status=422)


@action
def group_decide(request: HttpRequest, section_id: int) -> HttpResponse:
    """Accept a suggested group as it is, or dismiss it (it is not suggested again)."""
    teacher = _user(request)
    section = access_section_as_teacher(teacher, section_id)
    objective = objective_in_section(section, request.POST.get("objective", ""))
    dismiss = request.POST.get("decision") == "dismiss"
    try:
        made = group_save(
            section=section,
            objective=objective,
            students=_students(request),
            reason=request.POST.get("reason", ""),
            status=Group.Status.DISMISSED if dismiss else Group.Status.ACCEPTED,
            actor=teacher,
            now=timezone.now(),
        )
    except Invalid as error:
        return _refused(request, section, error)
    return _back(section, "" if dismiss else f"group-{made.pk}")


@action
def group_members(request: HttpRequest, section_id: int, group_id: int) -> HttpResponse:
    section = access_section_as_teacher(_user(request), section_id)
    group = group_in_section(section, group_id)
    try:
        group_members_set(section=section, group=group, students=_students(request), now=timezone.now())
    except Invalid as error:
        return _refused(request, section, error)
    return _back(section, f"group-{group.pk}")


@action
def group_done(request: HttpRequest, section_id: int, group_id: int) -> HttpResponse:
    section = access_section_as_teacher(_user(request), section_id)
    group_dismiss(group=group_in_section(section, group_id), now=timezone.now())
    return _back(section)
