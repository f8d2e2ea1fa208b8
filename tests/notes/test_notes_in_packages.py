"""Guided notes in a course package: `notes:` under a learning object in course.yaml is read, checked with its
line, stored, written by export, and an export imported again changes nothing."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from flipmastery.courses.models import LearningObject
from flipmastery.courses.services import course_import_path
from flipmastery.domain.errors import Invalid
from flipmastery.notes.models import NotesImage, NotesTemplate

pytestmark = pytest.mark.django_db

COURSE = """\
course: {code: GN1, title: Notes course, language: en}
units:
  - code: U
    title: Unit
    objectives:
      - code: U-1
        statement: Be able to read a gauge.
        learn:
          - kind: video
            title: The gauge
            url: https://www.youtube.com/watch?v=dQw4w9WgXcQ
            notes:
              - {kind: prompt, question: "What does a gauge measure?"}
              - kind: table
                columns: [Reading, Unit]
                rows: 2
                given: {r1c2: kPa}
              - {kind: diagram, question: Label it, labels: [[20, 30], {x: 60, y: 70}]}
"""


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def package(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "pkg"
    folder.mkdir(exist_ok=True)
    (folder / "course.yaml").write_text(text, encoding="utf-8")
    return folder


def test_notes_come_in_and_go_out_and_back_unchanged(tmp_path: Path, media: Path) -> None:
    course_import_path(path=package(tmp_path, COURSE))
    stored = NotesTemplate.objects.get(learning_object__title="The gauge")
    parts = stored.parts["parts"]
    assert [p["kind"] for p in parts] == ["prompt", "table", "diagram"]
    assert parts[1]["given"] == {"r1c2": "kPa"} and parts[2]["labels"][1] == {"x": 60.0, "y": 70.0}

    # an image uploaded in the studio stays on the server through an export and an import
    image = NotesImage.objects.create(
        template=stored, file="guided-notes/2026/g.png", uploaded_at=timezone.now()
    )
    parts[2]["image"] = image.file.name
    stored.parts = {"parts": parts}
    stored.save()
    target = tmp_path / "out"
    call_command("export-course", "GN1", str(target), stdout=io.StringIO(), stderr=io.StringIO())
    written = (target / "course.yaml").read_text(encoding="utf-8")
    assert "notes:" in written and "What does a gauge measure?" in written and "guided-notes/" not in written
    again = course_import_path(path=target)
    assert (again.created, again.updated, again.retired) == ({}, {}, [])
    assert NotesTemplate.objects.get().parts == stored.parts


def test_bad_notes_are_refused_with_their_line_and_part(tmp_path: Path, media: Path) -> None:
    bad = COURSE.replace("rows: 2", "rows: 99").replace("[[20, 30]", "[[20, 300]")
    with pytest.raises(Invalid) as error:
        course_import_path(path=package(tmp_path, bad))
    said = [str(p) for p in error.value.problems]
    assert said == [
        "course.yaml:14: notes of 'The gauge': Part 2 (table): rows must be a whole number from 1 to 20.",
        "course.yaml:18: notes of 'The gauge': Part 3 (diagram): label 1 needs two numbers 0-100: "
        "x% from the left, y% from the top.",
    ]
    assert not LearningObject.objects.exists() and not NotesTemplate.objects.exists()


def test_a_package_without_notes_leaves_studio_notes_alone(tmp_path: Path, media: Path) -> None:
    course_import_path(path=package(tmp_path, COURSE))
    before = NotesTemplate.objects.get().parts
    plain = COURSE.split("            notes:")[0]
    report = course_import_path(path=package(tmp_path, plain))
    assert report.retired == [] and NotesTemplate.objects.get().parts == before
