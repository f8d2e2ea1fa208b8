"""Writes of classes: sections opened, changed, archived and shared between teachers; students joining by
code (at once, or after a teacher accepts them); a roster imported whole or not at all, with a login card for
each new student; a student's password reset by their teacher."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from flipmastery.accounts.models import Role, User
from flipmastery.classroom.models import Enrollment, JoinRequest, Section, new_join_code
from flipmastery.classroom.selectors import section_by_join_code, waiting_request_of
from flipmastery.cockpit.versions import section_changed
from flipmastery.courses.models import Course
from flipmastery.domain.errors import DomainError, Invalid, Location, NotFound, Problem
from flipmastery.domain.formats.roster import USERNAME, read_roster
from flipmastery.domain.gating import policy_from

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
            _("%(name)s is a %(role)s account, not a student")
            % {"name": r.username, "role": existing[r.username.lower()].role},
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
        section_changed(section.pk)  # a new row on every server's grid
    if dry_run:
        transaction.set_rollback(True)
    return report


# --- refusals -------------------------------------------------------------------------------------------


class SectionArchived(DomainError):
    """The section is archived at the end of its year: kept for the record, read-only."""

    code = "archived"

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or _("This section is archived: it is kept for the record and nothing in it can change any more.")
        )


class JoinClosed(DomainError):
    code = "join_closed"


class NotAStudent(DomainError):
    code = "forbidden"


class LastTeacher(DomainError):
    code = "conflict"


class AlreadyDecided(DomainError):
    code = "conflict"


def writable(section: Section) -> None:
    """Refuse any change to an archived section (SectionArchived); every write of this module asks first."""
    if section.archived_at is not None:
        raise SectionArchived()


def _locked(section: Section) -> Section:
    """The section row locked for this transaction, so two teachers' changes take turns."""
    return Section.objects.select_for_update().select_related("course").get(pk=section.pk)


# --- opening and changing a section ---------------------------------------------------------------------

NAME_MAX = Section._meta.get_field("name").max_length or 120
JOIN_MODES = {m.value for m in Section.JoinMode}


def _name_problems(name: str) -> list[Problem]:
    if not name.strip():
        return [Problem(_("the section needs a name, e.g. Chemistry 11-A"), Location("name"))]
    if len(name.strip()) > NAME_MAX:
        return [
            Problem(_("the name is longer than %(max)s characters") % {"max": NAME_MAX}, Location("name"))
        ]
    return []


def _join_mode_problems(join_mode: str) -> list[Problem]:
    if join_mode not in JOIN_MODES:
        return [
            Problem(
                _("the join mode is one of %(modes)s") % {"modes": ", ".join(sorted(JOIN_MODES))},
                Location("join_mode"),
            )
        ]
    return []


def _unused_join_code() -> str:
    while True:  # 32^6 codes: a collision is rare, and the unique index would catch a race
        code = new_join_code()
        if not Section.objects.filter(join_code=code).exists():
            return code


@transaction.atomic
def section_create(
    *, teacher: User, course: Course, name: str, join_mode: str = Section.JoinMode.APPROVE
) -> Section:
    """Open a section of `course` with `teacher` as its teacher. The course must be one the teacher may use
    (assigned to them, or any for a school admin): the caller found it with access_course_for_new_section."""
    problems = _name_problems(name) + _join_mode_problems(join_mode)
    if problems:
        raise Invalid(problems)
    section = Section.objects.create(
        course=course, name=name.strip(), join_mode=join_mode, join_code=_unused_join_code()
    )
    section.teachers.add(teacher)
    return section


@dataclass(frozen=True)
class SectionChanges:
    """What to change in a section; None leaves a setting as it is. In `policy`, a setting set to None goes
    back to the course's default; `threshold` there is a fraction (0.8) kept in Section.threshold."""

    name: str | None = None
    join_mode: str | None = None
    policy: Mapping[str, object] | None = None
    archived: bool | None = None


@transaction.atomic
def section_update(*, section: Section, changes: SectionChanges, now: datetime) -> Section:
    """Rename, open or close joining, set the policies, archive or unarchive. All or nothing: Invalid lists
    every problem. An archived section takes no change but being unarchived (SectionArchived)."""
    target = _locked(section)
    if changes.archived is False:
        target.archived_at = None
    alters = changes.name is not None or changes.join_mode is not None or changes.policy is not None
    if target.archived_at is not None and alters:
        raise SectionArchived(
            _("This section is archived: unarchive it first to change its name, joining or policies.")
        )
    problems: list[Problem] = []
    if changes.name is not None:
        problems += _name_problems(changes.name)
        target.name = changes.name.strip()
    if changes.join_mode is not None:
        problems += _join_mode_problems(changes.join_mode)
        target.join_mode = changes.join_mode
    if changes.policy is not None:
        found = _policy_after(target, changes.policy)
        if isinstance(found, list):
            problems += found
        else:
            target.threshold, target.policy = found
    if problems:
        raise Invalid(problems)
    if changes.archived and target.archived_at is None:
        target.archived_at = now
    target.save()
    section_changed(target.pk)  # its policy and threshold: every server's grid
    return target


def _policy_after(
    section: Section, patch: Mapping[str, object]
) -> tuple[float | None, dict[str, object]] | list[Problem]:
    """The section's threshold and policy with `patch` merged in, each setting checked by the mastery loop's
    own rules (domain.gating.policy_from: the words a course package gets); or the problems, by setting."""
    threshold: object = section.threshold
    policy = {k: v for k, v in (section.policy or {}).items() if k != "threshold"}
    for key, value in patch.items():
        if key == "threshold":
            threshold = value
        elif value is None:
            policy.pop(key, None)
        else:
            policy[key] = value
    problems: list[Problem] = []
    for key, value in [*policy.items(), ("threshold", threshold)]:
        try:
            policy_from({key: value})
        except Invalid as err:
            problems += [Problem(p.message, Location(key)) for p in err.problems]
    if problems:
        return problems
    return (None if threshold is None else float(threshold)), policy  # type: ignore[arg-type]


# --- teachers -------------------------------------------------------------------------------------------


@transaction.atomic
def section_teacher_add(*, section: Section, username: str) -> tuple[User, bool]:
    """Make another teacher a co-teacher of the section; (the teacher, whether they were added now)."""
    target = _locked(section)
    writable(target)
    found = User.objects.filter(username__iexact=username.strip(), is_active=True).first()
    if found is None or not (found.is_teacher or found.role == Role.ADMIN):
        raise Invalid(
            [
                Problem(
                    _("there is no teacher with the username %(name)s") % {"name": repr(username.strip())},
                    Location("username"),
                )
            ]
        )
    if target.teachers.filter(pk=found.pk).exists():
        return found, False
    target.teachers.add(found)
    return found, True


@transaction.atomic
def section_teacher_remove(*, section: Section, username: str) -> User:
    """Take a teacher off the section; the last one stays (LastTeacher), so a section is never orphaned."""
    target = _locked(section)  # two teachers removing each other at once take turns: one of them stays
    writable(target)
    found = target.teachers.filter(username__iexact=username.strip()).first()
    if found is None:
        raise NotFound(f"{username.strip()} does not teach this section")
    if target.teachers.count() == 1:
        raise LastTeacher(
            f"{found.shown_name()} is the only teacher of this section: "
            "add another teacher before removing them"
        )
    target.teachers.remove(found)
    section_changed(target.pk)  # the grid's poll stops answering them at once
    return found


# --- joining by code ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Joined:
    """What entering a join code did: "enrolled" (in the class) or "waiting" (for a teacher to accept)."""

    section: Section
    state: str
    already: bool  # nothing new: the student was in the class, or waiting, before
    request: JoinRequest | None = None

    @property
    def message(self) -> str:
        name = self.section.name
        if self.state == "waiting":
            if self.already:
                return _("You already asked to join %(name)s: wait for your teacher to accept you.") % {
                    "name": name
                }
            return _("You asked to join %(name)s. Your teacher will accept you soon.") % {"name": name}
        if self.already:
            return _("You are already in %(name)s.") % {"name": name}
        return _("You are in %(name)s.") % {"name": name}


def joinable(typed_code: str) -> Section:
    """The section a join code opens, or the refusal: no such code (NotFound), archived, or closed."""
    section = section_by_join_code(typed_code)
    if section is None:
        raise no_such_code(typed_code)
    _refuse_new_students(section)
    return section


def no_such_code(typed_code: str) -> NotFound:
    return NotFound(
        _("No section has the code %(code)s. Check it with your teacher.") % {"code": typed_code.strip()}
    )


def _refuse_new_students(section: Section) -> None:
    if section.archived_at is not None:
        raise SectionArchived(_("%(name)s is archived: it takes no new students.") % {"name": section.name})
    if section.join_mode == Section.JoinMode.CLOSED:
        raise JoinClosed(
            _("%(name)s is not taking new students now. Ask your teacher to open joining.")
            % {"name": section.name}
        )


@transaction.atomic
def section_join(*, student: User, code: str, now: datetime) -> Joined:
    """A student enters a section's join code: enrolled at once (open), or waiting for a teacher (approve)."""
    if not student.is_student:
        raise NotAStudent(_("Only students join a section with its code."))
    found = section_by_join_code(code)
    if found is None:
        raise no_such_code(code)
    section = _locked(found)  # the student's two taps, or the teacher closing joining, take turns
    if Enrollment.objects.filter(section=section, student=student).exists():
        return Joined(section, "enrolled", already=True)
    _refuse_new_students(section)
    waiting = waiting_request_of(section, student)
    if section.join_mode == Section.JoinMode.OPEN:
        if waiting is not None:  # asked while the teacher approved each student; joining is open now
            JoinRequest.objects.filter(pk=waiting.pk).update(decided_at=now, accepted=True)
        Enrollment.objects.create(section=section, student=student)
        section_changed(section.pk)  # a new row on every server's grid
        return Joined(section, "enrolled", already=False)
    if waiting is not None:
        return Joined(section, "waiting", already=True, request=waiting)
    made = JoinRequest.objects.create(section=section, student=student, created_at=now)
    return Joined(section, "waiting", already=False, request=made)


@transaction.atomic
def join_request_decide(
    *, join_request: JoinRequest, teacher: User, accept: bool, now: datetime
) -> JoinRequest:
    """A teacher accepts (enrols) or declines a waiting student. Saying the same twice changes nothing; the
    other answer after one was given is refused (AlreadyDecided)."""
    writable(join_request.section)
    target = (
        JoinRequest.objects.select_for_update().select_related("student", "section").get(pk=join_request.pk)
    )
    if target.decided_at is not None:
        if target.accepted is accept:
            return target
        word = "accepted" if target.accepted else "declined"
        raise AlreadyDecided(f"{target.student.shown_name()} was {word} already")
    target.decided_at, target.decided_by, target.accepted = now, teacher, accept
    target.save(update_fields=["decided_at", "decided_by", "accepted"])
    if accept:
        Enrollment.objects.get_or_create(section=target.section, student=target.student)
        section_changed(target.section.pk)  # a new row on every server's grid
    return target


@dataclass(frozen=True)
class NewStudent:
    name: str
    username: str
    password: str


@transaction.atomic
def student_sign_up(*, code: str, new: NewStudent, now: datetime) -> tuple[User, Joined]:
    """A student without an account joins by code: the account is made only if the code opens a section
    that takes students now, and only with a free username and a password the server accepts."""
    joinable(code)
    problems: list[Problem] = []
    name, username = new.name.strip(), new.username.strip()
    if not name:
        problems.append(Problem(_("Write your name as your class knows it."), Location("name")))
    elif len(name) > 150:
        problems.append(Problem(_("Your name is longer than 150 characters."), Location("name")))
    if not USERNAME.match(username):
        problems.append(
            Problem(
                _("A username has letters, digits and . @ + - _ only, and no spaces."), Location("username")
            )
        )
    elif User.objects.filter(username__iexact=username).exists():
        problems.append(
            Problem(
                _("The username %(username)s is taken: choose another, or log in if it is yours.")
                % {"username": username},
                Location("username"),
            )
        )
    person = User(username=username, display_name=name, role=Role.STUDENT)
    try:
        validate_password(new.password, person)
    except ValidationError as err:
        problems += [Problem(str(m), Location("password")) for m in err.messages]
    if problems:
        raise Invalid(problems)
    person.set_password(new.password)
    person.save()
    return person, section_join(student=person, code=code, now=now)


# --- passwords ------------------------------------------------------------------------------------------


@transaction.atomic
def student_password_reset(*, section: Section, student: User, password: str = "") -> LoginCard:
    """A teacher gives a student of the section a new password: the one they typed, or a generated one. It
    is shown once, on a login card; the student's other sessions end (Django checks the password's hash)."""
    writable(section)
    if not Enrollment.objects.filter(section=section, student=student, student__role=Role.STUDENT).exists():
        raise NotFound("no such student in this section")
    chosen = password or new_password()
    if password:
        try:
            validate_password(password, student)
        except ValidationError as err:
            raise Invalid([Problem(str(m), Location("password")) for m in err.messages]) from err
    student.set_password(chosen)
    student.save(update_fields=["password"])
    return LoginCard(student.username, student.shown_name(), chosen)
