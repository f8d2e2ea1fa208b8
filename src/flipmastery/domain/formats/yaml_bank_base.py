"""The careful reader under the YAML bank format: typed values out of parsed YAML, problems collected."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from typing import Any

from flipmastery.domain.errors import Location, Problem
from flipmastery.domain.formats.yamlsource import Mapping, Sequence

_DECIMAL = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d{1,3})?\Z")
SHOW_AT_MOST = 40


def kind(value: Any) -> str:
    """What a value is, said for a teacher: "a list", "the number 3", "the text 'abc'"."""
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, Sequence):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        shown = repr(value)
        return f"the number {shown if len(shown) <= SHOW_AT_MOST else shown[:SHOW_AT_MOST] + '…'}"
    if isinstance(value, str):
        return f"the text {value if len(value) <= SHOW_AT_MOST else value[:SHOW_AT_MOST] + '…'!r}"
    return f"a YAML {type(value).__name__}"


def as_number(value: Any, percent: bool = False) -> tuple[float, bool] | None:
    """A finite float from a YAML number or numeric text ("1e-3", "2%" when allowed), and if it was a %."""
    if isinstance(value, bool):
        return None
    number: float
    was_percent = False
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:
            return None
    elif isinstance(value, str):
        text = value.strip().replace("−", "-")
        if percent and text.endswith("%"):
            text, was_percent = text[:-1].strip(), True
        if not _DECIMAL.match(text):
            return None
        number = float(text) / (100 if was_percent else 1)
    else:
        return None
    return (number, was_percent) if math.isfinite(number) else None


class Reader:
    """Walks parsed YAML for one file; every check appends a Problem with its line instead of raising."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, message: str, line: int | None) -> None:
        self.problems.append(Problem(message, Location(self.file, line)))

    def mapping(self, value: Any, what: str, line: int) -> Mapping | None:
        if isinstance(value, Mapping):
            return value
        self.problem(f"{what} must be a mapping (key: value lines), not {kind(value)}", line)
        return None

    def sequence(self, value: Any, what: str, line: int) -> Sequence | None:
        if isinstance(value, Sequence):
            return value
        self.problem(f"{what} must be a list (lines starting with '-'), not {kind(value)}", line)
        return None

    def unknown(self, node: Mapping, allowed: Iterable[str], what: str) -> None:
        """Report keys not in `allowed`, with the closest known key as a hint."""
        known = sorted(allowed)
        for key in node:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else f"; known keys: {', '.join(known)}"
                self.problem(f"unknown key '{key}' in {what}{hint}", node.line_of(key))

    def scalar(self, value: Any, what: str, line: int) -> str | None:
        """Text from a YAML scalar (numbers and dates count as their text), trimmed."""
        if isinstance(value, bool):
            self.problem(
                f"{what} is {str(value).lower()} to YAML; put text such as yes, no, on or off in quotes",
                line,
            )
            return None
        if isinstance(value, (Mapping, Sequence, bytes, set, tuple)) or value is None:
            self.problem(f"{what} must be text, not {kind(value)}", line)
            return None
        return str(value).strip()

    def text(self, node: Mapping, key: str, what: str, *, required: bool = False) -> str:
        value = node.get(key)
        text = "" if value is None else self.scalar(value, f"'{key}' of {what}", node.line_of(key))
        if required and text == "":
            self.problem(f"{what} needs a '{key}'", node.line_of(key))
        return text or ""

    def flag(self, node: Mapping, key: str, what: str, default: bool) -> bool:
        value = node.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(f"'{key}' of {what} must be true or false, not {kind(value)}", node.line_of(key))
            return default
        return value

    def number(
        self,
        node: Mapping,
        key: str,
        what: str,
        *,
        low: float | None = None,
        high: float | None = None,
        above: bool = False,
        percent: bool = False,
    ) -> float | None:
        """A number in [low, high] (or above `low` when `above`); None if absent or wrong (reported)."""
        parsed = self.number_and_percent(node, key, what, low=low, high=high, above=above, percent=percent)
        return None if parsed is None else parsed[0]

    def number_and_percent(
        self,
        node: Mapping,
        key: str,
        what: str,
        *,
        low: float | None = None,
        high: float | None = None,
        above: bool = False,
        percent: bool = False,
    ) -> tuple[float, bool] | None:
        value = node.get(key)
        if value is None:
            return None
        parsed = as_number(value, percent)
        line = node.line_of(key)
        if parsed is None:
            self.problem(f"'{key}' of {what} must be a number, not {kind(value)}", line)
            return None
        number = parsed[0]
        too_low = low is not None and (number <= low if above else number < low)
        if too_low or (high is not None and number > high):
            self.problem(f"'{key}' of {what} must be {_range(low, high, above)}, not {number:g}", line)
            return None
        return parsed

    def whole(self, node: Mapping, key: str, what: str, low: int, high: int) -> int | None:
        value = node.get(key)
        if value is None:
            return None
        ok = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        if isinstance(value, bool) or not ok or not low <= value <= high:
            self.problem(
                f"'{key}' of {what} must be a whole number from {low} to {high}, not {kind(value)}",
                node.line_of(key),
            )
            return None
        return int(value)


def _range(low: float | None, high: float | None, above: bool) -> str:
    if low is not None and high is not None:
        return f"from {low:g} to {high:g}"
    if low is not None:
        return f"more than {low:g}" if above else f"at least {low:g}"
    return f"at most {high:g}"
