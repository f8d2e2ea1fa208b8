"""One required activity signed off for several students at once (a lab the whole class did today).

The teacher picks the activity, ticks students (or takes everyone who still needs it) and sends once:
`cockpit.services.activity_signoffs_record` signs them all through the queue's service in one
transaction, or nobody. Only the section's teachers reach it (404 otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from flipmastery.classroom.models import Section
from flipmastery.classroom.selectors import access_section_as_teacher
from flipmastery.cockpit.board import name_key
from flipmastery.cockpit.selectors import class_board
from flipmastery.cockpit.services import activity_signoffs_record, signed_off_already
from flipmastery.courses.models import Activity
from flipmastery.domain.errors import Invalid, NotFound, Problem
from flipmastery.domain.mastery import State
from flipmastery.web.views import _user, form_page


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    username: str
    state: State  # on the activity's objective
    signed_off: bool
    ticked: bool

    @property
    def needs_it(self) -> bool:
        return not self.signed_off and self.state is not State.MASTERED


def _activities(section: Section) -> list[Activity]:
    return list(
        Activity.objects.filter(
            objective__course_id=section.course_id, retired=False, objective__retired=False
        )
        .select_related("objective")
        .order_by("objective__unit__order", "objective__order", "objective_id", "order", "id")
    )


def _chosen(activities: list[Activity], value: str) -> Activity | None:
    if not value:
        return None
    found = next((a for a in activities if str(a.pk) == value), None)
    if found is None:
        raise NotFound("activity not found in this course")
    return found


def _candidates(section: Section, activity: Activity, ticked: set[int]) -> list[Candidate]:
    whole = class_board(section, timezone.now())
    code = activity.objective.code
    rows = sorted(whole.rows, key=name_key)
    signed = signed_off_already(section, activity, [r.id for r in rows])
    return [
        Candidate(r.id, r.name, r.username, r.cells[code].state, r.id in signed, r.id in ticked)
        for r in rows
        if code in r.cells
    ]


def _ids(values: list[str]) -> list[int]:
    """The ticked students' ids; anything else is refused whole, as the service refuses a stranger."""
    bad = [v for v in values if not v.isdigit()]
    if bad:
        raise Invalid(
            [Problem(_("Not a student of this section: %(id)s. Nobody was signed off.") % {"id": bad[0]})]
        )
    return [int(v) for v in values]


@form_page
def signoff(request: HttpRequest, section_id: int) -> HttpResponse:
    teacher = _user(request)
    section = access_section_as_teacher(teacher, section_id)
    activities = _activities(section)
    source = request.POST if request.method == "POST" else request.GET
    activity = _chosen(activities, source.get("activity", ""))
    context: dict[str, Any] = {"section": section, "activities": activities, "activity": activity}
    if request.method == "POST" and activity is not None:
        ticked = request.POST.getlist("student")
        everyone = request.POST.get("who") == "needing"
        try:
            if everyone:
                students = [c.id for c in _candidates(section, activity, set()) if c.needs_it]
            else:
                students = _ids(ticked)
            done = activity_signoffs_record(
                section=section, teacher=teacher, activity=activity, students=students, now=timezone.now()
            )
        except Invalid as refused:
            context["errors"] = [p.message for p in refused.problems]
            kept = {int(v) for v in ticked if v.isdigit()}
            context["candidates"] = _candidates(section, activity, kept)
            return render(request, "web/cockpit/signoff.html", context, status=422)
        query = urlencode({"activity": activity.pk, "signed": len(done.signed), "already": len(done.already)})
        return redirect(reverse("cockpit_signoff", args=[section.pk]) + "?" + query)
    if activity is not None:
        context["candidates"] = _candidates(section, activity, set())
        signed, already = request.GET.get("signed", ""), request.GET.get("already", "")
        if signed.isdigit() and already.isdigit():
            context["result"] = (int(signed), int(already))
    return render(request, "web/cockpit/signoff.html", context)
