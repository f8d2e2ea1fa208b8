"""`import-course` refuses a package that would harm what is there, names the file, and changes nothing:
a bank file with no questions, a zip that cannot be read safely."""

from __future__ import annotations

from pathlib import Path

import pytest

from flipmastery.courses.models import Course
from flipmastery.questions.models import Question
from tests.courses.test_import_course import package, run, snapshot

pytestmark = pytest.mark.django_db


def questions() -> list[tuple[str, bool]]:
    return list(Question.objects.order_by("key").values_list("key", "retired"))


@pytest.mark.parametrize("text", ["", "// the questions come later\n"])
def test_a_bank_with_no_questions_is_refused_and_the_bank_stays(tmp_path: Path, text: str) -> None:
    root = package(tmp_path)
    assert run(root)[0] == 0
    before, bank = snapshot(), questions()
    assert bank == [("Q1", False)]
    (root / "banks" / "gas-2.gift").write_text(text, encoding="utf-8")

    code, out, err = run(root)

    assert code == 1 and out == ""
    assert "  banks/gas-2.gift: no questions found\n" in err and "nothing was changed" in err
    assert snapshot() == before and questions() == bank
    assert Course.objects.count() == 1
