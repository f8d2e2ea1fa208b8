"""Writes of exit slips: start (from a bank or typed on the spot), answer, mark paper answers, close.

Never a ProgressEvent, never a state: an exit slip is evidence for the teacher, not a mastery decision.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from flipmastery.accounts.models import User
from flipmastery.assessments.rendering import shown_item
from flipmastery.classroom.models import Enrollment, Section
from flipmastery.courses.models import Objective
from flipmastery.domain.errors import Invalid, Problem
from flipmastery.domain.exit_slips import ANY_WRONG, wrong_answer_tag
from flipmastery.domain.generation import Variant, generate, shown_choices
from flipmastery.domain.grading import Status, clean_response, grade, question_problems
from flipmastery.domain.question_codec import to_data
from flipmastery.domain.questions import (
    TRUE,
    Choice,
    NumericAnswer,
    QuestionType,
    TextAnswer,
    true_false_choices,
)
from flipmastery.domain.questions import Question as QuestionValue
from flipmastery.exitslips.models import ExitSlip, SlipAnswer, SlipItem
from flipmastery.questions.models import Question

MAX_ITEMS = 3
TAG_LENGTH = 100
# What a student answers on a phone in the last minutes of a period: one choice, a word or a number.
SLIP_TYPES = (
    QuestionType.SINGLE_CHOICE,
    QuestionType.MULTIPLE_RESPONSE,
    QuestionType.TRUE_FALSE,
    QuestionType.SHORT_TEXT,
    QuestionType.NUMERIC,
    QuestionType.CALCULATED,
)
TYPED_TYPES = (
    QuestionType.SINGLE_CHOICE,
    QuestionType.TRUE_FALSE,
    QuestionType.SHORT_TEXT,
    QuestionType.NUMERIC,
)


@dataclass(frozen=True)
class Typed:
    """A question typed on the spot, as the small form gives it.

    `choices`: one per line, the right one starting with `*`, a misconception tag after `|`
    ("Pressure is force | force vs pressure"). `answer`: true/false, an accepted text, or a number.
    `tag`: the tag of any wrong answer.
    """

    kind: str
    text: str
    choices: str = ""
    answer: str = ""
    tag: str = ""


@dataclass(frozen=True)
class Picked:
    """A bank question picked for a slip, with the tag a wrong answer to it carries."""

    question_id: int
    tag: str = ""


def typed_question(typed: Typed, n: int) -> tuple[QuestionValue, dict[str, str]]:
    """The domain question a typed block makes, with its tags; Invalid says what is missing and where."""
    where = _("Typed question %(n)s") % {"n": n}
    problems: list[str] = []
    text = typed.text.strip()
    if not text:
        problems.append(_("write the question"))
    tags = {ANY_WRONG: typed.tag.strip()[:TAG_LENGTH]} if typed.tag.strip() else {}
    kind = typed.kind
    question: QuestionValue | None = None
    if kind == QuestionType.SINGLE_CHOICE:
        choices: list[Choice] = []
        for line in typed.choices.splitlines():
            if not line.strip():
                continue
            body, _bar, tag = line.partition("|")
            right = body.strip().startswith("*")
            choice_text = body.strip().removeprefix("*").strip()
            if not choice_text:
                continue
            if tag.strip() and not right:
                tags[str(len(choices))] = tag.strip()[:TAG_LENGTH]
            choices.append(Choice(choice_text, 1.0 if right else 0.0))
        if len(choices) < 2:
            problems.append(_("give at least two choices, one per line"))
        elif sum(1 for c in choices if c.fraction > 0) != 1:
            problems.append(_("mark exactly one choice as right by starting its line with *"))
        question = QuestionValue(QuestionType.SINGLE_CHOICE, text, choices=tuple(choices))
    elif kind == QuestionType.TRUE_FALSE:
        answer = typed.answer.strip().casefold()
        if answer not in ("true", "false"):
            problems.append(_("say whether the statement is true or false"))
        question = QuestionValue(QuestionType.TRUE_FALSE, text, choices=true_false_choices(answer == TRUE))
    elif kind == QuestionType.SHORT_TEXT:
        accepted = [a.strip() for a in typed.answer.split(";") if a.strip()]
        if not accepted:
            problems.append(_("give the accepted answer (several separated by ;)"))
        question = QuestionValue(
            QuestionType.SHORT_TEXT, text, answers=tuple(TextAnswer(a) for a in accepted)
        )
    elif kind == QuestionType.NUMERIC:
        try:
            value = float(typed.answer.strip().replace(",", "."))
        except ValueError:
            problems.append(_("give the answer as a number, e.g. 12.5"))
            value = 0.0
        question = QuestionValue(
            QuestionType.NUMERIC, text, numeric_answers=(NumericAnswer(value, tolerance=abs(value) * 0.01),)
        )
    else:
        problems.append(_("choose a kind: single choice, true/false, short text or number"))
    if question is not None and not problems:
        problems.extend(question_problems(question, random.Random(0)))
    if problems or question is None:
        raise Invalid([Problem(f"{where}: {p}") for p in problems])
    return question, tags


def _bank_items(
    objective: Objective, picked: list[Picked]
) -> list[tuple[int | None, Any, QuestionValue, dict[str, str]]]:
    ids = [p.question_id for p in picked]
    found = {
        q.pk: q
        for q in Question.objects.filter(pk__in=ids, objective=objective, retired=False).select_related(
            "current"
        )
    }
    out: list[tuple[int | None, Any, QuestionValue, dict[str, str]]] = []
    for p in picked:
        q = found.get(p.question_id)
        if q is None or q.current is None:
            raise Invalid(
                [Problem(_("a picked question is not in the bank of %(code)s") % {"code": objective.code})]
            )
        value = q.current.value
        if value.type not in SLIP_TYPES:
            raise Invalid(
                [
                    Problem(
                        _("“%(title)s” is a %(type)s question: an exit slip asks choices, a word or a number")
                        % {"title": q.current.title or q.key, "type": value.type.value.replace("_", " ")}
                    )
                ]
            )
        tags = {ANY_WRONG: p.tag.strip()[:TAG_LENGTH]} if p.tag.strip() else {}
        out.append((q.current.pk, q.current, value, tags))
    return out


@transaction.atomic
def slip_start(
    *,
    section: Section,
    objective: Objective,
    picked: list[Picked],
    typed: list[Typed],
    actor: User,
    now: datetime,
    seed: int,
) -> ExitSlip:
    """Start a slip of 1–3 questions; one slip is open in a section at a time."""
    if objective.course_id != section.course_id or objective.retired:
        raise Invalid([Problem(_("the objective is not in this section's course"))])
    if not 1 <= len(picked) + len(typed) <= MAX_ITEMS:
        raise Invalid(
            [Problem(_("An exit slip has 1 to 3 questions: pick or type at least one, at most three."))]
        )
    if ExitSlip.objects.select_for_update().filter(section=section, closed_at__isnull=True).exists():
        raise Invalid([Problem(_("An exit slip is already open in this section: close it first."))])
    items = _bank_items(objective, picked)
    problems: list[Problem] = []
    for n, t in enumerate(typed, start=1):
        try:
            value, tags = typed_question(t, n)
            items.append((None, None, value, tags))
        except Invalid as error:
            problems.extend(error.problems)
    if problems:
        raise Invalid(problems)
    slip = ExitSlip.objects.create(section=section, objective=objective, started_by=actor, started_at=now)
    rng = random.Random(seed)
    for position, (version_id, version, value, tags) in enumerate(items, start=1):
        variant = generate(value, rng)
        SlipItem.objects.create(
            slip=slip,
            position=position,
            version=version,
            data=to_data(value),
            variant=variant.to_json(),
            shown=shown_item(version_id or 0, value, variant),
            tags=tags,
        )
    return slip


@transaction.atomic
def slip_close(*, slip: ExitSlip, now: datetime) -> ExitSlip:
    """Close the slip: answers stop; closing twice keeps the first time."""
    locked = ExitSlip.objects.select_for_update().get(pk=slip.pk)
    if locked.closed_at is None:
        locked.closed_at = now
        locked.save(update_fields=["closed_at"])
    return locked


def _choice_index(value: QuestionValue, variant: Variant, response: Any) -> int | None:
    if value.type is QuestionType.SINGLE_CHOICE:
        return dict(shown_choices(value, variant)).get(response)
    if value.type is QuestionType.TRUE_FALSE:
        return next((i for i, c in enumerate(value.choices) if (c.text == TRUE) == response), None)
    return None


@transaction.atomic
def answer_save(
    *, slip: ExitSlip, student: User, position: int, response: Any, now: datetime
) -> SlipAnswer | None:
    """Save (or replace) a student's answer while the slip is open; an empty answer takes it back."""
    locked = ExitSlip.objects.select_for_update().get(pk=slip.pk)
    if locked.closed_at is not None:
        raise Invalid([Problem(_("This exit slip is closed: your answers can no longer change."))])
    if not Enrollment.objects.filter(section_id=locked.section_id, student=student).exists():
        raise Invalid([Problem(_("Only the students of this section answer its exit slip."))])
    item = SlipItem.objects.filter(slip=locked, position=position).first()
    if item is None:
        raise Invalid([Problem(_("This exit slip has no question %(n)s.") % {"n": position})])
    value, variant = item.value, item.the_variant
    if response in (None, "", []):
        SlipAnswer.objects.filter(item=item, student=student).delete()
        return None
    try:
        cleaned = clean_response(value, variant, response)
    except Invalid:
        raise Invalid(
            [Problem(_("That is not a possible answer to question %(n)s.") % {"n": position})]
        ) from None
    if cleaned in (None, "", []):
        SlipAnswer.objects.filter(item=item, student=student).delete()
        return None
    result = grade(value, variant, cleaned)
    correct = result.status is Status.CORRECT
    tag = "" if correct else wrong_answer_tag(item.tags, _choice_index(value, variant, cleaned))
    answer, _made = SlipAnswer.objects.update_or_create(
        item=item,
        student=student,
        defaults={
            "response": cleaned,
            "correct": correct,
            "tag": tag,
            "source": SlipAnswer.Source.DEVICE,
            "answered_at": now,
        },
    )
    return answer


@dataclass(frozen=True)
class Mark:
    """A teacher's mark of one paper answer: right or wrong, and the tag of a wrong one."""

    student: int
    position: int
    correct: bool
    tag: str = ""


@transaction.atomic
def paper_marks_save(*, slip: ExitSlip, marks: list[Mark], now: datetime) -> int:
    """Record paper answers as the teacher marks them (open or closed slip); a different mark replaces a
    device answer, the same one keeps it. All or nothing: a mark for someone outside the section or a
    question the slip lacks changes nothing. Returns how many answers changed."""
    items = {i.position: i for i in SlipItem.objects.filter(slip=slip)}
    enrolled = set(Enrollment.objects.filter(section_id=slip.section_id).values_list("student_id", flat=True))
    for m in marks:
        if m.student not in enrolled:
            raise Invalid(
                [Problem(_("Not a student of this section: %(id)s. Nothing was saved.") % {"id": m.student})]
            )
        if m.position not in items:
            raise Invalid([Problem(_("This exit slip has no question %(n)s.") % {"n": m.position})])
    existing = {
        (a.student_id, a.item_id): (a.correct, a.tag) for a in SlipAnswer.objects.filter(item__slip=slip)
    }
    saved = 0
    for m in marks:
        tag = "" if m.correct else m.tag.strip()[:TAG_LENGTH]
        if existing.get((m.student, items[m.position].pk)) == (m.correct, tag):
            continue  # as the device (or an earlier mark) has it: kept with its response
        saved += 1
        SlipAnswer.objects.update_or_create(
            item=items[m.position],
            student_id=m.student,
            defaults={
                "response": None,
                "correct": m.correct,
                "tag": tag,
                "source": SlipAnswer.Source.PAPER,
                "answered_at": now,
            },
        )
    return saved
