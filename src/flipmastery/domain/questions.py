"""Questions as the domain knows them: every type of DESIGN §3 as small immutable values.

These are what every bank format (native YAML, GIFT, Aiken, Moodle XML) reads into and writes from,
what generation turns into a variant for one attempt, and what grading scores a response against.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class QuestionType(enum.StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_RESPONSE = "multiple_response"
    TRUE_FALSE = "true_false"
    SHORT_TEXT = "short_text"
    NUMERIC = "numeric"
    CALCULATED = "calculated"
    MATCHING = "matching"
    ORDERING = "ordering"  # put the items in the right order (Moodle's qtype_ordering)
    GAPS = "gaps"  # pick a choice for each gap [[1]], [[2]] … of the text (Moodle's gapselect and ddwtos)
    CLOZE = (
        "cloze"  # answer each part [[1]], [[2]] … inside the text (Moodle's embedded answers, multianswer)
    )
    FREE_RESPONSE = "free_response"
    DESCRIPTION = "description"  # text shown between questions; never graded, never picked for a check


AUTO_GRADED = frozenset(QuestionType) - {QuestionType.FREE_RESPONSE, QuestionType.DESCRIPTION}


class TextFormat(enum.StrEnum):
    MARKDOWN = "markdown"  # our default: Markdown with $…$ LaTeX
    HTML = "html"  # sanitised on display
    PLAIN = "plain"  # GIFT's [plain] and [moodle]: text with line breaks kept


class Tolerance(enum.StrEnum):
    ABSOLUTE = "absolute"  # |given − value| ≤ tolerance (Moodle "nominal")
    RELATIVE = "relative"  # |given − value| ≤ tolerance × |value|


@dataclass(frozen=True)
class Choice:
    """One option of a single-choice, multiple-response or true/false question.

    `fraction` is the credit for choosing it: 1.0 for the right answer of a single choice; for multiple
    response each right option carries a share (they sum to 1.0) and wrong ones may be negative.
    For true/false there are exactly two choices, "true" and "false", and `feedback` is shown to a
    student who picked that one.
    """

    text: str
    fraction: float
    feedback: str = ""


@dataclass(frozen=True)
class TextAnswer:
    """An accepted answer of a short-text question; `*` matches any run of characters (Moodle's meaning)."""

    text: str
    fraction: float = 1.0
    feedback: str = ""


@dataclass(frozen=True)
class NumericAnswer:
    """A graded numeric answer: `value` (numeric) or `formula` (calculated), within `tolerance`.

    A range "from 1.5 to 2.5" is value 2.0 with absolute tolerance 0.5.
    """

    value: float | None = None
    formula: str = ""
    tolerance: float = 0.0
    tolerance_mode: Tolerance = Tolerance.ABSOLUTE
    fraction: float = 1.0
    feedback: str = ""


class OrderGrading(enum.StrEnum):
    """How an ordering item is scored; Moodle's simple modes, by Moodle's names in lower case."""

    ALL_OR_NOTHING = "all_or_nothing"  # full marks for the whole order, else nothing (our default)
    ABSOLUTE_POSITION = "absolute_position"  # the share of items in their right place
    RELATIVE_NEXT = "relative_next_exclude_last"  # the share of items followed by their right successor
    LONGEST_SUBSET = "longest_ordered_subset"  # the longest run in the right relative order (2 or more)


@dataclass(frozen=True)
class Variable:
    """A variable of a calculated question, drawn afresh for every attempt.

    Either `values` (pick one of them), or `minimum`..`maximum` stepping by `step` (every value of the
    grid is possible), or `minimum`..`maximum` uniformly, rounded to `decimals` places (Moodle's way).
    """

    name: str
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    decimals: int | None = None
    values: tuple[float, ...] = ()


@dataclass(frozen=True)
class Derived:
    """A variable computed from others, e.g. `T2 = T1 * P2 / P1`; later ones may use earlier ones."""

    name: str
    formula: str


@dataclass(frozen=True)
class MatchPair:
    """A prompt and the answer that belongs to it; a pair with an empty prompt is an extra distractor."""

    prompt: str
    answer: str


@dataclass(frozen=True)
class GapChoice:
    """A choice of a gaps question. A gap offers the choices of its right choice's `group`; a choice that
    is not `infinite` may fill one gap only (Moodle's ddwtos; gapselect's choices are all infinite)."""

    text: str
    group: int = 1
    infinite: bool = False


class ClozeLayout(enum.StrEnum):
    """How a choice part of a cloze question is shown (Moodle's MC, MCV, MCH; MR is vertical, MRH across)."""

    DROPDOWN = "dropdown"
    VERTICAL = "vertical"
    HORIZONTAL = "horizontal"


CLOZE_PART_TYPES = (
    QuestionType.SHORT_TEXT,
    QuestionType.NUMERIC,
    QuestionType.SINGLE_CHOICE,
    QuestionType.MULTIPLE_RESPONSE,
)


@dataclass(frozen=True)
class ClozePart:
    """One part of a cloze question, answered where its [[n]] stands in the text. `type` is short_text,
    numeric, single_choice or multiple_response, with that type's fields; `weight` is its share of the
    item against the other parts' (Moodle's leading number in {2:SHORTANSWER:…})."""

    type: QuestionType
    weight: int = 1
    answers: tuple[TextAnswer, ...] = ()
    case_sensitive: bool = False
    numeric_answers: tuple[NumericAnswer, ...] = ()
    unit: str = ""
    choices: tuple[Choice, ...] = ()
    shuffle: bool = False
    layout: ClozeLayout = ClozeLayout.DROPDOWN


@dataclass(frozen=True)
class Question:
    """One version of a question. Fields that do not apply to its type stay empty.

    Text fields are in `format`; in a calculated question `{name}` is replaced by the variable's value
    and `{=formula}` by the formula's value.
    """

    type: QuestionType
    text: str
    key: str = ""  # stable name within its bank (GIFT ::title::, YAML `id`); imports update by it
    title: str = ""
    format: TextFormat = TextFormat.MARKDOWN
    points: float = 1.0
    general_feedback: str = ""
    tags: tuple[str, ...] = ()  # misconception and topic tags
    # single choice, multiple response, true/false
    choices: tuple[Choice, ...] = ()
    shuffle: bool = True
    # short text
    answers: tuple[TextAnswer, ...] = ()
    case_sensitive: bool = False
    # numeric and calculated
    numeric_answers: tuple[NumericAnswer, ...] = ()
    unit: str = ""  # the unit `value`/`formula` are in, e.g. "kPa"; "" means a pure number
    unit_penalty: float = 1.0  # share of the credit lost for a missing or wrong-dimension unit
    variables: tuple[Variable, ...] = ()
    derived: tuple[Derived, ...] = ()
    group: str = ""  # calculated items of one group share their variables' values within an attempt
    answer_decimals: int | None = None  # how the correct answer is shown, e.g. 2 → "1.23"
    # matching
    pairs: tuple[MatchPair, ...] = ()
    # ordering: `items` in the right order
    items: tuple[str, ...] = ()
    order_grading: OrderGrading = OrderGrading.ALL_OR_NOTHING
    # gaps: `text` holds [[1]], [[2]] … once each; gap n's right choice is gap_choices[gap_answers[n-1] - 1]
    gap_choices: tuple[GapChoice, ...] = ()
    gap_answers: tuple[int, ...] = ()
    # cloze: `text` holds [[1]], [[2]] … once each; part n is cloze_parts[n - 1]
    cloze_parts: tuple[ClozePart, ...] = ()
    # free response
    rubric: str = ""


TRUE, FALSE = "true", "false"

# The right answers of a multiple response share 100 %. Thirds are written 33.33 %, 33.333 % or (Moodle's
# own) 33.33333 %, a hair short of 100 % together, so a total this close to 100 % counts as 100 %.
WEIGHT_SLACK = 1e-4


def right_weight(choices: tuple[Choice, ...]) -> float:
    """What the right answers of a multiple response add up to; 1.0 when within WEIGHT_SLACK of it."""
    total = sum(c.fraction for c in choices if c.fraction > 0)
    return 1.0 if abs(total - 1.0) <= WEIGHT_SLACK + 1e-12 else total


def weights_problem(choices: tuple[Choice, ...]) -> str:
    """Why the weights of a multiple response's right answers are not 100 % ("" when they are)."""
    total = right_weight(choices)
    if total == 1.0:
        return ""
    return f"the correct answers' weights add up to {percent(total)} %, not 100 %"


def percent(fraction: float) -> str:
    """0.9967 → "99.67", 1/3 → "33.3333": never rounded up to a misleading 100."""
    return f"{fraction * 100:.4f}".rstrip("0").rstrip(".")


def true_false_choices(
    answer: bool, feedback_true: str = "", feedback_false: str = ""
) -> tuple[Choice, Choice]:
    """The two choices of a true/false question; `feedback_true` is shown to a student who answered true."""
    return (
        Choice(TRUE, 1.0 if answer else 0.0, feedback_true),
        Choice(FALSE, 0.0 if answer else 1.0, feedback_false),
    )


def true_false_answer(question: Question) -> bool:
    return next(c.text == TRUE for c in question.choices if c.fraction > 0)
