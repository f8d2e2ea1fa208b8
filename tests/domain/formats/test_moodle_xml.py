"""Moodle XML: every type read as Moodle means it, hostile files refused, every problem named, round trips."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flipmastery.domain.errors import Invalid
from flipmastery.domain.formats import moodle_xml
from flipmastery.domain.formats.bank import read_bank
from flipmastery.domain.questions import (
    Choice,
    Derived,
    GapChoice,
    MatchPair,
    NumericAnswer,
    OrderGrading,
    Question,
    QuestionType,
    TextAnswer,
    TextFormat,
    Tolerance,
    Variable,
    true_false_choices,
)

FIXTURES = Path(__file__).parent / "fixtures"
FILE = "banks/gas.xml"
CATEGORY = "$course$/top/Default for CHEM11/Gas laws"


def fixture() -> list[Question]:
    return [
        e.question for e in moodle_xml.read((FIXTURES / "gas-laws.xml").read_text(encoding="utf-8"), FILE)
    ]


def quiz(*questions: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "\n".join(questions) + "\n</quiz>\n"


def question(kind: str, body: str, name: str = "Q") -> str:
    return (
        f'<question type="{kind}"><name><text>{name}</text></name>'
        f'<questiontext format="html"><text>Text?</text></questiontext>\n{body}\n</question>'
    )


def problems(text: str | bytes) -> list[str]:
    with pytest.raises(Invalid) as caught:
        moodle_xml.read(text, FILE)
    return [str(p) for p in caught.value.problems]


# ---- every type, as Moodle means it ----------------------------------------------------------------


def test_the_fixture_reads_every_question_with_its_line_and_category() -> None:
    entries = moodle_xml.read((FIXTURES / "gas-laws.xml").read_text(encoding="utf-8"), FILE)

    assert [(e.line, e.question.type.value, e.category.removeprefix(CATEGORY)) for e in entries] == [
        (15, "single_choice", ""),
        (71, "multiple_response", ""),
        (107, "true_false", ""),
        (136, "short_text", ""),
        (166, "numeric", ""),
        (218, "calculated", ""),
        (348, "calculated", "/Practice"),
        (428, "matching", "/Practice"),
        (474, "free_response", "/Practice"),
        (506, "description", "/Practice"),
    ]


def test_single_choice_keeps_html_idnumber_tags_feedback_and_the_plugin_file_reference() -> None:
    assert fixture()[0] == Question(
        QuestionType.SINGLE_CHOICE,
        '<p>What is the SI unit of <b>pressure</b>? <img src="@@PLUGINFILE@@/gauge.png" alt="a gauge" /></p>',
        key="GAS-1-unit",
        title="SI unit of pressure",
        format=TextFormat.HTML,
        general_feedback="<p>1 Pa = 1 N/m².</p>",
        tags=("units", "misconception:bar-is-si"),
        choices=(
            Choice("<p>pascal</p>", 1.0, "Right: the newton per square metre."),
            Choice("<p>bar</p>", 0.0, "A bar is 100 000 Pa, but it is not an SI unit."),
            Choice("<p>atmosphere</p>", 0.0),
        ),
        shuffle=True,
    )


def test_multiple_response_fractions_are_moodles_percents_and_shuffle_is_read() -> None:
    assumptions = fixture()[1]

    assert (assumptions.key, assumptions.points, assumptions.shuffle, assumptions.format) == (
        "Ideal gas assumptions",
        2.0,
        False,
        TextFormat.PLAIN,  # moodle_auto_format
    )
    assert [c.fraction for c in assumptions.choices] == [0.3333333, 0.3333333, 0.3333334, -0.3333333]
    assert assumptions.choices[3].feedback == "They move faster when it is hotter."


def test_true_false_feedback_short_answer_case_and_numeric_units() -> None:
    boyle, law, pressure = fixture()[2:5]

    assert boyle.format is TextFormat.MARKDOWN
    assert boyle.choices == true_false_choices(
        True, feedback_true="Yes: PV = constant at fixed T & n.", feedback_false="If T changes, so does PV."
    )
    assert law.case_sensitive is True
    assert law.answers == (
        TextAnswer("Charles*", 1.0, "Right."),
        TextAnswer("Gay-Lussac*", 0.5, "That one is P/T."),
    )
    assert (pressure.unit, pressure.unit_penalty) == ("kPa", 0.25)
    assert pressure.numeric_answers == (
        NumericAnswer(101.325, tolerance=0.5, feedback="Yes."),
        NumericAnswer(100.0, tolerance=0.0, fraction=0.5, feedback="Close: that is 1 bar."),
        NumericAnswer(None, fraction=0.0, feedback="Look it up in the data booklet."),  # Moodle's "*"
    )


def test_calculated_datasets_become_variables_and_shared_ones_a_group() -> None:
    boyle, charles = fixture()[5:7]

    assert boyle.variables == (
        Variable("P1", minimum=90.0, maximum=110.0, decimals=1),
        Variable("V1", minimum=2.0, maximum=5.0, decimals=2),
        Variable("V2", minimum=0.5, maximum=1.5, decimals=2),
    )
    assert boyle.group == CATEGORY
    assert boyle.numeric_answers[0] == NumericAnswer(
        formula="P1 * V1 / V2", tolerance=0.02, tolerance_mode=Tolerance.RELATIVE
    )
    assert (boyle.answer_decimals, boyle.unit, boyle.unit_penalty, boyle.points) == (1, "kPa", 0.1, 3.0)
    # calculatedsimple: private datasets, nominal tolerance, significant figures, units not used
    assert charles.type is QuestionType.CALCULATED
    assert charles.group == ""
    assert charles.numeric_answers == (NumericAnswer(formula="V1*T2/T1", tolerance=0.05),)
    assert (charles.answer_decimals, charles.unit) == (None, "")


def test_matching_distractors_essay_rubric_and_description() -> None:
    matching, essay, description = fixture()[7:]

    assert matching.pairs == (
        MatchPair("<p>Boyle</p>", "temperature"),
        MatchPair("<p>Charles</p>", "pressure"),
        MatchPair("<p>Gay-Lussac</p>", "volume"),
        MatchPair("", "colour"),
    )
    assert essay.rubric.startswith("<p>2 marks: work done on the gas;")
    assert essay.points == 4.0
    assert (description.type, description.points) == (QuestionType.DESCRIPTION, 0.0)


def test_old_exports_with_translated_true_false_words_take_the_first_answer_as_true() -> None:
    body = (
        '<answer fraction="0"><text>Vrai</text><feedback><text>Non.</text></feedback></answer>'
        '<answer fraction="100"><text>Faux</text><feedback><text>Oui.</text></feedback></answer>'
    )

    [entry] = moodle_xml.read(quiz(question("truefalse", body)), FILE)

    assert entry.question.choices == true_false_choices(False, feedback_true="Non.", feedback_false="Oui.")


def test_geometric_tolerance_is_read_as_relative_and_loose_datasets_fall_back_to_their_items() -> None:
    body = """<answer fraction="100"><text>{a}*2</text><tolerance>0.1</tolerance>
      <tolerancetype>3</tolerancetype><correctanswerformat>1</correctanswerformat><correctanswerlength>2</correctanswerlength></answer>
      <dataset_definitions><dataset_definition><status><text>private</text></status><name><text>a</text></name>
      <minimum><text></text></minimum><maximum><text></text></maximum><decimals><text>0</text></decimals>
      <dataset_items><dataset_item><number>1</number><value>3</value></dataset_item>
      <dataset_item><number>2</number><value>7</value></dataset_item></dataset_items>
      </dataset_definition></dataset_definitions>"""

    [entry] = moodle_xml.read(quiz(question("calculated", body)), FILE)

    assert entry.question.numeric_answers[0].tolerance_mode is Tolerance.RELATIVE
    assert entry.question.variables == (Variable("a", values=(3.0, 7.0)),)
    assert entry.question.answer_decimals == 2


def test_random_slots_are_skipped_and_empty_answers_dropped_as_moodle_saves_them() -> None:
    random = '<question type="random"><name><text>Random (GAS)</text></name></question>'
    choices = (
        '<answer fraction="100"><text>a</text></answer><answer fraction="0"><text></text></answer>'
        '<answer fraction="0"><text>b</text></answer>'
    )
    numbers = '<answer fraction="100"><text>4</text></answer><answer fraction="0"><text> </text></answer>'

    entries = moodle_xml.read(
        quiz(random, question("multichoice", choices), question("numerical", numbers)), FILE
    )

    assert [len(e.question.choices or e.question.numeric_answers) for e in entries] == [2, 1]


def test_a_latin_1_file_is_read_by_its_declared_encoding_as_bytes_or_text() -> None:
    text = quiz(question("essay", "", name="Café"))
    latin = text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')

    assert moodle_xml.read(latin.encode("latin-1"), FILE)[0].question.title == "Café"
    assert moodle_xml.read(latin, FILE)[0].question.title == "Café"


# ---- problems ----------------------------------------------------------------------------------------


def test_every_problem_is_listed_with_its_line_and_nothing_is_returned() -> None:
    text = quiz(
        question("essay", "", name="fine"),
        question("ddmarker", ""),
        question("multichoice", '<answer fraction="150"><text>a</text></answer>'
                 '<answer fraction="0"><text>b</text></answer>'),
        question("multichoice", '<single>false</single><answer fraction="50"><text>a</text></answer>'
                 '<answer fraction="20"><text>b</text></answer>'),
        question("numerical", '<answer fraction="100"><text>abc</text></answer>'),
        question("calculated", '<answer fraction="100"><text>{a} + {b}</text></answer><dataset_definitions>'
                 "<dataset_definition><name><text>a</text></name><minimum><text>1</text></minimum>"
                 "<maximum><text>2</text></maximum><decimals><text>0</text></decimals></dataset_definition>"
                 "</dataset_definitions>"),
        question("calculated", '<answer fraction="100"><text>{a} +* 2</text></answer>'),
        '<question type="matching"><questiontext><text>M</text></questiontext>'
        "<subquestion><text>a</text><answer><text>1</text></answer></subquestion></question>",
    )  # fmt: skip

    assert problems(text) == [
        "banks/gas.xml:6: Moodle's drag-and-drop-markers (ddmarker) questions cannot be imported yet; remove"
        " this question or change its type in Moodle",
        "banks/gas.xml:10: an answer's fraction must be a percent from -100 to 100, found '150'",
        "banks/gas.xml:12: the correct answers' weights add up to 70 %, not 100 %",
        "banks/gas.xml:16: a numerical answer must be a number or *, found 'abc'",
        "banks/gas.xml:19: the answer formula uses {b}, which has no dataset definition",
        "banks/gas.xml:22: the answer formula '{a} +* 2' cannot be read:"
        " unexpected '*' at character 6 of '{a} +* 2'",
        "banks/gas.xml:24: a matching question needs at least two subquestions with text",
        "banks/gas.xml:24: the question has no <name><text>",
    ]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<quiz><question type="essay"><name><text>&lol4;</text></name></question></quiz>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="essay"><name><text>&secret;</text></name></question></quiz>"""

TOO_MANY = "the XML cannot be read: it has more than 250000 elements; split the bank"
TOO_DEEP = "the XML cannot be read: elements nest more than 32 deep"
INVALID_TOKEN = "the XML is not well-formed: not well-formed (invalid token)"
REFUSED = (
    "banks/gas.xml: the file declares a DTD or entities;"
    " bank files never need them, so they are refused for safety"
)


@pytest.mark.parametrize(
    "text", [BILLION_LAUGHS, EXTERNAL_ENTITY, '<!DOCTYPE quiz SYSTEM "http://x/q.dtd"><quiz/>']
)
def test_entities_and_dtds_are_refused_before_anything_is_expanded_or_fetched(text: str) -> None:
    assert problems(text) == [REFUSED]
    assert problems(text.encode()) == [REFUSED]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (quiz("<question type='essay'>"), "banks/gas.xml:4: the XML is not well-formed: mismatched tag"),
        ("<quiz><a>&nbsp;</a></quiz>", "banks/gas.xml:1: the XML is not well-formed: undefined entity"),
        (b"<quiz>\n\xff\xfe</quiz>", f"banks/gas.xml:2: {INVALID_TOKEN}"),
        (b"\x00\x01\x02 binary junk", f"banks/gas.xml:1: {INVALID_TOKEN}"),
        ("<questions/>", "banks/gas.xml:1: a Moodle XML bank starts with <quiz>, not <questions>"),
        ("<quiz>" + "<a>" * 99 + "</a>" * 99 + "</quiz>", f"banks/gas.xml: {TOO_DEEP}"),
        ("", "banks/gas.xml:1: the XML is not well-formed: no element found"),
        ("<quiz>\udcff</quiz>", "banks/gas.xml: the file is not UTF-8 text; save it as UTF-8"),
        ("<quiz>" + "<a/>" * 250_001 + "</quiz>", f"banks/gas.xml: {TOO_MANY}"),
        ("<quiz>" + " " * 5_000_001 + "</quiz>", "banks/gas.xml: the file is larger than 5 MB; split the"
                                                 " bank"),
    ],
)  # fmt: skip
def test_malformed_or_hostile_files_give_one_clear_problem(text: str | bytes, expected: str) -> None:
    assert problems(text) == [expected]


# ---- writing -----------------------------------------------------------------------------------------


def test_writing_the_fixture_then_reading_it_gives_the_same_questions() -> None:
    questions = fixture()

    written = moodle_xml.write(questions)
    again = moodle_xml.read(written, "again.xml")

    assert [e.question for e in again] == questions
    assert moodle_xml.write([e.question for e in again]) == written
    assert read_bank(written, "banks/again.xml") == again


def test_a_calculated_question_is_written_with_its_group_as_category_and_usable_dataset_items() -> None:
    boyle = fixture()[5]

    written = moodle_xml.write([boyle])

    assert f'<question type="category">\n    <category><text>{CATEGORY}</text></category>' in written
    assert "<status><text>shared</text></status>" in written
    assert written.count("<dataset_item>") == 30  # ten items for each of the three variables
    assert "<dataset_item><number>10</number><value>110.0</value></dataset_item>" in written
    assert (
        "<tolerancetype>1</tolerancetype>" in written
        and "<correctanswerlength>1</correctanswerlength>" in written
    )


def test_html_is_written_in_cdata_and_a_relative_numeric_tolerance_becomes_absolute() -> None:
    q = Question(
        QuestionType.NUMERIC,
        "<p>Boils at?</p> ]]> done",
        format=TextFormat.HTML,
        numeric_answers=(NumericAnswer(100.0, tolerance=0.02, tolerance_mode=Tolerance.RELATIVE),),
    )

    written = moodle_xml.write([q])

    assert (
        '<questiontext format="html"><text><![CDATA[<p>Boils at?</p> ]]]]><![CDATA[> done]]></text>'
        in written
    )
    assert moodle_xml.read(written, FILE)[0].question.numeric_answers == (
        NumericAnswer(100.0, tolerance=2.0),
    )


def test_questions_moodle_xml_cannot_hold_are_refused_with_the_reason() -> None:
    wide = Question(
        QuestionType.CALCULATED,
        "{V1}?",
        key="boyle-2",
        variables=(Variable("V1", values=(1.0, 2.0)), Variable("P1", 0, 500, step=0.5)),
        derived=(Derived("P2", "P1 * V1"),),
        numeric_answers=(NumericAnswer(formula="P2"),),
    )
    control = Question(QuestionType.NUMERIC, "P\x07?", title="P", numeric_answers=(NumericAnswer(1.0),))

    with pytest.raises(Invalid) as caught:
        moodle_xml.write([wide, control])

    assert sorted(str(p) for p in caught.value.problems) == [
        "question 'P' cannot be written as Moodle XML:"
        " a text contains a character XML cannot hold (a control character)",
        "question 'boyle-2' cannot be written as Moodle XML:"
        " P1 can take 1001 values; a Moodle dataset holds at most 100 items"
        " (use a larger step or a smaller range)",
    ]


# ---- round trips of random questions ----------------------------------------------------------------

_text = (
    st.text(st.sampled_from(list("ab <>&]]>\"'{}\n\r\té*_")), min_size=1, max_size=15)
    .map(lambda t: t.strip(" \n\r\t"))
    .filter(bool)
)
_maybe = st.one_of(st.just(""), _text)
_fraction = st.sampled_from([0.0, 0.5, -0.3333333, 0.25, 1 / 3, -1.0])
_number = st.floats(-1e9, 1e9, allow_nan=False)


@st.composite
def _question(draw: st.DrawFn) -> Question:
    kind = draw(
        st.sampled_from([t for t in QuestionType if t is not QuestionType.CLOZE])
    )  # test_cloze_formats
    title = draw(_maybe)
    common = {
        "text": draw(_text),
        "key": draw(st.sampled_from([title, "id-" + draw(_text)])),
        "title": title,
        "format": draw(st.sampled_from(list(TextFormat))),
        "points": draw(st.sampled_from([0.0, 1.0, 2.5])),
        "general_feedback": draw(_maybe),
        "tags": tuple(draw(st.lists(_text, max_size=2))),
    }
    if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        single = kind is QuestionType.SINGLE_CHOICE
        fractions = [1.0, draw(_fraction)] if single else [0.5, 0.5, draw(st.sampled_from([0.0, -0.5]))]
        choices = tuple(Choice(draw(_text), f, draw(_maybe)) for f in fractions)
        return Question(kind, choices=choices, shuffle=draw(st.booleans()), **common)
    if kind is QuestionType.TRUE_FALSE:
        return Question(
            kind, choices=true_false_choices(draw(st.booleans()), draw(_maybe), draw(_maybe)), **common
        )
    if kind is QuestionType.SHORT_TEXT:
        answers = (TextAnswer(draw(_text), 1.0, draw(_maybe)), TextAnswer(draw(_text), draw(_fraction)))
        return Question(kind, answers=answers, case_sensitive=draw(st.booleans()), **common)
    unit = draw(st.sampled_from(["", "kPa", "m/s"]))
    penalty = draw(st.sampled_from([0.0, 0.1, 0.5])) if unit else 1.0
    if kind is QuestionType.NUMERIC:
        answers = (NumericAnswer(draw(_number), tolerance=draw(st.floats(0, 5)), feedback=draw(_maybe)),
                   NumericAnswer(None, fraction=0.0, feedback=draw(_maybe)))  # fmt: skip
        return Question(kind, numeric_answers=answers, unit=unit, unit_penalty=penalty, **common)
    if kind is QuestionType.CALCULATED:
        low, high = sorted([draw(_number), draw(_number)])
        variables = (Variable("a", low, high, decimals=draw(st.integers(0, 4))),)
        mode = draw(st.sampled_from(list(Tolerance)))
        answer = NumericAnswer(formula="a * 2", tolerance=draw(st.floats(0, 1)), tolerance_mode=mode)
        decimals, group = draw(st.sampled_from([None, 0, 3])), draw(st.sampled_from(["", "g"]))
        return Question(
            kind,
            numeric_answers=(answer,),
            variables=variables,
            unit=unit,
            unit_penalty=penalty,
            answer_decimals=decimals,
            group=group,
            **common,
        )
    if kind is QuestionType.MATCHING:
        pairs = (
            MatchPair(draw(_text), draw(_text)),
            MatchPair(draw(_text), draw(_text)),
            MatchPair("", draw(_text)),
        )
        return Question(kind, pairs=pairs, shuffle=draw(st.booleans()), **common)
    if kind is QuestionType.ORDERING:
        items = draw(st.lists(_text, min_size=2, max_size=4, unique_by=lambda t: " ".join(t.split())))
        return Question(
            kind, items=tuple(items), order_grading=draw(st.sampled_from(list(OrderGrading))), **common
        )
    if kind is QuestionType.GAPS:
        gaps = draw(st.integers(1, 3))
        common["text"] = " ".join(f"{draw(_text)} [[{n}]]" for n in range(1, gaps + 1))
        names = draw(
            st.lists(_text, min_size=gaps, max_size=gaps + 2, unique_by=lambda t: " ".join(t.split()))
        )
        every = draw(st.booleans())  # all infinite: written as gapselect, else as ddwtos
        choices = tuple(
            GapChoice(name, draw(st.integers(1, 3)), every or draw(st.booleans())) for name in names
        )
        answers = tuple(draw(st.permutations(range(1, gaps + 1))))
        return Question(kind, gap_choices=choices, gap_answers=answers, shuffle=draw(st.booleans()), **common)
    if kind is QuestionType.FREE_RESPONSE:
        return Question(kind, rubric=draw(_maybe), **common)
    return Question(kind, **common)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_question(), min_size=1, max_size=4))
def test_any_question_moodle_xml_can_hold_reads_back_equal(questions: list[Question]) -> None:
    written = moodle_xml.write(questions)

    assert [e.question for e in moodle_xml.read(written, "random.xml")] == questions
