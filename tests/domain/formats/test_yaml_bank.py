"""The native YAML bank: every question type read exactly, every problem named with its line, round trips."""

from __future__ import annotations

import contextlib
import re
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flipmastery.domain.errors import Invalid
from flipmastery.domain.formats import yaml_bank
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

FILE = "banks/gas-2.yaml"


def read(text: str) -> list[Question]:
    return [entry.question for entry in yaml_bank.read(textwrap.dedent(text), FILE)]


def problems(text: str) -> list[str]:
    with pytest.raises(Invalid) as caught:
        yaml_bank.read(textwrap.dedent(text), FILE)
    return [str(p) for p in caught.value.problems]


# ---- every type, read exactly ------------------------------------------------------------------------

BOYLE = """\
    category: Gas Laws/GAS-2
    questions:
      - id: boyle-1
        type: calculated
        title: Boyle's law — final pressure
        text: |
          A gas occupies {V1} L at {P1} kPa. At constant temperature it is compressed to {V2} L.
          What is its new pressure, $P_2$ in $\\text{kPa}$?
        variables:
          V1: {min: 2.0, max: 6.0, decimals: 1}
          P1: {min: 90, max: 120, step: 5}
          V2: {values: [0.5, 1.0, 1.5]}
        derived:
          P2: P1 * V1 / V2
        answer: {formula: P2, tolerance: 0.02, relative: true}
        unit: kPa
        unit_penalty: 0.5
        decimals: 1
        group: gas-sample-1
        points: 2
        feedback: P₁V₁ = P₂V₂, so P₂ = {=P1 * V1 / V2} kPa.
        tags: [boyle, inverse-relationship]
        format: markdown
    """


def test_a_calculated_question_is_read_with_every_field() -> None:
    [entry] = yaml_bank.read(textwrap.dedent(BOYLE), FILE)

    assert entry.line == 3 and entry.category == "Gas Laws/GAS-2"
    assert entry.question == Question(
        type=QuestionType.CALCULATED,
        key="boyle-1",
        title="Boyle's law — final pressure",
        text="A gas occupies {V1} L at {P1} kPa. At constant temperature it is compressed to {V2} L.\n"
        "What is its new pressure, $P_2$ in $\\text{kPa}$?",
        variables=(
            Variable("V1", minimum=2.0, maximum=6.0, decimals=1),
            Variable("P1", minimum=90.0, maximum=120.0, step=5.0),
            Variable("V2", values=(0.5, 1.0, 1.5)),
        ),
        derived=(Derived("P2", "P1 * V1 / V2"),),
        numeric_answers=(NumericAnswer(formula="P2", tolerance=0.02, tolerance_mode=Tolerance.RELATIVE),),
        unit="kPa",
        unit_penalty=0.5,
        answer_decimals=1,
        group="gas-sample-1",
        points=2.0,
        general_feedback="P₁V₁ = P₂V₂, so P₂ = {=P1 * V1 / V2} kPa.",
        tags=("boyle", "inverse-relationship"),
        format=TextFormat.MARKDOWN,
    )


def test_choice_questions_take_correct_fractions_feedback_and_plain_strings() -> None:
    single, multiple, shares = read(
        """\
        questions:
          - type: single_choice
            text: What happens to the volume of a gas when its pressure doubles at constant T?
            shuffle: false
            choices:
              - {text: It halves, correct: true}
              - {text: It doubles, feedback: That would be a direct relationship.}
              - {text: It drops by a quarter, fraction: 0.25}
              - It stays the same
          - type: multiple-response
            text: Which are units of pressure?
            choices: [{text: kPa, correct: true}, {text: mmHg, correct: true}, {text: atm, correct: true}, L]
          - type: multiple_response
            text: Which are gases at 25 °C?
            choices:
              - {text: O₂, fraction: 50%}
              - {text: N₂, correct: true}
              - {text: Ar, correct: true}
              - {text: Hg, fraction: -1, feedback: Mercury is a liquid.}
        """
    )
    assert single.choices == (
        Choice("It halves", 1.0),
        Choice("It doubles", 0.0, "That would be a direct relationship."),
        Choice("It drops by a quarter", 0.25),
        Choice("It stays the same", 0.0),
    )
    assert single.shuffle is False
    assert multiple.type is QuestionType.MULTIPLE_RESPONSE
    assert [c.fraction for c in multiple.choices] == [1 / 3, 1 / 3, 1 / 3, 0.0]
    assert [c.fraction for c in shares.choices] == [0.5, 0.25, 0.25, -1.0]
    assert shares.choices[3].feedback == "Mercury is a liquid."


def test_true_false_short_text_numeric_matching_free_response_and_description() -> None:
    tf, short, numeric, ranged, matching, free, description = read(
        """\
        questions:
          - type: true_false
            text: Gases are easily compressed.
            answer: true
            feedback_false: Gas particles are far apart.
          - type: short_text
            text: Formula of water?
            answers: ["H2O", {text: "H*O", fraction: 0.5, feedback: "Which element?"}]
            case_sensitive: true
          - type: numeric
            text: Standard pressure in kPa?
            answers: [101.3, {value: 101.3, tolerance: 1%, fraction: 0.5}, {value: 100, tolerance: 0.5}]
            unit: kPa
          - type: numeric
            text: Between 1.5 and 2.5
            answer: {min: 1.5, max: 2.5, feedback: In range.}
          - type: matching
            text: Match each law to what stays constant.
            pairs:
              - {prompt: Boyle's law, answer: temperature}
              - {prompt: Charles's law, answer: pressure}
            distractors: [moles only]
          - type: free_response
            text: Explain why a balloon shrinks in the freezer.
            rubric: |
              - particles slow down
              - fewer, softer collisions
          - type: description
            text: The next questions are about Dalton's law.
        """
    )
    assert tf.choices == true_false_choices(True, "", "Gas particles are far apart.")
    assert short.answers == (TextAnswer("H2O"), TextAnswer("H*O", 0.5, "Which element?"))
    assert short.case_sensitive is True
    assert numeric.numeric_answers == (
        NumericAnswer(value=101.3),
        NumericAnswer(value=101.3, tolerance=0.01, tolerance_mode=Tolerance.RELATIVE, fraction=0.5),
        NumericAnswer(value=100.0, tolerance=0.5),
    )
    assert ranged.numeric_answers == (NumericAnswer(value=2.0, tolerance=0.5, feedback="In range."),)
    assert matching.pairs == (
        MatchPair("Boyle's law", "temperature"),
        MatchPair("Charles's law", "pressure"),
        MatchPair("", "moles only"),
    )
    assert free.rubric == "- particles slow down\n- fewer, softer collisions"
    assert description.type is QuestionType.DESCRIPTION and description.text.startswith("The next")


def test_a_bare_list_and_shorthands_are_accepted() -> None:
    [short, calc] = read(
        """\
        - type: Short Text
          text: Symbol of helium?
          answer: He
          tags: noble gas, symbols
        - type: calculated
          text: "{n} mol at STP"
          variables: {n: [1, 2, 3]}
          answer: {formula: n * 22.414, tolerance: 2%}
          unit: L
        """
    )
    assert short.answers == (TextAnswer("He"),) and short.tags == ("noble gas", "symbols")
    assert calc.variables == (Variable("n", values=(1.0, 2.0, 3.0)),)
    assert calc.numeric_answers[0].tolerance_mode is Tolerance.RELATIVE


def test_latex_braces_in_a_calculated_text_are_not_taken_for_placeholders() -> None:
    [q] = read(
        """\
        - type: calculated
          text: $\\frac{P_1V_1}{T_1} = \\frac{P_{2}V_2}{T_2}$, $x^{n}$, $\\text{kPa}$, V = {V} L
          variables: {V: [1, 2]}
          answer: {formula: V, tolerance: 0}
        """
    )
    assert "{V}" in q.text


# ---- every problem, with its line ---------------------------------------------------------------------

ERRORS = [
    ("questions: 5", "1: 'questions' must be a list (lines starting with '-'), not the number 5"),
    ("category: x", "1: the file needs a 'questions:' list"),
    ("questoins: []", "1: unknown key 'questoins' in the file (did you mean 'questions'?)"),
    ("questions:\n  - just text", "2: each question must be a mapping (key: value lines), not the text"),
    ("- text: hi", "1: the question needs a 'type'"),
    ("- type: single_choice", "1: the question needs a 'text'"),
    ("- type: essay\n  text: x", "1: type 'essay' of the question must be one of"),
    ("- type: essay\n  text: x", "did you mean free_response?"),
    ("- type: description\n  text: x\n  choises: [a]", "3: unknown key 'choises' in the question"),
    ("- type: numeric\n  text: x\n  answer: 1\n  choices: [a]", "4: 'choices' does not apply to a numeric"),
    ("- type: description\n  text: x\n  points: 0", "3: 'points' of the question must be more than 0, not 0"),
    ("- type: description\n  text: x\n  format: rtf", "3: format 'rtf' of the question must be markdown"),
    ("- {id: a, type: description, text: x}\n- {id: a, type: description, text: y}", "2: id 'a' is already"),
    ("- type: single_choice\n  text: x", "1: the question needs 'choices'"),
    ("- type: single_choice\n  text: x\n  choices: [a]", "3: the question needs at least two choices"),
    ("- type: single_choice\n  text: x\n  choices: [a, b]", "3: the question has no right answer"),
    (
        "- type: single_choice\n  text: x\n  choices: [{text: a, correct: true}, {text: b, fraction: 1}]",
        "3: the question has 2 fully right choices",
    ),
    (
        "- type: multiple_response\n  text: x\n"
        "  choices: [{text: a, fraction: 0.5}, {text: b, fraction: 0.4}]",
        "3: the positive fractions of the choices of the question sum to 0.9, not 1",
    ),
    (
        "- type: multiple_response\n  text: x\n  choices:\n    - {text: a, fraction: 1}\n"
        "    - {text: b, correct: true}",
        "3: the choices of the question marked 'correct: true' share what the given fractions leave of 1",
    ),
    (
        "- type: single_choice\n  text: x\n  choices:\n    - {text: a, correct: true, fraction: 1}\n    - b",
        "4: choice 'a' of the question has both 'correct' and 'fraction'",
    ),
    (
        "- type: single_choice\n  text: x\n  choices:\n    - {text: a, correct: true}\n    - a",
        "5: choice 'a' of the question appears twice",
    ),
    ("- type: single_choice\n  text: x\n  choices:\n    - {text: a, fraction: 2}\n    - b", "4: 'fraction'"),
    ("- type: true_false\n  text: x", "1: the question needs 'answer: true' or 'answer: false', not nothing"),
    ("- type: true_false\n  text: x\n  answer: yes please", "3: the question needs 'answer: true'"),
    ("- type: short_text\n  text: x\n  answers: [no]", "3: an answer of the question is false to YAML"),
    (
        "- type: short_text\n  text: x\n  answers: [{text: a, fraction: 0.5}]",
        "3: the question needs an answer with full credit",
    ),
    ("- type: numeric\n  text: x", "1: the question needs an 'answer' (or 'answers')"),
    ("- type: numeric\n  text: x\n  answer: lots", "3: the answer of the question must be a number"),
    (
        "- type: numeric\n  text: x\n  answer: {min: 3, max: 1}",
        "3: an answer of the question has min 3 above",
    ),
    ("- type: numeric\n  text: x\n  answer: {min: 3}", "3: an answer of the question needs both 'min' and"),
    ("- type: numeric\n  text: x\n  answer: {tolerance: 1}", "3: an answer of the question needs a 'value'"),
    ("- type: numeric\n  text: x\n  answer: {formula: a}", "3: an answer of the question has a 'formula'"),
    (
        "- type: numeric\n  text: x\n  answer: 1\n  decimals: 1.5",
        "4: 'decimals' of the question must be a whole",
    ),
    (
        "- type: numeric\n  text: x\n  answer: 1\n  unit_penalty: 2",
        "4: 'unit_penalty' of the question must be",
    ),
    ("- type: numeric\n  text: x\n  answer: .nan", "3: the answer of the question must be a number"),
    (
        "- type: calculated\n  text: x\n  answer: {formula: 1, tolerance: 0}",
        "1: the question needs 'variables'",
    ),
    (
        "- type: calculated\n  text: x\n  variables: {a: [1]}\n  answer: a",
        "4: the answer of the question must be a mapping like {formula: P2, tolerance: 2%}",
    ),
    (
        "- type: calculated\n  text: x\n  variables: {a: [1]}\n  answer: {formula: a}",
        "4: an answer of the question needs a tolerance",
    ),
    (
        "- type: calculated\n  text: x\n  variables: {a: [1]}\n  answer: {formula: b * 2, tolerance: 0}",
        "4: the answer of the question uses 'b', which is not a variable declared before it; known: a",
    ),
    (
        "- type: calculated\n  text: x\n  variables: {a: [1]}\n  answer: {formula: a +* 2, tolerance: 0}",
        "4: the answer of the question: unexpected '*' at character 4",
    ),
    (
        "- type: calculated\n  text: x\n  variables:\n    a: [1]\n    sqrt: [2]\n"
        "  answer: {formula: a, tolerance: 0}",
        "5: variable name 'sqrt' of the question is the name of a function",
    ),
    (
        "- type: calculated\n  text: x\n  variables:\n    a: {min: 5, max: 1}\n"
        "  answer: {formula: a, tolerance: 0}",
        "4: variable a of the question has min 5 above max 1",
    ),
    (
        "- type: calculated\n  text: x\n  variables:\n    a: {min: 1}\n  answer: {formula: a, tolerance: 0}",
        "4: variable a of the question needs 'min' and 'max'",
    ),
    (
        "- type: calculated\n  text: x\n  variables:\n    a: {min: 1, max: 2, step: 0.5, decimals: 1}\n"
        "  answer: {formula: a, tolerance: 0}",
        "4: variable a of the question has 'step' and 'decimals'; keep one",
    ),
    (
        "- type: calculated\n  text: x\n  variables:\n    a: {min: 1, max: 2, step: 0}\n"
        "  answer: {formula: a, tolerance: 0}",
        "4: 'step' of variable a of the question must be more than 0",
    ),
    (
        "- type: calculated\n  text: x\n  variables:\n    a: 7\n  answer: {formula: a, tolerance: 0}",
        "4: variable a of the question must be like {min: 1, max: 5, decimals: 1}",
    ),
    (
        "- type: calculated\n  text: x\n  variables: {a: [1]}\n  derived:\n    b: c * 2\n    c: a\n"
        "  answer: {formula: b, tolerance: 0}",
        "5: derived b of the question uses 'c', which is not a variable declared before it",
    ),
    (
        "- type: calculated\n  text: A {gas} of {a}\n  variables: {a: [1]}\n"
        "  answer: {formula: a, tolerance: 0}",
        "2: {gas} in the text of the question is not a variable",
    ),
    (
        "- type: calculated\n  text: A {=a / } x\n  variables: {a: [1]}\n"
        "  answer: {formula: a, tolerance: 0}",
        "2: {=a / } in the text of the question: ",
    ),
    (
        "- type: calculated\n  text: x\n  group: g\n  variables: {a: [1]}\n"
        "  answer: {formula: a, tolerance: 0}\n"
        "- type: calculated\n  text: y\n  group: g\n  variables: {a: [2]}\n"
        "  answer: {formula: a, tolerance: 0}",
        "6: variable a of group 'g' is declared differently at line 1",
    ),
    (
        "- type: matching\n  text: x\n  pairs: [{prompt: a, answer: b}]",
        "3: the question needs at least two pairs",
    ),
    (
        "- type: matching\n  text: x\n  pairs:\n    - {prompt: a, answer: b}\n    - {prompt: a, answer: c}",
        "5: prompt 'a' of the question appears twice",
    ),
    (
        "- type: matching\n  text: x\n  pairs:\n    - {prompt: a}\n    - {prompt: c, answer: d}",
        "4: a pair of the question needs a 'answer'",
    ),
    (
        "- type: free_response\n  text: x\n  rubric: [a]",
        "3: 'rubric' of the question must be text, not a list",
    ),
]


@pytest.mark.parametrize(("text", "expected"), ERRORS)
def test_each_problem_is_named_with_file_and_line(text: str, expected: str) -> None:
    found = problems(text)
    assert any(f"{FILE}:{expected}" in p or (expected in p and p.startswith(FILE)) for p in found), found


def test_every_problem_of_a_file_is_listed_and_nothing_is_returned() -> None:
    found = problems(
        """\
        questions:
          - type: description
            text: fine
          - type: single_choice
            text: no right answer
            choices: [a, b]
          - type: numeric
            text: no answer
          - type: calculated
            text: "{P} kPa"
            variables: {P1: [1]}
            answer: {formula: P2, tolerance: 1%}
        """
    )
    assert found == [
        f"{FILE}:6: the question has no right answer: mark one choice 'correct: true'",
        f"{FILE}:7: the question needs an 'answer' (or 'answers')",
        f"{FILE}:10: {{P}} in the text of the question is not a variable (did you mean {{P1}}?)",
        f"{FILE}:12: the answer of the question uses 'P2', which is not a variable declared before it "
        "(did you mean 'P1'?)",
    ]


# ---- hostile YAML --------------------------------------------------------------------------------------

LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
    f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
    for i in range(12)
)


@pytest.mark.parametrize(
    "text",
    [
        LAUGHS,
        "questions: !!python/object/apply:os.system ['echo hi']",
        "- !!python/name:builtins.eval x",
        "[" * 5000,
        "questions:\n  - {type: description, text: 2020-13-01}",
        "- type: !!int abc",
        "- type: !!bool maybe",
        "- text: !!map x",
        "- text: !!seq x",
        "- text: !!set [1]",
        "- {type: description, text: !!binary aGk=}",
        "- {type: numeric, text: x, answer: 1" + "0" * 400 + "}",
        "\x00",
        "",
        "\ufeffquestions: [}",
    ],
)
def test_hostile_or_broken_yaml_is_refused_with_invalid_only(text: str) -> None:
    with pytest.raises(Invalid):
        yaml_bank.read(text, FILE)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("-:{}[]&*!|>?'\"#%@`,\n 0123456789.eabtxyqu")), max_size=80))
def test_random_text_gives_questions_or_invalid_never_another_error(text: str) -> None:
    with contextlib.suppress(Invalid):
        yaml_bank.read(text, FILE)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_damaged_bank_gives_invalid_never_another_error(data: st.DataObject) -> None:
    good = textwrap.dedent(BOYLE)
    start = data.draw(st.integers(0, len(good) - 1))
    end = data.draw(st.integers(start, min(len(good), start + 12)))
    filler = data.draw(st.text(alphabet=st.sampled_from(list("-:{}[]!&*|'\"\n 0x.%")), max_size=6))
    with contextlib.suppress(Invalid):
        yaml_bank.read(good[:start] + filler + good[end:], FILE)


# ---- writing, and reading back ----------------------------------------------------------------------------


def test_written_banks_are_readable_by_people() -> None:
    [q] = read(BOYLE)
    written = yaml_bank.write([q])
    assert "    text: |-\n      A gas occupies {V1} L at {P1} kPa." in written
    assert "      V1: {min: 2, max: 6, decimals: 1}\n" in written
    assert "    answer: {formula: P2, tolerance: 0.02, relative: true}\n" in written
    assert "    tags: [boyle, inverse-relationship]\n" in written


_ALPHABET = st.sampled_from(list("abcxyzABC019 .,;:!?-+*/=()$\\'\"#&%@<>_|~αβΔ°₂ऄकखगपरमसहािीुे्\n"))
texts = st.text(_ALPHABET, min_size=1, max_size=40).map(str.strip).filter(bool)
lines = texts.map(lambda t: " ".join(t.split()))
numbers = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
credits = st.sampled_from([0.0, 0.1, 0.25, 0.5, 1 / 3, 0.75])
names = st.sampled_from(["a", "b", "P1", "V_2", "T", "n"])


def _common(draw: st.DrawFn, qtype: QuestionType) -> dict[str, object]:
    return {
        "type": qtype,
        "text": draw(texts),
        "key": draw(st.one_of(st.just(""), lines)),
        "title": draw(st.one_of(st.just(""), lines)),
        "format": draw(st.sampled_from(TextFormat)),
        "points": draw(st.sampled_from([1.0, 2.0, 0.5, 3.25])),
        "general_feedback": draw(st.one_of(st.just(""), texts)),
        "tags": tuple(draw(st.lists(lines, max_size=3))),
    }


@st.composite
def questions(draw: st.DrawFn) -> Question:
    qtype = draw(
        st.sampled_from([t for t in QuestionType if t is not QuestionType.CLOZE])
    )  # test_cloze_formats
    base = _common(draw, qtype)
    extra: dict[str, object] = {}
    if qtype in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        right = draw(st.integers(1, 3)) if qtype is QuestionType.MULTIPLE_RESPONSE else 1
        shares = [1.0 / right] * right if draw(st.booleans()) or right == 1 else [0.5, 0.5][:right]
        if right == 3 and shares[0] != 1.0 / 3:
            shares = [0.5, 0.25, 0.25]
        wrong = [draw(credits) * (-1 if qtype is QuestionType.MULTIPLE_RESPONSE else 1) for _ in range(2)]
        if qtype is QuestionType.SINGLE_CHOICE:
            wrong = [w if w < 1 else 0.0 for w in wrong]
        fractions = shares + wrong
        texts_ = draw(st.lists(lines, min_size=len(fractions), max_size=len(fractions), unique=True))
        feedback = [draw(st.one_of(st.just(""), texts)) for _ in fractions]
        extra["choices"] = tuple(
            Choice(t, f, fb) for t, f, fb in zip(texts_, fractions, feedback, strict=True)
        )
        extra["shuffle"] = draw(st.booleans())
    elif qtype is QuestionType.TRUE_FALSE:
        fb = st.one_of(st.just(""), texts)
        extra["choices"] = true_false_choices(draw(st.booleans()), draw(fb), draw(fb))
    elif qtype is QuestionType.SHORT_TEXT:
        first = TextAnswer(draw(lines), 1.0, draw(st.one_of(st.just(""), texts)))
        rest = draw(
            st.lists(st.builds(TextAnswer, lines, credits, st.one_of(st.just(""), texts)), max_size=2)
        )
        extra["answers"] = (first, *rest)
        extra["case_sensitive"] = draw(st.booleans())
    elif qtype in (QuestionType.NUMERIC, QuestionType.CALCULATED):
        extra.update(draw(_numbers(qtype)))
    elif qtype is QuestionType.MATCHING:
        prompts = draw(st.lists(lines, min_size=2, max_size=4, unique=True))
        pairs = [MatchPair(p, draw(lines)) for p in prompts]
        extra["pairs"] = (*pairs, *(MatchPair("", d) for d in draw(st.lists(lines, max_size=2))))
    elif qtype is QuestionType.ORDERING:
        extra["items"] = tuple(
            draw(st.lists(lines, min_size=2, max_size=4, unique_by=lambda t: " ".join(t.split())))
        )
        extra["order_grading"] = draw(st.sampled_from(list(OrderGrading)))
    elif qtype is QuestionType.GAPS:
        gaps = draw(st.integers(1, 3))
        base["text"] = " ".join(f"{draw(lines)} [[{n}]]" for n in range(1, gaps + 1))
        names = draw(st.lists(lines, min_size=gaps, max_size=gaps + 2, unique=True))
        extra["gap_choices"] = tuple(
            GapChoice(name, draw(st.integers(1, 2)), draw(st.booleans())) for name in names
        )
        extra["gap_answers"] = tuple(draw(st.permutations(range(1, gaps + 1))))
        extra["shuffle"] = draw(st.booleans())
    elif qtype is QuestionType.FREE_RESPONSE:
        extra["rubric"] = draw(st.one_of(st.just(""), texts))
    return Question(**{**base, **extra})  # type: ignore[arg-type]


@st.composite
def _numbers(draw: st.DrawFn, qtype: QuestionType) -> dict[str, object]:
    calculated = qtype is QuestionType.CALCULATED
    out: dict[str, object] = {
        "unit": draw(st.sampled_from(["", "kPa", "L", "g/mol", "mol", "K", "L·atm/(mol·K)"])),
        "unit_penalty": draw(st.sampled_from([1.0, 0.5, 0.0, 0.1])),
        "answer_decimals": draw(st.one_of(st.none(), st.integers(0, 6))),
    }
    if calculated:
        chosen = draw(st.lists(names, min_size=1, max_size=3, unique=True))
        out["variables"] = tuple(draw(_variable(name)) for name in chosen)
        formula = " * ".join(chosen) + draw(st.sampled_from(["", " + 1", " / 2.5", " ^ 2"]))
        out["derived"] = (Derived("result", formula),) if draw(st.booleans()) else ()
        formula = "result" if out["derived"] else formula
        out["group"] = draw(st.one_of(st.just(""), lines))
        out["text"] = f"Given {{{chosen[0]}}}, find {{={formula}}}."
    answers = []
    for i in range(draw(st.integers(1, 3))):
        answers.append(
            NumericAnswer(
                value=None if calculated else draw(numbers),
                formula=formula if calculated else "",
                tolerance=draw(st.sampled_from([0.0, 0.5, 0.02, 1e-05])),
                tolerance_mode=draw(st.sampled_from(Tolerance)),
                fraction=1.0 if i == 0 else draw(credits),
                feedback=draw(st.one_of(st.just(""), texts)),
            )
        )
    out["numeric_answers"] = tuple(answers)
    return out


@st.composite
def _variable(draw: st.DrawFn, name: str) -> Variable:
    kind = draw(st.sampled_from(["values", "step", "decimals", "plain"]))
    if kind == "values":
        return Variable(name, values=tuple(draw(st.lists(numbers, min_size=1, max_size=4))))
    low = draw(numbers)
    high = low + draw(st.floats(0, 1000, allow_nan=False))
    if kind == "step":
        return Variable(name, minimum=low, maximum=high, step=draw(st.sampled_from([0.5, 1.0, 5.0, 0.01])))
    if kind == "decimals":
        return Variable(name, minimum=low, maximum=high, decimals=draw(st.integers(0, 4)))
    return Variable(name, minimum=low, maximum=high)


def _readable_together(bank: list[Question]) -> bool:
    """Ids are unique in a bank, and items of one group declare their variables alike."""
    keys = [q.key for q in bank if q.key]
    groups = [q.group for q in bank if q.group]
    return len(set(keys)) == len(keys) and len(set(groups)) == len(groups)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(questions(), max_size=4).filter(_readable_together))
def test_reading_what_was_written_gives_the_same_questions(bank: list[Question]) -> None:
    written = yaml_bank.write(bank)
    assert [entry.question for entry in yaml_bank.read(written, FILE)] == bank, written


def test_every_type_round_trips_from_an_example() -> None:
    bank = read(BOYLE) + read(
        """\
        - {type: single_choice, text: x, choices: [{text: a, correct: true}, {text: b, feedback: no way}]}
        - {type: multiple_response, text: x, choices: [{text: a, fraction: 0.7}, {text: b, fraction: 0.3}, c]}
        - {type: true_false, text: x, answer: false, feedback_true: "Look again."}
        - {type: short_text, text: x, answers: [a, {text: b, fraction: 0.5}]}
        - {type: numeric, text: x, answers: [{value: 1, tolerance: 2%}, 2], unit: atm}
        - {type: matching, text: x, pairs: [{prompt: a, answer: b}, {prompt: c, answer: d}], distractors: [e]}
        - {type: ordering, text: x, items: [first, second, third], grading: relative_next_exclude_last}
        - {type: gaps, text: "a [[1]] b [[2]]", choices: [{text: c, gap: 2}, {text: d, group: 3, gap: 1}, e]}
        - {type: cloze, text: "a [[1]] b [[2]]", parts: [{type: short_text, answer: c},
                                                   {type: numeric, answer: 1}]}
        - {type: free_response, text: "line 1\\nline 2", rubric: r}
        - {type: description, text: intro, format: html}
        """
    )
    assert {q.type for q in bank} == set(QuestionType)
    assert read(yaml_bank.write(bank)) == bank


@pytest.mark.parametrize(
    "text", ["a\r\nb", "a\x85b", "a\u2028b", "  indented\nlines  ", "yes", "12", "- x", "#x"]
)
def test_text_yaml_would_misread_is_written_so_that_it_reads_back(text: str) -> None:
    question = Question(QuestionType.DESCRIPTION, text.strip(), title=text.strip().replace("\n", " "))
    assert read(yaml_bank.write([question])) == [question]


def test_the_examples_in_the_format_description_read() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", yaml_bank.__doc__ or "", re.S)
    read_types = [
        entry.question.type
        for block in blocks
        for entry in yaml_bank.read(block if block.startswith("category") else "questions:\n" + block, FILE)
    ]
    assert sorted(read_types) == sorted(QuestionType)
