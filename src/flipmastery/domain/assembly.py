"""Building a check from a blueprint: which questions a student gets this time, and how many versions exist.

DESIGN §3: per objective, least-seen-by-this-student first, never the same question twice in one
attempt, nothing from earlier attempts while unseen questions remain; the order among equally seen
questions is random. Review items come from objectives already mastered (spaced retrieval).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flipmastery.domain.errors import DomainError
from flipmastery.domain.generation import Rng


@dataclass(frozen=True)
class Part:
    """One objective in the scope of a check and how many of its questions to ask."""

    objective: str
    items: int


@dataclass(frozen=True)
class Blueprint:
    parts: tuple[Part, ...]
    review_from: tuple[str, ...] = ()  # mastered objectives review items may come from
    review_items: int = 0


@dataclass(frozen=True)
class Pick:
    objective: str
    question: int  # the id of the question (not of a version: a new version is still the same question)
    review: bool = False


@dataclass(frozen=True)
class BankSize:
    """What assembly needs to know about an objective's bank: its questions and their variant counts."""

    questions: tuple[int, ...]
    variants: Mapping[int, int] = field(default_factory=dict)  # question → distinct number sets


class BankTooSmall(DomainError):
    code = "bank_too_small"


def assemble(
    blueprint: Blueprint,
    banks: Mapping[str, Sequence[int]],
    seen: Mapping[int, int],
    rng: Rng,
) -> list[Pick]:
    """The questions of one new attempt, grouped by objective in blueprint order.

    `banks` maps an objective code to its questions that can be asked; `seen` counts, per question,
    the earlier attempts of this student that showed it.
    """
    picks: list[Pick] = []
    for part in blueprint.parts:
        bank = banks.get(part.objective, ())
        if len(bank) < part.items:
            raise BankTooSmall(
                f"{part.objective} has {_questions(len(bank))} that can be asked, "
                f"but its check needs {part.items}; add questions to its bank"
            )
        chosen = _least_seen(bank, seen, part.items, rng)
        picks.extend(Pick(part.objective, q) for q in chosen)
    if blueprint.review_items and blueprint.review_from:
        pool = [(code, q) for code in blueprint.review_from for q in banks.get(code, ())]
        keys = {q: (seen.get(q, 0), rng.random()) for _, q in pool}
        pool.sort(key=lambda item: keys[item[1]])
        used: set[str] = set()
        for code, q in pool:  # at most one review item per objective, least seen first
            if len(used) == blueprint.review_items:
                break
            if code not in used:
                used.add(code)
                picks.append(Pick(code, q, review=True))
    return picks


def pick_check(
    objective: str,
    items: int,
    written: int,
    banks: Mapping[str, Sequence[int]],
    written_banks: Mapping[str, Sequence[int]],
    seen: Mapping[int, int],
    rng: Rng,
) -> list[Pick]:
    """An objective's mastery check: `items` auto-graded questions, then `written` free responses.

    Free responses are asked only when the objective's check says so: each one makes the decision wait
    for the teacher, so a bank's essay questions do not hold students up by chance.
    """
    picks = assemble(Blueprint((Part(objective, items),)), banks, seen, rng)
    if written:
        try:
            picks += assemble(Blueprint((Part(objective, written),)), written_banks, seen, rng)
        except BankTooSmall:
            have = len(written_banks.get(objective, ()))
            raise BankTooSmall(
                f"{objective} has {_questions(have, 'free-response ')}, but its check asks {written}"
            ) from None
    return picks


def _least_seen(bank: Sequence[int], seen: Mapping[int, int], count: int, rng: Rng) -> list[int]:
    keyed = sorted(set(bank), key=lambda q: (seen.get(q, 0), rng.random()))
    chosen = keyed[:count]
    rng.shuffle(chosen)
    return chosen


def version_count(blueprint: Blueprint, banks: Mapping[str, BankSize]) -> int:
    """How many different checks the blueprint can produce (review items not counted).

    For one objective that asks k of its questions, it is the sum over every k-subset of the product of
    the chosen questions' variant counts (a calculated question with 500 number sets counts 500 times):
    the k-th elementary symmetric polynomial of the variant counts. Objectives multiply.
    """
    total = 1
    for part in blueprint.parts:
        bank = banks.get(part.objective)
        if bank is None:
            return 0
        counts = [bank.variants.get(q, 1) for q in bank.questions]
        total *= _elementary_symmetric(counts, part.items)
    return total


def _elementary_symmetric(values: Sequence[int], k: int) -> int:
    if k < 0 or k > len(values):
        return 0
    e = [1] + [0] * k
    for v in values:
        for j in range(k, 0, -1):
            e[j] += e[j - 1] * v
    return e[k]


EXPECTED_ATTEMPTS = 3  # a first try and two retakes: what a class needs without repeats


@dataclass(frozen=True)
class BankWarning:
    objective: str
    message: str


def bank_warnings(blueprint: Blueprint, banks: Mapping[str, BankSize]) -> list[BankWarning]:
    """Objectives whose bank is too small to give a student new questions for the retakes they need."""
    warnings = []
    for part in blueprint.parts:
        size = len(banks[part.objective].questions) if part.objective in banks else 0
        needed = part.items * EXPECTED_ATTEMPTS
        if size < part.items:
            warnings.append(
                BankWarning(
                    part.objective,
                    f"{part.objective} has {_questions(size)} but a check asks {part.items}: "
                    "no check can be built until more are added.",
                )
            )
        elif size < needed:
            attempts = size // part.items
            warnings.append(
                BankWarning(
                    part.objective,
                    f"{part.objective} has {_questions(size)} for {part.items} per check: attempt "
                    f"{attempts + 1} will repeat questions. "
                    f"{needed} or more cover a first try and two retakes.",
                )
            )
    return warnings


def unit_test_blueprint(objectives: Sequence[str], mastered: set[str], per_objective: int = 1) -> Blueprint:
    """The seeds' unit test: 1–2 items for each objective of a unit not yet mastered."""
    return Blueprint(tuple(Part(code, per_objective) for code in objectives if code not in mastered))


def format_count(count: int) -> str:
    """A version count people can read: 1,234 or "about 3×10¹⁴"."""
    if count < 1_000_000:
        return f"{count:,}"
    digits = len(str(count)) - 1
    lead = count / 10**digits
    superscript = str(digits).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"about {lead:.1f}×10{superscript}"


def _questions(n: int, kind: str = "") -> str:
    return f"{n} {kind}question" if n == 1 else f"{n} {kind}questions"
