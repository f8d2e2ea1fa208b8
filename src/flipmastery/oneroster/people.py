"""The people steps of a OneRoster import (services.py runs them): accounts for the teachers and students
of imported classes, their memberships, and unenrolling whom the SIS removes. Nothing here deletes work."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from flipmastery.accounts.models import Role, User
from flipmastery.classroom.models import Enrollment, Section
from flipmastery.cockpit.versions import section_changed
from flipmastery.domain.errors import Location, Problem
from flipmastery.domain.formats.oneroster_records import Bundle, Enrolment, Person
from flipmastery.domain.formats.roster import USERNAME
from flipmastery.oneroster.models import SourcedId

Kind = SourcedId.Kind
ACCOUNT_ROLES = {"student": Role.STUDENT, "teacher": Role.TEACHER}
ADMINS = gettext_noop("school admins are added on the People page, not by an import")
GUARDIANS = gettext_noop("guardians get a private link from the student's page, not an account")
NO_ACCOUNT = {
    "administrator": ADMINS,
    "siteAdministrator": ADMINS,
    "districtAdministrator": ADMINS,
    "systemAdministrator": ADMINS,
    "principal": ADMINS,
    "guardian": GUARDIANS,
    "parent": GUARDIANS,
    "relative": GUARDIANS,
}


def _may_be(user: User, role: str) -> bool:
    """Whether an account here may stand for an SIS person of this role: the same role, or a school admin
    who teaches (common in a small school; an admin sees every section anyway, so nothing widens)."""
    if user.is_school_admin:
        return role == Role.TEACHER
    return user.role == role


class People:
    """Steps over the import's state, which `services._Import` holds."""

    bundle: Bundle
    links: dict[str, dict[str, SourcedId]]
    now: datetime
    problems: list[Problem]
    skipped: Counter[str]
    section_of: dict[str, Section]
    user_of: dict[str, User]
    members: set[tuple[int, int]]  # (section, student) enrolled
    teaching: set[tuple[int, int]]  # (section, teacher)

    def note(self, kind: str, text: str, where: Location | None = None) -> None:
        raise NotImplementedError

    def link(self, kind: str, sid: str, **fields: object) -> tuple[SourcedId, bool]:
        raise NotImplementedError

    # --- people -------------------------------------------------------------------------------------

    def _role(self, person: Person) -> str:
        """The SIS role that decides the account: roles.csv's (or users.csv's), else the enrolments'."""
        if person.role:
            return person.role
        roles = {e.role for e in self.bundle.enrollments if e.user_id == person.sourced_id and not e.removed}
        return "teacher" if "teacher" in roles else "student" if "student" in roles else next(iter(roles), "")

    def users(self) -> None:
        wanted = {
            e.user_id
            for e in self.bundle.enrollments
            if not e.removed and e.class_id in self.section_of and e.role in ACCOUNT_ROLES
        }
        usernames: dict[str, Person] = {}
        taken = {link.user_id: sid for sid, link in self.links[Kind.USER].items() if link.user_id}
        for sid, known in self.links[Kind.USER].items():
            if known.user is not None:
                self.user_of[sid] = known.user
        for person in self.bundle.users:
            if person.removed:
                continue
            link = self.links[Kind.USER].get(person.sourced_id)
            if link is not None and link.user is not None:
                self._update(person, link.user)
                continue
            if person.sourced_id not in wanted:
                self.skipped[
                    _("people who neither teach nor learn in a class imported here (no account)")
                ] += 1
                self.link(
                    Kind.USER, person.sourced_id, title=person.name[:255]
                )  # a later delta may name them
                continue
            role = self._role(person)
            if role not in ACCOUNT_ROLES:
                why = NO_ACCOUNT.get(role, _("only teachers and students get accounts"))
                reason = _(why)  # some are marked with gettext_noop: said in the reader's language here
                self.note("skip", f"{person.name} ({role}): {reason}", person.where)
                self.link(Kind.USER, person.sourced_id, title=person.name[:255])
                continue
            username = person.username.strip()
            if not USERNAME.match(username):
                self.problems.append(
                    Problem(
                        _(
                            "column username: %(name)s — a username here has letters, digits and . @ + - _"
                            " only (at most 150), and this person needs one to sign in"
                        )
                        % {"name": repr(username)},
                        person.where,
                    )
                )
                continue
            twin = usernames.get(username.lower())
            if twin is not None:
                self.problems.append(
                    Problem(
                        _("column username: %(name)s is also the username on line %(line)s")
                        % {"name": username, "line": twin.line},
                        person.where,
                    )
                )
                continue
            usernames[username.lower()] = person
            self._account(person, username, ACCOUNT_ROLES[role], taken)

    def _account(self, person: Person, username: str, role: str, taken: Mapping[int, str]) -> None:
        existing = User.objects.filter(username__iexact=username).first()
        if existing is None:
            user = User(
                username=username, display_name=person.name[:150], role=role, is_active=person.enabled
            )
            user.email = person.email[:254]
            user.set_unusable_password()  # a card, or a password set by their teacher or the school admin
            user.save()
            self.note(
                "add",
                _("new %(role)s account %(name)s (%(shown)s)")
                % {"role": role, "name": username, "shown": person.name},
                person.where,
            )
        elif existing.pk in taken:
            self.problems.append(
                Problem(
                    _("column username: %(name)s already belongs to the SIS person %(sid)s")
                    % {"name": username, "sid": taken[existing.pk]},
                    person.where,
                )
            )
            return
        elif not _may_be(existing, role):
            self.problems.append(
                Problem(
                    _(
                        "column username: %(name)s is a %(theirs)s account here, but the SIS says %(role)s;"
                        " give this person another username in the SIS"
                    )
                    % {"name": username, "theirs": existing.get_role_display().lower(), "role": role},
                    person.where,
                )
            )
            return
        else:
            user = existing
            self.note(
                "change",
                _("%(name)s linked to the existing account (their work stays theirs)") % {"name": username},
                person.where,
            )
        self.link(Kind.USER, person.sourced_id, title=person.name[:255], user=user)
        self.user_of[person.sourced_id] = user

    def _update(self, person: Person, user: User) -> None:
        if user.is_school_admin:
            return
        changed = []
        if person.name and user.display_name != person.name[:150]:
            user.display_name = person.name[:150]
            changed.append("display_name")
        if user.is_active != person.enabled:
            user.is_active = person.enabled
            changed.append("is_active")
        if changed:
            user.save(update_fields=changed)
            self.note("change", _("%(name)s updated from the SIS") % {"name": user.username}, person.where)
        self.link(Kind.USER, person.sourced_id, title=person.name[:255], user=user)

    # --- enrolments ---------------------------------------------------------------------------------

    def enrolments(self) -> None:
        # Who is in which section already, read once: the same bundle again reads no row per enrolment.
        sections = [s.pk for s in self.section_of.values()]
        self.members = set(
            Enrollment.objects.filter(section_id__in=sections).values_list("section_id", "student_id")
        )
        self.teaching = set(
            Section.teachers.through.objects.filter(section_id__in=sections).values_list(
                "section_id", "user_id"
            )
        )
        for e in self.bundle.enrollments:
            if e.removed:
                self._unenrol(e.sourced_id, e.where)
            else:
                self._enrol(e)
        if self.bundle.mode("enrollments") == "bulk":
            present = {e.sourced_id for e in self.bundle.enrollments}
            for sid in [s for s in self.links[Kind.ENROLLMENT] if s not in present]:
                self._unenrol(sid, None)

    def _enrol(self, e: Enrolment) -> None:
        section = self.section_of.get(e.class_id)
        if section is None:
            self.skipped[_("enrolments in classes not imported")] += 1
            return
        if e.role not in ACCOUNT_ROLES:
            self.skipped[_("enrolments as administrator, aide, proctor or guardian (no access given)")] += 1
            return
        user = self.user_of.get(e.user_id)
        if user is None:
            self.skipped[_("enrolments of people who have no account here")] += 1
            return
        if not _may_be(user, ACCOUNT_ROLES[e.role]):
            self.note(
                "skip",
                _("%(name)s is a %(theirs)s here and cannot be enrolled as %(role)s")
                % {"name": user.username, "theirs": user.get_role_display().lower(), "role": e.role},
                e.where,
            )
            return
        old = self.links[Kind.ENROLLMENT].get(e.sourced_id)
        if old is not None and (old.section_id, old.user_id, old.role) != (section.pk, user.pk, e.role):
            self._unenrol(e.sourced_id, e.where)
        pair = (section.pk, user.pk)
        new = pair not in (self.members if e.role == "student" else self.teaching)
        if new and e.role == "student":
            Enrollment.objects.create(section=section, student=user)
            section_changed(section.pk)  # a new row on every server's grid
            self.members.add(pair)
        elif new:
            section.teachers.add(user)
            self.teaching.add(pair)
        if new:
            self.note(
                "add",
                _("%(name)s joins %(section)s as %(role)s")
                % {"name": user.username, "section": section.name, "role": e.role},
                e.where,
            )
        self.link(Kind.ENROLLMENT, e.sourced_id, section=section, user=user, role=e.role)

    def _unenrol(self, sid: str, where: Location | None) -> None:
        link = self.links[Kind.ENROLLMENT].pop(sid, None)
        if link is None or link.section is None or link.user is None:
            if link is not None:
                link.delete()
            return
        section, user = link.section, link.user
        link.delete()
        if section.archived_at is not None:
            return
        if link.role == "teacher":
            if section.teachers.count() <= 1:
                self.note(
                    "skip",
                    _("%(name)s stays the teacher of %(section)s: a section keeps its last teacher")
                    % {"name": user.username, "section": section.name},
                    where,
                )
                return
            section.teachers.remove(user)
            self.teaching.discard((section.pk, user.pk))
        else:
            Enrollment.objects.filter(section=section, student=user).delete()
            section_changed(section.pk)  # a row gone from every server's grid
            self.members.discard((section.pk, user.pk))
        self.note(
            "remove",
            _("%(name)s leaves %(section)s (their work is kept)")
            % {"name": user.username, "section": section.name},
            where,
        )

    def removals(self) -> None:
        """People the SIS removes (tobedeleted, or missing from a bulk users.csv) leave their classes; their
        accounts and work stay."""
        gone = {p.sourced_id for p in self.bundle.users if p.removed}
        if self.bundle.mode("users") == "bulk":
            present = {p.sourced_id for p in self.bundle.users}
            gone |= {sid for sid in self.links[Kind.USER] if sid not in present}
        if not gone:
            return
        users = {self.links[Kind.USER][sid].user_id for sid in gone if sid in self.links[Kind.USER]}
        for sid, link in list(self.links[Kind.ENROLLMENT].items()):
            if link.user_id in users:
                self._unenrol(sid, None)
