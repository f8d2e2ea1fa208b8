"""flipmastery import-videos: a folder of videos onto the server, each attached to its objective by its
name; a file that names no objective stops it all, naming the file; a second run attaches only the new."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from flipmastery.courses.models import LearningObject
from tests import factories

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import-videos", *args, stdout=out, stderr=err)
    except SystemExit as stop:
        return int(stop.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def room(db: None) -> dict[str, Any]:
    return factories.small_classroom()


def videos(room: dict[str, Any]) -> list[tuple[str, str, str]]:
    found = LearningObject.objects.filter(objective__course=room["course"], file__gt="").order_by("title")
    return [(lo.objective.code, lo.title, lo.kind) for lo in found]


def test_a_folder_of_videos_is_attached_by_name_and_again_only_the_new(
    tmp_path: Path, room: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    (tmp_path / "GAS-1 Boyle's law.mp4").write_bytes(b"video one")
    (tmp_path / "GAS-2").mkdir()
    (tmp_path / "GAS-2" / "Charles's law.webm").write_bytes(b"video two")
    (tmp_path / "notes.txt").write_text("not a video")

    code, out, _ = run("CHEM", str(tmp_path), "--dry-run")
    assert code == 0 and "would attach: GAS-1 Boyle's law.mp4 → GAS-1 “Boyle's law”" in out
    assert videos(room) == []

    with django_capture_on_commit_callbacks(execute=True):  # files are stored once the edit commits
        code, out, _ = run("CHEM", str(tmp_path))
    assert code == 0
    assert videos(room) == [("GAS-1", "Boyle's law", "video"), ("GAS-2", "Charles's law", "video")]
    stored = LearningObject.objects.get(title="Boyle's law").file.name
    with default_storage.open(stored) as f:
        assert f.read() == b"video one"

    (tmp_path / "GAS-1 Pressure in a syringe.mp4").write_bytes(b"video three")
    code, out, _ = run("CHEM", str(tmp_path))
    assert "attached: GAS-1 Pressure in a syringe.mp4 → GAS-1 “Pressure in a syringe”" in out
    assert "already there (left as it is): GAS-1 Boyle's law.mp4" in out
    assert len(videos(room)) == 3


def test_a_file_that_names_no_objective_stops_it_all(tmp_path: Path, room: dict[str, Any]) -> None:
    (tmp_path / "GAS-1 Boyle's law.mp4").write_bytes(b"video one")
    (tmp_path / "intro.mp4").write_bytes(b"video two")
    code, _, err = run("CHEM", str(tmp_path))
    assert code == 1
    assert "no video was attached; nothing was changed." in err
    assert "intro.mp4: its name starts with no objective code of the course" in err
    assert videos(room) == []


def test_an_unknown_course_or_folder_is_said_plainly(tmp_path: Path, room: dict[str, Any]) -> None:
    assert run("NOPE", str(tmp_path))[2].startswith("there is no course NOPE")
    assert "not a folder" in run("CHEM", str(tmp_path / "missing"))[2]
