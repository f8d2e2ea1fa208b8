"""flipmastery oneroster-import PATH [--course SIS=OURS …] [--dry-run]: a OneRoster 1.2 CSV bundle (a .zip
or a folder) into sections, teachers and students, all or nothing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from flipmastery.domain.errors import Invalid
from flipmastery.domain.formats.oneroster import read_course_map
from flipmastery.oneroster.services import oneroster_import_path


class Command(BaseCommand):
    help = "Import a OneRoster 1.2 CSV bundle (a .zip or a folder): classes become sections of our courses."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the bundle: a .zip or a folder holding manifest.csv")
        parser.add_argument(
            "--course",
            action="append",
            default=[],
            metavar="SIS=OURS",
            help="the SIS course (courseCode or sourcedId) whose classes take our course OURS; repeat it",
        )
        parser.add_argument("--dry-run", action="store_true", help="check and report; change nothing")

    def handle(self, *args: Any, path: Path, course: list[str], dry_run: bool, **options: Any) -> None:
        try:
            mapping = read_course_map("\n".join(course), "--course")
            report = oneroster_import_path(path=path, course_map=mapping, now=timezone.now(), dry_run=dry_run)
        except Invalid as err:
            self.stderr.write(f"{path}: the bundle was not imported; nothing was changed.")
            for problem in err.problems:
                self.stderr.write(f"  {problem}")
            count = len(err.problems)
            self.stderr.write(f"{count} problem{'' if count == 1 else 's'}.")
            sys.exit(1)
        for line in report.lines():
            self.stdout.write(line)
