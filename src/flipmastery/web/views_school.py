"""A school admin's pages: the people (add a teacher or a school admin, deactivate and reactivate), the
courses with the teachers assigned to them and to each of their sections, and every section of the school.
Anyone else gets the 404 page (`access_school`): a teacher learns nothing, not even that they exist. These
pages are English, like every teacher's page for now."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from flipmastery.accounts.models import Role, User
from flipmastery.classroom.models import Section
from flipmastery.classroom.services import section_teacher_add, section_teacher_remove
from flipmastery.domain.errors import Invalid, NotFound, Problem
from flipmastery.school.selectors import (
    access_course,
    access_school,
    assignable_teachers,
    school_courses,
    school_people,
    school_sections,
)
from flipmastery.school.services import (
    course_teacher_add,
    course_teacher_remove,
    person_add,
    person_deactivate,
    person_reactivate,
)
from flipmastery.web.views import _user, action, form_page, page


def _admin(request: HttpRequest) -> User:
    return access_school(_user(request))


# --- people ---------------------------------------------------------------------------------------------


class PersonForm(forms.Form):
    # Not required here: the service checks them with every other problem, so all are said at once.
    username = forms.CharField(max_length=150, required=False, label=gettext_lazy("Username"))
    name = forms.CharField(
        max_length=150,
        required=False,
        label=gettext_lazy("Name"),
        help_text=gettext_lazy("As the school knows them."),
    )
    role = forms.ChoiceField(
        choices=[
            (Role.TEACHER.value, gettext_lazy("Teacher")),
            (Role.ADMIN.value, gettext_lazy("School admin")),
        ],
        initial=Role.TEACHER.value,
        widget=forms.RadioSelect,
        label=gettext_lazy("Role"),
    )
    password = forms.CharField(
        max_length=128,
        required=False,
        label=gettext_lazy("Password"),
        help_text=gettext_lazy("Leave it empty and one is made; either way it is shown once."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: object, may_add_admins: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not may_add_admins:  # only a superuser adds school admins (school/services.py says why)
            self.fields["role"].choices = [(Role.TEACHER.value, _("Teacher"))]  # type: ignore[attr-defined]


@form_page
def people(request: HttpRequest) -> HttpResponse:
    admin = _admin(request)
    form = PersonForm(request.POST or None, may_add_admins=admin.is_superuser)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                made = person_add(by=admin, **form.cleaned_data)
            except Invalid as err:
                _add_problems(form, err.problems)
            else:
                return render(request, "web/teaching/school/new_person.html", {"made": made})
        status = 422
    context = {"form": form, "people": school_people(), "me": admin}
    return render(request, "web/teaching/school/people.html", context, status=status)


@action
def person_active(request: HttpRequest, username: str) -> HttpResponse:
    """Deactivate (active=0) or reactivate (active=1) a person."""
    admin = _admin(request)
    if request.POST.get("active") == "1":
        found = person_reactivate(by=admin, username=username)
        messages.success(request, _("%(name)s can sign in again.") % {"name": found.shown_name()})
    else:
        found = person_deactivate(by=admin, username=username)
        messages.success(
            request, _("%(name)s is deactivated: they can no longer sign in.") % {"name": found.shown_name()}
        )
    return redirect("school_people")


def _add_problems(form: forms.Form, problems: list[Problem]) -> None:
    for p in problems:
        where = p.location.file if p.location else None
        form.add_error(where if where in form.fields else None, p.message)


# --- courses and who teaches them ---------------------------------------------------------------------


@page
def courses(request: HttpRequest) -> HttpResponse:
    _admin(request)
    sections = school_sections()
    by_course: dict[str, list[object]] = {}
    for row in sections:
        by_course.setdefault(row.course_code, []).append(row)
    rows = [(c, by_course.get(c.code, [])) for c in school_courses()]
    context = {"courses": rows, "teachers": assignable_teachers()}
    return render(request, "web/teaching/school/courses.html", context)


@action
def course_teacher(request: HttpRequest, code: str) -> HttpResponse:
    _admin(request)
    course = access_course(code)
    added, new = course_teacher_add(course=course, username=request.POST.get("username", ""))
    if new:
        messages.success(
            request,
            _("%(name)s teaches %(course)s now: they may open its sections.")
            % {"name": added.shown_name(), "course": course.code},
        )
    else:
        messages.info(
            request,
            _("%(name)s teaches %(course)s already.") % {"name": added.shown_name(), "course": course.code},
        )
    return redirect(reverse("school_courses") + f"#course-{course.pk}")


@action
def course_teacher_off(request: HttpRequest, code: str, username: str) -> HttpResponse:
    _admin(request)
    course = access_course(code)
    gone = course_teacher_remove(course=course, username=username)
    messages.success(
        request,
        _("%(name)s no longer teaches %(course)s; their sections stay theirs.")
        % {"name": gone.shown_name(), "course": course.code},
    )
    return redirect(reverse("school_courses") + f"#course-{course.pk}")


def _section(section_id: int) -> Section:
    found = Section.objects.select_related("course").filter(pk=section_id).first()
    if found is None:
        raise NotFound("section not found")
    return found


@action
def section_teacher(request: HttpRequest, section_id: int) -> HttpResponse:
    _admin(request)
    section = _section(section_id)
    added, new = section_teacher_add(section=section, username=request.POST.get("username", ""))
    said = _("%(name)s teaches %(section)s.") if new else _("%(name)s teaches %(section)s already.")
    messages.success(request, said % {"name": added.shown_name(), "section": section.name})
    return redirect(reverse("school_courses") + f"#section-{section.pk}")


@action
def section_teacher_off(request: HttpRequest, section_id: int, username: str) -> HttpResponse:
    _admin(request)
    section = _section(section_id)
    gone = section_teacher_remove(section=section, username=username)
    messages.success(
        request,
        _("%(name)s no longer teaches %(section)s.") % {"name": gone.shown_name(), "section": section.name},
    )
    return redirect(reverse("school_courses") + f"#section-{section.pk}")


# --- every section -------------------------------------------------------------------------------------


@page
def sections(request: HttpRequest) -> HttpResponse:
    _admin(request)
    rows = school_sections()
    context = {
        "active": [r for r in rows if r.archived_at is None],
        "archived": [r for r in rows if r.archived_at is not None],
    }
    return render(request, "web/teaching/school/sections.html", context)
