"""The seeds' rule of thumb: a video at most 60–90 s per grade level (under 15 min for grade 10)."""

from __future__ import annotations

from flipmastery.domain.course import (
    CourseSpec,
    LearningObjectKind,
    LearningObjectSpec,
    ObjectiveSpec,
    UnitSpec,
)
from flipmastery.domain.video_length import course_video_warnings, video_too_long


def test_grade_10_allows_15_minutes_and_warns_at_16() -> None:
    assert video_too_long(grade=10, title="Moles", minutes=15) is None

    warning = video_too_long(grade=10, title="Moles", minutes=16)

    assert warning is not None
    assert warning.message() == (
        "Video 'Moles' is 16 min; for grade 10 the rule of thumb is at most 10–15 min "
        "(60–90 s per grade level)"
    )


def test_grade_9_says_half_minutes() -> None:
    warning = video_too_long(grade=9, title="Boyle's law", minutes=14)

    assert warning is not None
    assert warning.message() == (
        "Video 'Boyle's law' is 14 min; for grade 9 the rule of thumb is at most 9–13½ min "
        "(60–90 s per grade level)"
    )
    assert video_too_long(grade=9, title="Boyle's law", minutes=13) is None


def test_no_grade_or_no_minutes_warns_nothing() -> None:
    assert video_too_long(grade=None, title="Long", minutes=120) is None
    assert video_too_long(grade=3, title="Unknown length", minutes=None) is None


def test_grade_1_allows_a_minute_and_a_half() -> None:
    assert video_too_long(grade=1, title="Counting", minutes=1) is None
    warning = video_too_long(grade=1, title="Counting", minutes=2)
    assert warning is not None and (warning.low, warning.high) == ("1", "1½")


def test_a_course_warns_for_its_long_videos_only_in_order() -> None:
    def lo(kind: LearningObjectKind, title: str, minutes: int) -> LearningObjectSpec:
        return LearningObjectSpec(kind=kind, title=title, minutes=minutes)

    spec = CourseSpec(
        code="CHEM9",
        title="Class 9 Chemistry",
        grade=9,
        units=(
            UnitSpec(
                code="GAS",
                title="Gases",
                objectives=(
                    ObjectiveSpec(
                        code="GAS-1",
                        statement="Be able to.",
                        learn=(
                            lo(LearningObjectKind.VIDEO, "Short", 9),
                            lo(LearningObjectKind.WORKSHEET, "Long sheet", 40),
                            lo(LearningObjectKind.VIDEO, "Long", 20),
                        ),
                    ),
                    ObjectiveSpec(
                        code="GAS-2",
                        statement="Be able to.",
                        learn=(lo(LearningObjectKind.VIDEO, "Longer", 30),),
                    ),
                ),
            ),
        ),
    )

    warnings = course_video_warnings(spec)

    assert [(w.objective, w.title, w.minutes) for w in warnings] == [
        ("GAS-1", "Long", 20),
        ("GAS-2", "Longer", 30),
    ]
    assert course_video_warnings(spec.__class__(code="X", title="X", units=spec.units)) == []
