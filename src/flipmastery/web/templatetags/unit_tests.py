"""What the playlist needs to offer a unit's test and pre-test, read from the cards already fetched."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

register = template.Library()


@register.filter
def has_earlier_prerequisites(cards: Iterable[Any]) -> bool:
    """Whether an objective of this unit (the cards of one unit) needs one from another unit: then the
    unit has a pre-test. No query: the prerequisites are on the playlist's objectives."""
    cards = list(cards)
    here = {c.objective.code for c in cards}
    return any(code not in here for c in cards for code in c.objective.prerequisites)
