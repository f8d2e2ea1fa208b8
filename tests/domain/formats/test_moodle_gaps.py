"""Moodle's gapselect and ddwtos questions, written as Moodle exports them, read as our gaps questions;
written back as Moodle XML and read again unchanged; broken or hostile files refused with their lines."""

from __future__ import annotations

import random

import pytest

from flipmastery.domain.errors import Invalid
from flipmastery.domain.formats import moodle_xml
from flipmastery.domain.formats.bank import read_bank
from flipmastery.domain.generation import gap_options, generate
from flipmastery.domain.grading import Status, correct_response, grade, question_problems
from flipmastery.domain.questions import GapChoice, QuestionType

GAPSELECT = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category>
        <text>$course$/top/Gas laws</text>
    </category>
  </question>

<!-- question: 41  -->
  <question type="gapselect">
    <name>
      <text>Boyle in words</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p>At constant [[3]], pressure and [[2]] are [[5]] proportional.</p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text>pV = k at fixed temperature.</text>
    </generalfeedback>
    <defaultgrade>3.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <shuffleanswers>1</shuffleanswers>
    <correctfeedback format="html">
      <text>Your answer is correct.</text>
    </correctfeedback>
    <partiallycorrectfeedback format="html">
      <text>Your answer is partially correct.</text>
    </partiallycorrectfeedback>
    <incorrectfeedback format="html">
      <text>Your answer is incorrect.</text>
    </incorrectfeedback>
    <shownumcorrect/>
    <selectoption>
      <text>mass</text>
      <group>1</group>
    </selectoption>
    <selectoption>
      <text>volume</text>
      <group>1</group>
    </selectoption>
    <selectoption>
      <text>temperature</text>
      <group>1</group>
    </selectoption>
    <selectoption>
      <text>directly</text>
      <group>2</group>
    </selectoption>
    <selectoption>
      <text>inversely</text>
      <group>2</group>
    </selectoption>
    <hint format="html">
      <text>Think of a syringe.</text>
    </hint>
    <tags>
      <tag><text>boyle</text></tag>
    </tags>
  </question>

<!-- question: 42  -->
  <question type="ddwtos">
    <name>
      <text>Ideal gas units</text>
    </name>
    <questiontext format="moodle_auto_format">
      <text>Pressure in [[1]], volume in [[2]], temperature in [[3]], amount in [[2]]... no: [[4]].</text>
    </questiontext>
    <generalfeedback format="moodle_auto_format">
      <text></text>
    </generalfeedback>
    <defaultgrade>1</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <shuffleanswers>0</shuffleanswers>
    <correctfeedback format="moodle_auto_format">
      <text><![CDATA[<p>Your answer is correct.</p>]]></text>
    </correctfeedback>
    <partiallycorrectfeedback format="moodle_auto_format">
      <text><![CDATA[<p>Your answer is partially correct.</p>]]></text>
    </partiallycorrectfeedback>
    <incorrectfeedback format="moodle_auto_format">
      <text><![CDATA[<p>Your answer is incorrect.</p>]]></text>
    </incorrectfeedback>
    <shownumcorrect/>
    <dragbox>
      <text>kPa</text>
      <group>1</group>
    </dragbox>
    <dragbox>
      <text>L</text>
      <group>1</group>
      <infinite/>
    </dragbox>
    <dragbox>
      <text>K</text>
      <group>1</group>
    </dragbox>
    <dragbox>
      <text>mol</text>
      <group>1</group>
    </dragbox>
    <dragbox>
      <text>°C</text>
      <group>1</group>
    </dragbox>
    <hint format="moodle_auto_format">
      <text>SI units.</text>
      <shownumcorrect/>
      <clearwrong/>
    </hint>
  </question>

</quiz>
"""


def test_moodle_s_gapselect_and_ddwtos_are_read_as_gaps_with_moodle_s_count() -> None:
    entries = read_bank(GAPSELECT.encode(), "gaps.xml")

    assert len(entries) == 2
    select, drag = (e.question for e in entries)
    assert [e.category for e in entries] == ["$course$/top/Gas laws"] * 2
    assert select.type is drag.type is QuestionType.GAPS
    # Moodle's [[3]] (the choice right there) becomes our gap [[1]] whose right choice is 3
    assert select.text == "<p>At constant [[1]], pressure and [[2]] are [[3]] proportional.</p>"
    assert select.gap_answers == (3, 2, 5)
    assert select.gap_choices[3] == GapChoice("directly", 2, infinite=True)  # a select: any number of gaps
    assert (select.title, select.points, select.shuffle, select.tags) == (
        "Boyle in words",
        3.0,
        True,
        ("boyle",),
    )
    assert drag.gap_answers == (1, 2, 3, 2, 4)
    assert [c.infinite for c in drag.gap_choices] == [False, True, False, False, False]
    assert drag.shuffle is False
    for question in (select, drag):
        assert question_problems(question, random.Random(0)) == []


def test_a_read_gapselect_offers_each_gap_its_group_and_its_key_scores_full_marks() -> None:
    select = read_bank(GAPSELECT.encode(), "gaps.xml")[0].question
    variant = generate(select, random.Random(4))
    options = gap_options(select, variant)
    assert sorted(text for _, text in options[2][1]) == ["directly", "inversely"]
    key = correct_response(select, variant)
    assert grade(select, variant, key).status is Status.CORRECT
    assert grade(
        select, variant, {**key, "3": next(lb for lb, _ in options[2][1] if lb != key["3"])}
    ).score == (pytest.approx(2 / 3))


def test_written_back_as_moodle_s_types_and_read_again_unchanged() -> None:
    questions = [e.question for e in read_bank(GAPSELECT.encode(), "gaps.xml")]
    written = moodle_xml.write(questions)

    assert '<question type="gapselect">' in written and '<question type="ddwtos">' in written
    assert "At constant [[3]], pressure and [[2]] are [[5]] proportional." in written  # Moodle's numbers
    assert "<infinite/>" in written and "<selectoption>" in written and "<dragbox>" in written
    assert [e.question for e in moodle_xml.read(written, "again.xml")] == questions


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            "<questiontext><text>A [[1]] and [[7]].</text></questiontext>"
            "<selectoption><text>x</text><group>1</group></selectoption>",
            "gap 2 is [[7]], but there are 1 choices",
        ),
        (
            "<questiontext><text>A [[1]].</text></questiontext>"
            "<dragbox><text>x</text><group>many</group></dragbox>",
            "the <group> of a choice must be 1 to 20, found 'many'",
        ),
        ("<questiontext><text>A [[1]].</text></questiontext>", "the question has no <dragbox> choices"),
        (
            "<questiontext><text>A [[1]] [[1]].</text></questiontext>"
            "<dragbox><text>x</text><group>1</group></dragbox>",
            "choice 1 ('x') is right for 2 gaps: let it be used more than once",
        ),
        (
            "<questiontext><text>No gaps.</text></questiontext>"
            "<dragbox><text>x</text><group>1</group></dragbox>",
            "a gaps question needs at least one gap [[1]] in its text",
        ),
    ],
)
def test_a_broken_question_is_refused_with_its_line(body: str, problem: str) -> None:
    kind = "gapselect" if "selectoption" in body else "ddwtos"
    text = f'<quiz>\n<question type="{kind}"><name><text>Q</text></name>{body}</question>\n</quiz>'
    with pytest.raises(Invalid) as caught:
        moodle_xml.read(text, "q.xml")
    assert [str(p) for p in caught.value.problems] == [f"q.xml:2: {problem}"]


def test_hostile_xml_is_refused_without_expanding_anything() -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        '<quiz><question type="gapselect"><name><text>&b;</text></name>'
        "<questiontext><text>[[1]]</text></questiontext>"
        "<selectoption><text>&b;</text><group>1</group></selectoption></question></quiz>"
    )
    with pytest.raises(Invalid):
        moodle_xml.read(laughs, "q.xml")
