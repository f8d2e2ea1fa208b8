"""Writes of classes: a roster imported whole or not at all, with a login card for each new student."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from flipmastery.accounts.models import Role, User
from flipmastery.classroom.models import Enrollment, Section
from flipmastery.domain.errors import Invalid, Location, Problem
from flipmastery.domain.formats.roster import read_roster

# Easy to read aloud and to type on a phone: no 0/O, 1/l/I.
WORDS = "ab cd ef gh jk mn pq rs tu vw xy z2 34 56 78 9".replace(" ", "")


@dataclass(frozen=True)
class LoginCard:
    username: str
    name: str
    password: str  # shown once, on the printed card; only its hash is stored


@dataclass
class RosterReport:
    cards: list[LoginCard] = field(default_factory=list)  # new students
    enrolled: list[str] = field(default_factory=list)  # students who had an account already
    already: list[str] = field(default_factory=list)
    dry_run: bool = False


def new_password() -> str:
    return (
        "".join(secrets.choice(WORDS) for _ in range(4))
        + "-"
        + "".join(secrets.choice(WORDS) for _ in range(4))
    )


@transaction.atomic
def roster_import(
    *, section: Section, text: str, file: str = "roster.csv", dry_run: bool = False
) -> RosterReport:
    """Create the roster's new students and enrol everyone; Invalid (nothing saved) lists every problem."""
    rows = read_roster(text, file)
    existing = {u.username.lower(): u for u in User.objects.filter(username__in=[r.username for r in rows])}
    problems = [
        Problem(
            f"{r.username} is a {existing[r.username.lower()].role} account, not a student",
            Location(file, r.line),
        )
        for r in rows
        if r.username.lower() in existing and existing[r.username.lower()].role != Role.STUDENT
    ]
    if problems:
        raise Invalid(problems)
    enrolled = set(Enrollment.objects.filter(section=section).values_list("student__username", flat=True))
    report = RosterReport(dry_run=dry_run)
    for row in rows:
        user = existing.get(row.username.lower())
        if user is None:
            password = row.password or new_password()
            user = User.objects.create(
                username=row.username,
                display_name=row.name,
                role=Role.STUDENT,
                password=make_password(password),
            )
            report.cards.append(LoginCard(user.username, row.name, password))
        elif user.username in enrolled:
            report.already.append(user.username)
            continue
        else:
            report.enrolled.append(user.username)
        Enrollment.objects.create(section=section, student=user)
    if dry_run:
        transaction.set_rollback(True)
    return report
