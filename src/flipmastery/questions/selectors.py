"""Reads of question banks: the current questions of a course or objective, and a bank's summary."""

from __future__ import annotations

from dataclasses import dataclass

from flipmastery.courses.models import Objective
from flipmastery.domain.assembly import BankSize, BankWarning, Blueprint, Part, bank_warnings, version_count
from flipmastery.domain.question_codec import from_data
from flipmastery.domain.questions import Question as QuestionValue
from flipmastery.domain.questions import QuestionType
from flipmastery.questions.models import Question


def bank_questions(*, course_code: str, objective_code: str | None = None) -> list[tuple[str, QuestionValue]]:
    """(objective code, current version) of every question still asked, in bank order."""
    found = Question.objects.filter(
        objective__course__code=course_code, retired=False, current__isnull=False
    ).select_related("current", "objective")
    if objective_code:
        found = found.filter(objective__code=objective_code)
    found = found.order_by("objective__unit__order", "objective__order", "order", "id")
    return [(q.objective.code, from_data(q.current.data)) for q in found if q.current is not None]


@dataclass(frozen=True)
class BankSummary:
    objective: Objective
    questions: list[Question]  # current version selected
    askable: int  # questions a check can pick (descriptions excluded)
    versions: int  # distinct checks this objective's blueprint can build
    warnings: list[BankWarning]


def bank_summary(objective: Objective) -> BankSummary:
    questions = list(
        Question.objects.filter(objective=objective)
        .select_related("current")
        .order_by("retired", "order", "id")
    )
    askable = [
        q
        for q in questions
        if not q.retired
        and q.current
        and q.current.type not in (QuestionType.DESCRIPTION, QuestionType.FREE_RESPONSE)
    ]
    size = BankSize(tuple(q.pk for q in askable), {q.pk: q.current.variants for q in askable if q.current})
    blueprint = Blueprint((Part(objective.code, objective.check_items),))
    sizes = {objective.code: size}
    return BankSummary(
        objective, questions, len(askable), version_count(blueprint, sizes), bank_warnings(blueprint, sizes)
    )
