"""The course studio's objective pages: an objective's fields and prerequisites, and its learning objects
(previewed as a student sees them), required activities and enrichment, each added, edited, moved or retired.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from flipmastery.content.markdown import render_markdown
from flipmastery.courses.models import Activity, Course, Enrichment, LearningObject, Objective, Unit
from flipmastery.courses.studio import StudioInvalid, access_course_for_studio
from flipmastery.courses.studio_edits import (
    objective_add,
    objective_move,
    objective_restore,
    objective_retire,
    objective_save,
    part_add,
    part_move,
    part_retire,
    part_save,
)
from flipmastery.domain.course import LearningObjectKind
from flipmastery.domain.errors import NotFound
from flipmastery.domain.video_length import video_too_long
from flipmastery.questions.access import managed_objectives
from flipmastery.server.media import stored_file_response
from flipmastery.web.embeds import present_url
from flipmastery.web.ranges import is_video
from flipmastery.web.studio_forms import (
    PART_FORMS,
    LearningObjectForm,
    ObjectiveForm,
    PartForm,
    place_problems,
)
from flipmastery.web.views import _user, action, form_page
from flipmastery.web.views_studio import CSS, step_of

PART_MODELS: dict[str, Any] = {"learn": LearningObject, "activities": Activity, "enrichment": Enrichment}
PART_RELATED = {"learn": "learning_objects", "activities": "activities", "enrichment": "enrichments"}


def _objective(course: Course, objective_id: int) -> Objective:
    found = (
        Objective.objects.select_related("unit")
        .prefetch_related("prerequisites")
        .filter(course=course, pk=objective_id, retired=False)
        .first()
    )
    if found is None:
        raise NotFound("objective not found")
    return found


def _objective_form(
    course: Course, objective: Objective | None, data: Any = None, **kw: Any
) -> ObjectiveForm:
    units = [
        (u.code, f"{u.code} — {u.title}") for u in Unit.objects.filter(course=course).order_by("order", "id")
    ]
    others = [
        o
        for o in Objective.objects.filter(course=course, retired=False).order_by("unit__order", "order", "id")
        if objective is None or o.pk != objective.pk
    ]
    return ObjectiveForm(data, units=units, others=others, **kw)


@form_page
def studio_objective_new(request: HttpRequest, course_id: int) -> HttpResponse:
    course = access_course_for_studio(_user(request), course_id)
    wanted = request.GET.get("unit", "")
    unit = Unit.objects.filter(course=course, pk=int(wanted)).first() if wanted.isdigit() else None
    form = _objective_form(course, None, request.POST or None, initial={"unit": unit.code if unit else ""})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                objective_add(course=course, values=form.values())
            except StudioInvalid as err:
                place_problems(form, err)
            else:
                made = Objective.objects.get(course=course, code=form.values().code)
                messages.success(
                    request, _("%(code)s is added. Give it a way to learn it.") % {"code": made.code}
                )
                return redirect("studio_objective", course_id=course.pk, objective_id=made.pk)
    context = {"course": course, "form": form, "objective": None, "css": CSS}
    return render(request, "web/studio/objective_new.html", context, status=status)


@form_page
def studio_objective(request: HttpRequest, course_id: int, objective_id: int) -> HttpResponse:
    """The objective: its fields (POST saves them) and what it is learnt, done and extended with."""
    course = access_course_for_studio(_user(request), course_id)
    objective = _objective(course, objective_id)
    if request.method != "POST":
        return _objective_page(request, course, objective)
    form = _objective_form(course, objective, request.POST)
    if form.is_valid():
        try:
            objective_save(course=course, code=objective.code, values=form.values(objective))
        except StudioInvalid as err:
            place_problems(form, err)
        else:
            messages.success(request, _("%(code)s is saved.") % {"code": form.values().code})
            return redirect("studio_objective", course_id=course.pk, objective_id=objective.pk)
    return _objective_page(request, course, objective, bound={"objective": form}, status=422)


def _objective_page(
    request: HttpRequest,
    course: Course,
    objective: Objective,
    *,
    bound: dict[str, forms.Form] | None = None,
    retire_refused: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    parts = []
    for part, form_class in PART_FORMS.items():
        rows = [r for r in getattr(objective, PART_RELATED[part]).all() if not r.retired]
        rows.sort(key=lambda r: (r.order, r.pk))
        items = [
            {
                "row": row,
                "form": bound.get(f"{part}-{row.pk}")
                or form_class(initial=_initial(part, row), prefix=f"{part}-{row.pk}"),
                "preview": _preview(row) if part == "learn" else None,
                "too_long": _too_long(course, row) if part == "learn" else None,
            }
            for row in rows
        ]
        new = bound.get(f"{part}-new") or form_class(prefix=f"{part}-new")
        parts.append({"part": part, "items": items, "new": new})
    context = {
        "course": course,
        "objective": objective,
        "form": bound.get("objective")
        or _objective_form(course, objective, initial=ObjectiveForm.initial_of(objective)),
        "parts": parts,
        "bank_open": managed_objectives(_user(request)).filter(pk=objective.pk).exists(),
        "retire_refused": retire_refused or [],
        "css": CSS,
    }
    return render(request, "web/studio/objective.html", context, status=status)


def _too_long(course: Course, row: LearningObject) -> str | None:
    """The video-length warning of this learning object, in the teacher's language, or None."""
    if row.kind != LearningObjectKind.VIDEO.value:
        return None
    warning = video_too_long(grade=course.grade_level, title=row.title, minutes=row.minutes)
    if warning is None:
        return None
    return _(
        "Video '%(title)s' is %(minutes)s min; for grade %(grade)s the rule of thumb is at most "
        "%(low)s–%(high)s min (60–90 s per grade level)."
    ) % {
        "title": warning.title,
        "minutes": warning.minutes,
        "grade": warning.grade,
        "low": warning.low,
        "high": warning.high,
    }


def _initial(part: str, row: Any) -> dict[str, Any]:
    if part == "learn":
        return {
            "kind": row.kind,
            "title": row.title,
            "url": row.url,
            "minutes": row.minutes,
            "body": row.body,
            "answers": row.answers,
        }
    if part == "activities":
        return {"title": row.title, "description": row.description}
    return {"title": row.title, "description": row.description, "url": row.url}


def _preview(row: LearningObject) -> dict[str, Any]:
    """What the student's page of this learning object shows (web/learning/learning_object.html)."""
    name = row.file.name or ""
    return {
        "embed": present_url(row.url) if row.url else None,
        "file_name": Path(name).name,
        "file_is_video": is_video(name),
        "body_html": render_markdown(row.body) if row.body else "",
    }


@action
def studio_objective_move(request: HttpRequest, course_id: int, objective_id: int) -> HttpResponse:
    course = access_course_for_studio(_user(request), course_id)
    objective = _objective(course, objective_id)
    objective_move(course=course, code=objective.code, step=step_of(request))
    return redirect(reverse("studio_course", args=[course.pk]) + f"#objective-{objective.pk}")


@action
def studio_objective_retire(request: HttpRequest, course_id: int, objective_id: int) -> HttpResponse:
    course = access_course_for_studio(_user(request), course_id)
    objective = _objective(course, objective_id)
    try:
        objective_retire(course=course, code=objective.code)
    except StudioInvalid as err:
        refused = [p.message for p in err.problems]
        return _objective_page(request, course, objective, retire_refused=refused, status=422)
    messages.success(
        request, _("%(code)s is taken out of the course; its history is kept.") % {"code": objective.code}
    )
    return redirect(reverse("studio_course", args=[course.pk]) + f"#unit-{objective.unit_id}")


# --- learning objects, activities, enrichment ----------------------------------------------------------


def _part(part: str) -> type[PartForm]:
    if part not in PART_FORMS:
        raise NotFound("no such part of an objective")
    return PART_FORMS[part]


def _item(objective: Objective, part: str, item_id: int) -> Any:
    row = PART_MODELS[part].objects.filter(objective=objective, pk=item_id, retired=False).first()
    if row is None:
        raise NotFound("not found")
    return row


def _back(course: Course, objective: Objective, part: str) -> HttpResponse:
    return redirect(reverse("studio_objective", args=[course.pk, objective.pk]) + f"#{part}")


@action
def studio_part_new(request: HttpRequest, course_id: int, objective_id: int, part: str) -> HttpResponse:
    course = access_course_for_studio(_user(request), course_id)
    objective = _objective(course, objective_id)
    form = _part(part)(request.POST, request.FILES, prefix=f"{part}-new")
    if form.is_valid():
        upload = form.uploaded() if isinstance(form, LearningObjectForm) else None
        try:
            part_add(course=course, objective_code=objective.code, part=part, item=form.item(), upload=upload)
        except StudioInvalid as err:
            place_problems(form, err, {"file": "upload"})
        else:
            messages.success(
                request, _("“%(title)s” is added.") % {"title": form.cleaned_data["title"].strip()}
            )
            return _back(course, objective, part)
    return _objective_page(request, course, objective, bound={f"{part}-new": form}, status=422)


@action
def studio_part_edit(
    request: HttpRequest, course_id: int, objective_id: int, part: str, item_id: int
) -> HttpResponse:
    course = access_course_for_studio(_user(request), course_id)
    objective = _objective(course, objective_id)
    form = _part(part)(request.POST, request.FILES, prefix=f"{part}-{item_id}")
    row = _item(objective, part, item_id)
    if form.is_valid():
        upload = form.uploaded() if isinstance(form, LearningObjectForm) else None
        try:
            part_save(
                course=course,
                objective_code=objective.code,
                part=part,
                title=row.title,
                item=form.item(),
                upload=upload,
            )
        except StudioInvalid as err:
            place_problems(form, err, {"file": "upload"})
        else:
            messages.success(
                request, _("“%(title)s” is saved.") % {"title": form.cleaned_data["title"].strip()}
            )
            return _back(course, objective, part)
    return _objective_page(request, course, objective, bound={f"{part}-{row.pk}": form}, status=422)


@action
def studio_part_move(
    request: HttpRequest, course_id: int, objective_id: int, part: str, item_id: int
) -> HttpResponse:
    course = access_course_for_studio(_user(request), course_id)
    objective = _objective(course, objective_id)
    _part(part)
    row = _item(objective, part, item_id)
    part_move(course=course, objective_code=objective.code, part=part, title=row.title, step=step_of(request))
    return _back(course, objective, part)


@action
def studio_part_retire(
    request: HttpRequest, course_id: int, objective_id: int, part: str, item_id: int
) -> HttpResponse:
    course = access_course_for_studio(_user(request), course_id)
    objective = _objective(course, objective_id)
    _part(part)
    row = _item(objective, part, item_id)
    part_retire(course=course, objective_code=objective.code, part=part, title=row.title)
    messages.success(
        request, _("“%(title)s” is taken out; what students did with it is kept.") % {"title": row.title}
    )
    return _back(course, objective, part)


@action
def studio_objective_restore(request: HttpRequest, course_id: int, objective_id: int) -> HttpResponse:
    course = access_course_for_studio(_user(request), course_id)
    found = Objective.objects.filter(course=course, pk=objective_id, retired=True).first()
    if found is None:
        raise NotFound("objective not found")
    objective_restore(course=course, code=found.code)
    messages.success(request, _("%(code)s is back in the course.") % {"code": found.code})
    return redirect(reverse("studio_course", args=[course.pk]) + f"#objective-{found.pk}")


@login_required
@require_safe
def studio_file(request: HttpRequest, course_id: int, item_id: int) -> HttpResponseBase:
    """A learning object's file for the preview: the studio's teachers may have no section to see it in."""
    try:
        course = access_course_for_studio(_user(request), course_id)
    except NotFound as error:
        raise Http404("file not found") from error
    row = LearningObject.objects.filter(objective__course=course, pk=item_id).exclude(file="").first()
    if row is None:
        raise Http404("file not found")
    return stored_file_response(request, row.file.name or "")
