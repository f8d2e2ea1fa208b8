"""Guided notes pages: the teacher's editor (from the studio), a student's autosave, the notes read by the
student or the section's teachers, a blank copy to print, and a diagram's image.

Anything a person may not see is a 404, like a missing thing (web.views `page`/`action`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Section
from flipmastery.classroom.selectors import access_section, access_section_as_student, sections_for
from flipmastery.courses.models import LearningObject
from flipmastery.courses.selectors import learning_object_in_section
from flipmastery.courses.studio import access_course_for_studio, studio_courses
from flipmastery.domain.errors import Invalid, NotFound
from flipmastery.domain.guided_notes import KINDS, template_data
from flipmastery.notes import models
from flipmastery.notes.editor import blank_part, form_parts, parts_from_post
from flipmastery.notes.present import present
from flipmastery.notes.selectors import (
    access_notes_reader,
    my_notes,
    objective_notes,
    read_template,
    template_of,
)
from flipmastery.notes.services import notes_save, notes_template_remove, notes_template_save
from flipmastery.server.media import stored_file_response
from flipmastery.web.language import use_course_language
from flipmastery.web.views import _user, form_page, from_htmx, page


def _studio_lo(course_id: int, user: Any, learning_object_id: int) -> tuple[Any, LearningObject]:
    course = access_course_for_studio(user, course_id)
    found = (
        LearningObject.objects.select_related("objective")
        .filter(pk=learning_object_id, objective__course=course, retired=False)
        .first()
    )
    if found is None:
        raise NotFound("learning object not found")
    return course, found


@form_page
def notes_editor(request: HttpRequest, course_id: int, learning_object_id: int) -> HttpResponse:
    """The teacher's form: the parts in order, each editable; add a part; save all or nothing."""
    course, lo = _studio_lo(course_id, _user(request), learning_object_id)
    row = template_of(lo)
    problems: list[str] = []
    saved = request.GET.get("saved") == "1"
    if request.method == "POST":
        parts, images = parts_from_post(request.POST, request.FILES)
        action = request.POST.get("action", "save")
        if action == "remove":
            notes_template_remove(learning_object=lo)
            return redirect(reverse("notes_editor", args=[course.pk, lo.pk]) + "?saved=1")
        if action.startswith("add-") and action[4:] in KINDS:
            parts.append(blank_part(action[4:]))
        elif action != "refresh":
            try:
                notes_template_save(learning_object=lo, raw=parts, images=_files(images), now=timezone.now())
            except Invalid as error:
                problems = [p.message for p in error.problems]
            else:
                return redirect(reverse("notes_editor", args=[course.pk, lo.pk]) + "?saved=1")
    else:
        parts = list(template_data(read_template(row))["parts"]) if row else []
    context = {
        "course": course,
        "lo": lo,
        "objective": lo.objective,
        "parts": form_parts(parts),
        "problems": problems,
        "saved": saved,
        "has_template": row is not None,
        "preview": present(read_template(row), {}, lo, row.pk) if row else [],
        "kinds": KINDS,
    }
    return render(request, "notes/editor.html", context, status=422 if problems else 200)


def _files(images: dict[int, UploadedFile]) -> dict[int, UploadedFile]:
    return {n: f for n, f in images.items() if f is not None}


@require_POST
@never_cache
def notes_part_save(
    request: HttpRequest, section_id: int, learning_object_id: int, part_id: str
) -> HttpResponse:
    """Autosave one part of a student's own notes; htmx gets the part's saved state."""
    htmx = from_htmx(request)
    if not request.user.is_authenticated:
        if htmx:
            return _state(request, "logged_out", status=401)
        return redirect(reverse("login"))
    user = _user(request)
    try:
        section = access_section_as_student(user, section_id)
        lo = learning_object_in_section(section, learning_object_id)
        entry = notes_save(
            section=section,
            student=user,
            learning_object=lo,
            part_id=part_id,
            sent={k: str(request.POST.get(k, "")) for k in request.POST if k != "csrfmiddlewaretoken"},
            now=timezone.now(),
        )
    except NotFound as error:
        raise Http404(str(error)) from error
    except Invalid as error:
        problems = "; ".join(p.message for p in error.problems)
        if not htmx:
            return render(request, "web/refused.html", {"problems": [problems]}, status=422)
        return _state(request, "invalid", problems=problems, status=422)
    if not htmx:
        return redirect(
            reverse("learning_object", args=[section_id, learning_object_id]) + f"#notes-{part_id}"
        )
    stamp = repr(float(entry.part_saved_at[part_id]))
    return _state(request, "saved", saved_at=entry.saved_at, stamp=stamp)


def _state(request: HttpRequest, state: str, *, status: int = 200, **context: Any) -> HttpResponse:
    return render(request, "notes/_save_state.html", {"state": state, **context}, status=status)


@page
def student_notes(request: HttpRequest, section_id: int, student_id: int, objective_id: int) -> HttpResponse:
    """A student's notes on an objective's learning objects, read-only: the student or the section's
    teachers (the conference, the queue); prints on A4."""
    section, student = access_notes_reader(_user(request), section_id, student_id)
    use_course_language(request, section)
    found = objective_notes(section, student, objective_id)
    if not found:
        raise NotFound("no guided notes for this objective")
    person = User.objects.get(pk=student)
    notes = [
        {"notes": n, "parts": present(n.template, n.answers, n.learning_object, n.row.pk)} for n in found
    ]
    context = {
        "section": section,
        "student": person,
        "objective": found[0].learning_object.objective,
        "all_notes": notes,
        "blank": False,
    }
    return render(request, "notes/read.html", context)


@page
def blank_notes(request: HttpRequest, section_id: int, learning_object_id: int) -> HttpResponse:
    """The template with empty boxes, to print for students without a device."""
    section = access_section(_user(request), section_id)
    use_course_language(request, section)
    lo = learning_object_in_section(section, learning_object_id)
    row = template_of(lo)
    if row is None:
        raise NotFound("no guided notes here")
    template = read_template(row)
    context = {
        "section": section,
        "student": None,
        "objective": lo.objective,
        "all_notes": [{"notes": {"learning_object": lo}, "parts": present(template, {}, lo, row.pk)}],
        "blank": True,
    }
    return render(request, "notes/read.html", context)


@login_required
@require_safe
def notes_image(request: HttpRequest, template_id: int, part_id: str) -> HttpResponseBase:
    """A diagram's uploaded image, for the people of the course's sections and its studio teachers."""
    user = _user(request)
    courses = sections_for(user).order_by().values("course_id")
    row = (
        models.NotesTemplate.objects.filter(pk=template_id)
        .filter(
            Q(learning_object__objective__course_id__in=courses)
            | Q(learning_object__objective__course__in=studio_courses(user))
        )
        .first()
    )
    part = read_template(row).part(part_id) if row else None
    if part is None or not part.image:
        raise Http404("image not found")
    return stored_file_response(request, part.image)


def notes_context(section: Section, user: User, learning_object: LearningObject) -> dict[str, Any]:
    """For the learning object page: a student's own notes to fill (two queries), or for a teacher the
    template's links (one query)."""
    if user.is_student:
        mine = my_notes(section, user, learning_object)
        if mine is None:
            return {}
        parts = present(mine.template, mine.answers, learning_object, mine.row.pk, mine.part_saved_at)
        return {"notes": mine, "notes_parts": parts}
    row = template_of(learning_object)
    if row is None:
        return {}
    return {"notes_box": {"row": row, "parts": len(read_template(row).parts)}}
