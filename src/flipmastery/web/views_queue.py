"""The teacher's queue: who waits for what, oldest first, each answered in one click without leaving the page.

Every answer is one progress service call (`evidence_record`), so the server's rules decide; htmx gets
back the row it replaces, a plain form post the whole page. The list polls every 15 s and sends the
version it shows (If-None-Match): while nothing changed the answer is an empty 304 with `HX-Reswap: none`,
so a poll costs a few small queries and no rendering. Only the section's teachers see any of it (404).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import datetime
from typing import Any

from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import http_date, parse_etags
from django.utils.translation import get_language

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Section
from flipmastery.classroom.selectors import access_section_as_teacher
from flipmastery.courses.models import Activity, Objective
from flipmastery.courses.selectors import objective_in_section
from flipmastery.domain.errors import DomainError, Invalid, NotFound, Problem
from flipmastery.progress.models import ProgressEvent, QueueEntry
from flipmastery.progress.selectors import WaitingEntry, section_queue
from flipmastery.progress.services import evidence_record
from flipmastery.web.queue_board import board
from flipmastery.web.views import _user, action, page
from flipmastery.web.views_loop import is_htmx

POLL_SECONDS = 15
# The form's action → the evidence kind and, for a verbal check, its outcome. The page says each in words
# (web/teaching/_queue_row.html): the teacher's words live in the teaching templates, not here.
ACTIONS: dict[str, tuple[str, bool | None]] = {
    "conference": ("conference", None),
    "release": ("release", None),
    "pass": ("verbal", True),
    "not_yet": ("verbal", False),
    "approve": ("approve", None),
    "activity": ("activity", None),
    "override": ("override", None),
}


class Refused(DomainError):
    """A queue answer the page refuses before asking the service: no action chosen, or already answered."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


# --- the version a poll compares ------------------------------------------------------------------------


def queue_version(section: Section, now: datetime) -> tuple[str, datetime | None]:
    """A weak ETag that changes when the queue or a student's progress in the section changes, when the
    minute turns (the wait times) and with the language; and the time of the latest change. Two queries."""
    queue = QueueEntry.objects.filter(section=section).aggregate(
        created=Max("created_at"), resolved=Max("resolved_at"), count=Count("id")
    )
    events = ProgressEvent.objects.filter(section=section).aggregate(last=Max("id"), at=Max("at"))
    raw = "|".join(
        str(part)
        for part in (
            queue["created"],
            queue["resolved"],
            queue["count"],
            events["last"],
            int(now.timestamp() // 60),
            get_language(),
        )
    )
    tag = 'W/"' + hashlib.sha256(raw.encode()).hexdigest()[:24] + '"'
    changed = max((t for t in (queue["created"], queue["resolved"], events["at"]) if t), default=None)
    return tag, changed


def _unchanged(request: HttpRequest, tag: str) -> bool:
    sent = parse_etags(request.headers.get("If-None-Match", ""))
    return any(t.removeprefix("W/") == tag.removeprefix("W/") for t in sent)


def _versioned(response: HttpResponse, tag: str, changed: datetime | None) -> HttpResponse:
    response.headers["ETag"] = tag
    if changed is not None:
        response.headers["Last-Modified"] = http_date(changed.timestamp())
    return response


# --- the pages --------------------------------------------------------------------------------------------


def _context(section: Section, now: datetime, tag: str, **extra: Any) -> dict[str, Any]:
    found = board(section, section_queue(section, now), now)
    row_errors: dict[int, tuple[str, str]] = extra.pop("row_errors", {})
    if row_errors:
        rows = [
            replace(r, error=row_errors[r.entry.id][0], refused=row_errors[r.entry.id][1])
            if r.entry.id in row_errors
            else r
            for r in found.rows
        ]
        found = replace(found, rows=rows)
    return {
        "section": section,
        "board": found,
        "poll_seconds": POLL_SECONDS,
        "poll_headers": json.dumps({"If-None-Match": tag}),
        **extra,
    }


@page
def queue_page(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access_section_as_teacher(_user(request), section_id)
    now = timezone.now()
    tag, changed = queue_version(section, now)
    return _versioned(render(request, "web/teaching/queue.html", _context(section, now, tag)), tag, changed)


@page
def queue_rows(request: HttpRequest, section_id: int) -> HttpResponse:
    """The list alone, for the poll: 304 (and no swap) while the version it shows is still current."""
    section = access_section_as_teacher(_user(request), section_id)
    now = timezone.now()
    tag, changed = queue_version(section, now)
    if _unchanged(request, tag):
        response = HttpResponseNotModified()
        response.headers["HX-Reswap"] = "none"
        return _versioned(response, tag, changed)
    context = _context(section, now, tag, oob=True)
    return _versioned(render(request, "web/teaching/_queue_list.html", context), tag, changed)


@action
def record(request: HttpRequest, section_id: int) -> HttpResponse:
    """One answer from the queue: conference, release, verbal check, approval, sign-off or override."""
    teacher = _user(request)
    section = access_section_as_teacher(teacher, section_id)
    form = request.POST
    entry = _entry(section, form.get("entry", ""))
    chosen = form.get("action", "")
    student: User | None = None
    objective: Objective | None = None
    try:
        if chosen not in ACTIONS:
            raise Refused("choose")
        if entry is not None and entry.resolved_at is not None:
            raise Refused("answered")
        kind, outcome = ACTIONS[chosen]
        student = entry.student if entry is not None else _student(section, form.get("student", ""))
        objective = _objective(section, entry, form)
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
            activity=_number(form.get("activity", "")),
            state=form.get("state") or None,
            reason=form.get("reason", ""),
        )
    except NotFound:
        raise
    except Refused as error:
        return _answer(request, section, entry, refused=error.code)
    except DomainError as error:
        problems = error.problems if isinstance(error, Invalid) else [Problem(str(error))]
        return _answer(request, section, entry, error="; ".join(p.message for p in problems))
    return _answer(request, section, entry, done=chosen, student=student, objective=objective)


def _number(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _entry(section: Section, value: str) -> QueueEntry | None:
    if not value:
        return None
    found = (
        QueueEntry.objects.select_related("student", "objective")
        .filter(section=section, pk=_number(value) or 0)
        .first()
    )
    if found is None:
        raise NotFound("queue entry not found")
    return found


def _student(section: Section, value: str) -> User:
    found = section.students.filter(pk=_number(value) or 0).first()
    if found is None:
        raise NotFound("no such student in this section")
    return found


def _objective(section: Section, entry: QueueEntry | None, form: Any) -> Objective:
    if entry is not None and entry.objective is not None:
        return entry.objective
    if form.get("action") == "activity" and not form.get("objective"):  # the activity says which objective
        found = (
            Activity.objects.select_related("objective")
            .filter(pk=_number(form.get("activity", "")) or 0, objective__course_id=section.course_id)
            .first()
        )
        if found is None:
            raise NotFound("activity not found")
        return found.objective
    return objective_in_section(section, form.get("objective", ""))


def _answer(
    request: HttpRequest,
    section: Section,
    entry: QueueEntry | None,
    *,
    done: str = "",
    error: str = "",
    refused: str = "",
    student: User | None = None,
    objective: Objective | None = None,
) -> HttpResponse:
    """htmx: the row answered (or the result of the form for any student); a plain post: the page.
    htmx swaps only 2xx answers, so a refusal comes back 200 to htmx and 422 to a plain form."""
    now = timezone.now()
    if is_htmx(request) and entry is not None:
        entry.refresh_from_db(fields=["resolved_at", "reasons", "kind"])
        found = board(section, [_as_waiting(entry, now)], now, everyone=False)
        resolved = entry.resolved_at is not None
        row = replace(found.rows[0], resolved=resolved, done=done, error=error, refused=refused)
        response = render(
            request, "web/teaching/_queue_row.html", {"section": section, "board": found, "row": row}
        )
        if done:  # said once more above the list, where the next refresh of the list cannot take it away
            said = {"done": done, "student_name": entry.student.shown_name(), "resolved": resolved}
            said["code"] = entry.objective.code if entry.objective else (objective.code if objective else "")
            response.content += render_to_string("web/teaching/_queue_said.html", said, request).encode()
        return _changed(response, done)
    if is_htmx(request):
        context = {
            "done": done,
            "error": error,
            "refused": refused,
            "student": student,
            "objective": objective,
        }
        return _changed(render(request, "web/teaching/_record_result.html", context), done)
    if not error and not refused:
        return redirect("queue", section_id=section.pk)
    tag = queue_version(section, now)[0]
    if entry is not None:
        context = _context(section, now, tag, row_errors={entry.pk: (error, refused)})
    else:
        context = _context(section, now, tag, error=error, refused=refused)
    return render(request, "web/teaching/queue.html", context, status=422)


def _changed(response: HttpResponse, done: str) -> HttpResponse:
    """After an answer the list refreshes itself a moment later (web/teaching/_queue_list.html): the row
    says what was recorded first, then the rows this answer also resolved go away."""
    if done:
        response.headers["HX-Trigger"] = "queue-changed"
    return response


def _as_waiting(entry: QueueEntry, now: datetime) -> WaitingEntry:
    student = entry.student
    return WaitingEntry(
        entry.pk,
        entry.kind,
        student.pk,
        student.username,
        student.shown_name(),
        entry.objective.code if entry.objective else "",
        entry.note,
        entry.created_at,
        int((now - entry.created_at).total_seconds()),
        tuple(entry.reasons or (entry.kind,)),
    )
