"""The course studio's course pages: my courses (new, copy), a course's settings and units, its export.

Each view parses a form, checks access (a teacher of the course, or a school admin; everyone else reads
"not found"), calls one studio service and answers: a redirect, or the page again with the problems under
their fields (422). Forms post without htmx, so the pages work with JavaScript off too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from flipmastery.courses.models import Course, Unit
from flipmastery.courses.selectors import course_objectives
from flipmastery.courses.studio import StudioInvalid, access_course_for_studio, studio_courses
from flipmastery.courses.studio_edits import (
    course_copy,
    course_create,
    course_settings_save,
    unit_add,
    unit_move,
    unit_save,
)
from flipmastery.courses.studio_package import package_files, zip_bytes
from flipmastery.domain.errors import NotFound
from flipmastery.questions.access import managed_objectives
from flipmastery.web.studio_forms import CopyForm, CourseForm, UnitForm, fraction, place_problems
from flipmastery.web.views import _user, action, form_page, page

CSS = "flipmastery-sections.css"


def _teacher(request: HttpRequest) -> Any:
    user = _user(request)
    if not (user.is_teacher or user.is_school_admin):
        raise NotFound("a teacher's page")
    return user


def step_of(request: HttpRequest) -> int:
    return -1 if request.POST.get("step") == "up" else 1


# --- my courses -----------------------------------------------------------------------------------------


@form_page
def studio(request: HttpRequest) -> HttpResponse:
    """The courses I build, a form for a new one and one for a copy."""
    user = _teacher(request)
    courses = list(
        studio_courses(user).annotate(
            objective_count=Count("objectives", filter=Q(objectives__retired=False))
        )
    )
    new = CourseForm(initial={"threshold": 80, "language": "en"}, prefix="new")
    copy = CopyForm(courses=courses, prefix="copy")
    status = 200
    if request.method == "POST":
        status = 422
        if "copy-source" in request.POST:
            copy = CopyForm(request.POST, courses=courses, prefix="copy")
            if copy.is_valid():
                source = access_course_for_studio(user, copy.cleaned_data["source"])
                try:
                    made = course_copy(
                        actor=user,
                        source=source,
                        code=copy.cleaned_data["code"].strip(),
                        title=copy.cleaned_data["title"].strip(),
                    )
                except StudioInvalid as err:
                    place_problems(copy, err)
                else:
                    messages.success(
                        request,
                        _("%(code)s is a copy of %(source)s.") % {"code": made.code, "source": source.code},
                    )
                    return redirect("studio_course", course_id=made.pk)
        else:
            new = CourseForm(request.POST, prefix="new")
            if new.is_valid():
                data = new.cleaned_data
                try:
                    made = course_create(
                        actor=user,
                        code=data["code"].strip(),
                        title=data["title"].strip(),
                        threshold=data["threshold"] / 100,
                        language=data["language"].strip(),
                        description=data["description"].strip(),
                    )
                except StudioInvalid as err:
                    place_problems(new, err)
                else:
                    messages.success(
                        request, _("%(code)s is made. Add its first unit.") % {"code": made.code}
                    )
                    return redirect("studio_course", course_id=made.pk)
    context = {"courses": courses, "new": new, "copy": copy, "css": CSS}
    return render(request, "web/studio/courses.html", context, status=status)


# --- one course -----------------------------------------------------------------------------------------


def _course_page(
    request: HttpRequest,
    course: Course,
    *,
    settings: CourseForm | None = None,
    unit_forms: dict[str, UnitForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    units = list(Unit.objects.filter(course=course).order_by("order", "id"))
    counted = course_objectives(course).annotate(
        bank_size=Count("questions", filter=Q(questions__retired=False), distinct=True)
    )
    by_unit: dict[int, list[Any]] = {u.pk: [] for u in units}
    objectives = list(counted)
    live = {o.pk for o in objectives if not o.retired}
    for o in objectives:
        if o.pk in live:
            by_unit[o.unit_id].append((o, [p.code for p in o.prerequisites.all() if p.pk in live]))
    unit_forms = unit_forms or {}
    rows = [
        (
            u,
            by_unit[u.pk],
            unit_forms.get(str(u.pk))
            or UnitForm(initial={"code": u.code, "title": u.title}, prefix=f"u{u.pk}"),
        )
        for u in units
    ]
    context = {
        "course": course,
        "retired": [o for o in objectives if o.pk not in live],
        "bank_open": managed_objectives(_user(request)).filter(course=course).exists(),
        "settings": settings or CourseForm.of(course),
        "units": rows,
        "new_unit": unit_forms.get("new") or UnitForm(prefix="unit"),
        "css": CSS,
    }
    return render(request, "web/studio/course.html", context, status=status)


@form_page
def studio_course(request: HttpRequest, course_id: int) -> HttpResponse:
    """The course: its settings (POST saves them), its units and objectives in order."""
    course = access_course_for_studio(_user(request), course_id)
    if request.method != "POST":
        return _course_page(request, course)
    form = CourseForm.of(course, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            course_settings_save(
                course=course,
                title=data["title"].strip(),
                threshold=fraction(data["threshold"], course.threshold) or course.threshold,
                language=data["language"].strip(),
                description=data["description"].strip(),
                grade=data["grade_level"],
            )
        except StudioInvalid as err:
            place_problems(form, err, {"grade": "grade_level"})
        else:
            messages.success(request, _("The course settings are saved."))
            return redirect("studio_course", course_id=course.pk)
    return _course_page(request, course, settings=form, status=422)


@action
def studio_unit_new(request: HttpRequest, course_id: int) -> HttpResponse:
    course = access_course_for_studio(_user(request), course_id)
    form = UnitForm(request.POST, prefix="unit")
    if form.is_valid():
        try:
            unit_add(
                course=course,
                code=form.cleaned_data["code"].strip(),
                title=form.cleaned_data["title"].strip(),
            )
        except StudioInvalid as err:
            place_problems(form, err)
        else:
            made = Unit.objects.get(course=course, code=form.cleaned_data["code"].strip())
            messages.success(request, _("Unit %(code)s is added.") % {"code": made.code})
            return redirect(reverse("studio_course", args=[course.pk]) + f"#unit-{made.pk}")
    return _course_page(request, course, unit_forms={"new": form}, status=422)


@action
def studio_unit_edit(request: HttpRequest, course_id: int, unit_id: int) -> HttpResponse:
    course = access_course_for_studio(_user(request), course_id)
    unit = _unit(course, unit_id)
    form = UnitForm(request.POST, prefix=f"u{unit.pk}")
    if form.is_valid():
        try:
            unit_save(
                course=course,
                unit_code=unit.code,
                code=form.cleaned_data["code"].strip(),
                title=form.cleaned_data["title"].strip(),
            )
        except StudioInvalid as err:
            place_problems(form, err)
        else:
            messages.success(
                request, _("Unit %(code)s is saved.") % {"code": form.cleaned_data["code"].strip()}
            )
            return redirect(reverse("studio_course", args=[course.pk]) + f"#unit-{unit.pk}")
    return _course_page(request, course, unit_forms={str(unit.pk): form}, status=422)


@action
def studio_unit_move(request: HttpRequest, course_id: int, unit_id: int) -> HttpResponse:
    course = access_course_for_studio(_user(request), course_id)
    unit = _unit(course, unit_id)
    unit_move(course=course, unit_code=unit.code, step=step_of(request))
    return redirect(reverse("studio_course", args=[course.pk]) + f"#unit-{unit.pk}")


def _unit(course: Course, unit_id: int) -> Unit:
    unit = Unit.objects.filter(course=course, pk=unit_id).first()
    if unit is None:
        raise NotFound("unit not found")
    return unit


@page
def studio_export(request: HttpRequest, course_id: int) -> HttpResponse:
    """The course as a package (.zip): import-course, or the studio of another school, reads it back."""
    course = access_course_for_studio(_user(request), course_id)
    response = HttpResponse(zip_bytes(package_files(course)), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{course.code}.zip"'
    return response
