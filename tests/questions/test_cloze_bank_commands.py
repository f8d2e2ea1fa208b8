"""import-questions takes Moodle's Cloze questions with Moodle's count, and refuses a file of broken ones
naming each question's line and Moodle's reason, saving nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from flipmastery.questions.selectors import bank_questions
from tests.questions.test_bank_commands import classroom, run, write  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parents[1] / "domain" / "formats" / "fixtures" / "cloze-gases.xml"
BROKEN = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="cloze">
    <name><text>No parts at all</text></name>
    <questiontext format="html"><text>Name a gas.</text></questiontext>
  </question>
  <question type="cloze">
    <name><text>One choice only</text></name>
    <questiontext format="html"><text>A gas: {1:MULTICHOICE:=neon#Yes}</text></questiontext>
  </question>
  <question type="cloze">
    <name><text>A word for a number</text></name>
    <questiontext format="html"><text>Moles in 22.4 L at STP: {2:NUMERICAL:=one}</text></questiontext>
  </question>
</quiz>
"""


def test_moodle_cloze_questions_import_with_moodle_s_count(
    classroom: dict[str, Any],  # noqa: F811
) -> None:
    code, out, err = run("import-questions", str(FIXTURE), "--course", "CHEM", "--objective", "GAS-1")

    assert code == 0, err
    assert out.strip() == "bank of GAS-1: 2 new, 0 changed, 0 unchanged (were saved)"
    assert [q.type.value for _, q in bank_questions(course_code="CHEM")] == ["cloze", "cloze"]


def test_broken_cloze_questions_are_refused_with_moodle_s_reasons(
    classroom: dict[str, Any],  # noqa: F811
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "broken.xml", BROKEN)

    code, _, err = run("import-questions", str(path), "--course", "CHEM", "--objective", "GAS-1")

    assert code != 0
    assert "broken.xml:5: invalid Cloze question: the question text must include at least one embedded" in err
    assert "broken.xml:9: invalid Cloze question: part 1: a choice part needs at least 2 choices" in err
    assert "broken.xml:13: invalid Cloze question: part 1: the answer must be a number" in err
    assert list(bank_questions(course_code="CHEM")) == []
