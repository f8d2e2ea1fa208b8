"""Question bank files in every format we read and write, behind one pair of functions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flipmastery.domain.errors import Invalid, Location, Problem
from flipmastery.domain.questions import Question, QuestionType


@dataclass(frozen=True)
class BankEntry:
    """A question read from a bank file, with where it starts (for messages) and its category path."""

    question: Question
    line: int
    category: str = ""


FORMATS = ("yaml", "gift", "aiken", "moodle_xml")
SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".gift": "gift", ".txt": "aiken", ".xml": "moodle_xml"}


def format_for(file: str) -> str:
    """The format a file name implies, e.g. "banks/gas-3.gift" → "gift"."""
    suffix = "." + file.rsplit(".", 1)[-1].lower() if "." in file else ""
    if suffix not in SUFFIXES:
        raise Invalid(
            [
                Problem(
                    f"unknown bank format {suffix or '(none)'}; use one of {', '.join(SUFFIXES)}",
                    Location(file),
                )
            ]
        )
    return SUFFIXES[suffix]


def read_bank(text: str | bytes, file: str, fmt: str | None = None) -> list[BankEntry]:
    """Every question of one bank file, or Invalid listing every problem with its file and line.

    Bytes are best: Moodle XML then honours its own encoding declaration; the other formats are UTF-8.
    A file with no questions (empty, or only comments, categories and descriptions) is refused: imported
    with --replace, or as a package's bank, it would otherwise retire the whole bank.
    """
    from flipmastery.domain.formats import aiken, gift, moodle_xml, yaml_bank

    readers: dict[str, Callable[[str | bytes, str], list[BankEntry]]] = {
        "gift": gift.read,
        "aiken": aiken.read,
        "moodle_xml": moodle_xml.read,
    }
    fmt = fmt or format_for(file)
    if fmt not in FORMATS:
        raise Invalid(
            [Problem(f"unknown bank format {fmt!r}; use one of {', '.join(FORMATS)}", Location(file))]
        )
    if fmt == "yaml":
        from flipmastery.domain.formats.gift_common import text_of

        entries = yaml_bank.read(text_of(text, file), file)
    else:
        entries = readers[fmt](text, file)
    if all(entry.question.type is QuestionType.DESCRIPTION for entry in entries):
        raise Invalid([no_questions(file)])
    return entries


def no_questions(file: str) -> Problem:
    return Problem("no questions found", Location(file))


def write_bank(questions: Sequence[Question], fmt: str) -> str:
    """The questions as a file of `fmt`; reading it back gives the same questions."""
    from flipmastery.domain.formats import aiken, gift, moodle_xml, yaml_bank

    writers = {
        "yaml": yaml_bank.write,
        "gift": gift.write,
        "aiken": aiken.write,
        "moodle_xml": moodle_xml.write,
    }
    if fmt not in writers:
        raise Invalid([Problem(f"unknown bank format {fmt!r}; use one of {', '.join(FORMATS)}")])
    return writers[fmt](questions)
