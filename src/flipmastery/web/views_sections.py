"""A teacher's sections in the app: the list (this year's and the archived), opening a section of a course,
its settings and policies, its co-teachers, archiving it at the end of the year. Students see their own
list here too. Only a section's teachers (and school admins) reach its pages (404 otherwise)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from flipmastery.classroom.models import Section
from flipmastery.classroom.selectors import (
    SectionPolicy,
    access_course_for_new_section,
    access_section_as_teacher,
    active_sections_for,
    archived_sections_for,
    courses_for_new_sections,
    my_waiting_requests,
    section_policy,
    taught_sections,
    teachers_of,
)
from flipmastery.classroom.services import (
    SectionChanges,
    section_create,
    section_teacher_add,
    section_teacher_remove,
    section_update,
)
from flipmastery.domain.errors import DomainError, Invalid, NotFound, Problem
from flipmastery.domain.gating import CheckMode, Policy
from flipmastery.web.language import use_course_language
from flipmastery.web.views import _user, action, form_page, page

JOIN_MODE_WORDS = {
    Section.JoinMode.APPROVE: gettext_lazy("Students wait until a teacher accepts them"),
    Section.JoinMode.OPEN: gettext_lazy("Students are in at once"),
    Section.JoinMode.CLOSED: gettext_lazy("Closed: the code joins nobody"),
}
DEFAULT = ("", gettext_lazy("Course default"))
YES_NO = [DEFAULT, ("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]
CHECK_MODES = [
    DEFAULT,
    (CheckMode.SELF_SERVE.value, gettext_lazy("Self-serve")),
    (CheckMode.APPROVAL.value, gettext_lazy("Teacher approval")),
]


@page
def sections(request: HttpRequest) -> HttpResponse:
    """My sections: a teacher's this year and archived; a student's, the ones they wait to join, and the
    archived ones."""
    user = _user(request)
    if user.is_teacher or user.is_school_admin:
        context = {
            "sections": taught_sections(user),
            "archived": taught_sections(user, archived=True),
            "may_open": courses_for_new_sections(user).exists(),
        }
        return render(request, "web/teaching/sections.html", context)
    mine = list(active_sections_for(user))
    use_course_language(request, *mine)
    context = {
        "sections": mine,
        "waiting": my_waiting_requests(user),
        "archived": list(archived_sections_for(user)),
    }
    return render(request, "web/learning/sections.html", context)


# --- opening a section ----------------------------------------------------------------------------------


class NewSectionForm(forms.Form):
    course = forms.TypedChoiceField(coerce=int, label=gettext_lazy("Course"))
    name = forms.CharField(max_length=Section._meta.get_field("name").max_length, label=gettext_lazy("Name"))
    join_mode = forms.ChoiceField(
        choices=list(JOIN_MODE_WORDS.items()),
        initial=Section.JoinMode.APPROVE,
        widget=forms.RadioSelect,
        label=gettext_lazy("Joining with the code"),
    )


@form_page
def section_new(request: HttpRequest) -> HttpResponse:
    teacher = _user(request)
    if not (teacher.is_teacher or teacher.is_school_admin):
        raise NotFound("a teacher's page")
    courses = list(courses_for_new_sections(teacher))
    form = NewSectionForm(request.POST or None)
    course_field = form.fields["course"]
    assert isinstance(course_field, forms.TypedChoiceField)
    course_field.choices = [(c.pk, f"{c.title} ({c.code})") for c in courses]
    status = 200
    if request.method == "POST":
        if form.is_valid():
            course = access_course_for_new_section(teacher, form.cleaned_data["course"])
            try:
                made = section_create(
                    teacher=teacher,
                    course=course,
                    name=form.cleaned_data["name"],
                    join_mode=form.cleaned_data["join_mode"],
                )
            except Invalid as err:
                _add_problems(form, err.problems)
            else:
                messages.success(
                    request,
                    _("%(name)s is open. Its join code is %(code)s.")
                    % {"name": made.name, "code": made.join_code},
                )
                return redirect("section_settings", section_id=made.pk)
        status = 422
    context = {"form": form, "courses": courses}
    return render(request, "web/teaching/section_new.html", context, status=status)


# --- settings and policies ------------------------------------------------------------------------------


class SettingsForm(forms.Form):
    """The section's name, joining and policies. An empty policy field follows the course's default."""

    name = forms.CharField(max_length=Section._meta.get_field("name").max_length, label=gettext_lazy("Name"))
    join_mode = forms.ChoiceField(
        choices=list(JOIN_MODE_WORDS.items()),
        widget=forms.RadioSelect,
        label=gettext_lazy("Joining with the code"),
    )
    threshold = forms.CharField(required=False, max_length=20, label=gettext_lazy("Threshold (percent)"))
    check_mode = forms.ChoiceField(
        choices=CHECK_MODES,
        required=False,
        label=gettext_lazy("Starting a check (approval: “I'm ready” goes to your queue)"),
    )
    retake_needs_corrective = forms.ChoiceField(
        choices=YES_NO, required=False, label=gettext_lazy("A retake needs a corrective done")
    )
    retake_needs_conference = forms.ChoiceField(
        choices=YES_NO, required=False, label=gettext_lazy("A retake needs a conference with you")
    )
    retake_cooldown_minutes = forms.CharField(
        required=False, max_length=20, label=gettext_lazy("Minutes to wait before a retake")
    )
    retake_needs_release = forms.ChoiceField(
        choices=YES_NO, required=False, label=gettext_lazy("You release each retake")
    )
    review_items = forms.CharField(
        required=False, max_length=20, label=gettext_lazy("Review items in each check")
    )
    essentials_first = forms.ChoiceField(
        choices=YES_NO, required=False, label=gettext_lazy("Essential objectives come first")
    )

    POLICY_FIELDS = (
        "threshold",
        "check_mode",
        "retake_needs_corrective",
        "retake_needs_conference",
        "retake_cooldown_minutes",
        "retake_needs_release",
        "review_items",
        "essentials_first",
    )

    def policy(self) -> dict[str, object]:
        """The policy settings as the domain reads them; a blank means the course's default (None). What is
        not a number is passed on as typed, so the domain's rule refuses it in its own words."""
        data = self.cleaned_data
        found: dict[str, object] = {}
        for key in self.POLICY_FIELDS:
            raw = str(data.get(key) or "").strip()
            if not raw:
                found[key] = None
            elif key == "threshold":
                found[key] = _number(raw.removesuffix("%").strip(), raw, percent=True)
            elif key in ("retake_cooldown_minutes", "review_items"):
                found[key] = _number(raw, raw)
            elif raw in ("yes", "no"):
                found[key] = raw == "yes"
            else:
                found[key] = raw
        return found


def _number(text: str, raw: str, *, percent: bool = False) -> object:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return raw
    if percent:
        return value / 100
    return int(value) if value.is_integer() else value


def _initial(section: Section, own: dict[str, object]) -> dict[str, Any]:
    initial: dict[str, Any] = {"name": section.name, "join_mode": section.join_mode}
    for key, value in own.items():
        if key == "threshold" and isinstance(value, (int, float)):
            initial[key] = f"{value * 100:g}"
        elif isinstance(value, bool):
            initial[key] = "yes" if value else "no"
        elif isinstance(value, CheckMode):
            initial[key] = value.value
        else:
            initial[key] = str(value)
    return initial


@dataclass(frozen=True)
class Field:
    """One policy field of the settings page, with the course's default beside it."""

    bound: forms.BoundField
    default: str


def _default_words(key: str, policy: Policy) -> str:
    value = getattr(policy, key)
    if key == "threshold":
        return f"{value * 100:g} %"
    if key == "check_mode":
        return _("teacher approval") if value is CheckMode.APPROVAL else _("self-serve")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key == "retake_cooldown_minutes":
        return ngettext("%(n)s minute", "%(n)s minutes", value) % {"n": value}
    return str(value)


def _settings_context(section: Section, form: SettingsForm, found: SectionPolicy) -> dict[str, Any]:
    fields = [Field(form[key], _default_words(key, found.course_default)) for key in form.POLICY_FIELDS]
    return {
        "section": section,
        "form": form,
        "policy_fields": fields,
        "teachers": teachers_of(section),
        "join_modes": JOIN_MODE_WORDS,
    }


@form_page
def section_settings(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access_section_as_teacher(_user(request), section_id)
    found = section_policy(section)
    form = SettingsForm(request.POST or None, initial=_initial(section, found.own))
    if request.method != "POST":
        return render(request, "web/teaching/section_settings.html", _settings_context(section, form, found))
    if form.is_valid():
        changes = SectionChanges(
            name=form.cleaned_data["name"], join_mode=form.cleaned_data["join_mode"], policy=form.policy()
        )
        try:
            section_update(section=section, changes=changes, now=timezone.now())
        except Invalid as err:
            _add_problems(form, err.problems)
        except DomainError as err:  # archived: say it above the form
            form.add_error(None, str(err))
        else:
            messages.success(request, _("Saved."))
            return redirect("section_settings", section_id=section.pk)
    context = _settings_context(section, form, found)
    return render(request, "web/teaching/section_settings.html", context, status=422)


def _add_problems(form: forms.Form, problems: list[Problem]) -> None:
    """Each problem under its field (its location names it), the rest above the form."""
    for p in problems:
        where = p.location.file if p.location else None
        form.add_error(where if where in form.fields else None, p.message)


# --- co-teachers ----------------------------------------------------------------------------------------


@action
def teacher_add(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access_section_as_teacher(_user(request), section_id)
    username = request.POST.get("username", "")
    try:
        added, new = section_teacher_add(section=section, username=username)
    except Invalid as err:
        return _settings_refused(request, section, "; ".join(p.message for p in err.problems), username)
    if new:
        messages.success(
            request,
            _("%(name)s teaches %(section)s with you now.")
            % {"name": added.shown_name(), "section": section.name},
        )
    else:
        messages.info(
            request,
            _("%(name)s teaches %(section)s already.")
            % {"name": added.shown_name(), "section": section.name},
        )
    return redirect("section_settings", section_id=section.pk)


@action
def teacher_remove(request: HttpRequest, section_id: int, teacher_id: int) -> HttpResponse:
    me = _user(request)
    section = access_section_as_teacher(me, section_id)
    leaving = section.teachers.filter(pk=teacher_id).first()
    try:
        if leaving is None:
            raise Invalid([Problem(_("that teacher does not teach this section"))])
        section_teacher_remove(section=section, username=leaving.username)
    except DomainError as err:
        words = "; ".join(p.message for p in err.problems) if isinstance(err, Invalid) else str(err)
        return _settings_refused(request, section, words, "")
    if leaving.pk == me.pk and not me.is_school_admin:
        messages.success(request, _("You no longer teach %(section)s.") % {"section": section.name})
        return redirect("sections")
    messages.success(
        request,
        _("%(name)s no longer teaches %(section)s.")
        % {"name": leaving.shown_name(), "section": section.name},
    )
    return redirect("section_settings", section_id=section.pk)


def _settings_refused(request: HttpRequest, section: Section, words: str, typed: str) -> HttpResponse:
    found = section_policy(section)
    form = SettingsForm(initial=_initial(section, found.own))
    context = {**_settings_context(section, form, found), "teacher_error": words, "typed_teacher": typed}
    return render(request, "web/teaching/section_settings.html", context, status=422)


# --- archiving ------------------------------------------------------------------------------------------


@action
def section_archive(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access_section_as_teacher(_user(request), section_id)
    section_update(section=section, changes=SectionChanges(archived=True), now=timezone.now())
    messages.success(
        request,
        _("%(section)s is archived: read-only, and listed under “Archived” below. You can unarchive it.")
        % {"section": section.name},
    )
    return redirect("sections")


@action
def section_unarchive(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access_section_as_teacher(_user(request), section_id)
    section_update(section=section, changes=SectionChanges(archived=False), now=timezone.now())
    messages.success(request, _("%(section)s is active again.") % {"section": section.name})
    return redirect("section_settings", section_id=section.pk)
