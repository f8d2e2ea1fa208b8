"""The rows of a OneRoster 1.2 roster as the reader (oneroster.py) gives them: typed, each knowing its
file and line, and whether the SIS removes it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flipmastery.domain.errors import Location


@dataclass(frozen=True)
class Record:
    """One row of a data file: where it is, its sourcedId, and whether the SIS removes it (`tobedeleted`)."""

    file: str
    line: int
    sourced_id: str
    removed: bool

    @property
    def where(self) -> Location:
        return Location(self.file, self.line)


@dataclass(frozen=True)
class Org(Record):
    name: str
    type: str


@dataclass(frozen=True)
class Session(Record):
    title: str


@dataclass(frozen=True)
class RosterCourse(Record):
    title: str
    code: str  # courseCode, may be ""
    org: str


@dataclass(frozen=True)
class RosterClass(Record):
    title: str
    course: str
    code: str  # classCode, may be ""
    school: str
    terms: tuple[str, ...]  # termSourcedIds, in the order given


@dataclass(frozen=True)
class Person(Record):
    username: str
    given_name: str
    family_name: str
    enabled: bool
    email: str
    role: str  # the primary role (roles.csv, or users.csv's 1.1 column); "" when the bundle does not say

    @property
    def name(self) -> str:
        return " ".join(f"{self.given_name} {self.family_name}".split())


@dataclass(frozen=True)
class Enrolment(Record):
    class_id: str
    user_id: str
    role: str
    primary: bool


@dataclass(frozen=True)
class Bundle:
    """The roster of a bundle. `modes` says, per file, bulk (the file is everything: what is missing from it
    is removed), delta (only what changed) or absent (the file says nothing)."""

    modes: dict[str, str]
    orgs: tuple[Org, ...] = ()
    sessions: tuple[Session, ...] = ()
    courses: tuple[RosterCourse, ...] = ()
    classes: tuple[RosterClass, ...] = ()
    users: tuple[Person, ...] = ()
    enrollments: tuple[Enrolment, ...] = ()
    source: str = ""

    def mode(self, name: str) -> str:
        return self.modes.get(name, "absent")


def typed_bundle(
    modes: dict[str, str], source: str, tables: Mapping[str, Sequence[tuple[int, Mapping[str, str]]]]
) -> Bundle:
    """The typed bundle of rows already checked: per file name, (line, column → value) of each row."""

    def rows(name: str) -> Sequence[tuple[int, Mapping[str, str]]]:
        return tables.get(name, ())

    def base(name: str, line: int, v: Mapping[str, str]) -> tuple[str, int, str, bool]:
        return (f"{name}.csv", line, v.get("sourcedId", ""), v.get("status") == "tobedeleted")

    roles = _primary_roles(rows("roles"))
    return Bundle(
        modes=modes,
        source=source,
        orgs=tuple(Org(*base("orgs", n, v), v.get("name", ""), v.get("type", "")) for n, v in rows("orgs")),
        sessions=tuple(
            Session(*base("academicSessions", n, v), v.get("title", "")) for n, v in rows("academicSessions")
        ),
        courses=tuple(
            RosterCourse(
                *base("courses", n, v), v.get("title", ""), v.get("courseCode", ""), v.get("orgSourcedId", "")
            )
            for n, v in rows("courses")
        ),
        classes=tuple(
            RosterClass(
                *base("classes", n, v),
                v.get("title", ""),
                v.get("courseSourcedId", ""),
                v.get("classCode", ""),
                v.get("schoolSourcedId", ""),
                tuple(t.strip() for t in v.get("termSourcedIds", "").split(",") if t.strip()),
            )
            for n, v in rows("classes")
        ),
        users=tuple(
            Person(
                *base("users", n, v),
                v.get("username", ""),
                v.get("preferredGivenName") or v.get("givenName", ""),
                v.get("preferredFamilyName") or v.get("familyName", ""),
                v.get("enabledUser", "true") != "false",
                v.get("email", ""),
                roles.get(v.get("sourcedId", ""), v.get("role", "") if "roles" not in tables else ""),
            )
            for n, v in rows("users")
        ),
        enrollments=tuple(
            Enrolment(
                *base("enrollments", n, v),
                v.get("classSourcedId", ""),
                v.get("userSourcedId", ""),
                v.get("role", ""),
                v.get("primary", "") == "true",
            )
            for n, v in rows("enrollments")
        ),
    )


def _primary_roles(rows: Sequence[tuple[int, Mapping[str, str]]]) -> dict[str, str]:
    """Each user's role: their primary one in roles.csv, else the first one listed."""
    found: dict[str, str] = {}
    primary: set[str] = set()
    for _line, v in rows:
        if v.get("status") == "tobedeleted":
            continue
        user, role = v.get("userSourcedId", ""), v.get("role", "")
        if v.get("roleType") == "primary" and user not in primary:
            primary.add(user)
            found[user] = role
        elif user not in found:
            found[user] = role
    return found
