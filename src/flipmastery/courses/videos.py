"""A folder of video files onto this server, each attached to its objective as a learning object, so a
class without internet watches from the school's own machine (the studio's edit attaches each one)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flipmastery.courses.models import VIDEO_SUFFIXES, Course, LearningObject
from flipmastery.courses.studio_edits import part_add
from flipmastery.domain.course import LearningObjectKind, LearningObjectSpec
from flipmastery.domain.errors import Invalid, Problem
from flipmastery.domain.video_folder import Placed, place_video


@dataclass
class VideosReport:
    attached: list[Placed] = field(default_factory=list)
    already: list[Placed] = field(default_factory=list)  # an objective already has a way to learn it so named

    def lines(self, dry_run: bool) -> list[str]:
        verb = "would attach" if dry_run else "attached"
        out = [f"  {verb}: {p.path} → {p.code} “{p.title}”" for p in self.attached]
        out += [f"  already there (left as it is): {p.path} → {p.code} “{p.title}”" for p in self.already]
        return out or ["  no video files found (.mp4, .m4v, .webm, .ogg, .ogv)"]


def videos_attach(*, course: Course, folder: Path, dry_run: bool = False) -> VideosReport:
    """Place every video file of `folder` (and its subfolders) by its name; if any cannot be placed,
    nothing is attached and every problem is listed. A video whose objective already has a learning
    object of that title is left alone, so running it again after adding files attaches only the new."""
    codes = list(course.objectives.filter(retired=False).values_list("code", flat=True))
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in VIDEO_SUFFIXES)
    placed: list[Placed] = []
    problems: list[Problem] = []
    for path in files:
        found = place_video(path.relative_to(folder).as_posix(), codes)
        if isinstance(found, Problem):
            problems.append(found)
        else:
            placed.append(found)
    if problems:
        raise Invalid(problems)
    have = {
        (code, title.casefold())
        for code, title in LearningObject.objects.filter(
            objective__course=course, retired=False, objective__retired=False
        ).values_list("objective__code", "title")
    }
    report = VideosReport()
    for p in placed:
        if (p.code, p.title.casefold()) in have:
            report.already.append(p)
            continue
        have.add((p.code, p.title.casefold()))
        report.attached.append(p)
        if not dry_run:
            item = LearningObjectSpec(kind=LearningObjectKind.VIDEO, title=p.title)
            upload = (Path(p.path).name, (folder / p.path).read_bytes())
            part_add(course=course, objective_code=p.code, part="learn", item=item, upload=upload)
    return report
