"""`flipmastery import-course`: all or nothing, errors with file and line, re-import updates by codes."""

from __future__ import annotations

import io
import textwrap
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from flipmastery.classroom.models import Enrollment
from flipmastery.courses.models import Activity, Course, LearningObject, Objective, Unit
from flipmastery.progress.models import ProgressEvent
from flipmastery.questions.models import Question
from tests import factories

pytestmark = pytest.mark.django_db

COURSE = textwrap.dedent("""\
    course: {code: CHEM11, title: Class 11 Chemistry}
    units:
      - code: GAS
        title: Gas Laws
        objectives:
          - code: GAS-1
            statement: Be able to explain gas pressure.
            learn:
              - {kind: video, title: Video 1, url: "https://www.youtube.com/watch?v=abc", minutes: 9}
              - {kind: worksheet, title: Worksheet 1}
              - {kind: file, title: Pressure notes, file: files/notes.pdf}
          - code: GAS-2
            statement: Be able to use Boyle's law.
            prerequisites: [GAS-1]
            activities: [{title: Boyle's Law Lab}]
            bank: banks/gas-2.gift
""")


def package(tmp_path: Path, text: str = COURSE, *, with_files: bool = True) -> Path:
    root = tmp_path / "chem"
    (root / "banks").mkdir(parents=True, exist_ok=True)
    (root / "files").mkdir(exist_ok=True)
    (root / "course.yaml").write_text(text, encoding="utf-8")
    if with_files:
        (root / "banks" / "gas-2.gift").write_text("::Q1:: 1+1? {=2 ~3}\n", encoding="utf-8")
        (root / "files" / "notes.pdf").write_bytes(b"%PDF-1.4 notes")
    return root


def run(path: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import-course", str(path), *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def snapshot() -> dict[str, Any]:
    return {
        "courses": list(Course.objects.values()),
        "units": list(Unit.objects.values()),
        "objectives": list(Objective.objects.values()),
        "prerequisites": list(Objective.prerequisites.through.objects.values()),
        "learning_objects": list(LearningObject.objects.values()),
        "activities": list(Activity.objects.values()),
    }


def test_import_creates_the_course_and_loads_its_banks(
    tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        code, out, err = run(package(tmp_path))
    assert code == 0, err
    assert "created: 1 activity, 1 course, 3 learning objects, 2 objectives, 1 unit" in out
    assert "banks/gas-2.gift: questions of GAS-2: 1 new, 0 changed, 0 unchanged" in out
    (question,) = Question.objects.filter(objective__code="GAS-2")
    assert question.key == "Q1" and question.current is not None and question.current.type == "single_choice"
    gas2 = Objective.objects.get(code="GAS-2")
    assert [p.code for p in gas2.prerequisites.all()] == ["GAS-1"]
    video, worksheet, notes = LearningObject.objects.filter(objective__code="GAS-1").order_by("order")
    assert video.is_primary and not worksheet.is_primary
    assert notes.file.read() == b"%PDF-1.4 notes"


def test_dry_run_changes_nothing(tmp_path: Path) -> None:
    code, out, _ = run(package(tmp_path), "--dry-run")
    assert code == 0 and "dry run, nothing was changed" in out
    assert Course.objects.count() == 0 and Objective.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("title: Gas Laws", "title: [Gas Laws"), "course.yaml:5: YAML syntax error"),
        (("[GAS-1]", "[GAS-7]"), "course.yaml:14: unknown prerequisite GAS-7 for objective GAS-2"),
        (
            (
                "statement: Be able to explain gas pressure.\n",
                "statement: Pressure.\n        prerequisites: [GAS-2]\n",
            ),
            "course.yaml:8: prerequisites form a cycle: GAS-1 → GAS-2 → GAS-1",
        ),
        (
            ("prerequisites: [GAS-1]", "tier: sometimes\n        prerequisites: [GAS-1]"),
            "course.yaml:14: tier 'sometimes' of objective GAS-2 must be 'essential' or 'nice_to_know'",
        ),
        (
            ("files/notes.pdf", "files/missing.pdf"),
            "course.yaml:11: file of 'Pressure notes' 'files/missing.pdf' is not in the package",
        ),
    ],
    ids=["yaml-syntax", "unknown-prerequisite", "cycle", "bad-tier", "missing-file"],
)
def test_a_broken_package_exits_non_zero_names_file_and_line_and_leaves_the_database_as_it_was(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    assert run(package(tmp_path / "first"))[0] == 0
    before = snapshot()
    broken = COURSE.replace(*change).replace("Be able to use Boyle's law.", "Changed statement.")
    code, _, err = run(package(tmp_path / "second", broken))
    assert code == 1
    assert expected in err, err
    assert "nothing was changed" in err
    assert snapshot() == before


def test_missing_bank_file_is_refused(tmp_path: Path) -> None:
    root = package(tmp_path)
    (root / "banks" / "gas-2.gift").unlink()
    code, _, err = run(root)
    assert (
        code == 1
        and "course.yaml:16: bank of objective GAS-2 'banks/gas-2.gift' is not in the package" in err
    )
    assert Course.objects.count() == 0


def test_a_path_that_does_not_exist_is_a_clear_message(tmp_path: Path) -> None:
    code, _, err = run(tmp_path / "nowhere")
    assert code == 1 and "no such file or folder" in err and "Traceback" not in err


def test_reimport_updates_by_codes_and_keeps_sections_and_history(tmp_path: Path) -> None:
    run(package(tmp_path / "v1"))
    course = Course.objects.get(code="CHEM11")
    gas1 = Objective.objects.get(code="GAS-1")
    student = factories.student()
    section = factories.section(course, students=[student])
    factories.mastered(section, student, gas1, at="2026-01-01T00:00Z")
    changed = COURSE.replace("Be able to use Boyle's law.", "Be able to use Boyle's law with units.").replace(
        "          - {kind: worksheet, title: Worksheet 1}\n", ""
    )
    code, out, err = run(package(tmp_path / "v2", changed))
    assert code == 0, err
    assert "updated: 1 learning object, 1 objective" in out  # the notes moved up one place
    assert (
        "retired (not in the package any more; history kept): learning object 'Worksheet 1' of GAS-1" in out
    )
    assert Objective.objects.get(code="GAS-1").pk == gas1.pk
    assert Objective.objects.get(code="GAS-2").statement == "Be able to use Boyle's law with units."
    assert Enrollment.objects.filter(section=section, student=student).exists()
    assert ProgressEvent.objects.filter(objective=gas1, student=student).count() == 1
    assert LearningObject.objects.get(title="Worksheet 1").retired


def test_importing_the_same_package_twice_changes_nothing(tmp_path: Path) -> None:
    run(package(tmp_path))
    before = snapshot()
    code, out, _ = run(package(tmp_path))
    assert code == 0 and "nothing was changed" in out
    assert snapshot() == before


def test_a_zip_of_the_folder_imports(tmp_path: Path) -> None:
    root = package(tmp_path)
    archive = tmp_path / "chem.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for file in root.rglob("*"):
            if file.is_file():
                out.write(file, f"chem/{file.relative_to(root).as_posix()}")
    code, _, err = run(archive)
    assert code == 0, err
    assert Objective.objects.filter(course__code="CHEM11").count() == 2


def test_a_zip_entry_escaping_the_package_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("course.yaml", COURSE)
        out.writestr("../../evil.txt", "x")
    code, _, err = run(archive)
    assert code == 1 and "points outside the package" in err


def test_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        out.writestr("course.yaml", COURSE)
        out.writestr("files/zeros.bin", b"\0" * (50 * 1024 * 1024))
    code, _, err = run(archive)
    assert code == 1 and "zip bomb" in err


def test_prerequisite_from_another_course_is_refused(tmp_path: Path) -> None:
    other = factories.course(code="MATH7")
    factories.objective(factories.unit(other), code="RAT-1")
    code, _, err = run(package(tmp_path, COURSE.replace("[GAS-1]", "[RAT-1]")))
    assert code == 1 and "prerequisite RAT-1 of GAS-2 belongs to another course (MATH7)" in err


def test_a_bad_bank_stops_the_whole_import_with_its_file_and_line(tmp_path: Path) -> None:
    root = package(tmp_path)
    (root / "banks" / "gas-2.gift").write_text(
        "::Q1:: fine {=2 ~3}\n\n::Q2:: broken {#abc}\n", encoding="utf-8"
    )
    code, _, err = run(root)
    assert code == 1
    assert "banks/gas-2.gift:3:" in err
    assert Course.objects.count() == 0 and Question.objects.count() == 0


def test_reimport_keeps_question_history_and_retires_questions_that_left_the_bank(tmp_path: Path) -> None:
    root = package(tmp_path)
    (root / "banks" / "gas-2.gift").write_text(
        "::Q1:: 1+1? {=2 ~3}\n\n::Q2:: 2+2? {=4 ~5}\n", encoding="utf-8"
    )
    assert run(root)[0] == 0
    first = Question.objects.get(key="Q1").current
    assert first is not None
    first.shown = True  # an attempt showed it
    first.save()
    (root / "banks" / "gas-2.gift").write_text("::Q1:: 1+1 = ? {=2 ~3 ~11}\n", encoding="utf-8")
    code, out, _ = run(root)
    assert code == 0 and "1 changed, 0 unchanged, 1 retired" in out
    q1 = Question.objects.get(key="Q1")
    assert (
        [v.number for v in q1.versions.all()] == [1, 2] and q1.current is not None and q1.current.number == 2
    )
    assert Question.objects.get(key="Q2").retired
