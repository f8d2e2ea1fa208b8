"""The roster page of a section: the join code with its QR code (large, for the projector), the students
who wait to join (accepted or declined in one click), the class with a new password for any student (shown
once, on a login card), and loading a class list (CSV) with a login card for each new student."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from flipmastery.accounts.throttle import locked_out
from flipmastery.classroom.models import Enrollment, Section
from flipmastery.classroom.selectors import (
    access_join_request,
    access_section_as_teacher,
    access_student_of_section,
    roster_of,
    waiting_join_requests,
)
from flipmastery.classroom.services import join_request_decide, roster_import, student_password_reset
from flipmastery.domain.errors import DomainError, Invalid, NotFound
from flipmastery.domain.formats.roster import MAX_BYTES
from flipmastery.web.views import _user, action, from_htmx, page, refusal
from flipmastery.web.views_loop import is_htmx
from flipmastery.web.views_paper import qr_svg
from flipmastery.web.views_sections import JOIN_MODE_WORDS

LIMIT = MAX_BYTES
DECISIONS = {"accept": True, "decline": False}


@page
def roster(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access_section_as_teacher(_user(request), section_id)
    return render(request, "web/teaching/roster.html", _roster_context(request, section))


@action
def roster_load(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access_section_as_teacher(_user(request), section_id)
    text, problems = _text(request)
    context = _roster_context(request, section, typed=request.POST.get("roster", ""))
    if not problems:
        try:
            report = roster_import(section=section, text=text, dry_run=bool(request.POST.get("dry_run")))
        except Invalid as err:
            problems = [str(p) for p in err.problems]
        else:
            return render(request, "web/teaching/login_cards.html", {"section": section, "report": report})
    if from_htmx(request):  # the page stays, with the list typed and the file chosen; the words go above
        return refusal(request, problems, status=422, title=_("Nothing was changed"))
    context["problems"] = problems
    return render(request, "web/teaching/roster.html", context, status=422)


def _text(request: HttpRequest) -> tuple[str, list[str]]:
    upload = request.FILES.get("file")
    if upload is None:
        return request.POST.get("roster", ""), []
    if upload.size is not None and upload.size > LIMIT:
        return "", [_("%(file)s: the file is larger than 1 MB") % {"file": upload.name}]
    try:
        return upload.read().decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return "", [
            _("%(file)s: the file is not UTF-8 text; save it as CSV UTF-8 and try again")
            % {"file": upload.name}
        ]


# --- who is in the class, who waits to join, and joining by code ----------------------------------------


@dataclass(frozen=True)
class StudentRow:
    enrollment: Enrollment
    password_error: str = ""
    sign_in_waits_until: datetime | None = None  # after wrong passwords (accounts/throttle.py): unlockable


def _roster_context(
    request: HttpRequest,
    section: Section,
    *,
    password_errors: dict[int, str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    join_url = request.build_absolute_uri(reverse("join_code", args=[section.join_code]))
    students, refused = roster_of(section), password_errors or {}
    waits = locked_out(usernames=[e.student.username for e in students], now=timezone.now())
    return {
        "section": section,
        "waiting": waiting_join_requests(section),
        "students": [
            StudentRow(e, refused.get(e.student_id, ""), waits.get(e.student.username)) for e in students
        ],
        "join_url": join_url,
        "join_qr": qr_svg(join_url, _("Join %(name)s: %(url)s") % {"name": section.name, "url": join_url}),
        "join_mode_words": JOIN_MODE_WORDS[Section.JoinMode(section.join_mode)],
        **extra,
    }


@action
def join_request_decide_view(
    request: HttpRequest, section_id: int, request_id: int, decision: str
) -> HttpResponse:
    """Accept or decline a waiting student in one click: htmx gets the row back (refusals too, with 200, since
    htmx swaps only 2xx answers); a plain form post goes back to the roster."""
    teacher = _user(request)
    section = access_section_as_teacher(teacher, section_id)
    if decision not in DECISIONS:
        raise NotFound("no such decision")
    found = access_join_request(section, request_id)
    error = ""
    try:
        found = join_request_decide(
            join_request=found, teacher=teacher, accept=DECISIONS[decision], now=timezone.now()
        )
    except DomainError as err:
        error = str(err)
    if is_htmx(request):
        context = {"section": section, "jr": found, "error": error}
        return render(request, "web/teaching/_join_request_row.html", context)
    if error:
        context = _roster_context(request, section, waiting_error=error)
        return render(request, "web/teaching/roster.html", context, status=409)
    return redirect("roster", section_id=section.pk)


@action
def password_reset(request: HttpRequest, section_id: int, student_id: int) -> HttpResponse:
    """A new password for a student of the section, typed by the teacher or made here; shown once, on a
    login card to print."""
    section = access_section_as_teacher(_user(request), section_id)
    student = access_student_of_section(section, student_id)
    try:
        card = student_password_reset(
            section=section, student=student, password=request.POST.get("password", "").strip()
        )
    except Invalid as err:
        words = "; ".join(p.message for p in err.problems)
        context = _roster_context(request, section, password_errors={student.pk: words})
        return render(request, "web/teaching/roster.html", context, status=422)
    return render(request, "web/teaching/password_card.html", {"section": section, "card": card})
