"""Filters of the student's playlist: its cards split into the open ones and the locked ones (collapsed)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template

from flipmastery.domain.mastery import State

register = template.Library()
SHOWN_CODES = 3  # a phone's line: "5 locked objectives: GAS-3, GAS-4, GAS-5, …"


@register.filter
def unlocked(cards: Sequence[Any]) -> list[Any]:
    return [c for c in cards if c.objective.state is not State.LOCKED]


@register.filter
def locked(cards: Sequence[Any]) -> list[Any]:
    return [c for c in cards if c.objective.state is State.LOCKED]


@register.filter
def codes_preview(cards: Sequence[Any]) -> str:
    codes = [c.objective.code for c in cards]
    shown = ", ".join(codes[:SHOWN_CODES])
    return shown + ", …" if len(codes) > SHOWN_CODES else shown
