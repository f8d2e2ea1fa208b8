"""The bundle reader alone (no database): what it forgives, what it refuses in a delta, and the course
mapping an admin types."""

from __future__ import annotations

import pytest

from flipmastery.domain.errors import Invalid
from flipmastery.domain.formats.oneroster import read_bundle, read_course_map
from tests.oneroster import school_bundle as sb

DELTA = """propertyName,value
manifest.version,1.0
oneroster.version,1.2
file.users,delta
"""


def test_the_school_bundle_reads_with_roles_from_roles_csv() -> None:
    bundle = read_bundle(sb.bundle())
    assert bundle.source == "Lincoln SIS"
    assert {u.username: u.role for u in bundle.users}["aide.j"] == "aide"
    assert [c.title for c in bundle.classes] == ["Chemistry 11-A", "Chemistry 11-B", "Art 11-A"]
    assert next(u for u in bundle.users if u.sourced_id == sb.BEN).name == "Ben Okafor"  # preferred name


def test_forgiven_headers_in_any_case_active_in_bulk_and_11_role_column() -> None:
    files = sb.bundle()
    files["orgs.csv"] = "SOURCEDID,Name,type,status\n" + f"{sb.SCHOOL},Lincoln,school,active\n"
    del files["roles.csv"]
    files["manifest.csv"] = files["manifest.csv"].replace("file.roles,bulk", "file.roles,absent")
    people = [
        (sb.RAO, "teacher"),
        (sb.KHAN, "teacher"),
        (sb.ASHA, "student"),
        (sb.BEN, "student"),
        (sb.CHLOE, "student"),
        (sb.DEV, "student"),
        (sb.AIDE, "aide"),
        (sb.PARENT, "guardian"),
    ]
    files["users.csv"] = "sourcedId,enabledUser,username,givenName,familyName,role\n" + "".join(
        f"{sid},true,u{n},A,B,{role}\n" for n, (sid, role) in enumerate(people)
    )
    bundle = read_bundle(files)
    assert bundle.orgs[0].name == "Lincoln"
    assert {u.sourced_id: u.role for u in bundle.users}[sb.RAO] == "teacher"


def test_a_delta_needs_status_and_date_and_may_refer_to_known_ids() -> None:
    users = "sourcedId,status,dateLastModified,enabledUser,givenName,familyName\n"
    files = {"manifest.csv": DELTA, "users.csv": users + "u1,,,true,A,B\nu2,active,yesterday,true,A,B\n"}
    with pytest.raises(Invalid) as err:
        read_bundle(files)
    said = str(err.value)
    assert "users.csv:2: column status: '' — in a delta file it must be active or tobedeleted" in said
    assert "users.csv:3: column dateLastModified: 'yesterday'" in said
    removal = {"manifest.csv": DELTA, "users.csv": users + "u1,tobedeleted,2026-12-01T08:00:00Z,,,\n"}
    assert read_bundle(removal).users[0].removed


def test_extension_values_are_taken_and_a_near_miss_is_named() -> None:
    files = sb.bundle()
    files["orgs.csv"] = files["orgs.csv"].replace(
        "Lincoln High School,school", "Lincoln High School,ext:campus"
    )
    assert read_bundle(files).orgs[0].type == "ext:campus"
    files["orgs.csv"] = files["orgs.csv"].replace("ext:campus", "School")
    with pytest.raises(Invalid) as err:
        read_bundle(files)
    assert "orgs.csv:2: column type: 'School' is not a OneRoster value (write it school)" in str(err.value)


def test_a_file_the_manifest_says_absent_is_a_problem() -> None:
    files = sb.bundle()
    files["manifest.csv"] = files["manifest.csv"].replace("file.roles,bulk", "file.roles,absent")
    with pytest.raises(Invalid) as err:
        read_bundle(files)
    assert "manifest.csv: the bundle has roles.csv, but manifest.csv says file.roles is absent" in str(
        err.value
    )


def test_the_course_mapping() -> None:
    assert read_course_map("CHEM-11 = CHEM11  # chemistry\n\nART-11=ART") == {
        "CHEM-11": "CHEM11",
        "ART-11": "ART",
    }
    with pytest.raises(Invalid) as err:
        read_course_map("CHEM-11\nA = B\nA = C")
    assert [str(p.location) for p in err.value.problems] == ["course mapping:1", "course mapping:3"]
