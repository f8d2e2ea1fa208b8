"""flipmastery oneroster-export SECTION_OR_SCHOOL PATH: the gradebook of one section (by its number) or of
every section this year (`school`) as a OneRoster 1.2 CSV results bundle (.zip) for the SIS."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from flipmastery.domain.errors import NotFound
from flipmastery.oneroster.exports import results_zip, sections_to_export


class Command(BaseCommand):
    help = "Write results (per objective, and the letter grade) as a OneRoster 1.2 CSV bundle for the SIS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("which", help="a section's number, or school for every section of this year")
        parser.add_argument("path", type=Path, help="the .zip to write")

    def handle(self, *args: Any, which: str, path: Path, **options: Any) -> None:
        try:
            sections = sections_to_export(which)
        except NotFound as err:
            self.stderr.write(str(err))
            sys.exit(1)
        try:
            path.write_bytes(results_zip(sections=sections, now=timezone.now()))
        except OSError as err:
            self.stderr.write(f"{path}: cannot be written ({err.strerror})")
            sys.exit(1)
        self.stdout.write(f"{path}: results of {len(sections)} section{'' if len(sections) == 1 else 's'}.")
