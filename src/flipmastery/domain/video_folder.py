"""Which objective a video file in a folder belongs to, by its name: `GAS-1 Boyle's law.mp4` (the code,
then the title) or `GAS-1/Boyle's law.mp4` (a folder named by the code). Pure: the command reads the
folder, this decides, and the studio's own edit attaches what was decided."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass

from flipmastery.domain.errors import Location, Problem

SEPARATORS = " _-.·:"


@dataclass(frozen=True)
class Placed:
    path: str  # as found, relative to the folder
    code: str  # the objective's code as the course spells it
    title: str


def place_video(path: str, codes: Iterable[str]) -> Placed | Problem:
    """The objective and title of one video file, or a problem naming the file."""
    parts = [p for p in path.split("/") if p]
    stem = posixpath.splitext(posixpath.basename(path))[0]
    known = sorted(codes, key=len, reverse=True)  # GAS-10 before GAS-1
    by_folder = {c.casefold(): c for c in known}
    if len(parts) > 1 and parts[-2].casefold() in by_folder:
        return Placed(path, by_folder[parts[-2].casefold()], _title(stem) or stem)
    for code in known:
        head, rest = stem[: len(code)], stem[len(code) :]
        if head.casefold() == code.casefold() and (not rest or rest[0] in SEPARATORS):
            return Placed(path, code, _title(rest) or code)
    return Problem(
        "its name starts with no objective code of the course (e.g. 'GAS-1 Boyle's law.mp4', "
        "or put it in a folder named GAS-1)",
        Location(path),
    )


def _title(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("_", " ")).strip(SEPARATORS + " ")
