"""Guardian links in the pages: a guardian opens one child's progress by the link or by typing its code at
/g/ (no sign-in); the child, or a teacher of the child's section, makes, lists and revokes the links.

A guardian's page is private and never kept: `no-store`, `noindex`, and no referrer leaves it (the secret
is in its address). Its title and Open Graph tags name nobody: a chat app's preview of the link shows
"Progress in flipmastery", never the child's name. It speaks the link's language, with a switch (`?lang=`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from flipmastery.accounts.models import GuardianLink, User
from flipmastery.classroom.models import Section
from flipmastery.classroom.selectors import access_section_as_teacher, access_student_of_section
from flipmastery.domain.errors import Invalid, NotFound
from flipmastery.guardians.selectors import (
    access_link_to_revoke,
    access_student_for_links,
    guardian_progress,
    links_of,
    step_words,
)
from flipmastery.guardians.services import (
    LANGUAGES,
    CodesThrottled,
    IssuedLink,
    LinkNotWorking,
    WrongCode,
    guardian_code_open,
    guardian_link_create,
    guardian_link_open,
    guardian_link_revoke,
    reads_as_code,
)
from flipmastery.web.views import _user, action, form_page
from flipmastery.web.views_paper import qr_svg

# --- what a guardian sees -------------------------------------------------------------------------------


def _asked_language(request: HttpRequest) -> str | None:
    asked = request.GET.get("lang", "")
    return asked if asked in LANGUAGES else None


def _private(
    request: HttpRequest, template: str, context: dict[str, Any], language: str, status: int = 200
) -> HttpResponse:
    """A guardian's page in `language`, kept by no browser or proxy, indexed by no search engine, and sending
    no Referer: its address holds the link's secret."""
    with translation.override(language):
        response = render(request, template, {**context, "language": language}, status=status)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Content-Language"] = language
    return response


def _request_language(request: HttpRequest) -> str:
    return _asked_language(request) or translation.get_language_from_request(request)


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


@require_safe
def guardian_page(request: HttpRequest, token: str) -> HttpResponse:
    """One child's progress, read-only, by the link's secret or its short code."""
    now = timezone.now()
    try:
        if reads_as_code(token):
            link = guardian_code_open(text=token, address=_address(request), now=now)
        else:
            link = guardian_link_open(secret=token, now=now)
    except CodesThrottled as throttled:
        return _code_form(request, str(throttled), token, status=429)
    except LinkNotWorking as gone:
        language = _asked_language(request) or gone.language or _request_language(request)
        return _private(request, "web/guardians/gone.html", {}, language, status=404)
    except WrongCode:
        return _private(request, "web/guardians/gone.html", {}, _request_language(request), status=404)
    language = _asked_language(request) or (link.language if link.language in LANGUAGES else "en")
    with translation.override(language):
        view = guardian_progress(link, now)
        steps = [step_words(s.next) for s in view.sections]
    context = {"view": view, "sections": list(zip(view.sections, steps, strict=True))}
    return _private(request, "web/guardians/view.html", context, language)


@require_safe
def guardian_code(request: HttpRequest) -> HttpResponse:
    """Type the code: a right one opens the child's page at /g/<code>/; a wrong one is counted."""
    typed = request.GET.get("code", "")[:100]
    if not typed.strip():
        return _code_form(request, "", "")
    with translation.override(_request_language(request)):  # the refusals' words
        try:
            guardian_code_open(text=typed, address=_address(request), now=timezone.now())
        except CodesThrottled as throttled:
            return _code_form(request, str(throttled), typed, status=429)
        except (LinkNotWorking, WrongCode) as refused:
            return _code_form(request, str(refused), typed, status=404)
    where = reverse("guardian_page", args=[reads_as_code(typed)])
    language = _asked_language(request)
    return redirect(f"{where}?lang={language}" if language else where)


def _code_form(request: HttpRequest, problem: str, typed: str, status: int = 200) -> HttpResponse:
    context = {"problem": problem, "typed": typed}
    response = _private(request, "web/guardians/code.html", context, _request_language(request), status)
    if status == 429:
        response["Retry-After"] = "600"
    return response


# --- the child and their teachers make and revoke links ---------------------------------------------------


class LinkForm(forms.Form):
    label = forms.CharField(
        max_length=100,
        required=False,
        label=_("Who will hold it"),
        help_text=_('For example "Mother" or "Grandfather": only you and the teachers see it.'),
    )
    language = forms.ChoiceField(
        choices=[("en", "English"), ("hi", "हिन्दी")],
        widget=forms.RadioSelect,
        label=_("Language of the page"),
    )


def _default_language(section: Section | None) -> str:
    if section is not None and section.course.language in LANGUAGES:
        return section.course.language
    current = translation.get_language() or settings.LANGUAGE_CODE
    return current if current in LANGUAGES else "en"


def _links_page(
    request: HttpRequest, student: User, section: Section | None, *, create_url: str, revoke_name: str
) -> HttpResponse:
    me = _user(request)
    form = LinkForm(request.POST or None, initial={"language": _default_language(section)})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                issued = guardian_link_create(student=student, by=me, now=timezone.now(), **form.cleaned_data)
            except Invalid as err:
                for p in err.problems:
                    where = p.location.file if p.location else None
                    form.add_error(where if where in form.fields else None, p.message)
            else:
                return _issued(request, issued, section)
        status = 422
    context = {
        "student": student,
        "section": section,
        "links": links_of(student),
        "form": form,
        "create_url": create_url,
        "revoke_name": revoke_name,
        "own_page": me.pk == student.pk,
    }
    return render(request, "web/guardians/links.html", context, status=status)


def _issued(request: HttpRequest, issued: IssuedLink, section: Section | None) -> HttpResponse:
    url = request.build_absolute_uri(reverse("guardian_page", args=[issued.secret]))
    context = {
        "issued": issued,
        "student": issued.link.student,
        "section": section,
        "url": url,
        "code_url": request.build_absolute_uri(reverse("guardian_code")),
        "qr": qr_svg(url, str(_("The guardian's link"))),
    }
    return render(request, "web/guardians/issued.html", context)  # the secret is in the page, not its address


def _student(request: HttpRequest) -> User:
    me = _user(request)
    if not me.is_student:
        raise NotFound("not found")
    return access_student_for_links(me, me.pk)


@form_page
def my_links(request: HttpRequest) -> HttpResponse:
    """A student's own guardian links: make one, see who holds one, revoke the ones they made."""
    student = _student(request)
    return _links_page(
        request, student, None, create_url=reverse("my_guardian_links"), revoke_name="my_guardian_link_revoke"
    )


@action
def my_link_revoke(request: HttpRequest, link_id: int) -> HttpResponse:
    student = _student(request)
    link = access_link_to_revoke(student, link_id)
    _revoke(request, link)
    return redirect("my_guardian_links")


def _taught_student(request: HttpRequest, section_id: int, student_id: int) -> tuple[Section, User]:
    me = _user(request)
    section = access_section_as_teacher(me, section_id)
    access_student_of_section(section, student_id)
    return section, access_student_for_links(me, student_id)


@form_page
def student_links(request: HttpRequest, section_id: int, student_id: int) -> HttpResponse:
    """A teacher's page of one student's guardian links, from the roster."""
    section, student = _taught_student(request, section_id, student_id)
    create_url = reverse("student_guardian_links", args=[section.pk, student.pk])
    return _links_page(
        request, student, section, create_url=create_url, revoke_name="student_guardian_link_revoke"
    )


@action
def student_link_revoke(request: HttpRequest, section_id: int, student_id: int, link_id: int) -> HttpResponse:
    section, student = _taught_student(request, section_id, student_id)
    link = access_link_to_revoke(_user(request), link_id)
    if link.student_id != student.pk:
        raise NotFound("no such guardian link")
    _revoke(request, link)
    return redirect("student_guardian_links", section_id=section.pk, student_id=student.pk)


def _revoke(request: HttpRequest, link: GuardianLink) -> None:
    guardian_link_revoke(link=link, now=timezone.now())
    label = link.label or str(_("without a name"))
    messages.success(request, _("The link “%(label)s” no longer works.") % {"label": label})
