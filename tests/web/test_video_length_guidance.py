"""Video-length guidance: a course's grade level travels in the package and the studio; long videos are
warned about (not refused) in the import report and next to the learning object in the studio."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from flipmastery.courses.models import Course, LearningObject
from flipmastery.courses.studio import course_spec
from flipmastery.domain.formats.course_package import parse_course
from flipmastery.domain.formats.course_package_write import write_course
from tests.courses.test_import_course import package, run

pytestmark = pytest.mark.django_db

GRADE_9 = textwrap.dedent("""\
    course: {code: PHY9, title: Class 9 Physics, grade: 9}
    units:
      - code: GAS
        title: Gases
        objectives:
          - code: GAS-1
            statement: Be able to use Boyle's law.
            learn:
              - {kind: video, title: "Boyle's law", url: "https://example.org/v", minutes: 14}
              - {kind: video, title: Short one, url: "https://example.org/w", minutes: 9}
              - {kind: worksheet, title: A long worksheet, minutes: 40}
""")


def test_the_import_warns_with_the_number_and_still_imports(tmp_path: Path) -> None:
    code, out, err = run(package(tmp_path, GRADE_9, with_files=False))

    assert code == 0, err
    assert (
        "  note: GAS-1: Video 'Boyle's law' is 14 min; for grade 9 the rule of thumb is at most 9–13½ min "
        "(60–90 s per grade level)\n"
    ) in out
    assert "Short one" not in out and "A long worksheet" not in out
    assert Course.objects.get(code="PHY9").grade_level == 9
    assert LearningObject.objects.filter(objective__code="GAS-1").count() == 3


def test_without_a_grade_nothing_is_warned(tmp_path: Path) -> None:
    code, out, err = run(package(tmp_path, GRADE_9.replace(", grade: 9", ""), with_files=False))

    assert code == 0, err
    assert "rule of thumb" not in out
    assert Course.objects.get(code="PHY9").grade_level is None


@pytest.mark.parametrize("bad", ["13", "0", "nine", "9.5"])
def test_a_bad_grade_is_refused_with_its_line(tmp_path: Path, bad: str) -> None:
    code, _out, err = run(package(tmp_path, GRADE_9.replace("grade: 9", f"grade: {bad}"), with_files=False))

    assert code != 0
    assert "course.yaml:1" in err and "grade of the course must be a whole number from 1 to 12" in err
    assert not Course.objects.filter(code="PHY9").exists()


def test_the_grade_goes_out_and_comes_back(tmp_path: Path) -> None:
    run(package(tmp_path, GRADE_9, with_files=False))
    spec = course_spec(Course.objects.get(code="PHY9"))

    text = write_course(spec)

    assert "grade: 9" in text
    assert parse_course(text, package_has=lambda _: True).grade == 9


def test_the_studio_saves_the_grade_and_warns_next_to_the_video(
    as_user: Callable[[Any], Client], classroom: dict[str, Any]
) -> None:
    course, teacher, a = classroom["course"], classroom["teacher"], classroom["a"]
    course.teachers.add(teacher)
    video = classroom["primary"]
    video.minutes = 12
    video.save()
    client = as_user(teacher)
    settings = {"title": course.title, "threshold": "80", "language": "en", "description": ""}

    saved = client.post(reverse("studio_course", args=[course.pk]), {**settings, "grade_level": "7"})

    assert saved.status_code == 302
    course.refresh_from_db()
    assert course.grade_level == 7
    page = client.get(reverse("studio_objective", args=[course.pk, a.pk])).content.decode()
    assert "Video &#x27;Video 1&#x27; is 12 min; for grade 7 the rule of thumb is at most 7–10½ min" in page

    client.post(reverse("studio_course", args=[course.pk]), {**settings, "grade_level": "12"})
    page = client.get(reverse("studio_objective", args=[course.pk, a.pk])).content.decode()
    assert "rule of thumb" not in page


def test_a_grade_out_of_range_is_refused_next_to_the_field(
    as_user: Callable[[Any], Client], classroom: dict[str, Any]
) -> None:
    course, teacher = classroom["course"], classroom["teacher"]
    course.teachers.add(teacher)
    data = {"title": "Changed", "threshold": "80", "language": "en", "description": "", "grade_level": "13"}

    refused = as_user(teacher).post(reverse("studio_course", args=[course.pk]), data)

    assert refused.status_code == 422
    assert "less than or equal to 12" in refused.content.decode()
    course.refresh_from_db()
    assert course.title == "Chemistry" and course.grade_level is None


def test_a_student_cannot_set_the_grade(as_user: Callable[[Any], Client], classroom: dict[str, Any]) -> None:
    course = classroom["course"]
    data = {"title": "X", "threshold": "80", "language": "en", "description": "", "grade_level": "5"}

    refused = as_user(classroom["students"][0]).post(reverse("studio_course", args=[course.pk]), data)

    assert refused.status_code in (403, 404)
    course.refresh_from_db()
    assert course.grade_level is None
