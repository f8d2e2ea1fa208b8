"""flipmastery export-questions --course C [--objective O] --format F -o FILE [--partial]: write a bank file.

All or nothing by default; with --partial it writes the questions the format can hold and lists each one
it left out, and why, on the error stream (and as a comment at the top of the file, where the format has
comments).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from flipmastery.domain.errors import Invalid
from flipmastery.domain.formats.bank import FORMATS, LeftOut, write_bank, write_bank_fitting
from flipmastery.questions.selectors import bank_questions


class Command(BaseCommand):
    help = "Write the current questions of a course (or one objective) as YAML, GIFT, Aiken or Moodle XML."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--course", required=True, help='course code, e.g. "CHEM11"')
        parser.add_argument("--objective", help="only this objective's bank")
        parser.add_argument("--format", required=True, choices=FORMATS)
        parser.add_argument("-o", "--output", required=True, help="the file to write, or - for the screen")
        parser.add_argument(
            "--partial",
            action="store_true",
            help="write the questions the format can hold and list the ones left out, instead of nothing",
        )

    def handle(self, *args: Any, course: str, objective: str | None, output: str, **options: Any) -> None:
        questions = bank_questions(course_code=course, objective_code=objective)
        if not questions:
            where = f"objective {objective} of {course}" if objective else f"course {course}"
            self.stderr.write(f"{where} has no questions (or does not exist); nothing was written.")
            sys.exit(1)
        left_out: list[LeftOut] = []
        try:
            if options["partial"]:
                text, left_out = write_bank_fitting([q for _, q in questions], options["format"])
            else:
                text = write_bank([q for _, q in questions], options["format"])
        except Invalid as err:
            self.stderr.write(f"the bank cannot be written as {options['format']}; nothing was written.")
            for problem in err.problems:
                self.stderr.write(f"  {problem}")
            if not options["partial"]:
                self.stderr.write("  (--partial writes the questions that fit and lists the others)")
            sys.exit(1)
        for item in left_out:
            self.stderr.write(f"  {item}")
        if output == "-":
            self.stdout.write(text, ending="")
        else:
            Path(output).write_text(text, encoding="utf-8")
            codes = sorted({code for code, _ in questions})
            written = len(questions) - len(left_out)
            count = f"{written} question{'' if written == 1 else 's'}"
            self.stdout.write(f"{count} of {', '.join(codes)} written to {output}")
            if left_out:
                self.stdout.write(f"{len(left_out)} left out (listed above and at the top of the file)")
