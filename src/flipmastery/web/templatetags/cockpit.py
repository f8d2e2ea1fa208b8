"""Filters of the teacher's cockpit: a state as a symbol and a short word, times since, scores."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from flipmastery.domain.mastery import State

register = template.Library()

# Never colour alone: each state has a symbol and a short word as well (a projector washes colours out).
SYMBOLS: dict[str, str] = {
    State.LOCKED: "–",
    State.READY: "○",
    State.LEARNING: "◐",
    State.CHECK_REQUESTED: "?",
    State.CHECKING: "◔",
    State.NOT_YET: "✗",
    State.READY_TO_RETAKE: "↻",
    State.MASTERED: "✓",
}
SHORT: dict[str, Promise] = {
    State.LOCKED: _("locked"),
    State.READY: _("ready"),
    State.LEARNING: _("learning"),
    State.CHECK_REQUESTED: _("asks"),
    State.CHECKING: _("checking"),
    State.NOT_YET: _("not yet"),
    State.READY_TO_RETAKE: _("retake"),
    State.MASTERED: _("mastered"),
}
EVIDENCE: dict[str, Promise] = {
    "check_result": _("check"),
    "override": _("override"),
    "activity": _("sign-off"),
    "verbal": _("verbal check"),
}
EVENTS: dict[str, Promise] = {
    "check_result": _("check result"),
    "check_started": _("check started"),
    "check_requested": _("asked for a check"),
    "used": _("used a learning object"),
    "opened": _("opened a learning object"),
    "help": _("asked for help"),
    "approve": _("check approved"),
    "verbal": _("verbal check"),
    "conference": _("conference"),
    "release": _("retake released"),
    "activity": _("activity signed off"),
    "override": _("override"),
    "review_missed": _("review item missed"),
    "pretest_gap": _("pre-test gap"),
}


@register.filter
def event_word(kind: str) -> str:
    return str(EVENTS.get(kind, kind.replace("_", " ")))


@register.filter
def state_symbol(state: str) -> str:
    return SYMBOLS.get(str(state), "·")


@register.filter
def state_short(state: str) -> str:
    return str(SHORT.get(str(state), str(state).lower().replace("_", " ")))


@register.filter
def evidence_word(kind: str) -> str:
    return str(EVIDENCE.get(kind, kind.replace("_", " ")))


@register.filter
def ago(moment: datetime | None, now: datetime) -> str:
    """Time since, in the coarsest unit that says it: "now", "12 min", "3 h", "5 d"; "—" for never."""
    if moment is None:
        return "—"
    seconds = max((now - moment).total_seconds(), 0)
    if seconds < 60:
        return str(_("now"))
    if seconds < 3600:
        return f"{int(seconds // 60)} min"
    if seconds < 86400 * 2:
        return f"{int(seconds // 3600)} h"
    return f"{int(seconds // 86400)} d"


@register.filter
def score(value: float | None) -> str:
    """0.834 → "83%"; nothing → "" (the grid is dense: no space before %)."""
    return "" if value is None else f"{round(value * 100):d}%"


@register.filter
def get(mapping: dict, key: object) -> object:
    return mapping.get(key)
