"""The student's check pages: start or resume, take it with autosave, confirm and submit, see the result.

Only the student who owns an attempt may change it; the teachers of its section may read it. Everyone
else gets a 404, as for a missing attempt. The pages are rendered from the server's saved responses, so
a reload or another device shows what the server has; `flipmastery-check.js` keeps what it could not
save yet in the browser and sends it when the connection is back.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from flipmastery.assessments.models import Attempt
from flipmastery.assessments.rendering import GAP_BLANK
from flipmastery.assessments.selectors import access_attempt, attempt_view, next_step
from flipmastery.assessments.services import (
    AttemptClosed,
    attempt_start,
    attempt_submit,
    left_out_of,
    response_save,
)
from flipmastery.assessments.sittings import is_on_paper, on_paper_words
from flipmastery.classroom.models import Section
from flipmastery.classroom.selectors import access_section_as_student
from flipmastery.courses.selectors import objective_in_section
from flipmastery.domain.assembly import BankTooSmall
from flipmastery.domain.errors import DomainError, Invalid, NotFound
from flipmastery.domain.mastery import State
from flipmastery.progress.selectors import Playlist, PlaylistObjective
from flipmastery.web.language import use_course_language
from flipmastery.web.views import _user, action, page

CONTROLS = {
    "single_choice": "radio",
    "true_false": "radio",
    "multiple_response": "checkbox",
    "short_text": "text",
    "numeric": "number",
    "calculated": "number",
    "matching": "select",
    "ordering": "order",
    "gaps": "gaps",
    "cloze": "cloze",
    "free_response": "textarea",
}
# A choice rendered as one paragraph becomes the text of its label (a label may not hold a <p>).
ONE_PARAGRAPH = re.compile(r"\A\s*<p>((?:(?!</?p[ >]).)*)</p>\s*\Z", re.S)


# --- what the templates show ------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """A choice of a choice item, or an option of a matching prompt."""

    id: str
    html: SafeString
    text: str
    chosen: bool


@dataclass(frozen=True)
class Pair:
    """One prompt of a matching item with the options offered for it."""

    id: str
    html: SafeString
    options: tuple[Choice, ...]

    @property
    def chosen(self) -> Choice | None:
        return next((o for o in self.options if o.chosen), None)


@dataclass(frozen=True)
class Gap:
    """One gap of a gaps item with the choices it offers (plain text: a select's options hold no HTML)."""

    id: str
    options: tuple[Choice, ...]

    @property
    def chosen(self) -> Choice | None:
        return next((o for o in self.options if o.chosen), None)


@dataclass(frozen=True)
class Part:
    """One part of a cloze item: a box to type in, a select, radio buttons or check boxes in the text."""

    id: str
    type: str
    layout: str
    options: tuple[Choice, ...] = ()
    text: str = ""
    needs_unit: bool = False

    @property
    def chosen(self) -> list[Choice]:
        return [o for o in self.options if o.chosen]

    @property
    def input(self) -> str:
        if self.type == "multiple_response":
            return "checkbox"
        if self.type == "single_choice":
            return "select" if self.layout == "dropdown" else "radio"
        return "number" if self.type == "numeric" else "text"


@dataclass(frozen=True)
class Item:
    position: int
    total: int
    type: str
    control: str
    prompt_html: SafeString
    choices: tuple[Choice, ...] = ()
    pairs: tuple[Pair, ...] = ()
    gaps: tuple[Gap, ...] = ()
    # a gaps item's text, cut at its gaps: (the HTML before, the gap after it or None at the end)
    pieces: tuple[tuple[SafeString, Gap | None], ...] = ()
    parts: tuple[Part, ...] = ()
    # a cloze item's text, cut at its parts: (the HTML before, the part after it or None at the end)
    part_pieces: tuple[tuple[SafeString, Part | None], ...] = ()
    text: str = ""
    needs_unit: bool = False
    saved_at: datetime | None = None
    answered: bool = False
    status: str = ""
    score: float | None = None
    feedback_html: tuple[SafeString, ...] = field(default_factory=tuple)

    @property
    def chosen(self) -> list[Choice]:
        return [c for c in self.choices if c.chosen]


def _safe(fragment: str) -> SafeString:
    # Every HTML fragment of an attempt was sanitised on the server when the attempt started.
    return mark_safe(fragment)  # noqa: S308


def _inline(fragment: str) -> SafeString:
    match = ONE_PARAGRAPH.match(fragment or "")
    return _safe(match.group(1) if match else fragment or "")


def _text(fragment: str) -> str:
    return html.unescape(strip_tags(fragment or "")).strip()


def _choice_id(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _present(entry: dict[str, Any], total: int) -> Item:
    kind = str(entry["type"])
    response = entry.get("response")
    choices: tuple[Choice, ...] = ()
    pairs: tuple[Pair, ...] = ()
    if "choices" in entry:
        picked = set(response) if isinstance(response, list) else {response}
        choices = tuple(
            Choice(
                _choice_id(c["id"]),
                _inline(c["html"]),
                _text(c["html"]),
                c["id"] in picked and response is not None,
            )
            for c in entry["choices"]
        )
    if kind == "matching":
        matched = response if isinstance(response, dict) else {}
        pairs = tuple(
            Pair(
                str(p["id"]),
                _inline(p["html"]),
                tuple(
                    Choice(
                        str(o["id"]),
                        _inline(o["html"]),
                        _text(o["html"]),
                        matched.get(str(p["id"])) == o["id"],
                    )
                    for o in entry.get("options", [])
                ),
            )
            for p in entry.get("prompts", [])
        )
    if kind == "ordering":
        by_id = {str(i["id"]): i for i in entry.get("items", [])}
        given = [str(r) for r in response] if isinstance(response, list) else []
        order = given if sorted(given) == sorted(by_id) else list(by_id)
        choices = tuple(Choice(i, _inline(by_id[i]["html"]), _text(by_id[i]["html"]), False) for i in order)
    gaps, pieces = _gaps(entry, response) if kind == "gaps" else ((), ())
    parts, part_pieces = _cloze(entry, response) if kind == "cloze" else ((), ())
    if gaps:  # every choice a gap offers, once, by its label: the list a paper copy prints
        offered = {o.id: Choice(o.id, o.html, o.text, False) for g in gaps for o in g.options}
        choices = tuple(
            offered[label] for label in (str(c["id"]) for c in entry["gap_choices"]) if label in offered
        )
    return Item(
        position=int(entry["id"]),
        total=total,
        type=kind,
        control=CONTROLS.get(kind, "text"),
        prompt_html=_safe(entry.get("prompt_html") or ""),
        choices=choices,
        pairs=pairs,
        gaps=gaps,
        pieces=pieces,
        parts=parts,
        part_pieces=part_pieces,
        text=response if isinstance(response, str) and not choices else "",
        needs_unit=bool(entry.get("needs_unit")),
        saved_at=entry.get("saved_at"),
        answered=response not in (None, "", [], {}),
        status=str(entry.get("status") or ""),
        score=entry.get("score"),
        feedback_html=tuple(_safe(f) for f in entry.get("feedback_html") or ()),
    )


def _gaps(
    entry: dict[str, Any], response: Any
) -> tuple[tuple[Gap, ...], tuple[tuple[SafeString, Gap | None], ...]]:
    chosen = response if isinstance(response, dict) else {}
    text_of = {str(c["id"]): c["html"] for c in entry.get("gap_choices", [])}
    gaps = {
        str(g["id"]): Gap(
            str(g["id"]),
            tuple(
                Choice(
                    label, _inline(text_of[label]), _text(text_of[label]), chosen.get(str(g["id"])) == label
                )
                for label in g.get("options", [])
                if label in text_of
            ),
        )
        for g in entry.get("gaps", [])
    }
    parts = GAP_BLANK.split(entry.get("prompt_html") or "")
    pieces = tuple(
        (_safe(parts[i]), gaps.get(parts[i + 1]) if i + 1 < len(parts) else None)
        for i in range(0, len(parts), 2)
    )
    return tuple(gaps.values()), pieces


def _cloze(
    entry: dict[str, Any], response: Any
) -> tuple[tuple[Part, ...], tuple[tuple[SafeString, Part | None], ...]]:
    given = response if isinstance(response, dict) else {}
    parts: dict[str, Part] = {}
    for p in entry.get("parts", []):
        number = str(p["id"])
        said = given.get(number)
        picked = said if isinstance(said, list) else [said]
        options = tuple(
            Choice(str(c["id"]), _inline(c["html"]), _text(c["html"]), c["id"] in picked)
            for c in p.get("choices", [])
        )
        typed = str(said) if isinstance(said, (str, int, float)) and not options else ""
        parts[number] = Part(
            number, str(p["type"]), str(p.get("layout") or ""), options, typed, bool(p.get("needs_unit"))
        )
    cut = GAP_BLANK.split(entry.get("prompt_html") or "")
    pieces = tuple(
        (_safe(cut[i]), parts.get(cut[i + 1]) if i + 1 < len(cut) else None) for i in range(0, len(cut), 2)
    )
    return tuple(parts.values()), pieces


def present(view: dict[str, Any]) -> list[Item]:
    total = len(view["items"])
    return [_present(entry, total) for entry in view["items"]]


def parse_response(item: Item, data: QueryDict) -> Any:
    """The form fields of one item → the response shape `response_save` takes (None clears it)."""
    if item.control == "checkbox":
        return data.getlist("answer") or None
    if item.control == "order":
        # The page sends the list; a paper copy typed in is the letters as the student wrote them.
        order = data.getlist("order") or re.findall(r"[a-z]+", data.get("answer", "").lower())
        return moved(order, data.get("move", ""))
    if item.control == "gaps":
        filled = {g.id: data.get(f"gap-{g.id}", "") for g in item.gaps}
        return {k: v for k, v in filled.items() if v} or None
    if item.control == "cloze":
        answered: dict[str, Any] = {
            p.id: data.getlist(f"part-{p.id}")
            if p.input == "checkbox"
            else data.get(f"part-{p.id}", "").strip()
            for p in item.parts
        }
        return {k: v for k, v in answered.items() if v} or None
    if item.control == "select":
        matched = {p.id: data.get(f"match-{p.id}", "") for p in item.pairs}
        return {k: v for k, v in matched.items() if v} or None
    value = data.get("answer", "")
    if item.type == "true_false":
        return {"true": True, "false": False}.get(value)
    if item.control == "radio":
        return value or None
    return value if value.strip() else None


def moved(order: list[str], move: str) -> list[str] | None:
    """An ordering item's list after "b:up" or "b:down" (the buttons of the page without JavaScript)."""
    label, _, way = move.partition(":")
    if label in order and way in ("up", "down"):
        at = order.index(label)
        to = at - 1 if way == "up" else at + 1
        if 0 <= to < len(order):
            order[at], order[to] = order[to], order[at]
    return order or None


# --- the pages ----------------------------------------------------------------------------------------


@action
def check_start(request: HttpRequest, section_id: int, code: str) -> HttpResponse:
    student = _user(request)
    section = access_section_as_student(student, section_id)
    use_course_language(request, section)
    objective = objective_in_section(section, code)
    try:
        started = attempt_start(section=section, student=student, objective=objective, now=timezone.now())
    except NotFound:
        raise
    except BankTooSmall:
        message = _(
            "The check for %(code)s is not ready yet: its question bank needs more questions. "
            "Please tell your teacher."
        ) % {"code": objective.code}
        return _cannot_start(request, section, message)
    except DomainError as error:  # NotReady, or any other rule that refuses a start
        return _cannot_start(request, section, str(error))
    return redirect("attempt", attempt_id=started.attempt.pk)


def _cannot_start(request: HttpRequest, section: Section, message: str) -> HttpResponse:
    context = {
        "title": _("You cannot take this check yet"),
        "message": message,
        "back_url": reverse("playlist", args=[section.pk]),
        "back_text": _("Back to my playlist"),
    }
    return render(request, "web/checks/message.html", context, status=409)


@page
def attempt_page(request: HttpRequest, attempt_id: int) -> HttpResponse:
    user = _user(request)
    attempt = access_attempt(user, attempt_id)
    owner = attempt.student_id == user.pk
    if owner:
        use_course_language(request, attempt.section)
        if is_on_paper(attempt):
            return _on_paper(request, attempt)
    view = attempt_view(attempt, for_teacher=not owner)
    context = _context(attempt, view, owner)
    if view["state"] == Attempt.State.OPEN and owner:
        context["left_out"] = left_out_of(
            attempt, timezone.now()
        )  # a unit test or pre-test says what it leaves out
        return render(request, "web/checks/take.html", context)
    return render(request, "web/checks/result.html", context)


def _context(attempt: Attempt, view: dict[str, Any], owner: bool) -> dict[str, Any]:
    items = present(view)
    objectives = view["objectives"]
    if owner and objectives:  # a "not yet" lists what to do before a new version, and the queue place
        from flipmastery.web.views_loop import with_steps  # imported here: views_loop imports this module

        objectives = with_steps(attempt.section, attempt.student, objectives)
    return {
        "attempt": attempt,
        "view": view,
        "items": items,
        "owner": owner,
        "student": attempt.student if not owner else None,
        "section": attempt.section,
        "objective": attempt.objective,
        "lang": attempt.section.course.language,
        "thresholds": sorted(view["thresholds"].items()),
        "objectives": objectives,
        "unanswered": [i for i in items if not i.answered],
        "answered_count": sum(1 for i in items if i.answered),
        "pending": any(o.get("pending") for o in objectives),
        "next": next_step(view) if view["state"] == Attempt.State.SUBMITTED else None,
    }


def submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """GET asks "submit now?" and lists what is unanswered; POST submits."""
    if request.method == "POST":
        return _submit(request, attempt_id)
    return _confirm(request, attempt_id)


@page
def _confirm(request: HttpRequest, attempt_id: int) -> HttpResponse:
    user = _user(request)
    attempt = _own_attempt(user, attempt_id)
    use_course_language(request, attempt.section)
    if is_on_paper(attempt):
        return _on_paper(request, attempt)
    if attempt.state != Attempt.State.OPEN:
        return redirect("attempt", attempt_id=attempt.pk)
    return render(request, "web/checks/confirm.html", _context(attempt, attempt_view(attempt), True))


@action
def _submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _own_attempt(_user(request), attempt_id)
    if is_on_paper(attempt):
        use_course_language(request, attempt.section)
        return _on_paper(request, attempt)
    attempt_submit(attempt_id=attempt_id, student=_user(request), now=timezone.now())
    return redirect("attempt", attempt_id=attempt_id)


def _on_paper(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    """A printed copy is worked on paper: its student's screen says so and shows none of its questions."""
    context = {
        "title": _("Your check is on paper"),
        "message": on_paper_words(attempt.objective.code if attempt.objective else ""),
        "back_url": reverse("playlist", args=[attempt.section_id]),
        "back_text": _("Back to my playlist"),
    }
    return render(request, "web/checks/message.html", context, status=409)


def _own_attempt(user: Any, attempt_id: int) -> Attempt:
    attempt = access_attempt(user, attempt_id)
    if attempt.student_id != user.pk:
        raise NotFound("attempt not found")  # a teacher reads an attempt; only its student changes it
    return attempt


@require_POST
@never_cache
def item_save(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    """Autosave one answer. htmx gets the words for the item's saved state, in the language of the page
    it lands in (the item form sends it as Accept-Language); a plain form post (no JavaScript) goes back
    to the question."""
    htmx = request.headers.get("HX-Request") == "true"
    if not request.user.is_authenticated:
        if htmx:
            return _state(request, "logged_out", status=401)
        return redirect(f"{reverse('login')}?next={reverse('attempt', args=[attempt_id])}")
    user = _user(request)
    try:
        attempt = _own_attempt(user, attempt_id)
        if is_on_paper(attempt):
            if not htmx:
                return _on_paper(request, attempt)
            code = attempt.objective.code if attempt.objective else ""
            return _state(request, "on_paper", message=on_paper_words(code), status=409)
        if attempt.state != Attempt.State.OPEN:
            raise AttemptClosed("This check was submitted.")
        item = next((i for i in present(attempt_view(attempt)) if i.position == position), None)
        if item is None:
            raise NotFound(f"this attempt has no item {position}")
        saved = response_save(
            attempt_id=attempt.pk,
            student=user,
            position=position,
            response=parse_response(item, _without_move(request.POST) if htmx else request.POST),
            now=timezone.now(),
        )
    except NotFound as error:
        raise Http404(str(error)) from error
    except AttemptClosed:
        if not htmx:
            return redirect("attempt", attempt_id=attempt_id)
        return _state(request, "closed", attempt_id=attempt_id, status=409)
    except Invalid as error:
        problems = "; ".join(p.message for p in error.problems)
        if not htmx:
            context = {
                "title": _("Your answer was not saved"),
                "message": problems,
                "back_url": f"{reverse('attempt', args=[attempt_id])}#q-{position}",
                "back_text": _("Back to the question"),
            }
            return render(request, "web/checks/message.html", context, status=422)
        return _state(request, "invalid", problems=problems, status=422)
    if not htmx:
        return redirect(f"{reverse('attempt', args=[attempt_id])}#q-{position}")
    return _state(request, "saved", saved_at=saved.saved_at)


def _without_move(data: QueryDict) -> QueryDict:
    # With JavaScript an ordering item is reordered in the page before it is sent; htmx still adds the
    # last "Move" button pressed, which must not move it a second time.
    data = data.copy()
    data.pop("move", None)
    return data


def _state(request: HttpRequest, state: str, *, status: int = 200, **context: Any) -> HttpResponse:
    return render(request, "web/checks/_save_state.html", {"state": state, **context}, status=status)


# --- the playlist's check buttons ---------------------------------------------------------------------

# The start button shows only when the server says a check may start now (`may_start_check`): NOT_YET
# waits for the retake gate and shows the way there instead (web/loop/_correctives.html), a class whose
# teacher approves checks shows "I'm ready for my check", LOCKED and MASTERED have no check to take.
# Only these states can have an attempt worth linking, so a playlist without them costs no query.
WITH_ATTEMPTS = frozenset({State.CHECKING, State.NOT_YET, State.READY_TO_RETAKE})


@dataclass(frozen=True)
class CheckLink:
    """What the playlist offers for one objective's check."""

    button: str = ""  # the words of the start button, or "" for none
    open_attempt: int | None = None
    last_attempt: int | None = None
    waiting_for_teacher: bool = False
    last_score: float | None = None  # this objective's score in the last check, once decided
    on_paper: bool = False  # the check is open as a printed copy (assessments/sittings.py)


@dataclass(frozen=True)
class Card:
    objective: PlaylistObjective
    check: CheckLink


def playlist_cards(section: Section, student: Any, playlist: Playlist) -> list[Card]:
    """Each objective of the playlist with its check button; the latest attempts in one query, made only
    when some objective is part-way through a check."""
    codes = [o.code for o in playlist.objectives if o.state in WITH_ATTEMPTS]
    latest: dict[str, tuple[int, str, Any]] = {}
    if codes:
        rows = (
            Attempt.objects.filter(section=section, student=student, objective__code__in=codes)
            .order_by("-started_at", "-id")
            .values_list("objective__code", "id", "state", "result")
        )
        for code, attempt_id, state, result in rows:
            latest.setdefault(code, (attempt_id, state, result))
    return [Card(o, _check_link(o, latest.get(o.code))) for o in playlist.objectives]


def _check_link(objective: PlaylistObjective, latest: tuple[int, str, Any] | None) -> CheckLink:
    if objective.on_paper:  # a printed copy is worked on paper: nothing to open or resume on a screen
        return CheckLink(on_paper=True)
    if latest is not None and latest[1] == Attempt.State.OPEN:
        return CheckLink(button=_("Continue your check"), open_attempt=latest[0])
    last = latest[0] if latest is not None else None
    decided = (
        [o for o in (latest[2] or {}).get("objectives", []) if o.get("code") == objective.code]
        if latest
        else []
    )
    pending = any(o.get("pending") for o in decided)
    score = decided[0].get("score") if decided and not pending else None
    if pending and objective.state is State.CHECKING:
        return CheckLink(last_attempt=last, waiting_for_teacher=True)
    if not objective.may_start_check:
        return CheckLink(last_attempt=last, last_score=score)
    words = _("Take a new version") if objective.state is State.READY_TO_RETAKE else _("Take the check")
    return CheckLink(button=words, last_attempt=last, last_score=score)
