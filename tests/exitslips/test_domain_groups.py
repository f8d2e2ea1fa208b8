"""Tomorrow's groups from an exit slip's answers: a pure rule, no database."""

from __future__ import annotations

from flipmastery.domain.exit_slips import Answer, SuggestedGroup, tomorrows_groups, wrong_answer_tag


def test_a_wrong_choice_carries_its_own_tag_before_the_items_tag() -> None:
    tags = {"1": "force vs pressure", "*": "units"}
    assert wrong_answer_tag(tags, 1) == "force vs pressure"
    assert wrong_answer_tag(tags, 2) == "units"
    assert wrong_answer_tag(tags, None) == "units"
    assert wrong_answer_tag({}, 0) == ""


def test_all_right_are_ready_and_the_same_tag_sits_together() -> None:
    roster = [1, 2, 3, 4, 5, 6]
    answers = [
        Answer(1, 1, True), Answer(1, 2, True),
        Answer(2, 1, False, "force vs pressure"), Answer(2, 2, True),
        Answer(3, 1, False, "force vs pressure"), Answer(3, 2, False),
        Answer(4, 1, True), Answer(4, 2, False),
        Answer(5, 1, True), Answer(5, 2, False),
    ]  # fmt: skip
    sorting = tomorrows_groups(roster, [1, 2], answers)
    assert sorting.groups == (
        SuggestedGroup(1, "force vs pressure", (2, 3)),
        SuggestedGroup(2, "", (4, 5)),
    )
    assert sorting.ready == (1,)
    assert sorting.alone == ()
    assert sorting.no_answer == (6,)


def test_groups_have_two_to_five_students_split_evenly() -> None:
    roster = list(range(1, 12))
    answers = [Answer(s, 1, False, "t") for s in roster]
    sorting = tomorrows_groups(roster, [1], answers)
    assert [len(g.students) for g in sorting.groups] == [4, 4, 3]
    assert [s for g in sorting.groups for s in g.students] == roster
    six = tomorrows_groups(roster[:6], [1], answers)
    assert [g.students for g in six.groups] == [(1, 2, 3), (4, 5, 6)]


def test_lone_misses_make_one_mixed_group_or_a_word_with_the_teacher() -> None:
    answers = [Answer(1, 1, False, "a"), Answer(2, 2, False, "b"), Answer(3, 3, True)]
    mixed = tomorrows_groups([1, 2, 3], [1, 2, 3], answers)
    assert mixed.groups == (SuggestedGroup(0, "", (1, 2)),)
    assert mixed.ready == (3,)
    lone = tomorrows_groups([1, 3], [1, 2, 3], answers)
    assert lone.groups == () and lone.alone == (1,)


def test_the_tag_most_share_wins_and_answers_of_others_are_ignored() -> None:
    answers = [
        Answer(1, 1, False, "rare"), Answer(1, 2, False, "common"),
        Answer(2, 2, False, "common"), Answer(3, 2, False, "common"),
        Answer(99, 1, False, "rare"),  # not on the roster (left the section)
        Answer(2, 7, False, "rare"),  # not an item of this slip
    ]  # fmt: skip
    sorting = tomorrows_groups([1, 2, 3], [1, 2], answers)
    assert sorting.groups == (SuggestedGroup(2, "common", (1, 2, 3)),)
    assert 99 not in sorting.no_answer
