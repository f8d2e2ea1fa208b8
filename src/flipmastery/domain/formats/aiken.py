"""Aiken banks: single-choice questions as plain text, read as Moodle reads them, and written back.

    What is the SI unit of pressure?
    A. pascal
    B) bar
    ANSWER: A

The question text may run over several lines; each option is a capital letter, `.` or `)`, and its text;
`ANSWER:` names the right letter. Aiken has no titles, keys, tags, feedback or partial credit: a question
that needs feedback or partial credit cannot be written (Invalid says why); keys, titles and tags are
left out, since they change nothing a student sees.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from flipmastery.domain.errors import Invalid, Location, Problem
from flipmastery.domain.formats.bank import BankEntry
from flipmastery.domain.formats.gift_common import (
    MAX_QUESTIONS,
    WHITESPACE,
    capped,
    name_of,
    short,
    text_of,
    too_many,
)
from flipmastery.domain.questions import Choice, Question, QuestionType, TextFormat

_OPTION = re.compile(r"([A-Z])[.)][ \t]*(.*)")  # Moodle's rule; the space after "A." may be left out
_ANSWER = re.compile(r"ANSWER:(.*)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def read(text: str | bytes, file: str) -> list[BankEntry]:
    """Every question of an Aiken file, or Invalid listing every problem with its file and line."""
    reader = _Reader(file)
    for number, line in enumerate(text_of(text, file).split("\n"), start=1):
        reader.line(number, line.strip(WHITESPACE))
    reader.end()
    if reader.problems:
        raise Invalid(capped(reader.problems, file))
    return reader.entries


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.entries: list[BankEntry] = []
        self.reset()

    def reset(self) -> None:
        self.start = 0
        self.text: list[str] = []
        self.options: list[tuple[int, str, str]] = []  # line, letter, text

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(message, Location(self.file, line)))

    def line(self, number: int, line: str) -> None:
        if not line:
            return
        answer, option = _ANSWER.match(line), _OPTION.fullmatch(line)
        if answer:
            self.finish(number, answer.group(1).strip(WHITESPACE))
        elif option:
            if not self.text:
                self.problem(number, f"option {option.group(1)} comes before any question text")
                return
            self.options.append((number, option.group(1), option.group(2).strip(WHITESPACE)))
        else:
            if self.options:
                self.problem(number, "the question above has no 'ANSWER:' line before this one starts")
                self.reset()
            self.start = self.start or number
            self.text.append(line)

    def end(self) -> None:
        if self.text:
            self.problem(self.start, "the question has no 'ANSWER:' line")

    def finish(self, number: int, letter: str) -> None:
        if not self.text:
            self.problem(number, "'ANSWER:' comes before any question")
            return
        problems = len(self.problems)
        if len(self.options) < 2:
            self.problem(number, "a question needs at least two options, A. and B.")
        for index, (line, written, text) in enumerate(self.options):
            if written != LETTERS[index]:
                self.problem(
                    line, f"the options go A, B, C… in order; expected {LETTERS[index]} here, found {written}"
                )
            if not text:
                self.problem(line, f"option {written} has no text")
        letters = [written for _, written, _ in self.options]
        if letter not in letters:
            found = f"found {short(letter)!r}" if letter else "found nothing"
            self.problem(
                number, f"ANSWER: needs the letter of the right option ({', '.join(letters)}); {found}"
            )
        if len(self.problems) == problems:
            choices = tuple(
                Choice(text, 1.0 if written == letter else 0.0) for _, written, text in self.options
            )
            question = Question(
                QuestionType.SINGLE_CHOICE, "\n".join(self.text), format=TextFormat.PLAIN, choices=choices
            )
            if len(self.entries) == MAX_QUESTIONS:
                raise too_many(self.file)
            self.entries.append(BankEntry(question, self.start))
        self.reset()


def write(questions: Sequence[Question]) -> str:
    """The questions as an Aiken file, or Invalid naming each question Aiken cannot hold and why."""
    problems: list[Problem] = []
    parts: list[str] = []
    for index, question in enumerate(questions, start=1):
        reasons = cannot(question)
        if reasons:
            problems.append(
                Problem(f"{name_of(question, index)} cannot be written as Aiken: {'; '.join(reasons)}")
            )
            continue
        right = next(i for i, c in enumerate(question.choices) if c.fraction == 1.0)
        options = [f"{LETTERS[i]}. {c.text}" for i, c in enumerate(question.choices)]
        parts.append("\n".join([question.text, *options, f"ANSWER: {LETTERS[right]}"]))
    if problems:
        raise Invalid(problems)
    return "".join(part + "\n\n" for part in parts)


def cannot(q: Question) -> list[str]:
    """Why Aiken cannot hold this question without changing what a student sees (empty when it can)."""
    if q.type is not QuestionType.SINGLE_CHOICE:
        return [f"Aiken holds only single-choice questions, not {q.type.value.replace('_', ' ')}"]
    why: list[str] = []
    fractions = sorted(c.fraction for c in q.choices)
    if not 2 <= len(q.choices) <= len(LETTERS):
        why.append(f"Aiken needs between 2 and {len(LETTERS)} options")
    elif fractions[-1] != 1.0 or fractions[-2] != 0.0 or fractions[0] != 0.0:
        why.append("Aiken has exactly one right option and no partial credit")
    if q.general_feedback or any(c.feedback for c in q.choices):
        why.append("Aiken has no feedback")
    if q.points != 1.0:
        why.append(f"Aiken has no points and this question is worth {q.points:g}")
    if not q.shuffle:
        why.append("Aiken cannot keep the options in a fixed order")
    if q.format is TextFormat.HTML:
        why.append("Aiken text is plain, and this question is HTML")
    lines = q.text.split("\n")
    if not q.text.strip(WHITESPACE) or any(not line.strip(WHITESPACE) for line in lines):
        why.append("Aiken question text cannot be empty or contain blank lines")
    elif any(_OPTION.fullmatch(ln.strip(WHITESPACE)) or _ANSWER.match(ln.strip(WHITESPACE)) for ln in lines):
        why.append("a line of the text would be read as an option or an ANSWER line")
    if any("\n" in c.text or not c.text.strip(WHITESPACE) for c in q.choices):
        why.append("every option must be one non-empty line")
    if any(_CONTROL.search(text) for text in [q.text, *(c.text for c in q.choices)]):
        why.append("a text contains a control character")
    return why
