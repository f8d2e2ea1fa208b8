"""A OneRoster bundle imports into sections: the chemistry classes become sections of our course with their
teachers and students; art (not taught here) is skipped; the aide and the guardian get no account; a second
import of the same bundle changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from flipmastery.accounts.models import Role, User
from flipmastery.classroom.models import Enrollment, Section
from flipmastery.oneroster.models import SourcedId
from flipmastery.oneroster.services import oneroster_import
from tests.oneroster import school_bundle as sb

pytestmark = pytest.mark.django_db

MAP = {"CHEM-11": "CHEM11"}


def state() -> dict[str, Any]:
    return {
        "users": sorted(User.objects.values_list("username", "role", "is_active", "display_name")),
        "sections": sorted(Section.objects.values_list("name", "course__code", "archived_at")),
        "enrolled": sorted(Enrollment.objects.values_list("section__name", "student__username")),
        "teachers": sorted(Section.teachers.through.objects.values_list("section__name", "user__username")),
        "links": sorted(
            SourcedId.objects.values_list("kind", "sourced_id", "user_id", "section_id", "course_id", "role")
        ),
    }


def test_a_school_bundle_becomes_sections_of_our_course(school: dict[str, Any]) -> None:
    report = oneroster_import(files=sb.bundle(), course_map=MAP, now=timezone.now())
    sections = {s.name: s for s in Section.objects.filter(course=school["course"])}
    assert set(sections) == {"Chemistry 11-A", "Chemistry 11-B"}
    a = sections["Chemistry 11-A"]
    assert sorted(a.students.values_list("username", flat=True)) == ["asha.p", "ben.o"]
    assert list(a.teachers.values_list("username", flat=True)) == ["ms.rao"]
    assert a.join_mode == Section.JoinMode.CLOSED
    ben = User.objects.get(username="ben.o")
    assert (ben.role, ben.display_name, ben.has_usable_password()) == (Role.STUDENT, "Ben Okafor", False)
    assert not User.objects.filter(username__in=["aide.j", "parent.p", "dev.s"]).exists()
    assert User.objects.get(username="mr.khan").role == Role.TEACHER
    skipped = " ".join(c.text for c in report.of("skip"))
    assert "Art 11-A" in skipped
    assert SourcedId.objects.get(kind="classes", sourced_id=sb.CHEM_A).section == a
    assert SourcedId.objects.get(kind="users", sourced_id=sb.BEN).user == ben


def test_the_same_bundle_again_changes_nothing(school: dict[str, Any]) -> None:
    oneroster_import(files=sb.bundle(), course_map=MAP, now=timezone.now())
    before = state()
    again = oneroster_import(files=sb.bundle(), course_map={}, now=timezone.now())
    assert again.changed == 0, again.lines()
    assert state() == before


def test_a_dry_run_reports_and_saves_nothing(school: dict[str, Any]) -> None:
    before = state()
    report = oneroster_import(files=sb.bundle(), course_map=MAP, now=timezone.now(), dry_run=True)
    assert report.changed > 0
    assert any("new section Chemistry 11-A" in c.text for c in report.of("add"))
    assert state() == before


def _bigger(n: int) -> dict[str, str]:
    files = sb.bundle()
    files["users.csv"] += "".join(
        f"s{i},,,true,stu{i},,Stu,Dent{i},,,,,,,11,,,,,,{sb.SCHOOL},\n" for i in range(n)
    )
    files["enrollments.csv"] += "".join(
        f"x{i},,,{sb.CHEM_A if i % 2 else sb.CHEM_B},{sb.SCHOOL},s{i},student,false,,\n" for i in range(n)
    )
    return files


def test_the_same_bundle_again_reads_a_fixed_number_of_queries(school: dict[str, Any]) -> None:
    small, large = _bigger(3), _bigger(40)
    oneroster_import(files=large, course_map=MAP, now=timezone.now())
    oneroster_import(files=small, course_map={}, now=timezone.now())  # unenrols 37
    oneroster_import(files=small, course_map={}, now=timezone.now())
    with CaptureQueriesContext(connection) as few:
        assert oneroster_import(files=small, course_map={}, now=timezone.now()).changed == 0
    oneroster_import(files=large, course_map={}, now=timezone.now())
    with CaptureQueriesContext(connection) as many:
        assert oneroster_import(files=large, course_map={}, now=timezone.now()).changed == 0
    assert len(many) == len(few) < 15


def test_a_school_admin_who_teaches_is_linked_as_the_teacher(school: dict[str, Any]) -> None:
    files = sb.bundle()
    files["users.csv"] = sb.replace_line(files["users.csv"], "true,ms.rao,", "true,principal,")
    oneroster_import(files=files, course_map=MAP, now=timezone.now())
    section = Section.objects.get(name="Chemistry 11-A")
    assert list(section.teachers.all()) == [school["admin"]]
    admin = User.objects.get(pk=school["admin"].pk)
    assert (admin.role, admin.display_name) == (Role.ADMIN, "Principal Iyer")  # the import changes no admin
