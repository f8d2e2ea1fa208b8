"""The roster page: a teacher loads a class list (CSV) and prints a login card for each new student."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from flipmastery.classroom.selectors import access_section_as_teacher
from flipmastery.classroom.services import roster_import
from flipmastery.domain.errors import Invalid
from flipmastery.domain.formats.roster import MAX_BYTES
from flipmastery.web.views import _user, action, from_htmx, page, refusal

LIMIT = MAX_BYTES


@page
def roster(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access_section_as_teacher(_user(request), section_id)
    return render(request, "web/teaching/roster.html", {"section": section})


@action
def roster_load(request: HttpRequest, section_id: int) -> HttpResponse:
    section = access_section_as_teacher(_user(request), section_id)
    text, problems = _text(request)
    context: dict[str, object] = {"section": section, "typed": request.POST.get("roster", "")}
    if not problems:
        try:
            report = roster_import(section=section, text=text, dry_run=bool(request.POST.get("dry_run")))
        except Invalid as err:
            problems = [str(p) for p in err.problems]
        else:
            return render(request, "web/teaching/login_cards.html", {"section": section, "report": report})
    if from_htmx(request):  # the page stays, with the list typed and the file chosen; the words go above
        return refusal(request, problems, status=422, title="Nothing was changed")
    context["problems"] = problems
    return render(request, "web/teaching/roster.html", context, status=422)


def _text(request: HttpRequest) -> tuple[str, list[str]]:
    upload = request.FILES.get("file")
    if upload is None:
        return request.POST.get("roster", ""), []
    if upload.size is not None and upload.size > LIMIT:
        return "", [f"{upload.name}: the file is larger than 1 MB"]
    try:
        return upload.read().decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return "", [f"{upload.name}: the file is not UTF-8 text; save it as CSV UTF-8 and try again"]
