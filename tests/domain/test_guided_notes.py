"""Guided notes templates: what a teacher may write, what a student's boxes keep, and "3/5 filled"."""

from __future__ import annotations

import pytest

from flipmastery.domain.errors import Invalid
from flipmastery.domain.guided_notes import (
    MAX_ANSWER,
    MAX_PARTS,
    clean_answers,
    filled,
    parse_template,
    template_data,
)

TEMPLATE = [
    {"kind": "prompt", "question": "What does Boyle's law say?"},
    {
        "kind": "table",
        "question": "Fill the table",
        "columns": ["P (kPa)", "V (L)"],
        "rows": 2,
        "given": {"r1c1": "100"},
    },
    {"kind": "diagram", "question": "Label the apparatus", "labels": [{"x": 10, "y": 20}, [50, 60.25]]},
]


def messages(error: pytest.ExceptionInfo[Invalid]) -> list[str]:
    return [p.message for p in error.value.problems]


def test_a_template_of_three_parts_gets_ids_and_counts_its_boxes() -> None:
    template = parse_template(TEMPLATE)
    assert [p.id for p in template.parts] == ["1", "2", "3"]
    assert template.parts[1].fields() == ("r1c2", "r2c1", "r2c2")  # r1c1 is given
    assert template.parts[2].fields() == ("l1", "l2")
    assert template.parts[2].labels[1].y == 60.2 or template.parts[2].labels[1].y == 60.3
    assert template.total() == 6


def test_the_stored_data_reads_back_to_the_same_template_and_keeps_ids() -> None:
    template = parse_template(TEMPLATE)
    assert parse_template(template_data(template)) == template
    # a part removed: the others keep their ids, a new one takes a fresh id
    data = template_data(template)["parts"]
    again = parse_template([data[2], {"kind": "prompt", "question": "Why?"}])
    assert [p.id for p in again.parts] == ["3", "4"]


def test_every_problem_says_which_part() -> None:
    with pytest.raises(Invalid) as error:
        parse_template(
            [
                {"kind": "prompt", "question": "  "},
                {"kind": "table", "columns": [], "rows": 0},
                {"kind": "diagram", "labels": [[5, 500]]},
                {"kind": "poem"},
                {"kind": "table", "columns": ["a"], "rows": 1, "given": {"r9c9": "x"}},
            ]
        )
    assert messages(error) == [
        "Part 1 (prompt): write the question the student answers.",
        "Part 2 (table): give the column headings, one per line.",
        "Part 2 (table): rows must be a whole number from 1 to 20.",
        "Part 3 (diagram): label 1 needs two numbers 0-100: x% from the left, y% from the top.",
        "Part 4: kind must be prompt, table or diagram, not 'poem'.",
        "Part 5 (table): there is no cell 'r9c9' in this table.",
    ]


def test_sizes_are_limited() -> None:
    with pytest.raises(Invalid) as error:
        parse_template([{"kind": "prompt", "question": "q"}] * (MAX_PARTS + 1))
    assert messages(error) == [f"Guided notes have at most {MAX_PARTS} parts; these have {MAX_PARTS + 1}."]
    with pytest.raises(Invalid) as error:
        parse_template([{"kind": "prompt", "question": "x" * 1001}])
    assert messages(error) == ["Part 1 (prompt): the question is 1001 characters long; at most 1000."]
    with pytest.raises(Invalid):
        parse_template([{"kind": "table", "columns": list("abcdefghi"), "rows": 1}])


def test_a_diagram_image_outside_the_course_is_refused() -> None:
    with pytest.raises(Invalid) as error:
        parse_template([{"kind": "diagram", "image": "../../etc/passwd", "labels": [[1, 1]]}])
    assert messages(error) == ["Part 1 (diagram): '../../etc/passwd' is not a file of this course."]


def test_a_form_may_give_columns_and_labels_as_lines() -> None:
    template = parse_template(
        [
            {"kind": "table", "columns": "Gas\nMolar mass\n", "rows": "3"},
            {"kind": "diagram", "labels": "10 20\n30%, 40%\n"},
        ]
    )
    assert template.parts[0].columns == ("Gas", "Molar mass")
    assert template.parts[0].rows == 3
    assert [(label.x, label.y) for label in template.parts[1].labels] == [(10.0, 20.0), (30.0, 40.0)]


def test_answers_keep_only_the_parts_boxes_and_drop_control_characters() -> None:
    table = parse_template(TEMPLATE).parts[1]
    kept = clean_answers(table, {"r1c1": "hack the given cell", "r1c2": "2.5\x00", "r2c1": "  ", "zz": "x"})
    assert kept == {"r1c2": "2.5"}


def test_an_answer_too_long_is_refused_whole() -> None:
    prompt = parse_template(TEMPLATE).parts[0]
    with pytest.raises(Invalid) as error:
        clean_answers(prompt, {"text": "a" * (MAX_ANSWER + 1)})
    assert messages(error) == [f"A box holds at most {MAX_ANSWER} characters; this one has {MAX_ANSWER + 1}."]


def test_filled_counts_boxes_with_words() -> None:
    template = parse_template(TEMPLATE)
    assert filled(template, {}) == (0, 6)
    assert filled(template, {"1": {"text": "PV = k"}, "2": {"r1c2": "1", "r2c2": " "}, "9": {"l1": "x"}}) == (
        2,
        6,
    )
