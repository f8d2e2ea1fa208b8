"""A class roster as CSV: `username,name[,password]` per student, with every problem by line."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from flipmastery.domain.errors import Invalid, Location, Problem

MAX_BYTES = 1_000_000
MAX_ROWS = 2_000
USERNAME = re.compile(r"^[\w.@+-]{1,150}$")
HEADERS = {"username", "name", "password"}


@dataclass(frozen=True)
class RosterRow:
    line: int
    username: str
    name: str
    password: str  # "" means: make one


def read_roster(text: str, file: str = "roster.csv") -> list[RosterRow]:
    """Every student of a roster file, or Invalid listing every problem with its line."""
    if len(text) > MAX_BYTES:
        raise Invalid([Problem("the file is larger than 1 MB", Location(file))])
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    problems: list[Problem] = []
    if not rows:
        raise Invalid(
            [Problem("the file is empty: write username,name[,password] on each line", Location(file, 1))]
        )
    header = [h.strip().lower() for h in rows[0]]
    start = 1 if "username" in header else 0
    columns = header if start else ["username", "name", "password"][: max(len(rows[0]), 2)]
    unknown = [h for h in columns if h not in HEADERS]
    if unknown:
        problems.append(
            Problem(
                f"unknown column{'' if len(unknown) == 1 else 's'} {', '.join(unknown)}; use username, name,"
                " password",
                Location(file, 1),
            )
        )
    found: list[RosterRow] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[start:], start=start + 1):
        if not any(cell.strip() for cell in row):
            continue
        values = dict(zip(columns, (cell.strip() for cell in row), strict=False))
        username, name = values.get("username", ""), values.get("name", "")
        where = Location(file, number)
        if not USERNAME.match(username):
            problems.append(
                Problem(f"{username!r} is not a username: letters, digits and . @ + - _ only", where)
            )
        elif username.lower() in seen:
            problems.append(
                Problem(f"{username} appears twice (also on line {seen[username.lower()]})", where)
            )
        else:
            seen[username.lower()] = number
        if len(name) > 150:
            problems.append(Problem("the name is longer than 150 characters", where))
        password = values.get("password", "")
        if password and len(password) < 6:
            problems.append(Problem("a password needs at least 6 characters (or leave it empty)", where))
        found.append(RosterRow(number, username, name or username, password))
        if len(found) > MAX_ROWS:
            raise Invalid([Problem(f"more than {MAX_ROWS} students in one file", where)])
    if problems:
        raise Invalid(problems)
    return found
