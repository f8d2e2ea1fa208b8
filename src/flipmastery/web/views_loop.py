"""The student's side of the mastery loop: "I used this", "I'm ready for my check", "I need help", what a
retake still needs after "not yet", and the map of the whole course.

The server alone decides (progress.services and the playlist selector); these views only ask it and
show its answer in words. Every action is a POST with its CSRF token. An htmx post gets back the small
piece of page it replaces; a plain form post (no JavaScript) is sent back to the page it came from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Section
from flipmastery.classroom.selectors import access_section_as_student
from flipmastery.courses.models import LearningObject, Objective
from flipmastery.courses.selectors import learning_object_in_section, objective_in_section
from flipmastery.domain.errors import DomainError, NotFound
from flipmastery.domain.gating import GATE_COOLDOWN, GATE_CORRECTIVE, GATE_RELEASE, Policy
from flipmastery.domain.mastery import OPEN_STATES, State
from flipmastery.domain.watching import ENOUGH
from flipmastery.progress.models import LearningObjectUse, QueueEntry
from flipmastery.progress.selectors import (
    CorrectiveItem,
    NextStep,
    Playlist,
    PlaylistObjective,
    student_playlist,
)
from flipmastery.progress.selectors import _loop_step as loop_step  # the playlist's own words for the loop
from flipmastery.progress.services import (
    learning_object_mark_used,
    request_create,
    video_watched,
    watched,
)
from flipmastery.progress.standings import policy_of
from flipmastery.web.language import use_course_language
from flipmastery.web.views import _user, action, from_htmx, page, refusal
from flipmastery.web.views_checks import CheckLink, check_start, playlist_cards

AFTER_NOT_YET = frozenset({State.NOT_YET, State.READY_TO_RETAKE})
# "I need help" is offered on every open objective but during a check (the check is the student's own).
HELP_STATES = OPEN_STATES - {State.CHECKING}


def is_htmx(request: HttpRequest) -> bool:
    """A request htmx made for a piece of page (a boosted link or form wants the whole page)."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"


# --- where the student is in the teacher's queue ------------------------------------------------------


@dataclass(frozen=True)
class Waiting:
    """One of the student's places in the teacher's queue (1 is next)."""

    kind: str  # "help", "check" or "conference"
    position: int


def waiting_places(section: Section, student: User) -> dict[tuple[str, str], Waiting]:
    """(objective code or "", kind) → the student's place in the section's queue, in one query."""
    rows = (
        QueueEntry.objects.filter(section=section, resolved_at__isnull=True)
        .order_by("created_at", "id")
        .values_list("student_id", "objective__code", "kind")
    )
    mine: dict[tuple[str, str], Waiting] = {}
    for position, (who, code, kind) in enumerate(rows, start=1):
        if who == student.pk:
            mine.setdefault((code or "", kind), Waiting(kind, position))
    return mine


def _position(entry: QueueEntry) -> int:
    ahead = QueueEntry.objects.filter(section_id=entry.section_id, resolved_at__isnull=True).filter(
        Q(created_at__lt=entry.created_at) | Q(created_at=entry.created_at, id__lt=entry.pk)
    )
    return ahead.count() + 1


# --- what a retake still needs, grouped as the student reads it ---------------------------------------


@dataclass(frozen=True)
class Steps:
    """After "not yet": the steps the section's policy asks for before a new version, each with whether
    it is done. `ways` are the other ways to learn it (using one is enough)."""

    ways: tuple[CorrectiveItem, ...]
    ways_done: bool
    reteach: CorrectiveItem | None
    conference: CorrectiveItem | None
    conference_place: int | None
    cooldown: bool  # still to wait
    release: bool  # the policy wants the teacher to release the retake
    released: bool

    @property
    def next_way(self) -> CorrectiveItem | None:
        """The other way to learn it to open next, while that step is still to do."""
        return None if self.ways_done else next((w for w in self.ways if not w.done), None)


def steps_of(o: PlaylistObjective, policy: Policy, places: dict[tuple[str, str], Waiting]) -> Steps | None:
    if o.state not in AFTER_NOT_YET or not o.correctives:
        return None
    place = places.get((o.code, "conference"))
    # With no other way to learn it left, the corrective is re-teaching with the teacher: one talk.
    reteach = next((c for c in o.correctives if c.kind == "reteach"), None)
    if not policy.retake_needs_corrective:
        reteach = None
    conference = next((c for c in o.correctives if c.kind == "conference"), None)
    if not policy.retake_needs_conference or reteach is not None:
        conference = None
    ways = tuple(c for c in o.correctives if c.kind == "learning_object")
    return Steps(
        ways=ways if policy.retake_needs_corrective else (),
        ways_done=GATE_CORRECTIVE not in o.gate,
        reteach=reteach,
        conference=conference,
        conference_place=place.position if place is not None and (reteach or conference) else None,
        cooldown=GATE_COOLDOWN in o.gate,
        release=policy.retake_needs_release,
        released=GATE_RELEASE not in o.gate,
    )


def _policies(section: Section, codes: list[str]) -> dict[str, Policy]:
    """The policy in force for these objectives (one query, made only when some objective needs it)."""
    if not codes:
        return {}
    found = Objective.objects.filter(course_id=section.course_id, code__in=codes).only(
        "code", "policy", "threshold"
    )
    return {o.code: policy_of(o, section) for o in found}


# --- the playlist: each card with its loop --------------------------------------------------------------


@dataclass(frozen=True)
class Loop:
    """What the playlist card offers beyond its check button."""

    steps: Steps | None
    waiting: Waiting | None  # waiting for help or for the teacher to approve the check
    ask_check: bool  # "I'm ready for my check": this class's teacher approves checks
    ask_help: bool


@dataclass(frozen=True)
class LoopCard:
    objective: PlaylistObjective
    check: CheckLink
    loop: Loop


def loop_cards(section: Section, student: User, playlist: Playlist) -> list[LoopCard]:
    """The playlist's cards (check buttons) with the loop: one query for the queue, one more for the
    policies only when some objective is past a "not yet"."""
    places = waiting_places(section, student)
    policies = _policies(section, [o.code for o in playlist.objectives if o.state in AFTER_NOT_YET])
    cards = []
    for card in playlist_cards(section, student, playlist):
        o = card.objective
        waiting = places.get((o.code, "check")) or places.get((o.code, "help"))
        ask_check = (
            o.state in (State.READY, State.LEARNING)
            and not o.may_start_check
            and not o.check_passed
            and waiting is None
        )
        loop = Loop(
            steps=steps_of(o, policies[o.code], places) if o.code in policies else None,
            waiting=waiting,
            ask_check=ask_check,
            ask_help=o.state in HELP_STATES and places.get((o.code, "help")) is None,
        )
        cards.append(LoopCard(o, card.check, loop))
    return cards


# --- the step after what the student just did ----------------------------------------------------------


def step_after(playlist: Playlist, code: str) -> NextStep | None:
    """The next step on `code`, the objective the student just worked on (used a way to learn it, came back
    from its check), while it is still open; None leaves the playlist's own next step."""
    item = next((o for o in playlist.objectives if o.code == code), None)
    if item is None or item.state in (State.LOCKED, State.MASTERED):
        return None
    looped = loop_step(item)
    if looped is not None:
        return looped
    words = {"code": code}
    if not any(lo.done for lo in item.learning_objects):
        if item.primary is None:
            return NextStep(code, "learn", _("Work on %(code)s.") % words)
        return NextStep(
            code,
            "learn",
            _("Work on %(code)s: start with %(title)s.") % {**words, "title": item.primary.title},
        )
    if item.may_start_check:
        return NextStep(
            code, "check", _("You have learnt %(code)s one way: take its check when you are ready.") % words
        )
    return NextStep(
        code,
        "ask_check",
        _("You have learnt %(code)s one way: tell your teacher you are ready for its check.") % words,
    )


def playlist_next(playlist: Playlist, after: str) -> NextStep:
    """The playlist's next-step box: the step after what was just done on `after` (an objective's code, from
    the link the student came back by) or on the playlist's next objective (its way to learn it used: the
    check is next, not that way again), else the playlist's own next step."""
    return step_after(playlist, after or playlist.next.objective) or playlist.next


def after_context(section: Section, student: User, code: str) -> dict[str, Any]:
    """For the learning object page once it is used: the next step on its objective, with its button."""
    playlist = student_playlist(section=section, student=student)
    step = playlist_next(playlist, code)
    card = next(
        (c for c in loop_cards(section, student, playlist) if c.objective.code == step.objective), None
    )
    return {"after": step, "after_card": card, "lang": section.course.language}


# --- the check result ---------------------------------------------------------------------------------


def with_steps(section: Section, student: User, outcomes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The result's objectives; each "not yet" with `now` (where the student stands on it now) and
    `steps` (what a new version still needs). Nothing is read when no check was failed."""
    wanted = {o["code"] for o in outcomes if o.get("passed") is False}
    if not wanted:
        return outcomes
    playlist = student_playlist(section=section, student=student)
    places = waiting_places(section, student)
    now = {o.code: o for o in playlist.objectives if o.code in wanted}
    policies = _policies(section, [code for code, o in now.items() if o.state in AFTER_NOT_YET])
    shown = []
    for outcome in outcomes:
        o = now.get(outcome["code"])
        if o is None:
            shown.append(outcome)
            continue
        steps = steps_of(o, policies[o.code], places) if o.code in policies else None
        shown.append({**outcome, "now": o, "steps": steps})
    return shown


# --- the pages and actions ----------------------------------------------------------------------------


def used_context(section: Section, user: User, learning_object: LearningObject) -> dict[str, Any]:
    """For the learning object page: may this person say "I used this", and did they already?"""
    from flipmastery.web.views_answers import answers_context  # imported here: it imports views

    answers = answers_context(section, user, learning_object)
    if not user.is_student:
        return {"can_mark_used": False, "used": False, **answers}
    used = LearningObjectUse.objects.filter(
        section=section, student=user, learning_object=learning_object
    ).exists()
    after = after_context(section, user, learning_object.objective.code) if used else {}
    video: dict[str, Any] = {}
    if learning_object.is_uploaded_video:  # its playing is counted: enough of it marks it used
        video = {
            "watch_url": reverse("learning_object_watched", args=[section.pk, learning_object.pk]),
            "watched": int(watched(section, user, learning_object) * 100),
            "enough": int(ENOUGH * 100),
        }
    return {"can_mark_used": True, "used": used, **answers, **after, **video}


@action
def learning_object_used(request: HttpRequest, section_id: int, learning_object_id: int) -> HttpResponse:
    """ "I used this": it counts toward the correctives after a "not yet". Saying it twice changes nothing."""
    student = _user(request)
    section = access_section_as_student(student, section_id)
    use_course_language(request, section)
    shown = learning_object_in_section(section, learning_object_id)
    learning_object_mark_used(section=section, student=student, learning_object=shown, now=timezone.now())
    if is_htmx(request):
        context = {"section": section, "lo": shown, "can_mark_used": True, "used": True, "just_used": True}
        context.update(after_context(section, student, shown.objective.code))
        return render(request, "web/loop/_used.html", context)
    return redirect("learning_object", section_id=section.pk, learning_object_id=shown.pk)


@action
def learning_object_watched(request: HttpRequest, section_id: int, learning_object_id: int) -> HttpResponse:
    """A stretch of an uploaded video played (from, to, duration in seconds), sent by the page as it plays:
    the share watched, and once it is enough, the "used" box as it now reads."""
    student = _user(request)
    section = access_section_as_student(student, section_id)
    use_course_language(request, section)
    shown = learning_object_in_section(section, learning_object_id)
    start, end, duration = (_seconds(request.POST.get(k, "")) for k in ("from", "to", "duration"))
    found = video_watched(
        section=section,
        student=student,
        learning_object=shown,
        start=start,
        end=end,
        duration=duration,
        now=timezone.now(),
    )
    answer: dict[str, Any] = {"watched": int(found.share * 100), "used": found.used}
    if found.just_used:
        context = {"section": section, "lo": shown, "can_mark_used": True, "used": True, "just_used": True}
        context.update(after_context(section, student, shown.objective.code))
        answer["html"] = render_to_string("web/loop/_used.html", context, request)
    return JsonResponse(answer)


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        return 0.0
    return number if math.isfinite(number) else 0.0


@action
def ask(request: HttpRequest, section_id: int) -> HttpResponse:
    """ "I need help" (kind help) or "I'm ready for my check" (kind check): a place in the teacher's queue,
    or, when this class lets students start checks themselves and this one may start, the check itself."""
    student = _user(request)
    section = access_section_as_student(student, section_id)
    use_course_language(request, section)
    kind = request.POST.get("kind", "")
    code = request.POST.get("objective", "")
    objective = objective_in_section(section, code) if code else None
    try:
        made = request_create(
            section=section,
            student=student,
            kind=kind,
            objective=objective,
            note=request.POST.get("note", ""),
            now=timezone.now(),
        )
    except NotFound:
        raise
    except DomainError as error:
        return _refused(request, section, kind, str(error), 409 if error.code == "not_ready" else 422)
    if made.entry is None and objective is not None:
        # Self-serve and allowed: straight into the check (the start view decides and answers refusals).
        return check_start(request, section_id=section.pk, code=objective.code)
    assert made.entry is not None
    if is_htmx(request):
        context = {"kind": kind, "position": _position(made.entry), "section": section}
        return render(request, "web/loop/_asked.html", context)
    anchor = f"#obj-{objective.code}" if objective is not None else ""
    return redirect(reverse("playlist", args=[section.pk]) + anchor)


def _refused(request: HttpRequest, section: Section, kind: str, reason: str, status: int) -> HttpResponse:
    title = _("You cannot ask for this check now") if kind == "check" else _("Your request was not sent")
    if from_htmx(request):  # said in the card the button is in
        return refusal(request, [reason], status=status, title=title)
    context = {
        "title": title,
        "message": reason,
        "back_url": reverse("playlist", args=[section.pk]),
        "back_text": _("Back to my playlist"),
    }
    return render(request, "web/checks/message.html", context, status=status)


@page
def course_map(request: HttpRequest, section_id: int) -> HttpResponse:
    """The whole course at a glance: units and objectives with their state, tier and prerequisites."""
    student = _user(request)
    section = access_section_as_student(student, section_id)
    use_course_language(request, section)
    shown = student_playlist(section=section, student=student)
    units: list[MapUnit] = []
    for o in shown.objectives:
        if not units or units[-1].code != o.unit_code:
            units.append(MapUnit(o.unit_code, o.unit_title, []))
        units[-1].objectives.append(o)
    return render(request, "web/loop/map.html", {"section": section, "playlist": shown, "units": units})


@dataclass(frozen=True)
class MapUnit:
    code: str
    title: str
    objectives: list[PlaylistObjective]

    @property
    def mastered(self) -> int:
        return sum(1 for o in self.objectives if o.state is State.MASTERED)
