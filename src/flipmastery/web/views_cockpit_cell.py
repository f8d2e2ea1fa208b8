"""A cell of the class grid opened: one student on one objective, and what the teacher can record there.

The panel shows the state as the mastery loop decides it (`cockpit.cell`, the replay every page reads),
the history of that cell, the attempts, and the actions: verbal check, activity sign-off, conference,
approval, retake release (only while the retake is still closed) and override with a reason. Every
action is one call of the queue's own service, `progress.services.evidence_record`, so its rules decide
and refuse; then the panel is drawn again from the replay and the grid asks for its rows (`grid-changed`).
htmx gets the panel alone (into the grid page's dialog); without JavaScript it is a page of its own.
Only the section's teachers reach any of it (404 otherwise), and only for a student of the section.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from flipmastery.accounts.models import User
from flipmastery.accounts.names import name_fields, shown_name
from flipmastery.classroom.models import Enrollment, Section
from flipmastery.classroom.selectors import access_section_as_teacher
from flipmastery.cockpit.cell import CellView, cell_view, objective_of
from flipmastery.domain.errors import DomainError, Invalid, NotFound, Problem
from flipmastery.domain.mastery import State
from flipmastery.notes.selectors import notes_counts
from flipmastery.progress.services import evidence_record
from flipmastery.web.views import _user, action, page
from flipmastery.web.views_cockpit import View, anonymous
from flipmastery.web.views_loop import is_htmx
from flipmastery.web.views_queue import ACTIONS

GRID_CHANGED = "grid-changed"  # the grid's rows listen for it (web/cockpit/_grid_body.html)


def _number(section: Section, student_id: int) -> int:
    """The student's place in the class list by name, as the projector numbers them: one query."""
    people = sorted(
        (shown_name(*who).casefold(), who[0], pk)
        for pk, *who in Enrollment.objects.filter(section=section).values_list(
            "student_id", *name_fields("student")
        )
    )
    return next((n for n, (_, _, pk) in enumerate(people, start=1) if pk == student_id), 0)


def _context(request: HttpRequest, section: Section, cell: CellView, **extra: Any) -> dict[str, Any]:
    view = View.of(request)
    name = cell.name
    if view.projector:
        number = _number(section, cell.student_id) if view.names == "numbers" else 0
        name = anonymous(cell.name, number, view.names)
    args = [section.pk, cell.student_id, cell.objective.pk]
    query = view.query()
    return {
        "section": section,
        "cell": cell,
        "view": view,
        "name": name,
        "query": query,
        "here": reverse("cockpit_cell", args=args) + query,
        "record_url": reverse("cockpit_cell_record", args=args) + query,
        "grid_url": reverse("cockpit_grid", args=[section.pk]) + query,
        "states": list(State),
        "notes": None if view.projector else _notes(section, cell),
        **extra,
    }


def _notes(section: Section, cell: CellView) -> tuple[int, int] | None:
    """The student's guided notes on the objective, "3/5 filled", when it has any: two queries."""
    found = notes_counts(section, {cell.student_id}, {cell.objective.code})
    return found.get((cell.student_id, cell.objective.code))


def _panel(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """The panel alone for htmx; for anything else the page around it."""
    alone = is_htmx(request)
    template = "web/cockpit/_cell_panel.html" if alone else "web/cockpit/cell.html"
    return render(request, template, {**context, "in_dialog": alone}, status=status)


@page
def cell(request: HttpRequest, section_id: int, student_id: int, objective_id: int) -> HttpResponse:
    section = access_section_as_teacher(_user(request), section_id)
    found = cell_view(section, student_id, objective_id, timezone.now())
    done = request.GET.get("done", "")
    return _panel(request, _context(request, section, found, done=done if done in ACTIONS else ""))


def _student(section: Section, student_id: int) -> User:
    found = User.objects.filter(pk=student_id, enrollments__section=section).first()
    if found is None:
        raise NotFound("no such student in this section")
    return found


@action
def cell_record(request: HttpRequest, section_id: int, student_id: int, objective_id: int) -> HttpResponse:
    """One action on the cell, through the queue's service; refusals are said in the panel."""
    teacher = _user(request)
    section = access_section_as_teacher(teacher, section_id)
    student = _student(section, student_id)
    objective = objective_of(section, objective_id)
    form = request.POST
    chosen = form.get("action", "")
    error = ""
    try:
        if chosen not in ACTIONS:
            raise Invalid([Problem(_("choose what to record"))])
        kind, outcome = ACTIONS[chosen]
        activity = form.get("activity", "")
        evidence_record(
            section=section,
            teacher=teacher,
            student=student,
            objective=objective,
            kind=kind,
            now=timezone.now(),
            outcome=outcome,
            note=form.get("note", ""),
            tags=form.get("tags", "").split(","),
            activity=int(activity) if activity.isdigit() else None,
            state=form.get("state") or None,
            reason=form.get("reason", ""),
        )
    except NotFound:
        raise
    except DomainError as refused:
        problems = refused.problems if isinstance(refused, Invalid) else [Problem(str(refused))]
        error = "; ".join(p.message for p in problems)
    if not error and not is_htmx(request):  # a plain form: after the post, the page of the cell
        url = reverse("cockpit_cell", args=[section.pk, student.pk, objective.pk])
        query = View.of(request).query(done=chosen)
        return redirect(url + query)
    found = cell_view(section, student.pk, objective.pk, timezone.now())
    context = _context(request, section, found, done="" if error else chosen, error=error, typed=form)
    if error:  # htmx swaps only 2xx answers: a refusal is the panel saying it; a plain form gets 422
        return _panel(request, context, status=200 if is_htmx(request) else 422)
    response = _panel(request, context)
    response.headers["HX-Trigger"] = GRID_CHANGED
    return response
