"""How a person is named to the class: one rule for every page, export and API answer.

Pages that read people as rows (`values_list`, raw SQL) read the columns `name_fields` lists and pass them
to `shown_name`; pages that hold a `User` call `User.shown_name()`, which is the same rule. The username
is the login, for machines and for telling two people of the same name apart, never the name shown.
"""

from __future__ import annotations

NAME_FIELDS = ("username", "display_name", "first_name", "last_name")


def name_fields(relation: str = "") -> tuple[str, str, str, str]:
    """The columns `shown_name` reads, in its order, through a relation: `name_fields("student")` →
    ("student__username", "student__display_name", "student__first_name", "student__last_name")."""
    prefix = f"{relation}__" if relation else ""
    username, display, first, last = (prefix + f for f in NAME_FIELDS)
    return username, display, first, last


def shown_name(
    username: str, display_name: str | None = "", first_name: str | None = "", last_name: str | None = ""
) -> str:
    """The display name, else the first and last name, else the username. None reads as empty (the
    columns of a person through an outer join)."""
    full = f"{first_name or ''} {last_name or ''}".strip()
    return display_name or full or username
