"""`import-questions` refuses what would harm a bank or fail students, with a message and no traceback, and
changes nothing: a file with no questions, a GIFT ordering question, weights that are not 100 %, types we
cannot import yet, calculated variables that cannot be drawn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from flipmastery.questions.models import Question, QuestionVersion
from tests import factories
from tests.questions.test_bank_commands import GIFT, run, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def classroom(db: None) -> dict[str, Any]:
    return factories.small_classroom()


def bank_of_gas_1() -> list[tuple[str, bool, int | None]]:
    return [
        (q.key, q.retired, q.current_id)
        for q in Question.objects.filter(objective__code="GAS-1").order_by("order")
    ]


@pytest.fixture
def bank(classroom: dict[str, Any], tmp_path: Path) -> list[tuple[str, bool, int | None]]:
    args = ("--course", "CHEM", "--objective", "GAS-1")
    assert run("import-questions", str(write(tmp_path, "first.gift", GIFT)), *args)[0] == 0
    before = bank_of_gas_1()
    assert [key for key, retired, _ in before if not retired] == ["B1", "B2", "B3"]
    return before


def import_file(tmp_path: Path, name: str, text: str, *options: str) -> tuple[int, str, str]:
    path = write(tmp_path, name, text)
    return run("import-questions", str(path), "--course", "CHEM", "--objective", "GAS-1", *options)


EMPTY_FILES = [
    ("empty.gift", ""),
    ("comments.gift", "// nothing here yet\n// [tag:gas]\n"),
    ("category.gift", "$CATEGORY: GAS/Boyle\n\n// questions to come\n"),
    ("empty.yaml", ""),
    ("comments.yaml", "# questions to come\n"),
    ("list.yaml", "questions: []\n"),
    ("empty.txt", "\n\n"),
    ("empty.xml", '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n</quiz>\n'),
    (
        "category.xml",
        '<quiz><question type="category"><category><text>$course$/GAS</text></category></question></quiz>',
    ),
]


@pytest.mark.parametrize(("name", "text"), EMPTY_FILES, ids=[name for name, _ in EMPTY_FILES])
def test_a_file_with_no_questions_is_refused_and_replace_retires_nothing(
    bank: list[tuple[str, bool, int | None]], tmp_path: Path, name: str, text: str
) -> None:
    versions = QuestionVersion.objects.count()

    code, out, err = import_file(tmp_path, name, text, "--replace")

    assert code == 1 and out == ""
    assert f"  {name}: no questions found\n" in err
    assert "nothing was changed" in err and "Traceback" not in err
    assert err.endswith("\n1 problem.\n")
    assert bank_of_gas_1() == bank
    assert QuestionVersion.objects.count() == versions


def test_a_gift_ordering_question_with_a_mistyped_option_is_refused_naming_its_line(
    bank: list[tuple[str, bool, int | None]], tmp_path: Path
) -> None:
    text = GIFT + "\n::Q4::Put in order {>2 all LEFT_RIGHT\n=A\n=B\n=C}\n"

    code, _, err = import_file(tmp_path, "order.gift", text, "--replace")

    assert code == 1
    assert (
        "  order.gift:11: 'LEFT_RIGHT' is not one of the ordering options"
        " (ALL, RANDOM, VERTICAL, ABSOLUTE …)\n" in err
    )
    assert bank_of_gas_1() == bank


def test_weights_short_of_100_are_named_and_thirds_are_100(
    bank: list[tuple[str, bool, int | None]], tmp_path: Path
) -> None:
    short = "::M:: Which are gas laws? {~%33.33%Boyle ~%33.34%Charles ~%33%Dalton ~Hooke}\n"
    code, _, err = import_file(tmp_path, "short.gift", short)
    assert code == 1
    assert (
        "  short.gift:1: with no '=' answer this is a multiple-response question; the correct answers'"
        " weights add up to 99.67 %, not 100 %\n" in err
    )
    assert "scores 100%" not in err and bank_of_gas_1() == bank

    thirds = short.replace("33.34", "33.33333").replace("%33%", "%33.33333%").replace("33.33%B", "33.33333%B")
    code, out, err = import_file(tmp_path, "thirds.gift", thirds)
    assert (code, out.strip()) == (0, "bank of GAS-1: 1 new, 0 changed, 0 unchanged (were saved)"), err


HOSTILE_YAML = """\
questions:
  - id: q1
    type: calculated
    text: x is {a}
    variables:
      a: {min: 0, max: 1e308, step: 1e-300}
    answer: {formula: a, tolerance: 1%}
"""
HOSTILE_XML = """\
<quiz>
<question type="calculated"><name><text>Q</text></name><questiontext><text>x is {a}</text></questiontext>
<answer fraction="100"><text>{a}</text><tolerance>0.01</tolerance></answer>
<dataset_definitions><dataset_definition><status><text>private</text></status><name><text>a</text></name>
<minimum><text>-1e308</text></minimum><maximum><text>1e308</text></maximum><decimals><text>1</text></decimals>
</dataset_definition></dataset_definitions></question>
</quiz>
"""


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        (
            "calc.yaml",
            HOSTILE_YAML,
            "calc.yaml:6: variable a of question 'q1' has the number 1e+308; the numbers of a variable"
            " must be within ±1e+100",
        ),
        (
            "calc.xml",
            HOSTILE_XML,
            "calc.xml:4: the dataset a has the number -1e+308; the numbers of a variable must be within"
            " ±1e+100",
        ),
    ],
)
def test_a_variable_that_cannot_be_drawn_is_a_message_not_a_traceback(
    bank: list[tuple[str, bool, int | None]], tmp_path: Path, name: str, text: str, problem: str
) -> None:
    code, out, err = import_file(tmp_path, name, text)

    assert code == 1 and out == ""
    assert f"  {problem}\n" in err and "Traceback" not in err and "OverflowError" not in err
    assert bank_of_gas_1() == bank
