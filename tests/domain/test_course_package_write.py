"""course.yaml written from a CourseSpec reads back as the same course, whatever a teacher typed."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flipmastery.domain.course import (
    ActivitySpec,
    CourseSpec,
    EnrichmentSpec,
    LearningObjectKind,
    LearningObjectSpec,
    ObjectiveSpec,
    Tier,
    UnitSpec,
)
from flipmastery.domain.formats.course_package import parse_course
from flipmastery.domain.formats.course_package_write import write_course

DEMO = Path(__file__).resolve().parents[2] / "src" / "flipmastery" / "demo" / "content"


def plain(value: Any) -> Any:
    """A spec without where it was read from (locations differ between two files, nothing else may)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        skip = {"location", "prerequisite_locations"}
        return tuple(
            (f.name, plain(getattr(value, f.name))) for f in dataclasses.fields(value) if f.name not in skip
        )
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    return value


def read_back(spec: CourseSpec) -> CourseSpec:
    return parse_course(write_course(spec), package_has=lambda _: True)


@pytest.mark.parametrize("demo", ["gas-laws", "rational-numbers"])
def test_the_demo_packages_read_the_same_after_writing(demo: str) -> None:
    root = DEMO / demo
    spec = parse_course(
        (root / "course.yaml").read_text(encoding="utf-8"), package_has=lambda p: (root / p).exists()
    )
    assert plain(read_back(spec)) == plain(spec)


# What a teacher may type in a title or a statement: YAML's special words and characters, Hindi, new lines.
TRICKY = [
    "yes",
    "No",
    "null",
    "~",
    "1.0",
    "0x1F",
    "- dash",
    "# hash",
    "a: b",
    "'quoted'",
    '"double"',
    "तापमान",
    "[x]",
    "{y}",
    "@at",
    "%p",
    "&a *b",
    "!tag",
]
text = (
    st.one_of(
        st.sampled_from(TRICKY),
        st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40),
        st.lists(st.sampled_from(TRICKY), min_size=2, max_size=4).map("\n".join),
    )
    .map(str.strip)
    .filter(bool)
)


@given(title=text, statement=text, body=text, note=text)
def test_any_text_a_teacher_types_reads_back_unchanged(
    title: str, statement: str, body: str, note: str
) -> None:
    spec = CourseSpec(
        code="C1",
        title=title,
        threshold=0.75,
        language="hi",
        description=note,
        units=(
            UnitSpec(
                code="U1",
                title=title,
                objectives=(
                    ObjectiveSpec(code="O-1", statement=statement),
                    ObjectiveSpec(
                        code="O-2",
                        statement=statement,
                        tier=Tier.NICE_TO_KNOW,
                        outcome_code=note,
                        prerequisites=("O-1",),
                        threshold=0.9,
                        estimated_minutes=20,
                        learn=(
                            LearningObjectSpec(LearningObjectKind.TEXT, title, body=body, minutes=5),
                            LearningObjectSpec(LearningObjectKind.VIDEO, "v", url="https://youtu.be/x?t=1"),
                            LearningObjectSpec(LearningObjectKind.FILE, "f", file="files/a b.pdf"),
                        ),
                        activities=(ActivitySpec(title, note),),
                        enrichment=(EnrichmentSpec(title, note, "https://example.org/?a=1&b=2"),),
                        check_items=3,
                        check_written=1,
                        bank="banks/o-2.yaml",
                    ),
                ),
            ),
        ),
    )
    assert plain(read_back(spec)) == plain(spec)


def test_defaults_are_left_out() -> None:
    spec = CourseSpec(code="C1", title="T", units=(UnitSpec("U", "Unit", (ObjectiveSpec("O", "S"),)),))
    written = write_course(spec)
    assert "tier" not in written and "check" not in written and "prerequisites" not in written
    assert plain(read_back(spec)) == plain(spec)
