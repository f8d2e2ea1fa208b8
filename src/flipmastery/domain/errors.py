"""The one error path of the domain: every rule that refuses something raises a DomainError."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Location:
    """Where a problem is: a file (relative to the package) and a 1-based line, when known."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Problem:
    """One thing wrong with what a teacher gave us, said so that they can fix it."""

    message: str
    location: Location | None = None

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class DomainError(Exception):
    """A rule of the classroom refused an action; the message is for the user."""

    code = "invalid"


class NotFound(DomainError):
    code = "not_found"


class Invalid(DomainError):
    """Input that breaks one or more rules; every problem is listed, not only the first."""

    code = "invalid"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_problem_order)
        super().__init__("\n".join(str(p) for p in self.problems))


def _problem_order(problem: Problem) -> tuple[str, int, str]:
    loc = problem.location
    return (loc.file if loc else "", (loc.line or 0) if loc else 0, problem.message)
