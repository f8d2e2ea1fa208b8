"""flipmastery export-course CODE PATH: write a course as a package (a folder, or a .zip by its name)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from flipmastery.courses.models import Course
from flipmastery.courses.studio_package import package_files, zip_bytes
from flipmastery.domain.errors import Invalid


class Command(BaseCommand):
    help = (
        "Write a course (units, objectives, learning objects, files, banks) as a package import-course reads."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help='course code, e.g. "CHEM11"')
        parser.add_argument("path", type=Path, help="a new or empty folder, or a file ending in .zip")

    def handle(self, *args: Any, code: str, path: Path, **options: Any) -> None:
        course = Course.objects.filter(code=code).first()
        if course is None:
            self.stderr.write(f"there is no course {code}; nothing was written.")
            sys.exit(1)
        try:
            files = package_files(course)
        except Invalid as err:
            self.stderr.write(f"course {code} was not exported; nothing was written.")
            for problem in err.problems:
                self.stderr.write(f"  {problem}")
            sys.exit(1)
        if path.suffix.lower() == ".zip":
            path.write_bytes(zip_bytes(files))
        else:
            if path.exists() and (not path.is_dir() or any(path.iterdir())):
                self.stderr.write(f"{path} exists and is not an empty folder; nothing was written.")
                sys.exit(1)
            for name, data in files.items():
                target = path / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        self.stdout.write(f"course {code}: {len(files)} files written to {path}")
