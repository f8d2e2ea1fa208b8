"""What the SIS changes later: a delta removes a student (unenrolled; their work stays), a bulk file that no
longer lists a class archives its section, a rename renames the section."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Section
from flipmastery.oneroster.services import oneroster_import
from flipmastery.progress.models import ProgressEvent
from tests import factories
from tests.oneroster import school_bundle as sb
from tests.oneroster.test_import import MAP

pytestmark = pytest.mark.django_db

DELTA = """propertyName,value
manifest.version,1.0
oneroster.version,1.2
file.users,delta
file.enrollments,delta
"""


def test_a_student_removed_by_a_delta_is_unenrolled_and_keeps_their_work(school: dict[str, Any]) -> None:
    oneroster_import(files=sb.bundle(), course_map=MAP, now=timezone.now())
    section = Section.objects.get(name="Chemistry 11-A")
    ben = User.objects.get(username="ben.o")
    factories.mastered(section, ben, school["a"])
    files = {
        "manifest.csv": DELTA,
        "users.csv": "sourcedId,status,dateLastModified,enabledUser,givenName,familyName\n"
        f"{sb.BEN},tobedeleted,2026-12-01T08:00:00.000Z,,,\n",
        "enrollments.csv": (
            "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role\n"
        ),
    }
    report = oneroster_import(files=files, course_map={}, now=timezone.now())
    assert any("ben.o leaves Chemistry 11-A" in c.text for c in report.of("remove"))
    assert not section.students.filter(pk=ben.pk).exists()
    assert User.objects.filter(pk=ben.pk).exists()
    assert ProgressEvent.objects.filter(section=section, student=ben).count() == 1


def test_a_class_missing_from_a_bulk_file_is_archived_and_a_rename_follows(school: dict[str, Any]) -> None:
    oneroster_import(files=sb.bundle(), course_map=MAP, now=timezone.now())
    files = sb.bundle()
    lines = files["classes.csv"].splitlines(keepends=True)
    files["classes.csv"] = "".join(
        [lines[0], lines[1].replace("Chemistry 11-A", "Chemistry 11-A (lab)"), lines[3]]
    )
    files["enrollments.csv"] = "".join(
        line for line in files["enrollments.csv"].splitlines(keepends=True) if sb.CHEM_B not in line
    )
    report = oneroster_import(files=files, course_map={}, now=timezone.now())
    assert Section.objects.get(name="Chemistry 11-B").archived_at is not None
    assert Section.objects.filter(name="Chemistry 11-A (lab)", archived_at=None).exists()
    assert any("archived" in c.text for c in report.of("remove"))


def test_a_delta_may_name_people_and_classes_skipped_before(school: dict[str, Any]) -> None:
    oneroster_import(files=sb.bundle(), course_map=MAP, now=timezone.now())
    files = {
        "manifest.csv": DELTA,
        "users.csv": "sourcedId,status,dateLastModified,enabledUser,givenName,familyName\n",
        "enrollments.csv": (
            "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role\n"
            f"e-9,active,2026-12-01T08:00:00.000Z,{sb.ART_A},{sb.SCHOOL},{sb.AIDE},proctor\n"
            f"e-8,tobedeleted,2026-12-01T08:00:00.000Z,{sb.CHEM_A},{sb.SCHOOL},{sb.AIDE},proctor\n"
        ),
    }
    report = oneroster_import(files=files, course_map={}, now=timezone.now())
    assert report.changed == 0
    assert not User.objects.filter(username="aide.j").exists()


def test_a_sections_last_teacher_stays_when_the_sis_removes_them(school: dict[str, Any]) -> None:
    oneroster_import(files=sb.bundle(), course_map=MAP, now=timezone.now())
    files = {
        "manifest.csv": DELTA,
        "users.csv": "sourcedId,status,dateLastModified,enabledUser,givenName,familyName\n",
        "enrollments.csv": (
            "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role\n"
            f"e-1,tobedeleted,2026-12-01T08:00:00.000Z,{sb.CHEM_A},{sb.SCHOOL},{sb.RAO},teacher\n"
        ),
    }
    report = oneroster_import(files=files, course_map={}, now=timezone.now())
    section = Section.objects.get(name="Chemistry 11-A")
    assert list(section.teachers.values_list("username", flat=True)) == ["ms.rao"]
    assert any("a section keeps its last teacher" in c.text for c in report.of("skip"))
