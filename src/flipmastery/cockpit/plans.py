"""A section's plan as a plain value, and reading the teacher's words for it (periods, pace, scale)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from flipmastery.domain.cockpit import GradeRule, parse_scale
from flipmastery.domain.errors import Invalid, Problem

PERIOD_LINE = re.compile(r"^\s*(?P<name>.+?)\s*[:=]\s*(?P<end>\d{4}-\d{2}-\d{2})\s*$")


@dataclass(frozen=True)
class Period:
    name: str
    end: date


@dataclass(frozen=True)
class Plan:
    start: date
    per_week: float
    periods: tuple[Period, ...]
    scale_text: str
    rules: tuple[GradeRule, ...]
    saved: bool  # False: the defaults, nothing stored yet

    @property
    def periods_text(self) -> str:
        return "\n".join(f"{p.name}: {p.end.isoformat()}" for p in self.periods)


def read_periods(text: str) -> tuple[list[Period], list[Problem]]:
    """ "Term 1: 2025-09-30" per line → periods in date order; every bad line is a problem."""
    found, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = PERIOD_LINE.match(line)
        try:
            end = date.fromisoformat(match["end"]) if match else None
        except ValueError:
            end = None
        if match is None or end is None:
            problems.append(
                Problem(_("grading period line %(n)s: write e.g. 'Term 1: 2025-09-30'") % {"n": number})
            )
            continue
        found.append(Period(match["name"][:60], end))
    names = [p.name for p in found]
    if len(set(names)) != len(names):
        problems.append(Problem(_("two grading periods have the same name")))
    return sorted(found, key=lambda p: p.end), problems


def read_scale(text: str) -> list[GradeRule]:
    rules = parse_scale(text)
    if not rules:
        raise Invalid([Problem(_("the grade scale needs at least one letter, e.g. 'A = 100% + 80%'"))])
    return rules


def periods_from_json(raw: object) -> tuple[Period, ...]:
    """The stored list, read leniently: a row that cannot be read is left out rather than break pages."""
    found = []
    for item in raw if isinstance(raw, list) else []:
        try:
            found.append(Period(str(item["name"]), date.fromisoformat(str(item["end"]))))
        except (KeyError, TypeError, ValueError):
            continue
    return tuple(sorted(found, key=lambda p: p.end))
