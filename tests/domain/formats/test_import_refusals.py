"""What the bank readers refuse rather than import wrongly, each with its file, line and what to do."""

from __future__ import annotations

import random
import textwrap
from typing import Any

import pytest

from flipmastery.domain.errors import Invalid
from flipmastery.domain.formats import gift, moodle_xml
from flipmastery.domain.generation import generate
from flipmastery.domain.grading import Status, correct_response, grade, question_problems
from flipmastery.domain.questions import Choice, Question, QuestionType, TextAnswer


def problems_of(read: object, text: str, file: str) -> list[str]:
    with pytest.raises(Invalid) as err:
        read(textwrap.dedent(text), file)  # type: ignore[operator]
    return [str(p) for p in err.value.problems]


def test_a_gift_ordering_question_is_now_read_as_ours() -> None:
    entries = gift.read(
        textwrap.dedent(
            """\
            ::Q1:: 1+1? {=2 ~3}

            ::Steps:: Order the steps of titration.
            {>3 none VERTICAL ABSOLUTE_POSITION =Rinse =Fill =Titrate}
            """
        ),
        "gas.gift",
    )
    steps = entries[1].question
    assert (steps.type, steps.items) == (QuestionType.ORDERING, ("Rinse", "Fill", "Titrate"))
    assert steps.order_grading.value == "absolute_position"


# ---- weights of a multiple response ------------------------------------------------------------------


def mr_xml(*percents: str) -> str:
    answers = "".join(
        f'<answer fraction="{p}"><text>option {i}</text></answer>' for i, p in enumerate(percents)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n<question type="multichoice">'
        "<name><text>M</text></name><questiontext><text>Which?</text></questiontext>"
        f"<single>false</single>{answers}</question>\n</quiz>\n"
    )


def mr_gift(*percents: str) -> str:
    return "::M:: Which? {" + " ".join(f"~%{p}%option {i}" for i, p in enumerate(percents)) + "}\n"


@pytest.mark.parametrize(
    ("reader", "file", "text"),
    [
        (gift.read, "w.gift", mr_gift("33.33333", "33.33333", "33.33333", "-100")),
        (gift.read, "w.gift", mr_gift("33.333", "33.333", "33.333", "-100")),
        (gift.read, "w.gift", mr_gift("33.33", "33.33", "33.33", "-100")),
        (moodle_xml.read, "w.xml", mr_xml("33.33333", "33.33333", "33.33333", "-100")),
        (moodle_xml.read, "w.xml", mr_xml("33.333", "33.333", "33.333", "0")),
    ],
    ids=["gift-moodle-thirds", "gift-33.333", "gift-33.33", "xml-moodle-thirds", "xml-33.333"],
)
def test_thirds_add_up_to_100_and_choosing_all_three_earns_full_marks(
    reader: Any, file: str, text: str
) -> None:
    (entry,) = reader(text, file)
    question = entry.question
    variant = generate(question, random.Random(1))
    right = correct_response(question, variant)

    assert question_problems(question, random.Random(0)) == []
    assert len(right) == 3
    result = grade(question, variant, right)
    assert (result.score, result.status) == (1.0, Status.CORRECT)


WEIGHTS = "the correct answers' weights add up to 99.67 %, not 100 %"


def test_weights_short_of_100_say_what_they_add_up_to() -> None:
    assert problems_of(gift.read, mr_gift("33.33", "33.34", "33", "0"), "w.gift") == [
        f"w.gift:1: with no '=' answer this is a multiple-response question; {WEIGHTS}"
    ]
    assert problems_of(moodle_xml.read, mr_xml("33.33", "33.34", "33", "0"), "w.xml") == [
        f"w.xml:3: {WEIGHTS}"
    ]
    made_by_hand = Question(
        QuestionType.MULTIPLE_RESPONSE,
        "Which?",
        choices=(Choice("a", 0.3333), Choice("b", 0.3334), Choice("c", 0.33), Choice("d", 0.0)),
    )
    assert question_problems(made_by_hand, random.Random(0)) == [WEIGHTS]


def test_a_key_short_of_full_marks_says_by_how_much() -> None:
    half = Question(
        QuestionType.SHORT_TEXT, "Name it.", answers=(TextAnswer("Boyle", 0.9967), TextAnswer("B*", 0.5))
    )
    assert question_problems(half, random.Random(0)) == ["its own answer key scores 99.67 %, not 100 %"]


# ---- Moodle XML types we cannot import yet -----------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("ddimageortext", "drag-and-drop-onto-image (ddimageortext)"),
        ("ddmarker", "drag-and-drop-markers (ddmarker)"),
        ("randomsamatch", "random short-answer matching (randomsamatch)"),
        ("calculatedmulti", "calculated multichoice (calculatedmulti)"),
    ],
)
def test_core_moodle_types_we_cannot_import_are_named_as_moodles(kind: str, name: str) -> None:
    text = f'<quiz>\n<question type="{kind}"><name><text>Q</text></name></question>\n</quiz>'

    assert problems_of(moodle_xml.read, text, "q.xml") == [
        f"q.xml:2: Moodle's {name} questions cannot be imported yet; remove this question or change its"
        " type in Moodle"
    ]


def test_a_type_that_is_not_moodles_is_said_to_be_unknown() -> None:
    text = '<quiz>\n<question type="wordle"><name><text>Q</text></name></question>\n</quiz>'

    assert problems_of(moodle_xml.read, text, "q.xml") == [
        "q.xml:2: question type 'wordle' is not a Moodle question type we know (a plugin's, perhaps);"
        " remove this question or change its type in Moodle"
    ]
