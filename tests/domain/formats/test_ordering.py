"""Ordering questions (Moodle's qtype_ordering) through every layer of the domain: shown shuffled and never
in order, graded all or nothing or by Moodle's simple partial modes, stored, and read from YAML, Moodle
XML and GIFT's {>…} form."""

from __future__ import annotations

import random

import pytest

from flipmastery.domain.errors import Invalid
from flipmastery.domain.formats import moodle_xml, yaml_bank
from flipmastery.domain.formats.bank import read_bank, write_bank_fitting
from flipmastery.domain.generation import generate, shown_items
from flipmastery.domain.grading import Status, correct_response, grade, question_problems, shown_answer
from flipmastery.domain.guessing import guess_chance
from flipmastery.domain.question_codec import from_data, to_data
from flipmastery.domain.questions import OrderGrading, Question, QuestionType, true_false_choices

STEPS = ("Convert °C to K", "Write the law", "Rearrange for the unknown", "Substitute and compute")
ORDERING = Question(QuestionType.ORDERING, "Put the steps in order.", key="steps", title="Steps", items=STEPS)


def test_an_ordering_item_is_shown_shuffled_and_never_already_in_order() -> None:
    for seed in range(200):
        variant = generate(ORDERING, random.Random(seed))
        shown = shown_items(ORDERING, variant)
        assert sorted(text for _, text in shown) == sorted(STEPS)
        assert [label for label, _ in shown] == ["a", "b", "c", "d"]
        assert tuple(text for _, text in shown) != STEPS


def test_its_key_scores_full_marks_and_a_wrong_order_nothing_by_default() -> None:
    variant = generate(ORDERING, random.Random(7))
    key = correct_response(ORDERING, variant)
    assert grade(ORDERING, variant, key).status is Status.CORRECT
    swapped = [key[1], key[0], *key[2:]]
    assert grade(ORDERING, variant, swapped).score == 0.0
    assert grade(ORDERING, variant, key[:3]).status is Status.UNANSWERED  # not every item: not an answer
    assert grade(ORDERING, variant, [*key[:3], key[0]]).status is Status.UNANSWERED
    assert shown_answer(ORDERING, variant).startswith("1. Convert °C to K; 2. Write the law")


@pytest.mark.parametrize(
    ("mode", "given", "score"),
    [
        # right order 0 1 2 3; the student gave 1 0 2 3 (first two swapped)
        (OrderGrading.ALL_OR_NOTHING, [1, 0, 2, 3], 0.0),
        (OrderGrading.ABSOLUTE_POSITION, [1, 0, 2, 3], 0.5),  # 2 and 3 in place
        (OrderGrading.RELATIVE_NEXT, [1, 0, 2, 3], 1 / 3),  # only 2 is still followed by 3
        (OrderGrading.LONGEST_SUBSET, [1, 0, 2, 3], 0.75),  # 0 2 3 or 1 2 3
        (OrderGrading.ABSOLUTE_POSITION, [3, 2, 1, 0], 0.0),
        (OrderGrading.RELATIVE_NEXT, [3, 2, 1, 0], 0.0),
        (OrderGrading.LONGEST_SUBSET, [3, 2, 1, 0], 0.0),  # a run of one earns nothing
    ],
)
def test_moodle_s_partial_modes(mode: OrderGrading, given: list[int], score: float) -> None:
    question = Question(QuestionType.ORDERING, "x", items=STEPS, order_grading=mode)
    variant = generate(question, random.Random(3))
    label_of = {
        index: label for (label, _), index in zip(shown_items(question, variant), variant.order, strict=True)
    }
    result = grade(question, variant, [label_of[i] for i in given])
    assert result.score == pytest.approx(score, abs=1e-6)


def test_a_bad_ordering_question_is_found_before_a_student_meets_it() -> None:
    one = Question(QuestionType.ORDERING, "x", items=("only",))
    twice = Question(QuestionType.ORDERING, "x", items=("a", "b", "a"))
    assert question_problems(one, random.Random(1)) == ["an ordering question needs at least two items"]
    assert "must all differ" in question_problems(twice, random.Random(1))[0]
    assert guess_chance(ORDERING).denominator == 24


def test_stored_versions_and_yaml_keep_it_exactly() -> None:
    partial = Question(
        QuestionType.ORDERING, "x", key="k", items=STEPS, order_grading=OrderGrading.ABSOLUTE_POSITION
    )
    for question in (ORDERING, partial):
        assert from_data(to_data(question)) == question
        assert [e.question for e in yaml_bank.read(yaml_bank.write([question]), "b.yaml")] == [question]


def test_yaml_says_what_is_wrong_and_where() -> None:
    text = "- type: ordering\n  text: x\n  items: [a]\n  grading: sometimes\n"
    with pytest.raises(Invalid) as caught:
        yaml_bank.read(text, "b.yaml")
    messages = [str(p) for p in caught.value.problems]
    assert any("needs at least two items" in m and ":3" in m for m in messages), messages
    assert any("'grading'" in m and "all_or_nothing" in m for m in messages), messages


def test_moodle_xml_round_trip_and_gift_export_refused_with_the_reason() -> None:
    partial = Question(
        QuestionType.ORDERING, "x", key="k", title="t", items=STEPS, order_grading=OrderGrading.LONGEST_SUBSET
    )
    text = moodle_xml.write([partial])
    assert "<gradingtype>LONGEST_ORDERED_SUBSET</gradingtype>" in text
    assert [e.question for e in moodle_xml.read(text.encode(), "b.xml")] == [partial]
    _, left_out = write_bank_fitting(
        [partial, Question(QuestionType.TRUE_FALSE, "y", choices=true_false_choices(True))], "gift"
    )
    assert [str(item) for item in left_out] == [
        "t: left out because ordering questions are written as YAML or Moodle XML, not GIFT"
    ]


MOODLE_LIKE_XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="ordering">
    <name><text>Gas law steps</text></name>
    <questiontext format="html"><text>Put the steps in order.</text></questiontext>
    <generalfeedback format="html"><text></text></generalfeedback>
    <defaultgrade>1</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber>steps-1</idnumber>
    <layouttype></layouttype>
    <selecttype></selecttype>
    <selectcount>2</selectcount>
    <gradingtype></gradingtype>
    <showgrading></showgrading>
    <numberingstyle>none</numberingstyle>
    <correctfeedback format="html"><text>Well done!</text></correctfeedback>
    <shownumcorrect>1</shownumcorrect>
    <answer fraction="1.0000000" format="html"><text>Convert</text></answer>
    <answer fraction="2.0000000" format="html"><text>Write</text></answer>
    <answer fraction="3.0000000" format="html"><text>Rearrange</text></answer>
    <hint format="html"><text>Start with the units.</text></hint>
  </question>
  <question type="ordering">
    <name><text>Absolute</text></name>
    <questiontext format="html"><text>Order the planets from the Sun.</text></questiontext>
    <gradingtype>ABSOLUTE_POSITION</gradingtype>
    <answer fraction="1"><text>Mercury</text></answer>
    <answer fraction="2"><text>Venus</text></answer>
  </question>
</quiz>
"""


def test_moodle_s_own_ordering_export_is_read_with_its_default_grading() -> None:
    entries = read_bank(MOODLE_LIKE_XML.encode(), "ordering.xml")
    assert len(entries) == 2
    first, second = (e.question for e in entries)
    assert (first.type, first.key, first.items) == (
        QuestionType.ORDERING,
        "steps-1",
        ("Convert", "Write", "Rearrange"),
    )
    assert first.order_grading is OrderGrading.RELATIVE_NEXT  # Moodle's default when none is given
    assert second.order_grading is OrderGrading.ABSOLUTE_POSITION


MOODLE_LIKE_GIFT = """// question: 123  name: Words
// [id:words-1]
::Words::[html]Put these words in order.{>2     none
Modular
Object
Oriented
}

::Older:: Order these {>3 ALL ABSOLUTE_POSITION =one =two =three}

::Broken:: Order {>3 ALL only}
"""


def test_gift_s_ordering_form_is_read_and_a_broken_one_named_with_its_line() -> None:
    good = MOODLE_LIKE_GIFT.rsplit("::Broken::", 1)[0]
    words, older = (e.question for e in read_bank(good, "o.gift"))
    assert (words.key, words.items, words.format.value) == (
        "words-1",
        ("Modular", "Object", "Oriented"),
        "html",
    )
    assert words.order_grading is OrderGrading.RELATIVE_NEXT
    assert (older.items, older.order_grading) == (("one", "two", "three"), OrderGrading.ABSOLUTE_POSITION)
    with pytest.raises(Invalid) as caught:
        read_bank(MOODLE_LIKE_GIFT, "o.gift")
    [problem] = caught.value.problems
    assert "needs at least two items" in str(problem) and "o.gift:11" in str(problem)
