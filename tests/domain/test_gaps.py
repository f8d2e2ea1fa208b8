"""Gaps questions (Moodle's gapselect and ddwtos) in the domain: shown with choices shuffled within their
groups under labels that hide the authoring order, graded an equal share per gap, checked for shape, stored
and written as YAML and read back unchanged."""

from __future__ import annotations

import random
import textwrap

import pytest

from flipmastery.domain.errors import Invalid
from flipmastery.domain.formats import yaml_bank
from flipmastery.domain.generation import gap_options, gap_pieces, generate, shown_gap_choices
from flipmastery.domain.grading import (
    Status,
    clean_response,
    correct_response,
    grade,
    question_problems,
    shown_answer,
)
from flipmastery.domain.guessing import guess_chance
from flipmastery.domain.question_codec import from_data, to_data
from flipmastery.domain.questions import GapChoice, Question, QuestionType

CHOICES = (
    GapChoice("pressure"),
    GapChoice("volume"),
    GapChoice("mass"),
    GapChoice("temperature", group=2),
    GapChoice("colour", group=2),
)
GAPS = Question(
    QuestionType.GAPS,
    "Gases at high [[1]] and low [[2]] behave least ideally.",
    key="ideal",
    gap_choices=CHOICES,
    gap_answers=(1, 4),
)


def test_each_gap_offers_its_group_shuffled_under_labels_across_the_groups() -> None:
    seen_orders = set()
    for seed in range(40):
        variant = generate(GAPS, random.Random(seed))
        shown = shown_gap_choices(GAPS, variant)
        assert [label for label, _ in shown] == ["a", "b", "c", "d", "e"]
        assert sorted(i for _, i in shown[:3]) == [0, 1, 2]  # group 1 first, then group 2
        assert sorted(i for _, i in shown[3:]) == [3, 4]
        options = gap_options(GAPS, variant)
        assert [gap for gap, _ in options] == ["1", "2"]
        assert sorted(text for _, text in options[0][1]) == ["mass", "pressure", "volume"]
        assert [label for label, _ in options[1][1]] == ["d", "e"]
        seen_orders.add(variant.order)
    assert len(seen_orders) > 3


def test_without_shuffle_the_choices_keep_their_order() -> None:
    question = Question(**{**GAPS.__dict__, "shuffle": False})
    assert generate(question, random.Random(1)).order == (0, 1, 2, 3, 4)


def test_each_gap_is_worth_an_equal_share() -> None:
    variant = generate(GAPS, random.Random(5))
    key = correct_response(GAPS, variant)
    assert grade(GAPS, variant, key).status is Status.CORRECT
    wrong_first = {o[0]: next(lb for lb, _ in o[1] if lb != key[o[0]]) for o in gap_options(GAPS, variant)}
    assert grade(GAPS, variant, {"1": wrong_first["1"], "2": key["2"]}).score == 0.5
    assert grade(GAPS, variant, {"1": key["1"]}).score == 0.5  # a gap left empty earns nothing
    assert grade(GAPS, variant, wrong_first).score == 0.0
    assert grade(GAPS, variant, {}).status is Status.UNANSWERED
    assert shown_answer(GAPS, variant) == "1. pressure; 2. temperature"


@pytest.mark.parametrize(
    "response",
    [
        ["a", "d"],  # not an object
        {"3": "a"},  # no gap 3
        {"1": "zz"},  # no such label
        "pressure",
    ],
)
def test_a_response_of_the_wrong_shape_is_refused_and_named(response: object) -> None:
    variant = generate(GAPS, random.Random(2))
    with pytest.raises(Invalid, match="gap numbers"):
        clean_response(GAPS, variant, response)
    assert grade(GAPS, variant, response).status is Status.UNANSWERED


def test_a_gap_may_not_take_a_choice_of_another_group() -> None:
    variant = generate(GAPS, random.Random(2))
    group_two = gap_options(GAPS, variant)[1][1][0][0]
    with pytest.raises(Invalid):
        clean_response(GAPS, variant, {"1": group_two})


def test_a_choice_used_once_may_not_fill_two_gaps_but_an_infinite_one_may() -> None:
    once = Question(
        QuestionType.GAPS,
        "[[1]] and [[2]]",
        gap_choices=(GapChoice("x"), GapChoice("y")),
        gap_answers=(1, 2),
        shuffle=False,
    )
    variant = generate(once, random.Random(0))
    with pytest.raises(Invalid, match="may fill one gap only"):
        clean_response(once, variant, {"1": "a", "2": "a"})
    infinite = Question(
        QuestionType.GAPS,
        "[[1]] and [[2]]",
        gap_choices=(GapChoice("x", infinite=True), GapChoice("y")),
        gap_answers=(1, 1),
        shuffle=False,
    )
    variant = generate(infinite, random.Random(0))
    assert grade(infinite, variant, {"1": "a", "2": "a"}).status is Status.CORRECT
    assert question_problems(infinite, random.Random(0)) == []


@pytest.mark.parametrize(
    ("text", "answers", "choices", "problem"),
    [
        ("No gaps here.", (), CHOICES, "needs at least one gap"),
        (
            "[[1]] and [[1]]",
            (1, 4),
            CHOICES,
            "gaps [[1]] to [[2]] once each, in that order, not [[1]], [[1]]",
        ),
        ("[[2]] and [[1]]", (1, 4), CHOICES, "in that order, not [[2]], [[1]]"),
        ("[[1]] and [[2]]", (1, 9), CHOICES, "gap 2's right choice must be one of the choices 1 to 5"),
        ("[[1]] and [[2]]", (1, 1), CHOICES, "choice 1 ('pressure') is right for 2 gaps"),
        ("[[1]]", (1,), (GapChoice("a"), GapChoice("a")), "two choices of group 1 are the same"),
    ],
)
def test_a_question_that_cannot_be_shown_says_why(
    text: str, answers: tuple[int, ...], choices: tuple[GapChoice, ...], problem: str
) -> None:
    question = Question(QuestionType.GAPS, text, gap_choices=choices, gap_answers=answers)
    problems = question_problems(question, random.Random(0))
    assert len(problems) == 1 and problem in problems[0]


def test_the_text_splits_into_pieces_at_its_gaps() -> None:
    assert gap_pieces(GAPS.text) == [
        ("Gases at high ", "1"),
        (" and low ", "2"),
        (" behave least ideally.", ""),
    ]


def test_a_guesser_picks_one_of_each_gap_s_group() -> None:
    assert str(guess_chance(GAPS)) == "1/6"


def test_stored_and_read_back_unchanged() -> None:
    assert from_data(to_data(GAPS)) == GAPS
    assert to_data(GAPS)["gap_answers"] == [1, 4]


def test_yaml_writes_and_reads_it_back_unchanged() -> None:
    text = yaml_bank.write([GAPS])
    assert "gap: 1" in text and "group: 2" in text
    assert [e.question for e in yaml_bank.read(text, "b.yaml")] == [GAPS]
    infinite = Question(
        QuestionType.GAPS,
        "[[1]] [[2]]",
        gap_choices=(GapChoice("x", infinite=True), GapChoice("y")),
        gap_answers=(1, 1),
        shuffle=False,
    )
    assert [e.question for e in yaml_bank.read(yaml_bank.write([infinite]), "b.yaml")] == [infinite]


def test_yaml_names_a_gap_without_a_right_choice_and_a_bad_gap_with_their_lines() -> None:
    text = textwrap.dedent(
        """\
        - type: gaps
          text: "[[1]] and [[2]]"
          choices:
            - {text: cat, gap: 1}
            - dog
        - type: gaps
          text: "[[1]]"
          choices:
            - {text: cat, gap: one}
            - {text: dog, group: 99}
        """
    )
    with pytest.raises(Invalid) as caught:
        yaml_bank.read(text, "b.yaml")
    said = [str(p) for p in caught.value.problems]
    assert any("no choice of the question is right for gap 2" in s and ":3" in s for s in said), said
    assert any("'gap' of choice 'cat' must be a gap number" in s and ":9" in s for s in said), said
    assert any("'group' of choice 'dog' must be a whole number from 1 to 20" in s for s in said), said
