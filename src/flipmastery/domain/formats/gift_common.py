"""What the Moodle formats (GIFT, Aiken, Moodle XML) share: the file check, percent weights, numbers."""

from __future__ import annotations

import math
import re
from decimal import Decimal

from flipmastery.domain.errors import Invalid, Location, Problem
from flipmastery.domain.questions import Question

MAX_BYTES = 5_000_000  # a bank of a few hundred questions is well under 1 MB; more is a mistake or an attack
MAX_QUESTIONS = 5_000  # a whole course exported from Moodle has a few thousand; more only costs memory
MAX_ANSWERS = 100  # per question; real ones have a handful
MAX_PROBLEMS = 500  # a junk file can have a problem per line; past this many, more help nobody
WHITESPACE = " \t\n\r\x0b\x0c"  # what PHP's trim() removes, so we strip exactly what Moodle strips
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def too_large(file: str) -> Invalid:
    return Invalid(
        [Problem(f"the file is larger than {MAX_BYTES // 1_000_000} MB; split the bank", Location(file))]
    )


def text_of(text: str | bytes, file: str) -> str:
    """The text of a plain-text bank file, or Invalid if it is too large, not UTF-8 or not text at all."""
    if isinstance(text, bytes):
        data = text
        if len(data) > MAX_BYTES:
            raise too_large(file)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            line = data.count(b"\n", 0, err.start) + 1
            raise Invalid(
                [
                    Problem(
                        "the file is not UTF-8 text; save it as UTF-8 and import it again",
                        Location(file, line),
                    )
                ]
            ) from None
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise too_large(file)
    text = text.removeprefix("\ufeff")
    for pattern, why in (
        (_SURROGATE, "the file is not UTF-8 text; save it as UTF-8 and import it again"),
        (_CONTROL, "the file contains a control character (code {code}); is it really a text file?"),
    ):
        found = pattern.search(text)
        if found:
            line = text.count("\n", 0, found.start()) + 1
            raise Invalid([Problem(why.format(code=ord(found.group())), Location(file, line))])
    return text.replace("\r\n", "\n").replace("\r", "\n")


def too_many(file: str) -> Invalid:
    return Invalid(
        [Problem(f"the file has more than {MAX_QUESTIONS} questions; split the bank", Location(file))]
    )


def capped(problems: list[Problem], file: str) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS], Problem(f"… and {rest} more problems", Location(file))]


def fraction_of_percent(text: str) -> float:
    """Moodle's percent as our fraction, exactly: "50" → 0.5, "-33.33333" → -0.3333333."""
    # Decimal shifts the point without rounding, so the float is the one nearest the written number.
    return float(Decimal(text).scaleb(-2))


def percent_of_fraction(fraction: float) -> str:
    """The percent that reads back as exactly `fraction`: 0.5 → "50", 1/3 → "33.33333333333333"."""
    shifted = Decimal(repr(float(fraction))).scaleb(2).normalize()
    return format(shifted, "f")


def number(text: str) -> float | None:
    """A plain decimal number as a teacher writes it ("1822", "-3.5", "6.02e23"), or None."""
    text = text.strip(WHITESPACE)
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def format_number(value: float) -> str:
    """The shortest text that reads back as exactly `value`; whole numbers without ".0"."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def name_of(question: Question, index: int) -> str:
    """How a writer's message names a question: its key, else its title, else its place in the list."""
    label = question.key or question.title
    return f"question {label!r}" if label else f"question {index}"


def short(text: str, limit: int = 40) -> str:
    """A piece of a teacher's text, short enough to quote in a message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
