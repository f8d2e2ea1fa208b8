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


@dataclass(frozen=True)
class LeftOut:
    """A question a partial export did not write, and why the format cannot hold it."""

    question: str  # its title, else its key, else its place in the bank
    why: str

    def __str__(self) -> str:
        return f"{self.question}: left out because {self.why}"


def write_bank_fitting(questions: Sequence[Question], fmt: str) -> tuple[str, list[LeftOut]]:
    """What `fmt` can hold as a file, and each question left out with why; Invalid if none fits.

    The file begins with a comment listing what was left out, in formats that have comments.
    """
    left_out: list[LeftOut] = []
    fitting: list[Question] = []
    for index, question in enumerate(questions, start=1):
        try:
            write_bank([question], fmt)
        except Invalid as error:
            reasons = [_reason(p.message) for p in error.problems]
            left_out.append(
                LeftOut(question.title or question.key or f"question {index}", "; ".join(reasons))
            )
            continue
        fitting.append(question)
    if not fitting:
        raise Invalid([Problem(f"{item.question}: {item.why}") for item in left_out])
    text = write_bank(fitting, fmt)
    return _with_comment(text, fmt, left_out), left_out


def _reason(message: str) -> str:
    # The writers say "question 'x' cannot be written as GIFT: why"; the report names the question itself.
    head, _, why = message.partition(": ")
    return why if why and " cannot be written as " in head else message


def _with_comment(text: str, fmt: str, left_out: list[LeftOut]) -> str:
    if not left_out:
        return text
    lines = [
        f"{len(left_out)} question{'' if len(left_out) == 1 else 's'} left out of this export:",
        *(" ".join(f"- {item}".split()) for item in left_out),
    ]
    if fmt == "moodle_xml":
        body = "\n".join(line.replace("--", "- -") for line in lines)
        head, _, rest = text.partition("\n")
        return f"{head}\n<!--\n{body}\n-->\n{rest}"
    marker = {"gift": "//", "yaml": "#"}.get(fmt)
    if marker is None:  # Aiken has no comments: the report is all there is
        return text
    return "".join(f"{marker} {line}\n" for line in lines) + "\n" + text
