"""A worksheet's answers on its learning object page, and the teacher's say on when students see them: the
section's setting (when the student asks, after the teacher allows, never) and, for "after the teacher
allows", allowing one learning object's answers. Only the section's teachers change either (404 otherwise)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Section
from flipmastery.classroom.selectors import access_section_as_teacher
from flipmastery.classroom.worksheet_answers import (
    Shown,
    allowed_ids,
    answers_shown,
    section_answers_allow,
    section_answers_set,
)
from flipmastery.content.markdown import render_markdown
from flipmastery.courses.models import LearningObject
from flipmastery.courses.selectors import learning_object_in_section
from flipmastery.web.views import _user, action


def answers_context(section: Section, user: User, learning_object: LearningObject) -> dict[str, Any]:
    """What the learning object page shows of its answers: rendered only when this person may see them."""
    shown = answers_shown(section, user, learning_object)
    visible = shown in (Shown.ASK, Shown.TEACHER)
    return {
        "answers": shown.value,
        "answers_html": render_markdown(learning_object.answers) if visible else "",
        "answers_mode": section.worksheet_answers,
        "answers_allowed": learning_object.pk in allowed_ids(section),
    }


@action
def answers_setting(request: HttpRequest, section_id: int) -> HttpResponse:
    """The section's setting: when its students see answers."""
    section = access_section_as_teacher(_user(request), section_id)
    section_answers_set(section=section, mode=request.POST.get("mode", ""))
    messages.success(request, _("Saved: when students see the answers."))
    return redirect(reverse("section_settings", args=[section.pk]) + "#answers")


@action
def answers_allow(request: HttpRequest, section_id: int, learning_object_id: int) -> HttpResponse:
    """Allow (allow=1) or stop allowing (allow=0) this section's students to see these answers."""
    section = access_section_as_teacher(_user(request), section_id)
    shown = learning_object_in_section(section, learning_object_id)
    section_answers_allow(section=section, learning_object=shown, allowed=request.POST.get("allow") == "1")
    return redirect(reverse("learning_object", args=[section.pk, shown.pk]) + "#answers")
