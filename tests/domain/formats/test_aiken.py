"""Aiken: single-choice questions in, the same questions out; Moodle's error cases are named by line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flipmastery.domain.errors import Invalid
from flipmastery.domain.formats import aiken
from flipmastery.domain.questions import Choice, Question, QuestionType, TextFormat, true_false_choices

FIXTURES = Path(__file__).parent / "fixtures"
FILE = "banks/gas-1.txt"


def fixture(name: str) -> list[Question]:
    return [e.question for e in aiken.read((FIXTURES / name).read_text(encoding="utf-8"), name)]


def problems(text: str | bytes) -> list[str]:
    with pytest.raises(Invalid) as caught:
        aiken.read(textwrap.dedent(text) if isinstance(text, str) else text, FILE)
    return [str(p) for p in caught.value.problems]


def test_a_bank_reads_into_single_choice_questions_with_their_lines() -> None:
    entries = aiken.read((FIXTURES / "gas-laws.aiken.txt").read_text(encoding="utf-8"), FILE)

    assert [e.line for e in entries] == [1, 8, 15]
    assert entries[0].question == Question(
        QuestionType.SINGLE_CHOICE,
        "What is the SI unit of pressure?",
        format=TextFormat.PLAIN,
        choices=(
            Choice("pascal", 1.0),
            Choice("bar", 0.0),
            Choice("atmosphere", 0.0),
            Choice("millimetre of mercury", 0.0),
        ),
    )
    # A question may run over several lines; options may use "A)" as well as "A.".
    assert entries[1].question.text == (
        "A sealed syringe of gas is pushed in to half its volume at constant temperature.\n"
        "What happens to the pressure?"
    )
    assert [c.fraction for c in entries[1].question.choices] == [0.0, 1.0, 0.0]


def test_moodles_fixture_imports_and_keeps_html_characters_as_plain_text() -> None:
    questions = fixture("moodle-questions.aiken.txt")

    assert [q.choices[[c.fraction for c in q.choices].index(1.0)].text for q in questions] == [
        "Martin Dougiamas",
        "True",
    ]
    assert (
        questions[1].text
        == 'Moodle\'s abilities include handling user input that includes <html class="cool"> & images:'
    )
    assert questions[1].format is TextFormat.PLAIN


def test_moodles_error_fixture_gives_moodles_errors_on_moodles_lines_and_no_questions() -> None:
    with pytest.raises(Invalid) as caught:
        aiken.read((FIXTURES / "moodle-aiken-errors.txt").read_text(encoding="utf-8"), "errors.txt")

    assert [str(p) for p in caught.value.problems] == [
        "errors.txt:3: a question needs at least two options, A. and B.",
        "errors.txt:5: option A comes before any question text",
        "errors.txt:7: 'ANSWER:' comes before any question",
        "errors.txt:18: the question above has no 'ANSWER:' line before this one starts",
    ]


def test_wrong_letters_and_unfinished_questions_are_named() -> None:
    assert problems("""\
        Which gas is lightest?
        A. helium
        C. hydrogen
        ANSWER: D

        Unfinished?
        A. yes
        B.
        """) == [
        "banks/gas-1.txt:3: the options go A, B, C… in order; expected B here, found C",
        "banks/gas-1.txt:4: ANSWER: needs the letter of the right option (A, C); found 'D'",
        "banks/gas-1.txt:6: the question has no 'ANSWER:' line",
    ]
    assert problems("Q?\nA. a\nB. b\nANSWER:") == [
        "banks/gas-1.txt:4: ANSWER: needs the letter of the right option (A, B); found nothing"
    ]


def test_hostile_input_is_refused() -> None:
    assert problems(b"Q?\nA. \xff\n") == [
        "banks/gas-1.txt:2: the file is not UTF-8 text; save it as UTF-8 and import it again"
    ]
    assert problems("Q?\x00") == [
        "banks/gas-1.txt:1: the file contains a control character (code 0); is it really a text file?"
    ]
    assert problems("Q?\n" * 2_000_000) == ["banks/gas-1.txt: the file is larger than 5 MB; split the bank"]
    assert problems("Q?\nA. a\nB. b\nANSWER: A\n\n" * 5001) == [
        "banks/gas-1.txt: the file has more than 5000 questions; split the bank"
    ]


def test_writing_gives_the_aiken_text_and_reads_back_equal() -> None:
    questions = fixture("gas-laws.aiken.txt")

    written = aiken.write(questions)

    assert written.startswith(
        "What is the SI unit of pressure?\nA. pascal\nB. bar\nC. atmosphere\nD. millimetre of mercury\n"
        "ANSWER: A\n\n"
    )
    assert [e.question for e in aiken.read(written, FILE)] == questions


def test_questions_aiken_cannot_hold_are_refused_with_the_reason() -> None:
    feedback = Question(
        QuestionType.SINGLE_CHOICE, "Q?", key="q1", choices=(Choice("a", 1.0, "Yes!"), Choice("b", 0.0))
    )
    partial = Question(
        QuestionType.SINGLE_CHOICE, "Q?", title="Partial", choices=(Choice("a", 1.0), Choice("b", 0.5))
    )
    tf = Question(QuestionType.TRUE_FALSE, "Q?", choices=true_false_choices(True))
    tricky = Question(
        QuestionType.SINGLE_CHOICE, "Look:\nA. this line", choices=(Choice("a", 1.0), Choice("b", 0.0))
    )

    with pytest.raises(Invalid) as caught:
        aiken.write([feedback, partial, tf, tricky])

    assert sorted(str(p) for p in caught.value.problems) == [
        "question 'Partial' cannot be written as Aiken:"
        " Aiken has exactly one right option and no partial credit",
        "question 'q1' cannot be written as Aiken: Aiken has no feedback",
        "question 3 cannot be written as Aiken: Aiken holds only single-choice questions, not true false",
        "question 4 cannot be written as Aiken:"
        " a line of the text would be read as an option or an ANSWER line",
    ]


_line = (
    st.text(st.sampled_from(list("abc xyz?.:)é<&")), min_size=1, max_size=15)
    .map(str.strip)
    .filter(lambda t: bool(t) and not aiken._OPTION.fullmatch(t) and not t.startswith("ANSWER:"))
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_line, min_size=1, max_size=3), st.lists(_line, min_size=2, max_size=6), st.data())
def test_any_question_aiken_can_hold_reads_back_equal(
    text: list[str], options: list[str], data: st.DataObject
) -> None:
    right = data.draw(st.integers(0, len(options) - 1))
    question = Question(
        QuestionType.SINGLE_CHOICE,
        "\n".join(text),
        format=TextFormat.PLAIN,
        choices=tuple(Choice(o, 1.0 if i == right else 0.0) for i, o in enumerate(options)),
    )

    assert [e.question for e in aiken.read(aiken.write([question]), FILE)] == [question]
