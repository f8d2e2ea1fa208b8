"""A student's own record of checks, and the buttons that start a unit's test or pre-test.

The history reads every attempt of the student in the section in one query and the standings once
(`student_standings`): what it says of mastery is the domain's replay, exactly as the result page
(`assessments.selectors.decided`) says it, never a verdict computed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from flipmastery.assessments.models import Attempt
from flipmastery.assessments.services import pretest_start, unit_test_start
from flipmastery.classroom.models import Section
from flipmastery.classroom.selectors import access_section_as_student
from flipmastery.courses.selectors import unit_in_section
from flipmastery.domain.errors import DomainError, NotFound
from flipmastery.domain.mastery import State
from flipmastery.progress.standings import student_standings
from flipmastery.web.language import use_course_language
from flipmastery.web.views import _user, action, from_htmx, page, refusal


@dataclass(frozen=True)
class Line:
    """One objective of one attempt: the check's verdict and the domain's standing now."""

    code: str
    score: float | None
    passed: bool | None
    pending: bool
    state: str
    mastered: bool


@dataclass(frozen=True)
class Row:
    attempt: Attempt
    when: datetime
    in_progress: bool
    on_paper: bool
    lines: list[Line]


@page
def my_checks(request: HttpRequest, section_id: int) -> HttpResponse:
    student = _user(request)
    section = access_section_as_student(student, section_id)
    use_course_language(request, section)
    attempts = list(
        Attempt.objects.filter(section=section, student=student)
        .select_related("objective", "unit")
        .order_by("-started_at", "-id")
    )
    facts, by_id = student_standings(section, student.pk, timezone.now())
    now_by_code = {f.code: by_id[f.id] for f in facts}
    rows = []
    for a in attempts:
        lines = []
        open_ = a.state == Attempt.State.OPEN
        outcomes = [] if open_ else list((a.result or {}).get("objectives", []))
        if open_:
            outcomes = [{"code": code} for code in a.thresholds]
        for o in outcomes:
            s = now_by_code.get(o["code"])  # the same reading as `decided()`: live, from the replay
            lines.append(
                Line(
                    code=o["code"],
                    score=o.get("score"),
                    passed=o.get("passed"),
                    pending=bool(o.get("pending")),
                    state=s.state.value if s is not None else "",
                    mastered=s is not None and s.state is State.MASTERED,
                )
            )
        rows.append(Row(a, a.submitted_at or a.started_at, open_, a.paper_code is not None, lines))
    return render(request, "web/learning/my_checks.html", {"section": section, "rows": rows})


@action
def unit_test(request: HttpRequest, section_id: int, code: str) -> HttpResponse:
    return _start(request, section_id, code, pretest=False)


@action
def pretest(request: HttpRequest, section_id: int, code: str) -> HttpResponse:
    return _start(request, section_id, code, pretest=True)


def _start(request: HttpRequest, section_id: int, code: str, *, pretest: bool) -> HttpResponse:
    student = _user(request)
    section = access_section_as_student(student, section_id)
    use_course_language(request, section)
    unit = unit_in_section(section, code)
    begin = pretest_start if pretest else unit_test_start
    try:
        started = begin(section=section, student=student, unit=unit, now=timezone.now())
    except NotFound:
        raise
    except DomainError as error:  # NotReady: nothing in the unit can be checked now
        return _refused(request, section, str(error), pretest=pretest)
    return redirect("attempt", attempt_id=started.attempt.pk)


def _refused(request: HttpRequest, section: Section, reason: str, *, pretest: bool) -> HttpResponse:
    title = _("You cannot take the pre-test now") if pretest else _("You cannot take the unit test now")
    if from_htmx(request):
        return refusal(request, [reason], status=409, title=title)
    context = {
        "title": title,
        "message": reason,
        "back_url": reverse("playlist", args=[section.pk]),
        "back_text": _("Back to my playlist"),
    }
    return render(request, "web/checks/message.html", context, status=409)
