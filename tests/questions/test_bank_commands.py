"""`import-questions` and `export-questions` (DESIGN §6): all or nothing, file and line, round trip."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from flipmastery.questions.models import Question, QuestionVersion
from flipmastery.questions.selectors import bank_questions
from tests import factories

pytestmark = pytest.mark.django_db

GIFT = """// Boyle's law bank
$CATEGORY: GAS/Boyle

::B1:: Which law relates P and V at constant T? {
=Boyle's law#Yes. ~Charles's law#That is V and T. ~Dalton's law}

::B2:: Standard pressure in kPa? {#101.325:0.5}

::B3:: Gas particles attract strongly. {F}
"""


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def classroom(db: None) -> dict[str, Any]:
    return factories.small_classroom()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_questions_loads_a_gift_file_into_an_objective(
    classroom: dict[str, Any], tmp_path: Path
) -> None:
    code, out, err = run(
        "import-questions", str(write(tmp_path, "b.gift", GIFT)), "--course", "CHEM", "--objective", "GAS-1"
    )
    assert code == 0, err
    assert out.strip() == "bank of GAS-1: 3 new, 0 changed, 0 unchanged (were saved)"
    assert [q.key for q in Question.objects.order_by("order")] == ["B1", "B2", "B3"]
    assert [q.type.value for _, q in bank_questions(course_code="CHEM")] == [
        "single_choice",
        "numeric",
        "true_false",
    ]


def test_dry_run_reports_and_changes_nothing(classroom: dict[str, Any], tmp_path: Path) -> None:
    code, out, _ = run(
        "import-questions",
        str(write(tmp_path, "b.gift", GIFT)),
        "--course",
        "CHEM",
        "--objective",
        "GAS-1",
        "--dry-run",
    )
    assert code == 0 and "would be saved" in out
    assert Question.objects.count() == 0 and QuestionVersion.objects.count() == 0


def test_one_bad_question_refuses_the_whole_file_with_file_and_line(
    classroom: dict[str, Any], tmp_path: Path
) -> None:
    bad = GIFT + "\n::B4:: Volume? {#abc}\n"
    code, out, err = run(
        "import-questions", str(write(tmp_path, "b.gift", bad)), "--course", "CHEM", "--objective", "GAS-1"
    )
    assert code == 1 and out == ""
    assert "b.gift:11:" in err and "nothing was changed" in err and "Traceback" not in err
    assert Question.objects.count() == 0


def test_unknown_objective_non_utf8_and_missing_files_are_clear_messages(
    classroom: dict[str, Any], tmp_path: Path
) -> None:
    path = write(tmp_path, "b.gift", GIFT)
    assert (
        "course CHEM has no objective GAS-9"
        in run("import-questions", str(path), "--course", "CHEM", "--objective", "GAS-9")[2]
    )
    latin = tmp_path / "latin.gift"
    latin.write_bytes("::Q:: café {T}".encode("latin-1"))
    code, _, err = run("import-questions", str(latin), "--course", "CHEM", "--objective", "GAS-1")
    assert code == 1 and "not UTF-8" in err
    assert (
        "no such file"
        in run("import-questions", str(tmp_path / "nope.gift"), "--course", "CHEM", "--objective", "GAS-1")[2]
    )


@pytest.mark.parametrize("fmt", ["yaml", "gift", "moodle_xml"])
def test_export_then_import_gives_the_same_questions_back(
    classroom: dict[str, Any], tmp_path: Path, fmt: str
) -> None:
    factories.bank(classroom["a"], 6)
    if fmt != "yaml":  # only our YAML holds every calculated item (steps, lists, derived variables)
        Question.objects.filter(current__type="calculated").update(retired=True)
    if fmt == "gift":  # and GIFT has no units
        Question.objects.filter(current__type="numeric").update(retired=True)
    before = [q for _, q in bank_questions(course_code="CHEM")]
    out_file = tmp_path / f"bank.{fmt}"
    code, out, err = run("export-questions", "--course", "CHEM", "--format", fmt, "-o", str(out_file))
    assert code == 0, err
    assert f"{len(before)} questions of GAS-1 written" in out
    code, _, err = run(
        "import-questions", str(out_file), "--course", "CHEM", "--objective", "GAS-2", "--format", fmt
    )
    assert code == 0, err
    after = [q for _, q in bank_questions(course_code="CHEM", objective_code="GAS-2")]
    assert after == before


def test_export_refuses_a_format_that_cannot_hold_the_bank(classroom: dict[str, Any], tmp_path: Path) -> None:
    factories.bank(classroom["a"], 2)  # a single choice and a calculated question
    code, _, err = run(
        "export-questions", "--course", "CHEM", "--format", "aiken", "-o", str(tmp_path / "x.txt")
    )
    assert code == 1 and "cannot be written" in err
    assert not (tmp_path / "x.txt").exists()


def test_export_with_partial_writes_what_fits_and_lists_the_rest(
    classroom: dict[str, Any], tmp_path: Path
) -> None:
    factories.bank(classroom["a"], 6)  # the calculated one and the numeric one in atm do not fit in GIFT
    out_file = tmp_path / "bank.gift"
    code, out, err = run(
        "export-questions", "--course", "CHEM", "--format", "gift", "-o", str(out_file), "--partial"
    )
    assert code == 0, err
    assert err.split("\n")[:2] == [
        "  GAS-1-q1: left out because GIFT has no calculated questions; use YAML or Moodle XML",
        "  GAS-1-q3: left out because GIFT has no units (atm)",
    ]
    assert "4 questions of GAS-1 written" in out and "2 left out" in out
    assert out_file.read_text(encoding="utf-8").startswith("// 2 questions left out of this export:")
    code, _, err = run("export-questions", "--course", "CHEM", "--format", "gift", "-o", str(tmp_path / "x"))
    assert code == 1 and "--partial writes the questions that fit" in err
    assert not (tmp_path / "x").exists()


def test_a_moodle_ordering_file_imports_with_moodle_s_count(
    classroom: dict[str, Any], tmp_path: Path
) -> None:
    from tests.domain.formats.test_ordering import MOODLE_LIKE_XML

    path = write(tmp_path, "ordering.xml", MOODLE_LIKE_XML)
    code, out, err = run("import-questions", str(path), "--course", "CHEM", "--objective", "GAS-1")
    assert code == 0, err
    assert out.strip() == "bank of GAS-1: 2 new, 0 changed, 0 unchanged (were saved)"
    assert [q.type.value for _, q in bank_questions(course_code="CHEM")] == ["ordering", "ordering"]


def test_moodle_gapselect_and_ddwtos_import_with_moodle_s_count(
    classroom: dict[str, Any], tmp_path: Path
) -> None:
    from tests.domain.formats.test_moodle_gaps import GAPSELECT

    path = write(tmp_path, "gaps.xml", GAPSELECT)
    code, out, err = run("import-questions", str(path), "--course", "CHEM", "--objective", "GAS-1")
    assert code == 0, err
    assert out.strip() == "bank of GAS-1: 2 new, 0 changed, 0 unchanged (were saved)"
    assert [q.type.value for _, q in bank_questions(course_code="CHEM")] == ["gaps", "gaps"]
