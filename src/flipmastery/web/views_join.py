"""Joining a section by its code: a student types the code at /join/ or opens /join/<code>/ from the QR code
on the board. Without an account they make one there (name, username, password), or log in first. A section
that approves each student puts them in its teachers' roster as waiting; an open one takes them at once.

Wrong codes are counted per network address (classroom.join_throttle): these pages need no login, so the
code itself is what a guesser would try.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from flipmastery.accounts.models import User
from flipmastery.classroom.join_throttle import TOO_MANY_WRONG_CODES, address_of, join_blocked, wrong_code
from flipmastery.classroom.models import Enrollment, Section
from flipmastery.classroom.selectors import join_code_of, section_by_join_code, waiting_request_of
from flipmastery.classroom.services import (
    Joined,
    NewStudent,
    joinable,
    no_such_code,
    section_join,
    student_sign_up,
)
from flipmastery.domain.errors import DomainError, Invalid
from flipmastery.web.language import use_course_language


class SignUpForm(forms.Form):
    name = forms.CharField(max_length=150, label=gettext_lazy("Your name"))
    username = forms.CharField(max_length=150, label=gettext_lazy("Choose a username"))
    password = forms.CharField(
        max_length=128,
        label=gettext_lazy("Choose a password"),
        widget=forms.PasswordInput(render_value=False),
    )


def _person(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) and request.user.is_authenticated else None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """/join/: the code typed in. A signed-in student joins at once; anyone else goes on to the section's
    page, where they make an account or log in."""
    typed = request.POST.get("code", "") if request.method == "POST" else request.GET.get("code", "")
    if request.method != "POST" and not typed:
        return render(request, "web/join/join.html", {"typed": ""})
    if not join_code_of(typed):
        return _code_page(request, typed, _("Type the join code your teacher shows you."), 422)
    address = address_of(request)
    if join_blocked(address):
        return _code_page(request, typed, str(TOO_MANY_WRONG_CODES), 429)
    section = section_by_join_code(typed)
    if section is None:
        wrong_code(address)
        return _code_page(
            request,
            typed,
            str(no_such_code(typed)),
            404,
        )
    person = _person(request)
    if request.method == "POST" and person is not None and person.is_student:
        try:
            return _joined(section_join(student=person, code=section.join_code, now=timezone.now()))
        except DomainError as err:
            return _code_page(request, typed, str(err), 409)
    return redirect("join_code", code=section.join_code)


def _code_page(request: HttpRequest, typed: str, problem: str, status: int) -> HttpResponse:
    return render(request, "web/join/join.html", {"typed": typed, "problem": problem}, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def join_code(request: HttpRequest, code: str) -> HttpResponse:
    """/join/<code>/: the section the code opens, and what this person may do there."""
    address = address_of(request)
    if join_blocked(address):
        return _code_page(request, code, str(TOO_MANY_WRONG_CODES), 429)
    section = section_by_join_code(code)
    if section is None:
        wrong_code(address)
        return _code_page(
            request,
            code,
            str(no_such_code(code)),
            404,
        )
    use_course_language(request, section)
    person = _person(request)
    form = SignUpForm(request.POST or None) if person is None else None
    if request.method == "POST":
        try:
            if person is None:
                assert form is not None
                return _sign_up(request, section, form)
            if person.is_student:
                return _joined(section_join(student=person, code=section.join_code, now=timezone.now()))
        except Invalid as err:
            if form is not None:
                for p in err.problems:
                    where = p.location.file if p.location else None
                    form.add_error(where if where in form.fields else None, p.message)
            return _section_page(request, section, person, form, status=422)
        except DomainError as err:
            return _section_page(request, section, person, form, refused=str(err), status=409)
    return _section_page(request, section, person, form)


def _sign_up(request: HttpRequest, section: Section, form: SignUpForm) -> HttpResponse:
    if not form.is_valid():
        return _section_page(request, section, None, form, status=422)
    new = NewStudent(
        name=form.cleaned_data["name"],
        username=form.cleaned_data["username"],
        password=form.cleaned_data["password"],
    )
    student, joined = student_sign_up(code=section.join_code, new=new, now=timezone.now())
    # Signed in at once, by the password backend that will know them next time (the first one configured).
    login(request, student, backend=settings.AUTHENTICATION_BACKENDS[0])
    return _joined(joined)


def _joined(joined: Joined) -> HttpResponse:
    """In the class: straight to the playlist. Waiting: the section's join page, which says so."""
    if joined.state == "enrolled" and not joined.already:
        return redirect("playlist", section_id=joined.section.pk)
    return redirect("join_code", code=joined.section.join_code)


def _section_page(
    request: HttpRequest,
    section: Section,
    person: User | None,
    form: SignUpForm | None,
    *,
    refused: str = "",
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {"section": section, "form": form, "refused": refused}
    if person is None:
        back = reverse("join_code", args=[section.join_code])
        login_url = reverse("login") + "?" + urlencode({"next": back}, safe="/")
        context["login_url"] = login_url
        if not refused:
            context["refused"] = _closed_words(section)
    elif person.is_student:
        if Enrollment.objects.filter(section=section, student=person).exists():
            context["state"] = "enrolled"
        elif waiting_request_of(section, person) is not None:
            context["state"] = "waiting"
        elif not refused:
            context["refused"] = _closed_words(section)
    else:
        context["state"] = "staff"
        context["teaches"] = person.is_school_admin or section.teachers.filter(pk=person.pk).exists()
    return render(request, "web/join/section.html", context, status=status)


def _closed_words(section: Section) -> str:
    """Why this section takes nobody new now, or "" when it does."""
    try:
        joinable(section.join_code)
    except DomainError as err:
        return str(err)
    return ""
