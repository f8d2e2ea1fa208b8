"""GIFT: Moodle's own example files import with Moodle's meaning, every problem is named, round trips hold."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flipmastery.domain.errors import Invalid
from flipmastery.domain.formats import gift
from flipmastery.domain.formats.bank import read_bank, write_bank
from flipmastery.domain.questions import (
    Choice,
    MatchPair,
    NumericAnswer,
    Question,
    QuestionType,
    TextAnswer,
    TextFormat,
    Tolerance,
    Variable,
    true_false_choices,
)

FIXTURES = Path(__file__).parent / "fixtures"
PAIRS = "{=Canada -> Ottawa =Italy -> Rome}"
ONE_SET = "a question has one set of answers in braces; write \\{ and \\} for braces in the text"
FILE = "GAS-3.gift"


def fixture(name: str) -> list[Question]:
    return [e.question for e in gift.read((FIXTURES / name).read_text(encoding="utf-8"), name)]


def one(text: str) -> Question:
    entries = gift.read(textwrap.dedent(text), FILE)
    assert len(entries) == 1
    return entries[0].question


def problems(text: str | bytes) -> list[str]:
    with pytest.raises(Invalid) as caught:
        gift.read(textwrap.dedent(text) if isinstance(text, str) else text, FILE)
    return [str(p) for p in caught.value.problems]


# ---- Moodle's example files -------------------------------------------------------------------------


def test_every_question_of_moodles_examples_file_imports_with_its_type_and_line() -> None:
    entries = gift.read((FIXTURES / "examples.gift").read_text(encoding="utf-8"), "examples.gift")

    S, M, T, A, N, X = "single_choice", "multiple_response", "true_false", "short_text", "numeric", "matching"
    assert [(e.line, e.question.type.value) for e in entries] == [
        (8, S), (10, S), (12, T), (14, A), (16, N),
        (25, S), (27, S), (29, S), (35, S), (43, A), (45, A), (49, T), (51, T), (55, X), (61, X),
        (70, N), (72, N), (74, N), (76, N), (85, N), (90, A), (93, S), (98, S), (103, A), (108, A),
        (113, T), (115, S), (117, S), (123, A), (130, M), (136, M), (143, S), (148, S),
        (167, S), (169, S), (171, T), (173, A), (175, N), (177, X), (184, S), (190, S), (195, A), (202, N),
    ]  # fmt: skip


def test_every_question_of_moodles_test_fixture_imports() -> None:
    entries = gift.read((FIXTURES / "questions.gift").read_text(encoding="utf-8"), "questions.gift")

    assert [(e.line, e.question.type.value, e.question.title) for e in entries] == [
        (2, "free_response", "Q8"),
        (5, "matching", "Moodle activities"),
        (14, "single_choice", "Q2"),
        (22, "multiple_response", "colours"),
        (31, "numeric", "Q5"),
        (34, "short_text", "Shortanswer"),
        (41, "true_false", "Q1"),
        (46, "true_false", "2-08 TSL"),
        (49, "true_false", "2-08 TSL"),
    ]


def test_single_choice_and_missing_word_keep_the_text_around_the_answers() -> None:
    questions = fixture("examples.gift")

    assert questions[0] == Question(
        QuestionType.SINGLE_CHOICE,
        "Who's buried in Grant's tomb?",
        format=TextFormat.PLAIN,
        choices=(Choice("Grant", 0.0), Choice("Jefferson", 0.0), Choice("no one", 1.0)),
    )
    assert questions[1].text == "Grant is _____ in Grant's tomb."
    assert (
        questions[7].text
        == "The American holiday of Thanksgiving is celebrated on the _____ Thursday of November."
    )
    assert [c.text for c in questions[7].choices] == ["second", "third", "fourth"]


def test_true_false_feedback_goes_to_the_student_who_gave_that_answer() -> None:
    questions = fixture("examples.gift")
    q1 = fixture("questions.gift")[6]

    assert questions[2].choices == true_false_choices(False)
    assert questions[12].choices == true_false_choices(True)  # {T}
    # {FALSE#…}: the first feedback is for a wrong answer, so for a student who said "true".
    assert questions[25].choices == true_false_choices(
        False, feedback_true="No one is buried in Grant's tomb."
    )
    assert q1.choices == true_false_choices(
        False, feedback_true="42 is the Ultimate Answer.", feedback_false="You gave the right answer."
    )
    assert q1.general_feedback == "This is, of course, a Hitchiker's Guide to the Galaxy reference."


def test_short_answers_carry_weights_and_feedback_and_the_title_is_the_key() -> None:
    hometown = fixture("examples.gift")[41]

    assert (hometown.key, hometown.title) == ("Jesus' hometown (Short answer ex.)",) * 2
    assert hometown.text == "Jesus Christ was from _____."
    assert hometown.answers == (
        TextAnswer("Nazareth", 1.0, "Yes! That's right!"),
        TextAnswer("Nazereth", 0.75, "Right, but misspelled."),
        TextAnswer("Bethlehem", 0.25, "He was born here, but not raised here."),
    )
    assert fixture("questions.gift")[5].answers[2] == TextAnswer("*", 0.0, "Completely wrong")


def test_partial_credit_and_multiple_response_follow_moodles_rule() -> None:
    questions = fixture("examples.gift")

    assert [c.fraction for c in questions[26].choices] == [0.0, 0.5, 1.0]  # has '=': single choice
    assert questions[29].type is QuestionType.MULTIPLE_RESPONSE  # no '=': every answer is a '~'
    assert [c.fraction for c in questions[29].choices] == [0.0, 0.5, 0.5, 0.0]
    assert [c.fraction for c in questions[30].choices] == [-0.5, 0.5, 0.5, -0.5]
    colours = fixture("questions.gift")[3]
    assert colours.choices == (
        Choice("yellow", 0.5, "right; good!"),
        Choice("red", -1.0, "wrong"),  # "[html]wrong": the answer's own format is dropped
        Choice("off-beige", 0.5, "right; good!"),
        Choice("blue", -1.0, "wrong"),
    )


def test_numeric_answers_tolerances_ranges_and_several_graded_answers() -> None:
    questions = fixture("examples.gift")

    assert questions[4].numeric_answers == (NumericAnswer(1822.0, tolerance=1.0),)
    assert questions[16].numeric_answers == (NumericAnswer(3.1415, tolerance=0.0005),)
    ranged = questions[17].numeric_answers[0]  # {#3.141..3.142}: the middle, plus or minus half
    assert (ranged.value, ranged.tolerance, ranged.tolerance_mode) == (
        pytest.approx(3.1415),
        pytest.approx(0.0005),
        Tolerance.ABSOLUTE,
    )
    assert questions[42].numeric_answers == (
        NumericAnswer(1822.0, tolerance=0.0, fraction=1.0, feedback="Correct! 100% credit"),
        NumericAnswer(
            1822.0,
            tolerance=2.0,
            fraction=0.5,
            feedback="He was born in 1822.\nYou get 50% credit for being close.",
        ),
    )


def test_numeric_feedback_after_a_tilde_is_for_any_other_number() -> None:
    q5 = fixture("questions.gift")[4]

    assert q5.numeric_answers == (
        NumericAnswer(3.0, tolerance=2.0),
        NumericAnswer(None, fraction=0.0, feedback="Completely wrong"),
    )
    # The fixture was cut from PHP source with its closing `";`; Moodle reads that as a missing word.
    assert q5.text == 'What is a number from 1 to 5? _____";'


def test_matching_keeps_pairs_and_distractors_and_reads_formats() -> None:
    activities = fixture("questions.gift")[1]

    assert activities.format is TextFormat.HTML
    assert activities.text == "Match the <b>activity</b> to the description."
    assert activities.pairs == (
        MatchPair("An activity supporting asynchronous discussions.", "Forum"),
        MatchPair("A teacher asks a question and specifies a choice of multiple responses.", "Choice"),
        MatchPair("A bank of record entries which participants can add to.", "Database"),
        MatchPair("A collection of web pages that anyone can add to or edit.", "Wiki"),
        MatchPair("", "Chat"),
    )
    assert fixture("examples.gift")[38].pairs[0] == MatchPair("Canada", "Ottawa")  # "=Canada->Ottawa"


def test_escaped_control_characters_are_text() -> None:
    questions = fixture("examples.gift")

    assert [c.text for c in questions[31].choices] == ["= 2 + 2", "= 2 + 3", "= 2 + 4"]
    control = questions[32]
    assert control.title == "GIFT Control Characters"
    assert [c.text for c in control.choices] == ["~", "=", "#", "{", "}", "\\"]
    assert control.choices[0].feedback == "~ is a control character."
    assert control.choices[5].feedback.startswith(
        "Correct! \\ (backslash) is not a control character. BUT,\nit is"
    )


def test_text_formats_essays_and_escaped_line_breaks() -> None:
    assert fixture("examples.gift")[24].format is TextFormat.MARKDOWN
    assert fixture("examples.gift")[24].text == "Who's buried in **Grant's tomb**?"
    assert fixture("examples.gift")[0].format is TextFormat.PLAIN  # GIFT's default "moodle" format
    assert fixture("questions.gift")[0] == Question(
        QuestionType.FREE_RESPONSE, "How are you?", key="Q8", title="Q8", format=TextFormat.PLAIN
    )
    assert one(r"::a\:b::Line one\nline two {}").text == "Line one\nline two"
    assert one(r"::a\:b::x{}").title == "a:b"
    assert one(r"A \\ B \\\\ C{}").text == "A \\ B \\\\ C"  # MDL-34171


def test_descriptions_categories_ids_and_tags() -> None:
    entries = gift.read(
        textwrap.dedent("""\
        $CATEGORY: $course$/top/Gas laws

        // [id:gas-intro] [tag:intro] [tag:needs\\]review]
        ::Intro::[markdown]Read **this** first.

        // a comment, then a question that keeps the category
        ::P::Pressure is force per area.{T}
        """),
        FILE,
    )

    assert [(e.line, e.category) for e in entries] == [
        (4, "$course$/top/Gas laws"),
        (7, "$course$/top/Gas laws"),
    ]
    assert entries[0].question == Question(
        QuestionType.DESCRIPTION,
        "Read **this** first.",
        key="gas-intro",
        title="Intro",
        format=TextFormat.MARKDOWN,
        points=0.0,
        tags=("intro", "needs]review"),
    )
    assert entries[1].question.key == "P"


# ---- problems: file, line, everything at once, nothing returned ---------------------------------------


def test_a_bad_number_names_the_file_and_the_line_of_the_answer() -> None:
    assert problems("""\
        ::ok::Fine.{#4}

        ::bad::How hot?
        {#
           =273
           =%50%abc
        }
        """) == ["GAS-3.gift:6: a numeric answer needs a number after '#', found 'abc'"]


def test_every_problem_of_the_file_is_listed_and_no_question_is_returned() -> None:
    found = problems("""\
        ::good::Who?{=no one}

        ::Unclosed title Who?{=a}

        Where?{=here

        Which? {=a} and {=b}

        ::w::Which?{~%150%a =b}

        ::m::Which two?{~%50%a ~%20%b ~c}

        ::s::Say it.{=%50%half}

        ::match::Pair them.{=a -> 1 =b 2}

        $CATEGORY: top/x
        ::q::no blank line{T}

        ::r::Range?{#5..1}

        ::t::Tolerance?{#5:-1}

        ::e::Empty?{~a ~ =b}
        """)

    assert found == [
        "GAS-3.gift:3: the title has no closing '::'; write ::Title:: and then the question",
        "GAS-3.gift:5: the answers start with '{' but no '}' closes them",
        "GAS-3.gift:7: a question has one set of answers in braces; write \\{ and \\} for braces in the text",
        "GAS-3.gift:9: a weight must be between -100% and 100%, found %150%",
        "GAS-3.gift:11: with no '=' answer this is a multiple-response question; the correct answers'"
        " weights add up to 70 %, not 100 %",
        "GAS-3.gift:13: a short-answer question needs an answer with full credit, e.g. {=Boyle}",
        "GAS-3.gift:15: a matching pair needs '->' between prompt and answer, found 'b 2'",
        "GAS-3.gift:17: $CATEGORY: must be alone in its paragraph; put a blank line after it",
        "GAS-3.gift:20: the range 5..1 goes down; write the smaller number first",
        "GAS-3.gift:22: a tolerance must be a number of 0 or more, found '-1'",
        "GAS-3.gift:24: an answer has no text (two '~' or '=' in a row?)",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q?{}}", f"GAS-3.gift:1: {ONE_SET}"),
        ("Q} {", "GAS-3.gift:1: a '}' comes before any '{'; write \\} for a brace in the text"),
        ("Q?{~only}", "GAS-3.gift:1: a multiple-choice question needs at least two answers"),
        ("Q?{=a->b}", f"GAS-3.gift:1: a matching question needs at least two pairs, e.g. {PAIRS}"),
        ("Q?{#}", "GAS-3.gift:1: a numeric question needs a number after '#', e.g. {#1822} or {#3.14:0.01}"),
        ("::t::{=a}", "GAS-3.gift:1: the question has no text"),
        ("Q?{#1..x}", "GAS-3.gift:1: a numeric range needs two numbers, as in 1..5; found '1..x'"),
        ("Q?{#=%50%4}", "GAS-3.gift:1: a numeric question needs an answer with full credit"),
    ],
)  # fmt: skip
def test_each_malformed_question_says_what_is_wrong(text: str, expected: str) -> None:
    assert problems(text) == [expected]


def test_hostile_input_is_refused_without_a_traceback() -> None:
    assert problems("{" * 100_000 + "}" * 100_000) == [
        "GAS-3.gift:1: a question has one set of answers in braces; write \\{ and \\} for braces in the text"
    ]
    assert problems("Q?{T}\n\x00\x01binary") == [
        "GAS-3.gift:2: the file contains a control character (code 0); is it really a text file?"
    ]
    assert problems(b"Q?{T}\n\xff\xfe junk") == [
        "GAS-3.gift:2: the file is not UTF-8 text; save it as UTF-8 and import it again"
    ]
    assert problems("Q?{T}\n\udcff") == [
        "GAS-3.gift:2: the file is not UTF-8 text; save it as UTF-8 and import it again"
    ]
    assert problems("Q?{T}\n\n" * 800_000) == ["GAS-3.gift: the file is larger than 5 MB; split the bank"]


def test_too_many_questions_or_answers_are_refused_before_they_cost_memory() -> None:
    assert problems("a\n\n" * 1_000_000) == [
        "GAS-3.gift: the file has more than 5000 questions; split the bank"
    ]
    assert problems("Q?{" + "~a" * 101 + "}") == ["GAS-3.gift:1: a question can have at most 100 answers"]


def test_bytes_with_a_byte_order_mark_and_windows_line_ends_read_like_text() -> None:
    entries = gift.read("\ufeff::a::Q?\r\n{T}\r\n\r\n::b::R?{F}".encode(), FILE)

    assert [(e.line, e.question.title, e.question.text) for e in entries] == [(1, "a", "Q?"), (4, "b", "R?")]


# ---- writing ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["examples.gift", "questions.gift"])
def test_writing_then_reading_moodles_files_gives_the_same_questions(name: str) -> None:
    questions = fixture(name)

    written = gift.write(questions)

    assert [e.question for e in gift.read(written, "again.gift")] == questions
    assert gift.write([e.question for e in gift.read(written, "again.gift")]) == written


def test_the_writer_writes_what_moodle_writes() -> None:
    question = Question(
        QuestionType.SINGLE_CHOICE,
        "Grant is _____ in Grant's tomb {really}.",
        key="grant-1",
        title="Grant: tomb",
        tags=("history",),
        format=TextFormat.MARKDOWN,
        general_feedback="See #3.",
        choices=(Choice("buried", 0.0, "No one is."), Choice("entombed", 1.0), Choice("%living", 0.5)),
    )

    assert gift.write([question]) == (
        "// [id:grant-1] [tag:history]\n"
        "::Grant\\: tomb::[markdown]Grant is {\n"
        "\t~buried#No one is.\n"
        "\t=entombed\n"
        "\t~%50%%living\n"
        "\t####See \\#3.\n"
        "} in Grant's tomb \\{really\\}.\n\n"
    )
    assert one(gift.write([question])) == question


def test_true_false_numeric_and_matching_are_written_in_moodles_syntax() -> None:
    questions = [
        Question(
            QuestionType.TRUE_FALSE, "Hot air rises.", choices=true_false_choices(True, "Yes.", "It does.")
        ),
        Question(
            QuestionType.NUMERIC,
            "Boiling point of water?",
            numeric_answers=(
                NumericAnswer(100.0, tolerance=0.01, tolerance_mode=Tolerance.RELATIVE),
                NumericAnswer(None, fraction=0.0, feedback="At sea level."),
            ),
        ),
        Question(
            QuestionType.MATCHING,
            "Match.",
            pairs=(MatchPair("[x]", "1"), MatchPair("b", "2"), MatchPair("", "3")),
        ),
    ]

    questions = [replace(q, format=TextFormat.PLAIN) for q in questions]

    assert gift.write(questions) == (
        "Hot air rises.{TRUE#It does.#Yes.}\n\n"
        "Boiling point of water?{#\n\t=100:1\n\t~#At sea level.\n}\n\n"
        "Match.{\n\t=[moodle][x] -> 1\n\t=b -> 2\n\t= -> 3\n}\n\n"
    )


def test_questions_gift_cannot_hold_are_refused_by_name_with_the_reason() -> None:
    calculated = Question(
        QuestionType.CALCULATED, "P2?", key="boyle-1", variables=(Variable("P1", 1, 2, decimals=0),)
    )
    fixed = Question(QuestionType.SINGLE_CHOICE, "Pick.", title="Pick", shuffle=False, points=2.0,
                     choices=(Choice("a", 1.0), Choice("b", 0.0)))  # fmt: skip
    unit = Question(QuestionType.NUMERIC, "P?", numeric_answers=(NumericAnswer(101.3),), unit="kPa")
    good = Question(QuestionType.FREE_RESPONSE, "Explain.")

    with pytest.raises(Invalid) as caught:
        gift.write([good, calculated, fixed, unit])

    assert sorted(str(p) for p in caught.value.problems) == [
        "question 'Pick' cannot be written as GIFT: GIFT has no points and this question is worth 2;"
        " GIFT cannot keep the choices in a fixed order",
        "question 'boyle-1' cannot be written as GIFT:"
        " GIFT has no calculated questions; use YAML or Moodle XML",
        "question 4 cannot be written as GIFT: GIFT has no units (kPa)",
    ]


def test_the_bank_dispatcher_reads_and_writes_gift() -> None:
    questions = [e.question for e in read_bank("Q?{T}", "banks/x.gift")]

    assert write_bank(questions, "gift") == "Q?{TRUE}\n\n"


# ---- round trips of random questions ----------------------------------------------------------------

# Texts as a reader returns them: no spaces at the ends (Moodle trims), no control characters,
# but every GIFT control character, brackets, percent signs, blanks and line breaks inside.
_pieces = [
    *"ab xy~=#{}:\\[]%/->_\n*é",
    "_____",
    "[html]",
    "[markdown]",
    "%50%",
    "//",
    "::",
    "####",
    "\\n",
    "T",
]
_text = (
    st.lists(st.sampled_from(_pieces), min_size=1, max_size=12)
    .map(lambda p: "".join(p).strip(" \n"))
    .filter(bool)
)
_maybe = st.one_of(st.just(""), _text)
_fraction = st.sampled_from([0.0, 0.5, -0.5, 0.25, 1 / 3, -1.0, 0.1])
_tag = st.text(st.sampled_from(list("abc-:]")), min_size=1, max_size=6).filter(lambda t: not t.endswith("\\"))


@st.composite
def _question(draw: st.DrawFn) -> Question:
    kind = draw(
        st.sampled_from(
            [
                t
                for t in QuestionType
                if t
                not in (QuestionType.CALCULATED, QuestionType.ORDERING, QuestionType.GAPS, QuestionType.CLOZE)
            ]
        )
    )
    title = draw(_maybe)
    key = draw(st.sampled_from([title, "k-" + draw(_tag)])) if title else draw(st.sampled_from(["", "k1"]))
    fmt = draw(st.sampled_from(list(TextFormat)))
    common = {
        "text": draw(_text),
        "key": key,
        "title": title,
        "format": fmt,
        "tags": tuple(draw(st.lists(_tag, max_size=2))),
    }
    general = "" if kind is QuestionType.DESCRIPTION else draw(_maybe)
    if kind is QuestionType.DESCRIPTION:
        return Question(kind, points=0.0, **common)
    if kind is QuestionType.SINGLE_CHOICE:
        others = draw(st.lists(st.tuples(_text, _fraction, _maybe), min_size=1, max_size=3))
        right = (draw(_text), 1.0, draw(_maybe))
        rows = draw(st.permutations([right, *others]))
        return Question(kind, general_feedback=general, choices=tuple(Choice(*r) for r in rows), **common)
    if kind is QuestionType.MULTIPLE_RESPONSE:
        shares = draw(st.sampled_from([[1.0, 0.0], [0.5, 0.5], [0.25, 0.75]]))
        wrong = draw(st.lists(st.sampled_from([0.0, -0.5, -1.0]), max_size=2))
        rows = [(draw(_text), f, draw(_maybe)) for f in [*shares, *wrong]]
        return Question(kind, general_feedback=general, choices=tuple(Choice(*r) for r in rows), **common)
    if kind is QuestionType.TRUE_FALSE:
        choices = true_false_choices(draw(st.booleans()), draw(_maybe), draw(_maybe))
        return Question(kind, general_feedback=general, choices=choices, **common)
    if kind is QuestionType.SHORT_TEXT:
        no_arrow = _text.filter(lambda t: "->" not in t)
        # the writer refuses '->' anywhere in an answer and its feedback, which it writes side by side
        right = st.tuples(no_arrow, _maybe).filter(lambda tf: "->" not in tf[0] + tf[1])
        text, feedback = draw(right)
        rows = [(text, 1.0, feedback)]
        rows += draw(st.lists(st.tuples(no_arrow, _fraction, st.just("")), max_size=2))
        return Question(kind, general_feedback=general, answers=tuple(TextAnswer(*r) for r in rows), **common)
    if kind is QuestionType.NUMERIC:
        value = st.floats(-1e6, 1e6, allow_nan=False)
        answers = [
            NumericAnswer(draw(value), tolerance=draw(st.floats(0, 10)), fraction=1.0, feedback=draw(_maybe))
        ]
        answers += [
            NumericAnswer(draw(value), tolerance=0.0, fraction=f)
            for f in draw(st.lists(_fraction, max_size=2))
        ]
        if draw(st.booleans()):
            answers.append(NumericAnswer(None, fraction=0.0, feedback=draw(_maybe)))
        return Question(kind, general_feedback=general, numeric_answers=tuple(answers), **common)
    if kind is QuestionType.MATCHING:
        prompt = _text.filter(lambda t: "->" not in t)
        pairs = [MatchPair(draw(prompt), draw(_text)) for _ in range(draw(st.integers(2, 3)))]
        pairs += [MatchPair("", draw(_text))] if draw(st.booleans()) else []
        return Question(kind, general_feedback=general, pairs=tuple(pairs), **common)
    return Question(kind, general_feedback=general, **common)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_question(), min_size=1, max_size=4))
def test_any_question_gift_can_hold_reads_back_equal(questions: list[Question]) -> None:
    written = gift.write(questions)

    assert [e.question for e in gift.read(written, "random.gift")] == questions
