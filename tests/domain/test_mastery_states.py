"""LOCKED or READY from prerequisites; mastery shown is never taken away by the graph."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from flipmastery.domain.mastery import ObjectiveNode, State, next_objective, playlist_states

CHAIN = [ObjectiveNode("A", ()), ObjectiveNode("B", ("A",)), ObjectiveNode("C", ("A", "B"))]


def test_nothing_recorded_opens_only_objectives_without_prerequisites() -> None:
    assert playlist_states(CHAIN, {}) == {"A": State.READY, "B": State.LOCKED, "C": State.LOCKED}


def test_mastering_a_opens_b_but_not_c() -> None:
    states = playlist_states(CHAIN, {"A": State.MASTERED})
    assert states == {"A": State.MASTERED, "B": State.READY, "C": State.LOCKED}


def test_recorded_progress_shows_once_unlocked() -> None:
    states = playlist_states(CHAIN, {"A": State.MASTERED, "B": State.NOT_YET})
    assert states["B"] is State.NOT_YET


@given(st.dictionaries(st.sampled_from(["A", "B", "C"]), st.sampled_from(list(State))))
def test_no_recorded_history_unlocks_an_objective_with_an_unmastered_prerequisite(
    recorded: dict[str, State],
) -> None:
    states = playlist_states(CHAIN, recorded)
    for node in CHAIN:
        if states[node.code] not in (State.LOCKED, State.MASTERED):
            assert all(states[p] is State.MASTERED for p in node.prerequisites)


def test_next_objective_is_the_first_open_one_in_order() -> None:
    assert next_objective([("A", State.MASTERED), ("B", State.LOCKED), ("C", State.READY)]) == "C"
    assert next_objective([("A", State.MASTERED), ("B", State.LOCKED)]) is None


def test_essentials_front_loaded_an_open_essential_comes_before_a_nice_to_know() -> None:
    from flipmastery.domain.mastery import next_objective

    rows = [("N-1", State.READY), ("E-2", State.READY), ("E-3", State.LOCKED)]
    assert next_objective(rows) == "N-1"
    assert next_objective(rows, essential=["E-2", "E-3"]) == "E-2"
    # Something already under way comes first, whatever its tier.
    under_way = [("N-1", State.NOT_YET), ("E-2", State.READY)]
    assert next_objective(under_way, essential=["E-2"]) == "N-1"
    assert next_objective([("N-1", State.READY)], essential=[]) == "N-1"
