"""Paper checks (teacher pages): print a version of a check for each student, print the keys, and type a
copy's answers or marks back in, found by the version code printed (and QR-coded) on every page.

The services decide everything (assessments/paper.py): these views only read forms and render. Only
the teachers of a copy's section see or touch it; anyone else gets a 404, as for a missing copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import segno
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from flipmastery.accounts.models import User
from flipmastery.assessments.models import Attempt, AttemptItem, PaperBatch
from flipmastery.assessments.paper import (
    Printed,
    paper_answers_enter,
    paper_candidates,
    paper_copies_make,
    paper_copy,
    paper_marks_enter,
)
from flipmastery.assessments.selectors import access_paper_batch, attempt_key, attempt_view, paper_batches
from flipmastery.assessments.services import AttemptClosed
from flipmastery.classroom.models import Section
from flipmastery.classroom.selectors import access_section_as_teacher
from flipmastery.courses.selectors import course_objectives, objective_in_section
from flipmastery.domain.errors import DomainError, Invalid, NotFound
from flipmastery.domain.paper import read_code, shown_code
from flipmastery.web.views import _user, action, form_page, from_htmx, page, refusal
from flipmastery.web.views_checks import Item, parse_response, present

MARKS = {"right": 1.0, "half": 0.5, "wrong": 0.0}


# --- choosing who gets a copy -------------------------------------------------------------------------


def _home(section: Section, code: str, **extra: Any) -> dict[str, Any]:
    objectives = list(course_objectives(section.course))
    chosen = next((o for o in objectives if o.code == code), None)
    return {
        "section": section,
        "objectives": objectives,
        "chosen": chosen,
        "candidates": paper_candidates(section, chosen, timezone.now()) if chosen else [],
        "batches": paper_batches(section),
        "here": "paper",
        **extra,
    }


@page
def paper_home(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access_section_as_teacher(_user(request), section_id)
    return render(request, "web/teaching/paper.html", _home(section, request.GET.get("objective", "")))


@action
def paper_make(request: HttpRequest, section_id: int) -> HttpResponse:
    teacher = _user(request)
    section = access_section_as_teacher(teacher, section_id)
    code = request.POST.get("objective", "")
    objective = objective_in_section(section, code)
    ids = [int(v) for v in request.POST.getlist("student") if v.isdigit()]
    students = list(User.objects.filter(pk__in=ids).order_by("username"))
    try:
        printed = paper_copies_make(
            section=section, objective=objective, students=students, teacher=teacher, now=timezone.now()
        )
    except DomainError as refused:
        problems = [str(p) for p in refused.problems] if isinstance(refused, Invalid) else [str(refused)]
        return render(request, "web/teaching/paper.html", _home(section, code, problems=problems), status=422)
    return render(request, "web/teaching/paper.html", _home(section, code, printed=_printed(printed)))


def _printed(printed: Printed) -> dict[str, Any]:
    return {
        "batch": printed.batch,
        "count": len(printed.copies),
        "refused": [(s.shown_name(), why) for s, why in printed.refused],
    }


# --- the printed sheets and keys ----------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    attempt: Attempt
    code: str
    qr: SafeString
    items: list[Item]
    threshold: float
    entry_url: str


def qr_svg(text: str, label: str) -> SafeString:
    """A QR code as inline SVG (no image request, crisp in print): the address of the copy's entry page."""
    svg = segno.make(text, error="m").svg_inline(
        scale=1, border=4, omitsize=True, svgclass="qr", lineclass="qr-line", title=label
    )
    return mark_safe(svg)  # noqa: S308  # segno escapes the title; the rest is path data we asked for


def _copies(batch: PaperBatch, only: str) -> list[Attempt]:
    copies = (
        batch.copies.select_related("student", "objective", "section")
        .prefetch_related(Prefetch("items", queryset=AttemptItem.objects.select_related("version")))
        .order_by("student__username")
    )
    if only:
        copies = copies.filter(paper_code=read_code(only) or "")
    return list(copies)


@page
def paper_sheets(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = access_paper_batch(_user(request), batch_id)
    sheets = []
    for attempt in _copies(batch, request.GET.get("only", "")):
        code = attempt.paper_code or ""
        url = request.build_absolute_uri(reverse("paper_enter", args=[code]))
        sheets.append(
            Sheet(
                attempt,
                shown_code(code),
                qr_svg(url, f"{shown_code(code)}: {url}"),
                present(attempt_view(attempt)),
                next(iter(attempt.thresholds.values()), 0.8),
                url,
            )
        )
    section = batch.section
    context = {"batch": batch, "section": section, "sheets": sheets, "lang": section.course.language}
    return render(request, "web/teaching/paper_sheets.html", context)


@page
def paper_keys(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = access_paper_batch(_user(request), batch_id)
    keys = [
        {
            "attempt": a,
            "code": shown_code(a.paper_code or ""),
            "items": [{**i, "letters": _letters(i)} for i in attempt_key(a)["items"]],
        }
        for a in _copies(batch, request.GET.get("only", ""))
    ]
    context = {"batch": batch, "section": batch.section, "keys": keys, "lang": batch.section.course.language}
    return render(request, "web/teaching/paper_keys.html", context)


def _letters(key_item: dict[str, Any]) -> str:
    """What the student marks on this version's sheet: "b)", "a) c)", or "1 → c, 2 → a" for matching,
    "c a d b" for ordering, "1 → c, 2 → e" for gaps, "1 → Boyle, 2 → 22.4, 3 → b" for cloze."""
    right = key_item["correct_response"]
    if key_item["type"] == "single_choice":
        return f"{right})"
    if key_item["type"] == "multiple_response":
        return " ".join(f"{r})" for r in right)
    if key_item["type"] in ("matching", "gaps"):
        return ", ".join(f"{p} → {a}" for p, a in sorted(right.items(), key=lambda pa: int(pa[0])))
    if key_item["type"] == "ordering":
        return " ".join(right)
    if key_item["type"] == "cloze":  # each part as its own type's key would be marked
        return ", ".join(
            f"{part} → {' '.join(f'{r})' for r in said) if isinstance(said, list) else said}"
            for part, said in sorted(right.items(), key=lambda pa: int(pa[0]))
        )
    return ""


# --- typing a copy back in ----------------------------------------------------------------------------


@page
def paper_find(request: HttpRequest) -> HttpResponse:
    typed = request.GET.get("code", "")
    try:
        attempt = paper_copy(_user(request), typed)
    except NotFound as missing:
        if from_htmx(request):  # said beside the box the code was typed in
            return refusal(request, [missing], status=404)
        context = {"error": str(missing), "typed": typed, "back": request.GET.get("section", "")}
        return render(request, "web/teaching/paper_find.html", context, status=404)
    return redirect("paper_enter", code=attempt.paper_code)


def _item_data(data: QueryDict, n: int) -> QueryDict:
    """The fields of question n (named q{n}-…) as the check page's one-item form would send them."""
    prefix = f"q{n}-"
    out = QueryDict(mutable=True)
    for name in data:
        if name.startswith(prefix):
            out.setlist(name.removeprefix(prefix), data.getlist(name))
    return out


@form_page
def paper_enter(request: HttpRequest, code: str) -> HttpResponse:
    teacher = _user(request)
    attempt = paper_copy(teacher, code)
    problems: list[str] = []
    status = 200
    typed = QueryDict()
    if request.method == "POST":
        typed = request.POST
        now = timezone.now()
        items = present(attempt_view(attempt))
        try:
            if request.POST.get("mode") == "marks":
                marks = {
                    i.position: MARKS[request.POST[f"mark-{i.position}"]]
                    for i in items
                    if request.POST.get(f"mark-{i.position}") in MARKS
                }
                paper_marks_enter(attempt=attempt, marks=marks, teacher=teacher, now=now)
            else:
                responses = {i.position: parse_response(i, _item_data(typed, i.position)) for i in items}
                paper_answers_enter(attempt=attempt, responses=responses, teacher=teacher, now=now)
        except Invalid as wrong:
            problems, status = [str(p) for p in wrong.problems], 422
        except AttemptClosed as closed:
            problems, status = [str(closed)], 409
        else:
            return redirect("paper_enter", code=attempt.paper_code)
        attempt = paper_copy(teacher, code)
    return render(
        request,
        "web/teaching/paper_enter.html",
        _entry(attempt, typed, problems),
        status=status,
    )


def _entry(attempt: Attempt, typed: QueryDict, problems: list[str]) -> dict[str, Any]:
    view = attempt_view(attempt, for_teacher=True)
    items = present(view)
    if typed:  # show what the teacher typed, not what was saved, so nothing typed is lost on a refusal
        items = present(
            {
                **view,
                "items": [
                    {**entry, "response": parse_response(item, _item_data(typed, item.position))}
                    for entry, item in zip(view["items"], items, strict=True)
                ],
            }
        )
    marked = [(i, typed.get(f"mark-{i.position}", "")) for i in items]
    return {
        "attempt": attempt,
        "section": attempt.section,
        "code": shown_code(attempt.paper_code or ""),
        "items": items,
        "marked": marked,
        "mode": typed.get("mode", "answers"),
        "problems": problems,
        "objectives": view["objectives"],  # the check's verdict (passed) and the state it reached
        "lang": attempt.section.course.language,
        "here": "paper",
    }
