"""Writes of a school admin: add a teacher or a school admin (with a password shown once), deactivate and
reactivate a person, assign teachers to courses. Sections' teachers go through classroom.services, the
same rules as a teacher's own co-teacher form (an archived section is read-only, the last teacher stays).

Nobody widens their own access here. Only a school admin reaches these services (the callers check with
`school.selectors.access_school`); a school admin adds and deactivates teachers, and only a superuser adds,
deactivates or reactivates a school admin. An admin sees every section, answer keys and every student, so
how many there are is decided by whoever runs the server, not by each admin: a stolen admin password cannot
mint a second admin to stay in after it is changed, and two admins cannot lock each other out. Nobody makes
a superuser here (that is `flipmastery createsuperuser`), changes one, or deactivates themselves.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from flipmastery.accounts.models import Role, User
from flipmastery.courses.models import Course
from flipmastery.domain.errors import DomainError, Invalid, Location, NotFound, Problem
from flipmastery.domain.formats.roster import USERNAME

# Read aloud and typed from a slip of paper: no 0/O, 1/l/I. Twelve symbols of 31 are 59 bits.
SYMBOLS = "abcdefghjkmnpqrstuvwxyz23456789"
STAFF_ROLES = (Role.TEACHER, Role.ADMIN)
NAME_MAX = 150
ADMINS_BY_SUPERUSERS = gettext_noop("only a superuser adds, deactivates or reactivates a school admin")


class Refused(DomainError):
    """A school admin asked for something no one may do here (e.g. deactivate themselves)."""

    code = "forbidden"


def new_staff_password() -> str:
    """Three groups of four symbols, e.g. "k7qm-2xpd-9abr": longer than a student's, since a teacher's
    account opens answer keys."""
    groups = ("".join(secrets.choice(SYMBOLS) for _ in range(4)) for _ in range(3))
    return "-".join(groups)


@dataclass(frozen=True)
class NewPerson:
    person: User
    password: str  # shown once, to the school admin who made the account; only its hash is stored


@transaction.atomic
def person_add(*, by: User, username: str, name: str, role: str, password: str = "") -> NewPerson:
    """A new teacher, or (by a superuser) a new school admin. Every problem is listed (Invalid) and then
    nothing is saved."""
    username, name = username.strip(), " ".join(name.split())
    if role == Role.ADMIN and not by.is_superuser:
        raise Refused(_(ADMINS_BY_SUPERUSERS))
    problems: list[Problem] = []
    if role not in STAFF_ROLES:
        problems.append(Problem(_("a person added here is a teacher or a school admin"), Location("role")))
    if not USERNAME.match(username):
        problems.append(
            Problem(
                _("a username has letters, digits and . @ + - _ only, and no spaces"), Location("username")
            )
        )
    elif User.objects.filter(username__iexact=username).exists():
        problems.append(
            Problem(_("the username %(name)s is taken") % {"name": username}, Location("username"))
        )
    if not name:
        problems.append(Problem(_("write the name the school knows them by"), Location("name")))
    elif len(name) > NAME_MAX:
        problems.append(
            Problem(_("a name has at most %(max)s characters") % {"max": NAME_MAX}, Location("name"))
        )
    person = User(username=username, display_name=name, role=role)
    if password:
        try:
            validate_password(password, person)
        except ValidationError as err:
            problems += [Problem(str(m), Location("password")) for m in err.messages]
    if problems:
        raise Invalid(problems)
    chosen = password or new_staff_password()
    person.set_password(chosen)
    person.save()
    return NewPerson(person, chosen)


def _changeable(by: User, username: str) -> User:
    found = User.objects.select_for_update().filter(username__iexact=username.strip()).first()
    if found is None:
        raise NotFound(f"there is nobody with the username {username.strip()!r}")
    if found.pk == by.pk:
        raise Refused(_("you cannot change your own account here"))
    if found.is_superuser:
        raise Refused(
            _("%(name)s is a superuser: superusers are changed in the admin pages only")
            % {"name": found.username}
        )
    if found.role == Role.ADMIN and not by.is_superuser:
        raise Refused(_(ADMINS_BY_SUPERUSERS))
    return found


@transaction.atomic
def person_deactivate(*, by: User, username: str) -> User:
    """The person can no longer sign in: their sessions, API tokens and sign-in cards stop working at their
    next request (each checks `is_active`). Nothing of theirs is deleted; `person_reactivate` undoes it."""
    found = _changeable(by, username)
    if found.is_active:
        found.is_active = False
        found.save(update_fields=["is_active"])
    return found


@transaction.atomic
def person_reactivate(*, by: User, username: str) -> User:
    found = _changeable(by, username)
    if not found.is_active:
        found.is_active = True
        found.save(update_fields=["is_active"])
    return found


def _teacher(username: str) -> User:
    found = User.objects.filter(
        username__iexact=username.strip(), is_active=True, role__in=STAFF_ROLES
    ).first()
    if found is None:
        raise Invalid(
            [
                Problem(
                    _("there is no teacher with the username %(name)s") % {"name": repr(username.strip())},
                    Location("username"),
                )
            ]
        )
    return found


@transaction.atomic
def course_teacher_add(*, course: Course, username: str) -> tuple[User, bool]:
    """Assign a teacher to a course: they may then open sections of it. (The teacher, whether it is new.)"""
    found = _teacher(username)
    if course.teachers.filter(pk=found.pk).exists():
        return found, False
    course.teachers.add(found)
    return found, True


@transaction.atomic
def course_teacher_remove(*, course: Course, username: str) -> User:
    """Take a teacher off a course: they open no new sections of it; the sections they teach stay theirs."""
    found = course.teachers.filter(username__iexact=username.strip()).first()
    if found is None:
        raise NotFound(f"{username.strip()} is not a teacher of {course.code}")
    course.teachers.remove(found)
    return found
