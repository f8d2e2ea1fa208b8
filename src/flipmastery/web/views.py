"""Server-rendered pages: each view parses, checks access, calls a selector and renders.

A section, learning object or file the user may not see is a 404 like a missing one (never a 403),
so probing ids tells nothing. Pages are never cached: on a shared classroom computer the Back button
after logging out must not show the previous student's playlist.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousFileOperation
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from flipmastery.accounts.models import User
from flipmastery.api.errors import STATUS_BY_CODE
from flipmastery.classroom.selectors import (
    access_section,
    access_section_as_student,
    access_section_as_teacher,
    active_sections_for,
)
from flipmastery.content.markdown import render_markdown
from flipmastery.courses.selectors import course_objectives, learning_object_in_section, visible_media_name
from flipmastery.domain.errors import DomainError, Invalid, NotFound
from flipmastery.progress.selectors import student_playlist
from flipmastery.server.media import stored_file_response
from flipmastery.web.embeds import present_url
from flipmastery.web.language import use_course_language
from flipmastery.web.ranges import is_video

P = ParamSpec("P")
View = Callable[Concatenate[HttpRequest, P], HttpResponse]
# What the 404 page says: a missing thing and one that is not yours read the same.
NOT_FOUND = gettext_lazy("There is nothing here for you. The link may be old, or meant for another class.")


def from_htmx(request: HttpRequest) -> bool:
    """Sent by htmx (a form or link of a page, boosted, or an hx-post): an error goes where it was sent."""
    return request.headers.get("HX-Request") == "true"


def refusal(
    request: HttpRequest, problems: Sequence[object], *, status: int, title: str = ""
) -> HttpResponse:
    """The words of a refusal alone, one role="alert", for htmx to show in the form's error place
    (static/flipmastery-forms.js): the page around it stays, with everything typed in it."""
    context = {"problems": [str(p) for p in problems], "title": title}
    return render(request, "web/_refusal.html", context, status=status)


def errors_in_place(view: View[P]) -> View[P]:
    """A DomainError from below, said where it belongs: to htmx, as a fragment with its status (404 missing,
    409 refused for now, 422 invalid); to a plain request, as the 404 page for a NotFound (missing or
    forbidden: the same to the user, so its words are the 404 page's) or as a page of the refusal."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DomainError as error:
            status = STATUS_BY_CODE.get(error.code, 400)
            if isinstance(error, NotFound):
                if not from_htmx(request):
                    raise Http404(str(error)) from error
                return refusal(request, [NOT_FOUND], status=404)
            problems = error.problems if isinstance(error, Invalid) else [error]
            if from_htmx(request):
                return refusal(request, problems, status=status)
            context = {"problems": [str(p) for p in problems]}
            return render(request, "web/refused.html", context, status=status)

    return wrapper


def page(view: View[P]) -> View[P]:
    """A logged-in, uncached GET page whose NotFound (missing or forbidden) is a 404, and whose other
    refusals are said in place (`errors_in_place`)."""
    return login_required(require_safe(never_cache(errors_in_place(view))))


def action(view: View[P]) -> View[P]:
    """A logged-in, uncached POST (CSRF checked by the middleware before it runs); refusals as for `page`."""
    return login_required(require_POST(never_cache(errors_in_place(view))))


def form_page(view: View[P]) -> View[P]:
    """A logged-in, uncached page that shows a form (GET) and acts on it (POST, CSRF-checked)."""
    return login_required(require_http_methods(["GET", "HEAD", "POST"])(never_cache(errors_in_place(view))))


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required ran first
    return request.user


@page
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.is_student and not user.is_school_admin:
        mine = list(active_sections_for(user)[:2])
        if len(mine) == 1:
            return redirect("playlist", section_id=mine[0].pk)
    return redirect("sections")


@page
def course_outline(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access_section_as_teacher(_user(request), section_id)
    counted = course_objectives(section.course).annotate(
        bank_size=Count("questions", filter=Q(questions__retired=False))
    )
    objectives = [o for o in counted if not o.retired]
    return render(request, "web/teaching/outline.html", {"section": section, "objectives": objectives})


@page
def playlist(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access_section_as_student(_user(request), section_id)
    use_course_language(request, section)
    shown = student_playlist(section=section, student=_user(request))
    next_objective = next((o for o in shown.objectives if o.code == shown.next.objective), None)
    from flipmastery.web.views_loop import loop_cards, playlist_next  # here: views_loop imports this module

    cards = loop_cards(section, _user(request), shown)
    step = playlist_next(shown, request.GET.get("after", ""))  # after a learning object was used, say
    next_card = next((c for c in cards if c.objective.code == step.objective), None)
    context = {
        "section": section,
        "playlist": shown,
        "next_step": step,
        "next_objective": next_objective,
        "next_card": next_card,
        "cards": cards,
    }
    return render(request, "web/learning/playlist.html", context)


@page
def learning_object(request: HttpRequest, section_id: int, learning_object_id: int) -> HttpResponse:
    section = access_section(_user(request), section_id)
    use_course_language(request, section)
    shown = learning_object_in_section(section, learning_object_id)
    file_name = shown.file.name or ""
    context = {
        "section": section,
        "lo": shown,
        "objective": shown.objective,
        "embed": present_url(shown.url) if shown.url else None,
        "file_name": Path(file_name).name,
        "file_is_video": is_video(file_name),
        "body_html": render_markdown(shown.body),
    }
    from flipmastery.web.views_loop import used_context  # imported here: views_loop imports this module

    context.update(used_context(section, _user(request), shown))
    from flipmastery.notes.views import notes_context  # here: the notes app's views import this module

    context.update(notes_context(section, _user(request), shown))
    return render(request, "web/learning/learning_object.html", context)


@login_required
@require_safe
def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """An uploaded file of a learning object the user may see, with Range support for seeking."""
    try:
        name = visible_media_name(_user(request), path)
        return stored_file_response(request, name)
    except (NotFound, SuspiciousFileOperation) as error:
        raise Http404("file not found") from error
