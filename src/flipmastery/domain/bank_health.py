"""Whether a bank lasts: how many checks a student can take before a question comes back (DESIGN §3).

Assembly gives a student questions they have not seen while the bank has unseen ones, so a bank of n
questions asking k per check gives n // k checks with no question repeated. A class needs a first try
and two retakes (`EXPECTED_ATTEMPTS`). A calculated question that comes back has new numbers, but it is
still the same question, so it counts as a repeat here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flipmastery.domain.assembly import EXPECTED_ATTEMPTS


@dataclass(frozen=True)
class PartLasting:
    """One part of a check (its auto-graded items, or its free responses) against the bank it draws on."""

    questions: int  # questions of the bank this part can ask
    per_check: int  # how many a check asks

    @property
    def fresh_checks(self) -> int | None:
        """Checks in a row with no repeated question: None when the part asks nothing (never runs out)."""
        if self.per_check <= 0:
            return None
        return self.questions // self.per_check

    @property
    def needed(self) -> int:
        """Questions the bank needs for a first try and two retakes."""
        return max(0, self.per_check) * EXPECTED_ATTEMPTS


@dataclass(frozen=True)
class BankLasting:
    parts: tuple[PartLasting, ...]

    @property
    def fresh_checks(self) -> int | None:
        """Checks with no question repeated in any part (the part that runs out first decides)."""
        counts = [c for c in (p.fresh_checks for p in self.parts) if c is not None]
        return min(counts) if counts else None

    @property
    def buildable(self) -> bool:
        """Whether even a first check can be built."""
        fresh = self.fresh_checks
        return fresh is None or fresh >= 1

    @property
    def lasts(self) -> bool:
        """Whether the bank gives a first try and two retakes without a repeated question."""
        fresh = self.fresh_checks
        return fresh is None or fresh >= EXPECTED_ATTEMPTS

    @property
    def missing(self) -> int:
        """How many more questions would make it last (the sum over the parts that fall short)."""
        return sum(max(0, p.needed - p.questions) for p in self.parts)


def bank_lasting(parts: Sequence[tuple[int, int]]) -> BankLasting:
    """`parts` is (questions in the bank, asked per check) for each part of the objective's check."""
    return BankLasting(tuple(PartLasting(questions, per_check) for questions, per_check in parts))
