"""The seeds' rule of thumb for video length: no longer than 60–90 seconds per grade level."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from flipmastery.domain.course import CourseSpec, LearningObjectKind

# Bergmann and Sams: "no longer than 60–90 seconds per grade level. So if you're making videos for
# 10th graders, keep them under 15 minutes." The upper end is the bound; the lower end is shown with it.
LOW_SECONDS_PER_GRADE = 60
HIGH_SECONDS_PER_GRADE = 90
GRADES = range(1, 13)  # Class 1–12 in India, grades 1–12 in the US


@dataclass(frozen=True)
class VideoTooLong:
    """A video longer than the rule of thumb allows for the course's grade level."""

    title: str
    minutes: int
    grade: int
    objective: str = ""

    @property
    def low(self) -> str:
        return minutes_text(Fraction(LOW_SECONDS_PER_GRADE * self.grade, 60))

    @property
    def high(self) -> str:
        return minutes_text(Fraction(HIGH_SECONDS_PER_GRADE * self.grade, 60))

    def message(self) -> str:
        return (
            f"Video '{self.title}' is {self.minutes} min; for grade {self.grade} "
            f"the rule of thumb is at most {self.low}–{self.high} min (60–90 s per grade level)"
        )


def minutes_text(minutes: Fraction) -> str:
    """13.5 minutes reads "13½"; whole minutes read as whole numbers (multiples of 30 s are all we make)."""
    whole = int(minutes)
    return f"{whole}½" if minutes - whole == Fraction(1, 2) else str(whole)


def max_video_seconds(grade: int) -> int:
    return HIGH_SECONDS_PER_GRADE * grade


def video_too_long(
    *, grade: int | None, title: str, minutes: int | None, objective: str = ""
) -> VideoTooLong | None:
    """The warning for one video, or None when it is short enough or either number is unknown."""
    if grade is None or minutes is None or grade not in GRADES:
        return None
    if minutes * 60 <= max_video_seconds(grade):
        return None
    return VideoTooLong(title=title, minutes=minutes, grade=grade, objective=objective)


def course_video_warnings(spec: CourseSpec) -> list[VideoTooLong]:
    """Every video of the course that is too long for its grade, in course order."""
    return [w for w in _warnings(spec) if w is not None]


def _warnings(spec: CourseSpec) -> Iterable[VideoTooLong | None]:
    for objective in spec.objectives:
        for lo in objective.learn:
            if lo.kind is LearningObjectKind.VIDEO:
                yield video_too_long(
                    grade=spec.grade, title=lo.title, minutes=lo.minutes, objective=objective.code
                )
