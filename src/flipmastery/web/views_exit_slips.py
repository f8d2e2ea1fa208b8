"""Exit slips on the web: the teacher starts, watches, marks paper and closes one; a student answers it.

The student sees their own answers and "Thanks — your teacher will read it", never a score or the key: an
exit slip is evidence for the teacher, not a mastery decision.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from flipmastery.classroom.models import Section
from flipmastery.classroom.selectors import access_section_as_student, access_section_as_teacher
from flipmastery.courses.selectors import objective_in_section
from flipmastery.domain.errors import Invalid, NotFound
from flipmastery.domain.questions import QuestionType
from flipmastery.exitslips import selectors
from flipmastery.exitslips.models import ExitSlip
from flipmastery.exitslips.services import (
    MAX_ITEMS,
    SLIP_TYPES,
    Mark,
    Picked,
    Typed,
    answer_save,
    paper_marks_save,
    slip_close,
    slip_start,
)
from flipmastery.questions.models import Question
from flipmastery.web.language import use_course_language
from flipmastery.web.views import _user, action, form_page, page

TYPED_KINDS = [
    (QuestionType.SINGLE_CHOICE.value, "single choice"),
    (QuestionType.TRUE_FALSE.value, "true/false"),
    (QuestionType.SHORT_TEXT.value, "short text"),
    (QuestionType.NUMERIC.value, "number"),
]


def _bank(section: Section, code: str) -> tuple[Any, list[Question]]:
    if not code:
        return None, []
    objective = objective_in_section(section, code)
    questions = [
        q
        for q in Question.objects.filter(objective=objective, retired=False).select_related("current")
        if q.current is not None and q.current.type in SLIP_TYPES
    ]
    return objective, questions


def _start_context(section: Section, code: str, **extra: Any) -> dict[str, Any]:
    objective, questions = _bank(section, code)
    return {
        "section": section,
        "objectives": section.course.objectives.filter(retired=False).order_by("unit__order", "order", "id"),
        "objective": objective,
        "questions": questions,
        "kinds": TYPED_KINDS,
        "blocks": range(1, MAX_ITEMS + 1),
        "open": selectors.open_slip(section),
        "slips": selectors.slips_of(section),
        **extra,
    }


@form_page
def slips(request: HttpRequest, section_id: int) -> HttpResponse:
    """The section's exit slips and the form that starts one (GET ?objective= shows that bank)."""
    section = access_section_as_teacher(_user(request), section_id)
    if request.method != "POST":
        code = request.GET.get("objective", "")
        return render(request, "exitslips/start.html", _start_context(section, code))
    code = request.POST.get("objective", "")
    try:
        objective = objective_in_section(section, code)
    except NotFound:
        context = _start_context(section, "", errors=[_no_objective()], posted=request.POST)
        return render(request, "exitslips/start.html", context, status=422)
    picked = [
        Picked(int(v), request.POST.get(f"tag-{v}", ""))
        for v in request.POST.getlist("question")
        if v.isdigit()
    ]
    typed = [
        Typed(
            kind=request.POST.get(f"t{n}-kind", ""),
            text=request.POST.get(f"t{n}-text", ""),
            choices=request.POST.get(f"t{n}-choices", ""),
            answer=request.POST.get(f"t{n}-answer", ""),
            tag=request.POST.get(f"t{n}-tag", ""),
        )
        for n in range(1, MAX_ITEMS + 1)
        if request.POST.get(f"t{n}-text", "").strip()
    ]
    try:
        slip = slip_start(
            section=section,
            objective=objective,
            picked=picked,
            typed=typed,
            actor=_user(request),
            now=timezone.now(),
            seed=secrets.randbits(32),
        )
    except Invalid as error:
        context = _start_context(
            section, code, errors=[p.message for p in error.problems], posted=request.POST
        )
        return render(request, "exitslips/start.html", context, status=422)
    return redirect("exit_slip", section_id=section.pk, slip_id=slip.pk)


def _no_objective() -> str:
    return _("Choose the objective this exit slip checks.")


@page
def results(request: HttpRequest, section_id: int, slip_id: int) -> HttpResponse:
    """Who answered, % right per question and its tags, and tomorrow's groups; live while open."""
    slip = selectors.access_slip_as_teacher(_user(request), section_id, slip_id)
    context = {"section": slip.section, "slip": slip, "results": selectors.slip_results(slip)}
    if request.GET.get("part") == "live":
        return render(request, "exitslips/_live.html", context)
    return render(request, "exitslips/results.html", context)


@action
def close(request: HttpRequest, section_id: int, slip_id: int) -> HttpResponse:
    slip = selectors.access_slip_as_teacher(_user(request), section_id, slip_id)
    slip_close(slip=slip, now=timezone.now())
    return redirect("exit_slip", section_id=section_id, slip_id=slip_id)


@page
def sheet(request: HttpRequest, section_id: int, slip_id: int) -> HttpResponse:
    """The slip on paper: one sheet per student of the roster (or blank ones), no key."""
    slip = selectors.access_slip_as_teacher(_user(request), section_id, slip_id)
    context = {
        "section": slip.section,
        "slip": slip,
        "items": list(slip.items.all()),
        "students": selectors.roster(slip.section),
    }
    return render(request, "exitslips/sheet.html", context)


@form_page
def paper(request: HttpRequest, section_id: int, slip_id: int) -> HttpResponse:
    """Mark each student's paper answers quickly: right or wrong, and the tag of a wrong one."""
    slip = selectors.access_slip_as_teacher(_user(request), section_id, slip_id)
    if request.method == "POST":
        marks = []
        for key, value in request.POST.items():
            parts = key.split("-")
            is_mark = len(parts) == 3 and parts[0] == "m" and parts[1].isdigit() and parts[2].isdigit()
            if is_mark and value in ("right", "wrong"):
                student, position = int(parts[1]), int(parts[2])
                tag = request.POST.get(f"tag-{student}-{position}", "")
                marks.append(Mark(student, position, value == "right", tag))
        try:
            paper_marks_save(slip=slip, marks=marks, now=timezone.now())
        except Invalid as error:
            context = {
                "section": slip.section,
                "slip": slip,
                "results": selectors.slip_results(slip),
                "errors": [p.message for p in error.problems],
            }
            return render(request, "exitslips/paper.html", context, status=422)
        return redirect("exit_slip", section_id=section_id, slip_id=slip_id)
    context = {"section": slip.section, "slip": slip, "results": selectors.slip_results(slip)}
    return render(request, "exitslips/paper.html", context)


# --- the student's side ---------------------------------------------------------------------------------


def _student_context(section: Section, request: HttpRequest) -> dict[str, Any]:
    found = selectors.open_slip_for_student(section)
    context: dict[str, Any] = {"section": section, "lang": section.course.language}
    if found is not None:
        slip, items = found
        answers = selectors.my_answers(slip, _user(request))
        for item in items:  # their own answers only: never whether they were right
            item.given = answers.get(item.position)  # type: ignore[attr-defined]
            item.answered = item.position in answers  # type: ignore[attr-defined]
        context.update(slip=slip, items=items, answers=answers, answered=len(answers))
    return context


@page
def mine(request: HttpRequest, section_id: int) -> HttpResponse:
    """The open exit slip of a section the student is in, with their own answers so far."""
    section = access_section_as_student(_user(request), section_id)
    use_course_language(request, section)
    return render(request, "exitslips/answer.html", _student_context(section, request))


def _response(request: HttpRequest, kind: str) -> Any:
    if kind == QuestionType.MULTIPLE_RESPONSE:
        return request.POST.getlist("answer")
    return request.POST.get("answer", "")


@action
def answer(request: HttpRequest, section_id: int, slip_id: int, position: int) -> HttpResponse:
    student = _user(request)
    section = access_section_as_student(student, section_id)
    slip = ExitSlip.objects.filter(section=section, pk=slip_id).first()
    item = slip.items.filter(position=position).first() if slip is not None else None
    if slip is None or item is None:
        raise NotFound("exit slip not found")
    htmx = request.headers.get("HX-Request") == "true"
    try:
        saved = answer_save(
            slip=slip,
            student=student,
            position=position,
            response=_response(request, item.shown.get("type", "")),
            now=timezone.now(),
        )
    except Invalid as error:
        problems = "; ".join(p.message for p in error.problems)
        if htmx:
            context: dict[str, Any] = {"state": "invalid", "problems": problems}
            return render(request, "exitslips/_state.html", context, status=422)
        context = {**_student_context(section, request), "errors": [problems]}
        return render(request, "exitslips/answer.html", context, status=422)
    if htmx:
        return render(request, "exitslips/_state.html", {"state": "saved" if saved else "empty"})
    return redirect(reverse("my_exit_slip", args=[section.pk]) + f"#s-{position}")
