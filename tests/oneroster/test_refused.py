"""Each kind of broken bundle is refused with its file, line and column, every problem at once, and then
nothing has changed (the rows are counted before and after)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from flipmastery.domain.errors import Invalid
from flipmastery.oneroster.services import oneroster_import
from tests.oneroster import school_bundle as sb
from tests.oneroster.test_import import MAP, state

pytestmark = pytest.mark.django_db


def broken(file: str, old: str, new: str) -> Callable[[dict[str, str]], None]:
    def change(files: dict[str, str]) -> None:
        files[file] = sb.replace_line(files[file], old, new)

    return change


def without(file: str) -> Callable[[dict[str, str]], None]:
    return lambda files: files.pop(file) and None


CASES: list[tuple[str, Callable[[dict[str, str]], None], str]] = [
    ("no manifest", without("manifest.csv"), "manifest.csv: the bundle has no manifest.csv"),
    (
        "a 1.1 bundle",
        broken("manifest.csv", "oneroster.version,1.2", "oneroster.version,1.1"),
        "manifest.csv:3: oneroster.version is '1.1'",
    ),
    (
        "a bad mode",
        broken("manifest.csv", "file.users,bulk", "file.users,full"),
        "manifest.csv:17: file.users is 'full'; it must be bulk, delta or absent",
    ),
    (
        "a file the manifest promises",
        without("classes.csv"),
        "classes.csv: manifest.csv says file.classes is bulk",
    ),
    (
        "a misspelt header",
        broken("users.csv", "givenName,familyName", "givenName,lastName"),
        "users.csv:1: column 'lastName' is not a column of users.csv",
    ),
    (
        "a required column missing",
        broken("enrollments.csv", "classSourcedId,schoolSourcedId", "schoolSourcedId"),
        "enrollments.csv:1: the header lacks the column classSourcedId",
    ),
    (
        "a required cell empty",
        broken("classes.csv", "Chemistry 11-B,11", ",11"),
        "classes.csv:3: column title is empty",
    ),
    (
        "a role not in OneRoster",
        broken("enrollments.csv", f"{sb.BEN},student", f"{sb.BEN},superuser"),
        "enrollments.csv:4: column role: 'superuser' is not a OneRoster value",
    ),
    (
        "a dangling reference",
        broken("enrollments.csv", f"e-3,,,{sb.CHEM_A}", "e-3,,,no-such-class"),
        "enrollments.csv:4: column classSourcedId: no-such-class is in no row of classes.csv",
    ),
    (
        "a sourcedId twice",
        broken("users.csv", f"{sb.CHLOE},,,true", f"{sb.BEN},,,true"),
        f"users.csv:6: column sourcedId: {sb.BEN} is given twice (also on line 5)",
    ),
    (
        "a bad date",
        broken("academicSessions.csv", "2026-08-15,2027-06-10", "15/08/2026,2027-06-10"),
        "academicSessions.csv:2: column startDate: '15/08/2026' is not a date",
    ),
    (
        "a status in a bulk file",
        broken("users.csv", f"{sb.BEN},,", f"{sb.BEN},gone,"),
        "users.csv:5: column status: 'gone'",
    ),
    (
        "a row with too many cells",
        broken("orgs.csv", "Lincoln High School", "Lincoln, High School"),
        "orgs.csv:2: this line has 8 cells but the header has 7",
    ),
    (
        "an unclosed quote",
        broken("courses.csv", "Art 11,ART-11", '"Art 11,ART-11'),
        "courses.csv:3: this line is not valid CSV",
    ),
    (
        "a username that cannot sign in",
        broken("users.csv", "true,ben.o,", "true,ben o,"),
        "users.csv:5: column username: 'ben o'",
    ),
    (
        "two people with one username",
        broken("users.csv", "true,chloe.m,", "true,Ben.O,"),
        "users.csv:6: column username: Ben.O is also the username on line 5",
    ),
]


@pytest.mark.parametrize(("name", "breaks", "said"), CASES, ids=[c[0] for c in CASES])
def test_a_broken_bundle_is_refused_with_its_line_and_changes_nothing(
    school: dict[str, Any], name: str, breaks: Callable[[dict[str, str]], None], said: str
) -> None:
    files = sb.bundle()
    breaks(files)
    before = state()
    with pytest.raises(Invalid) as refused:
        oneroster_import(files=files, course_map=MAP, now=timezone.now())
    assert said in str(refused.value), str(refused.value)
    assert state() == before


def test_every_problem_is_listed_at_once(school: dict[str, Any]) -> None:
    files = sb.bundle()
    broken("users.csv", "givenName,familyName", "givenName,lastName")(files)
    broken("enrollments.csv", f"{sb.BEN},student", f"{sb.BEN},superuser")(files)
    broken("classes.csv", "Chemistry 11-B,11", ",11")(files)
    with pytest.raises(Invalid) as refused:
        oneroster_import(files=files, course_map=MAP, now=timezone.now())
    where = {str(p.location) for p in refused.value.problems}
    assert {"users.csv:1", "enrollments.csv:4", "classes.csv:3"} <= where


def test_a_username_of_a_teacher_here_is_refused_for_a_student(school: dict[str, Any]) -> None:
    files = sb.bundle()
    broken("users.csv", "true,ben.o,", "true,mr_local,")(files)
    before = state()
    with pytest.raises(Invalid) as refused:
        oneroster_import(files=files, course_map=MAP, now=timezone.now())
    assert (
        "users.csv:5: column username: mr_local is a teacher account here, but the SIS says student"
        in str(refused.value)
    )
    assert state() == before


def test_a_mapping_to_no_course_of_ours_is_refused(school: dict[str, Any]) -> None:
    before = state()
    with pytest.raises(Invalid) as refused:
        oneroster_import(files=sb.bundle(), course_map={"CHEM-11": "NOPE"}, now=timezone.now())
    assert "course mapping:1: CHEM-11 = NOPE: no course here has the code NOPE" in str(refused.value)
    assert state() == before


def test_a_school_admins_username_for_a_student_is_refused(school: dict[str, Any]) -> None:
    files = sb.bundle()
    broken("users.csv", "true,ben.o,", "true,principal,")(files)
    before = state()
    with pytest.raises(Invalid) as refused:
        oneroster_import(files=files, course_map=MAP, now=timezone.now())
    assert "users.csv:5: column username: principal is a school admin account here" in str(refused.value)
    assert state() == before
