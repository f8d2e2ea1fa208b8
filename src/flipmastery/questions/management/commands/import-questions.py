"""flipmastery import-questions FILE --course C --objective O [--format F] [--replace] [--dry-run]."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from flipmastery.courses.models import Objective
from flipmastery.domain.errors import Invalid
from flipmastery.domain.formats.bank import FORMATS
from flipmastery.questions.services import bank_import

MAX_BYTES = 5_000_000


class Command(BaseCommand):
    help = "Load a question bank file (YAML, GIFT, Aiken or Moodle XML) into one objective, all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the bank file")
        parser.add_argument("--course", required=True, help='course code, e.g. "CHEM11"')
        parser.add_argument("--objective", required=True, help='objective code, e.g. "GAS-3"')
        parser.add_argument(
            "--format", choices=FORMATS, help="default: from the file name (.yaml .gift .txt .xml)"
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="retire the objective's questions that the file does not have",
        )
        parser.add_argument("--dry-run", action="store_true", help="check and report; change nothing")

    def handle(self, *args: Any, file: Path, course: str, objective: str, **options: Any) -> None:
        target = Objective.objects.filter(course__code=course, code=objective).first()
        if target is None:
            self._fail(file, [f"course {course} has no objective {objective}"])
        try:
            if not file.is_file():
                self._fail(file, ["no such file"])
            if file.stat().st_size > MAX_BYTES:
                self._fail(file, [f"the file is larger than {MAX_BYTES // 1_000_000} MB"])
            text = file.read_bytes()  # the reader decodes: Moodle XML may declare its own encoding
            report = bank_import(
                objective=target,  # type: ignore[arg-type]
                text=text,
                file=file.name,
                fmt=options["format"],
                replace=options["replace"],
                dry_run=options["dry_run"],
            )
        except Invalid as err:
            self._fail(file, [str(p) for p in err.problems])
        self.stdout.write(report.line())

    def _fail(self, file: Path, problems: list[str]) -> None:
        self.stderr.write(f"{file}: no questions were imported; nothing was changed.")
        for problem in problems:
            self.stderr.write(f"  {problem}")
        self.stderr.write(f"{len(problems)} problem{'' if len(problems) == 1 else 's'}.")
        sys.exit(1)
