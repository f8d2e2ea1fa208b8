"""flipmastery import-course PATH [--dry-run]: load a course package (folder or .zip), all or nothing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from flipmastery.courses.services import course_import_path
from flipmastery.domain.errors import Invalid


class Command(BaseCommand):
    help = "Create or update a course from a course package (a folder or .zip holding course.yaml)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the package folder or .zip")
        parser.add_argument("--dry-run", action="store_true", help="check and report; change nothing")

    def handle(self, *args: Any, path: Path, dry_run: bool, **options: Any) -> None:
        try:
            report = course_import_path(path=path, dry_run=dry_run)
        except Invalid as err:
            self.stderr.write(f"{path}: the package was not imported; nothing was changed.")
            for problem in err.problems:
                self.stderr.write(f"  {problem}")
            count = len(err.problems)
            self.stderr.write(f"{count} problem{'' if count == 1 else 's'}.")
            sys.exit(1)
        for line in report.lines():
            self.stdout.write(line)
