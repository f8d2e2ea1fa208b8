"""Cloze questions in Moodle XML (Moodle's {1:SHORTANSWER:…} syntax) and in our YAML: read, written back and
read again unchanged; the broken ones Moodle refuses are refused here too, each with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from flipmastery.domain.errors import Invalid
from flipmastery.domain.formats import moodle_xml, yaml_bank
from flipmastery.domain.formats.gift_writer import cannot
from flipmastery.domain.questions import (
    Choice,
    ClozeLayout,
    NumericAnswer,
    QuestionType,
    TextAnswer,
    TextFormat,
)

FIXTURE = Path(__file__).parent / "fixtures" / "cloze-gases.xml"


def read_fixture():  # type: ignore[no-untyped-def]
    return moodle_xml.read(FIXTURE.read_text(encoding="utf-8"), "cloze-gases.xml")


def messages(read, text: str, file: str = "q.xml") -> list[str]:  # type: ignore[no-untyped-def]
    with pytest.raises(Invalid) as caught:
        read(text, file)
    return [str(p) for p in caught.value.problems]


def test_moodle_parts_become_numbered_parts_of_their_own_types() -> None:
    air, kelvin = (entry.question for entry in read_fixture())

    assert air.type is QuestionType.CLOZE and air.key == "cloze-air" and air.format is TextFormat.HTML
    assert air.text.startswith(
        "<p>Dry air is mostly [[1]].</p><p>At STP one mole of an ideal gas fills [[2]]"
    )
    mc, nm, sa, mr, sac, mch = air.cloze_parts
    assert mc.type is QuestionType.SINGLE_CHOICE and mc.layout is ClozeLayout.DROPDOWN and not mc.shuffle
    assert mc.choices[0] == Choice("nitrogen", 1.0, "Yes, about 78 %.")
    assert nm.weight == 2
    assert nm.numeric_answers == (
        NumericAnswer(22.4, tolerance=0.1, feedback="Right."),
        NumericAnswer(22.7, tolerance=0.1, fraction=0.5, feedback="That is at 100 kPa, not 1 atm."),
        NumericAnswer(None, fraction=0.0, feedback="Use 22.4 L."),
    )
    assert sa.answers[1] == TextAnswer("Boyles", 0.5, "Spell it Boyle.") and not sa.case_sensitive
    assert mr.type is QuestionType.MULTIPLE_RESPONSE and mr.layout is ClozeLayout.VERTICAL
    assert [c.fraction for c in mr.choices] == [0.5, 0.5, -1.0]
    assert sac.case_sensitive and mch.layout is ClozeLayout.HORIZONTAL and mch.weight == 1
    assert kelvin.text == "0 °C is [[1]] K; a \\} stays in [[2]]." and kelvin.points == 2
    assert kelvin.cloze_parts[1].answers == (TextAnswer("a}b#c"),)


def test_moodle_xml_and_yaml_round_trips_keep_every_part() -> None:
    questions = [entry.question for entry in read_fixture()]

    written = moodle_xml.write(questions)

    assert '<question type="cloze">' in written
    assert (
        "{2:NUMERICAL:=22.4:0.1#Right.~%50%22.7:0.1#That is at 100 kPa, not 1 atm.~%0%*#Use 22.4 L.}"
        in written
    )
    assert [e.question for e in moodle_xml.read(written, "back.xml")] == questions
    assert [e.question for e in yaml_bank.read(yaml_bank.write(questions), "back.yaml")] == questions
    assert cannot(questions[0]) == ["GIFT has no cloze questions; use YAML or Moodle XML"]


def test_the_yaml_form_reads_each_part_with_its_own_types_keys() -> None:
    text = """\
questions:
  - type: cloze
    text: Air is mostly [[1]]; one mole fills [[2]] L at STP.
    parts:
      - {type: single_choice, choices: [{text: nitrogen, correct: true}, oxygen], layout: vertical}
      - {type: numeric, answer: {value: 22.4, tolerance: 0.1}, weight: 2}
"""
    (entry,) = yaml_bank.read(text, "b.yaml")

    choice, number = entry.question.cloze_parts
    assert choice.layout is ClozeLayout.VERTICAL and choice.choices[0] == Choice("nitrogen", 1.0)
    assert number.weight == 2 and number.numeric_answers == (NumericAnswer(22.4, tolerance=0.1),)


def test_bad_yaml_parts_are_named_with_their_lines() -> None:
    text = """\
questions:
  - type: cloze
    text: Air is [[1]] and [[3]].
    parts:
      - {type: essay, answer: x}
      - {type: short_text, answers: [{text: a, fraction: 0.5}], colour: red}
"""
    assert messages(yaml_bank.read, text, "b.yaml") == [
        "b.yaml:5: 'type' of part 1 of the question must be one of short_text, numeric, single_choice,"
        " multiple_response",
        "b.yaml:6: part 2 of the question needs an answer with full credit (fraction 1)",
        "b.yaml:6: unknown key 'colour' in part 2 of the question; known keys: answer, answers,"
        " case_sensitive, type, weight",
    ]


def cloze(text: str, line: int = 0) -> str:
    return (
        '<quiz>\n<question type="cloze"><name><text>Q</text></name>'
        f'<questiontext format="html"><text><![CDATA[{text}]]></text></questiontext></question>\n</quiz>'
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Please select the fruits.", "the question text must include at least one embedded answer"),
        ("Please select the fruits {1:MULTICHOICE}", "the question text must include at least one embedded"),
        ("Fruit {1:MULTICHOICE:=Apple#Correct}", "part 1: a choice part needs at least 2 choices"),
        ("Fruit {1:MULTICHOICE:Pear#No~%50%Apple#Half}", "part 1: one of the choices should give 100 %"),
        (
            "Grade? {3:NUMERICAL:=zero}",
            "part 1: the answer must be a number, for example -1.234 or 3e8, or '*'",
        ),
        ("Open {1:SA:=a", "part 1, '{1:SA:=a', has no closing }"),
    ],
)
def test_cloze_questions_moodle_refuses_are_refused_with_the_reason(text: str, problem: str) -> None:
    (said,) = messages(moodle_xml.read, cloze(text))

    assert said.startswith(f"q.xml:2: invalid Cloze question: {problem}")


def test_a_file_of_one_question_alone_reads_as_a_bank_of_one() -> None:
    # Moodle's own tests keep a question as a lone <question>; Moodle 1.9 wrote no format (HTML then).
    text = (
        '<question type="cloze"><name><text>Lone</text></name>\n<questiontext><text><![CDATA[Air is '
        "&quot;mostly&quot; {1:MULTICHOICE:=nitrogen~oxygen}]]></text></questiontext>\n"
        "<image>air.png</image></question>"
    )

    (entry,) = moodle_xml.read(text, "lone.xml")

    assert entry.question.title == "Lone" and entry.question.format is TextFormat.HTML
    assert entry.question.text == "Air is &quot;mostly&quot; [[1]]"


def test_moodle_xml_refuses_a_cloze_it_cannot_hold_saying_why() -> None:
    from dataclasses import replace

    from flipmastery.domain.formats.moodle_xml_writer import cannot as cannot_xml

    air = read_fixture()[0].question
    mc, nm, *rest = air.cloze_parts
    with_unit = replace(air, cloze_parts=(mc, replace(nm, unit="L"), *rest))
    control = replace(
        air, cloze_parts=(replace(mc, choices=(Choice("a\x01", 1.0), Choice("b", 0.0))), nm, *rest)
    )

    assert cannot_xml(with_unit) == ["part 2 has a unit; Moodle's numerical parts have none"]
    assert cannot_xml(control) == ["a text contains a character XML cannot hold (a control character)"]


def test_several_right_answers_of_a_multiple_response_share_its_100_percent() -> None:
    text = cloze("Fruit: {1:MULTIRESPONSE:=Apple#Good~%-50%Burger~=Orange#Yes~=Banana}")

    (entry,) = moodle_xml.read(text, "q.xml")

    (part,) = entry.question.cloze_parts
    assert [round(c.fraction, 6) for c in part.choices] == [0.333333, -0.5, 0.333333, 0.333333]
    assert moodle_xml.read(moodle_xml.write([entry.question]), "back.xml")[0].question == entry.question
