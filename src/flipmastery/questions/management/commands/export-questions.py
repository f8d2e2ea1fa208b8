"""flipmastery export-questions --course C [--objective O] --format F -o FILE: write a bank file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from flipmastery.domain.errors import Invalid
from flipmastery.domain.formats.bank import FORMATS, write_bank
from flipmastery.questions.selectors import bank_questions


class Command(BaseCommand):
    help = "Write the current questions of a course (or one objective) as YAML, GIFT, Aiken or Moodle XML."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--course", required=True, help='course code, e.g. "CHEM11"')
        parser.add_argument("--objective", help="only this objective's bank")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("-o", "--output", required=True, help="the file to write, or - for the screen")

    def handle(self, *args: Any, course: str, objective: str | None, output: str, **options: Any) -> None:
        questions = bank_questions(course_code=course, objective_code=objective)
        if not questions:
            where = f"objective {objective} of {course}" if objective else f"course {course}"
            self.stderr.write(f"{where} has no questions (or does not exist); nothing was written.")
            sys.exit(1)
        try:
            text = write_bank([q for _, q in questions], options["format"])
        except Invalid as err:
            self.stderr.write(f"the bank cannot be written as {options['format']}; nothing was written.")
            for problem in err.problems:
                self.stderr.write(f"  {problem}")
            sys.exit(1)
        if output == "-":
            self.stdout.write(text, ending="")
        else:
            Path(output).write_text(text, encoding="utf-8")
            codes = sorted({code for code, _ in questions})
            count = f"{len(questions)} question{'' if len(questions) == 1 else 's'}"
            self.stdout.write(f"{count} of {', '.join(codes)} written to {output}")
