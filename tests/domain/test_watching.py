"""The share of a video watched: stretches played, merged, never counting what a seek skipped."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from flipmastery.domain.watching import (
    MAX_SPANS,
    MAX_STRETCH,
    add_stretch,
    watched_enough,
    watched_share,
)


def played(*stretches: tuple[float, float], duration: float = 100.0) -> list[tuple[float, float]]:
    spans: list[tuple[float, float]] = []
    for start, end in stretches:
        spans = add_stretch(spans, start, end, duration)
    return spans


def test_stretches_played_one_after_another_join_up() -> None:
    spans = played((0, 10), (10, 20), (20.3, 30))
    assert spans == [(0.0, 30.0)]
    assert watched_share(spans, 100) == 0.3


def test_a_stretch_played_twice_counts_once() -> None:
    spans = played((0, 20), (5, 15), (0, 20))
    assert watched_share(spans, 100) == 0.2


def test_seeking_ahead_plays_nothing_of_what_it_skipped() -> None:
    spans = played((0, 10), (90, 100))
    assert spans == [(0.0, 10.0), (90.0, 100.0)]
    assert watched_share(spans, 100) == 0.2 and not watched_enough(spans, 100)


def test_one_report_cannot_claim_the_whole_video() -> None:
    spans = played((0, 100))
    assert watched_share(spans, 100) == MAX_STRETCH / 100


def test_eighty_percent_is_enough() -> None:
    spans = played(*[(n, n + 10) for n in range(0, 80, 10)])
    assert watched_share(spans, 100) == 0.8 and watched_enough(spans, 100)


def test_nonsense_reports_are_clamped_or_dropped() -> None:
    assert played((-50, -10)) == []
    assert played((20, 10)) == []
    assert played((95, 130)) == [(95.0, 100.0)]
    assert watched_share(played((0, 10)), 0) == 0.0
    assert played((float("nan"), 10)) == [] and played((0, float("inf"))) == []


def test_a_student_who_seeks_about_keeps_a_small_record_and_loses_nothing() -> None:
    spans = played(*[(n * 3.0, n * 3.0 + 1) for n in range(1000)], duration=3000)
    assert len(spans) == MAX_SPANS and watched_share(spans, 3000) == MAX_SPANS / 3000
    assert add_stretch(spans, 0, 3, 3000)[0] == (0.0, 4.0)  # what joins a span still counts


@given(
    st.lists(
        st.tuples(st.floats(-10, 200, allow_nan=False), st.floats(-10, 200, allow_nan=False)), max_size=40
    )
)
def test_the_share_is_a_share_and_never_shrinks(stretches: list[tuple[float, float]]) -> None:
    spans: list[tuple[float, float]] = []
    before = 0.0
    for start, end in stretches:
        spans = add_stretch(spans, start, end, 150)
        share = watched_share(spans, 150)
        assert 0.0 <= share <= 1.0
        assert share >= before - 1e-9
        before = share
        assert all(a < b for a, b in spans) and spans == sorted(spans)
