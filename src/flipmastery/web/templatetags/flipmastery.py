"""Small template filters: thresholds as percentages, the words for tiers, states and kinds, safe links."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django import template
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from flipmastery.classroom.models import Section
from flipmastery.courses.models import Objective
from flipmastery.domain.course import LearningObjectKind, Tier
from flipmastery.domain.mastery import State
from flipmastery.progress.selectors import threshold_for

register = template.Library()

TIER_LABELS: dict[str, Promise] = {Tier.ESSENTIAL: _("essential"), Tier.NICE_TO_KNOW: _("nice to know")}
STATE_LABELS: dict[str, Promise] = {
    State.LOCKED: _("LOCKED"),
    State.READY: _("READY"),
    State.LEARNING: _("LEARNING"),
    State.CHECK_REQUESTED: _("CHECK REQUESTED"),
    State.CHECKING: _("CHECKING"),
    State.NOT_YET: _("NOT YET"),
    State.READY_TO_RETAKE: _("READY TO RETAKE"),
    State.MASTERED: _("MASTERED"),
}
KIND_LABELS: dict[str, Promise] = {
    LearningObjectKind.VIDEO: pgettext_lazy("kind of learning object", "video"),
    LearningObjectKind.WORKSHEET: pgettext_lazy("kind of learning object", "worksheet"),
    LearningObjectKind.TEXT: pgettext_lazy("kind of learning object", "text"),
    LearningObjectKind.SIMULATION: pgettext_lazy("kind of learning object", "simulation"),
    LearningObjectKind.LINK: pgettext_lazy("kind of learning object", "link"),
    LearningObjectKind.FILE: pgettext_lazy("kind of learning object", "file"),
}


@register.filter
def percent(fraction: float | None) -> str:
    """0.8 → "80 %" (a space before %, as the UI writes it); 0.875 → "87.5 %"."""
    if fraction is None:
        return ""
    value = round(float(fraction) * 100, 1)
    return f"{value:g} %"


@register.filter
def tier_label(tier: str) -> str:
    return str(TIER_LABELS.get(tier, tier.replace("_", " ")))


@register.filter
def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


@register.filter
def state_label(state: str) -> str:
    return str(STATE_LABELS.get(str(state), str(state).replace("_", " ")))


@register.filter
def current(items: Iterable[Any]) -> list[Any]:
    """Leave out retired rows (kept only because history refers to them)."""
    return [item for item in items if not getattr(item, "retired", False)]


@register.filter
def threshold_in(objective: Objective, section: Section) -> float:
    return threshold_for(objective, section)


@register.filter
def http_url(url: str) -> str:
    """The URL if it is an absolute http(s) one, else "" (a javascript: URL must never become a link)."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return ""
    return parts.geturl() if parts.scheme in {"http", "https"} and parts.netloc else ""
