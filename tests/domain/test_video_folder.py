"""A folder of videos: each file's objective by its name or its folder, or a problem naming the file."""

from __future__ import annotations

import pytest

from flipmastery.domain.errors import Problem
from flipmastery.domain.video_folder import Placed, place_video

CODES = ["GAS-1", "GAS-10", "GAS-2"]


@pytest.mark.parametrize(
    ("path", "code", "title"),
    [
        ("GAS-1 Boyle's law.mp4", "GAS-1", "Boyle's law"),
        ("gas-1_boyles_law.webm", "GAS-1", "boyles law"),
        ("GAS-10 - Ideal gases.mp4", "GAS-10", "Ideal gases"),
        ("GAS-2.mp4", "GAS-2", "GAS-2"),
        ("GAS-2/Charles's law in the kitchen.mp4", "GAS-2", "Charles's law in the kitchen"),
        ("term 1/gas-2/lab.mp4", "GAS-2", "lab"),
    ],
)
def test_a_video_goes_to_the_objective_its_name_or_folder_says(path: str, code: str, title: str) -> None:
    assert place_video(path, CODES) == Placed(path, code, title)


@pytest.mark.parametrize("path", ["GAS-11 Other.mp4", "Boyle GAS-1.mp4", "GAS-1x.mp4", "misc/intro.mp4"])
def test_a_name_with_no_code_is_a_problem_naming_the_file(path: str) -> None:
    found = place_video(path, CODES)
    assert isinstance(found, Problem)
    assert found.location is not None and found.location.file == path
    assert "starts with no objective code" in found.message
