"""What the few reads written out of the ORM for the hot path share (accounts/api_tokens.py,
progress/standings.py, cockpit/selectors.py): the ORM's converters do not run on their columns."""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils.dateparse import parse_datetime


def stored_moment(value: object) -> datetime | None:
    """A datetime column as read by a cursor: PostgreSQL gives it aware; SQLite gives the stored UTC time
    without its zone, or as text (a MAX() of it)."""
    found = parse_datetime(value) if isinstance(value, str) else value
    if not isinstance(found, datetime):
        return None
    return found if found.tzinfo is not None else found.replace(tzinfo=UTC)
