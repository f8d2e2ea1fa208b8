"""flipmastery import-videos COURSE FOLDER [--dry-run]: video files onto this server, each attached to the
objective its name (or folder) starts with, e.g. `GAS-1 Boyle's law.mp4` or `GAS-1/Boyle's law.mp4`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from flipmastery.courses.models import Course
from flipmastery.courses.videos import videos_attach
from flipmastery.domain.errors import Invalid


class Command(BaseCommand):
    help = "Copy a folder of videos onto this server and attach each to its objective (by its file name)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help='course code, e.g. "CHEM11"')
        parser.add_argument("folder", type=Path, help="a folder of .mp4/.webm files (subfolders too)")
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be attached; change nothing"
        )

    def handle(self, *args: Any, code: str, folder: Path, dry_run: bool, **options: Any) -> None:
        course = Course.objects.filter(code=code).first()
        if course is None:
            self.stderr.write(f"there is no course {code}; nothing was changed.")
            sys.exit(1)
        if not folder.is_dir():
            self.stderr.write(f"{folder}: not a folder; nothing was changed.")
            sys.exit(1)
        try:
            report = videos_attach(course=course, folder=folder, dry_run=dry_run)
        except Invalid as err:
            self.stderr.write(f"{folder}: no video was attached; nothing was changed.")
            for problem in err.problems:
                self.stderr.write(f"  {problem}")
            sys.exit(1)
        self.stdout.write(f"{course.code}:{' (dry run: nothing changed)' if dry_run else ''}")
        for line in report.lines(dry_run):
            self.stdout.write(line)
