"""What `import-course` prints: counts in words a teacher reads, singular for one and plural for more."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.courses.test_import_course import package, run

pytestmark = pytest.mark.django_db

ONE_EACH = textwrap.dedent("""\
    course: {code: PHY9, title: Class 9 Physics}
    units:
      - code: MOT
        title: Motion
        objectives:
          - code: MOT-1
            statement: Be able to tell distance from displacement.
            learn: [{kind: worksheet, title: Worksheet 1}]
            activities: [{title: Walk the corridor}]
""")


def many(objectives: int) -> str:
    rows = "".join(
        f"      - code: MOT-{i}\n        statement: Objective {i}.\n" for i in range(1, objectives + 1)
    )
    return ONE_EACH.split("      - code: MOT-1")[0] + rows


def test_one_of_each_is_singular(tmp_path: Path) -> None:
    code, out, err = run(package(tmp_path, ONE_EACH, with_files=False))

    assert code == 0, err
    assert "  created: 1 activity, 1 course, 1 learning object, 1 objective, 1 unit\n" in out


def test_many_are_plural(tmp_path: Path) -> None:
    code, out, err = run(package(tmp_path, many(140), with_files=False))

    assert code == 0, err
    assert "  created: 1 course, 140 objectives, 1 unit\n" in out


def test_importing_again_says_nothing_was_changed(tmp_path: Path) -> None:
    root = package(tmp_path, ONE_EACH, with_files=False)
    run(root)

    code, out, _ = run(root)

    assert code == 0 and out.endswith("  nothing was changed\n")


def test_the_number_of_problems_is_counted_in_words(tmp_path: Path) -> None:
    one = ONE_EACH.replace("statement: Be able", "tier: sometimes\n        statement: Be able")
    two = one.replace("title: Motion", "title: Motion\n    colour: blue")

    assert run(package(tmp_path / "one", one, with_files=False))[2].endswith("\n1 problem.\n")
    assert run(package(tmp_path / "two", two, with_files=False))[2].endswith("\n2 problems.\n")
