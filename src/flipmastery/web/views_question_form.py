"""The question editor by form: rows added and removed, type changed, the live preview with a calculated
question's sample, "try it as a student" (graded, never stored), and saving through the same services as
the YAML editor. The YAML view and the form are two views of one question: each switches to the other
with what was typed.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from flipmastery.assessments.rendering import feedback_html, shown_item
from flipmastery.courses.models import Objective
from flipmastery.domain.errors import DomainError, Invalid, Problem
from flipmastery.domain.generation import Variant, format_drawn, format_number, generate
from flipmastery.domain.grading import accepted_range, grade, shown_answer
from flipmastery.domain.questions import Question as QuestionValue
from flipmastery.domain.questions import QuestionType
from flipmastery.questions.models import Question
from flipmastery.web import question_form as qf
from flipmastery.web import question_form_yaml as qy
from flipmastery.web.question_form_fields import as_context, formats
from flipmastery.web.views_banks import (
    TYPE_WORDS,
    UNSAVED_IDS,
    ShownItem,
    bank_health_context,
    editor_text,
    read_one,
    show,
)
from flipmastery.web.views_checks import parse_response, present

TRY_PREFIX = "try-"
MAX_SEED = 2**32


@dataclass(frozen=True)
class Tried:
    """One go at "try it as a student": the item as shown, and when answered, its grading."""

    item: Any  # views_checks.Item
    graded: Any = None  # views_checks.Item with status, score and feedback
    key: str = ""
    accepted: str = ""


def _seed(data: QueryDict) -> int:
    try:
        return int(data.get("try_seed", "")) % MAX_SEED
    except ValueError:
        return secrets.randbelow(MAX_SEED)


def _value(form: qf.QuestionForm) -> tuple[QuestionValue | None, list[qy.FieldProblem]]:
    try:
        return qy.to_value(form, read_one), []
    except qy.FormInvalid as error:
        return None, error.problems


def sample_words(value: QuestionValue, variant: Variant) -> str:
    """ "With these numbers (P1 = 2.0, V1 = 3.0) the answer is 3.84 atm." for a calculated question."""
    drawn = {v.name: v for v in value.variables}
    numbers = ", ".join(
        f"{name} = {format_drawn(x, drawn[name])}" for name, x in variant.values if name in drawn
    )
    derived = ", ".join(
        f"{name} = {format_number(x, value.answer_decimals)}"
        for name, x in variant.values
        if name not in drawn
    )
    if derived:
        numbers = f"{numbers}; {derived}"
    words = _("With these numbers (%(numbers)s) the answer is %(answer)s.") % {
        "numbers": numbers,
        "answer": shown_answer(value, variant),
    }
    accepted = accepted_range(value, variant)
    if accepted:
        words += " " + _("Accepted: %(range)s.") % {"range": accepted}
    return words


def _try(value: QuestionValue, seed: int, data: QueryDict | None) -> Tried:
    variant = generate(value, random.Random(seed))
    version_id = UNSAVED_IDS.get(value.format.value, -1)
    shown = {**shown_item(version_id, value, variant), "id": 1}
    item = present({"items": [shown]})[0]
    if data is None:
        return Tried(item)
    answers = QueryDict(mutable=True)
    for name in data:
        if name.startswith(TRY_PREFIX):
            answers.setlist(name[len(TRY_PREFIX) :], data.getlist(name))
    response = parse_response(item, answers)
    result = grade(value, variant, response)
    graded_entry = {
        **shown,
        "response": response,
        "status": result.status.value,
        "score": result.score,
        "feedback_html": feedback_html(value, list(result.feedback)),
    }
    graded = present({"items": [graded_entry]})[0]
    key = "" if value.type is QuestionType.FREE_RESPONSE else shown_answer(value, variant)
    return Tried(
        present({"items": [{**shown, "response": response}]})[0], graded, key, accepted_range(value, variant)
    )


def try_context(text: str, data: QueryDict | None, answered: QueryDict | None) -> dict[str, Any]:
    """The YAML view's "try it as a student": its seed (kept from the page when it sends one) and the try."""
    seed = _seed(data) if data is not None and data.get("do") == "try" else secrets.randbelow(MAX_SEED)
    try:
        value = read_one(text)[0]
        return {"tried": _try(value, seed, answered), "seed": seed}
    except DomainError:  # the YAML does not read, or a formula fails for these numbers
        return {"tried": None, "seed": seed}


def preview(value: QuestionValue, rng: random.Random) -> tuple[ShownItem | None, str, list[Problem]]:
    """The item a student might get, and a calculated question's sample sentence for the same numbers."""
    try:
        variant = generate(value, rng)
        shown = show(UNSAVED_IDS.get(value.format.value, -1), value, variant)
    except DomainError as error:  # a formula failing for these drawn values
        return None, "", [Problem(str(error))]
    sample = sample_words(value, variant) if value.type is QuestionType.CALCULATED else ""
    return shown, sample, []


def render_form(
    request: HttpRequest,
    objective: Objective,
    question: Question | None,
    form: qf.QuestionForm,
    problems: list[qy.FieldProblem],
    *,
    seed: int | None = None,
    answered: QueryDict | None = None,
    focus: str = "",
    status: int = 200,
) -> HttpResponse:
    seed = secrets.randbelow(MAX_SEED) if seed is None else seed
    value, found = _value(form)
    item, sample, preview_problems, tried = None, "", [], None
    if value is not None:
        item, sample, failing = preview(value, random.Random(seed))
        preview_problems = [qy.FieldProblem(p.message) for p in failing]
        if not failing:
            tried = _try(value, seed, answered)
    else:
        preview_problems = found
    context = {
        "objective": objective,
        "question": question,
        "mode": "form",
        "form": as_context(form, problems),
        "problems": problems,
        "types": [(t.value, words) for t, words in TYPE_WORDS.items()],
        "formats": formats(),
        "preview": {"item": item, "problems": preview_problems, "sample": sample},
        "tried": tried,
        "seed": seed,
        "focus": focus,
        "health": bank_health_context(objective),
    }
    return render(request, "web/banks/form_editor.html", context, status=status)


def form_get(request: HttpRequest, objective: Objective, question: Question | None) -> HttpResponse:
    if question is not None and question.current is not None:
        value = question.current.value
    else:  # a form explains itself: a new question starts blank (the YAML view starts from an example)
        value = QuestionValue(QuestionType.SINGLE_CHOICE, "")
    return render_form(request, objective, question, qf.new_form(value), [])


def form_post(
    request: HttpRequest,
    objective: Objective,
    question: Question | None,
    save: Callable[[QuestionValue], HttpResponse],
    to_yaml: Callable[[str, list[Problem]], HttpResponse],
) -> HttpResponse:
    """One press of a form button: add/remove a row, change type, try it, switch to YAML, or save."""
    data = request.POST
    form = qf.from_post(data)
    do = data.get("do", "save")
    seed = _seed(data)
    if do.startswith("add:"):
        kind = do[4:]
        if kind in qf.ROWS:
            index = form.add_row(kind)
            first = next(iter(qf.ROWS[kind]))
            return render_form(
                request,
                objective,
                question,
                form,
                [],
                seed=seed,
                focus=f"id-{qf.field_id(first, kind, index)}",
            )
    if do.startswith("remove:"):
        kind, _sep, position = do[7:].partition(":")
        if kind in qf.ROWS and position.isdigit():
            form.remove_row(kind, int(position))
        return render_form(request, objective, question, form, [], seed=seed, focus=f"id-{qf.field_id(kind)}")
    if do == "retype":
        form.retype(form.fields.get("type", ""))
        return render_form(
            request, objective, question, form, [], seed=seed, focus=f"id-{qf.field_id('type')}"
        )
    if do == "another":
        return render_form(request, objective, question, form, [])
    if do == "try":
        return render_form(request, objective, question, form, [], seed=seed, answered=data, focus="try-h")
    try:
        value = qy.to_value(form, read_one)
    except qy.FormInvalid as error:
        if do == "to_yaml":  # the YAML view shows the same text, problems and all, to fix there
            text, _places, _problems = qy.to_yaml(form)
            return to_yaml(text, [Problem(p.message) for p in error.problems])
        return render_form(request, objective, question, form, error.problems, seed=seed)
    if do == "to_yaml":
        return to_yaml(editor_text(value), [])
    try:
        return save(value)
    except Invalid as error:
        problems = [qy.FieldProblem(p.message, qf.field_id("id")) for p in error.problems]
        return render_form(request, objective, question, form, problems, seed=seed)


def yaml_to_form(
    request: HttpRequest, objective: Objective, question: Question | None, text: str
) -> HttpResponse | None:
    """The YAML editor's question opened as a form, or None when the YAML does not read (it stays YAML)."""
    try:
        value = read_one(text)[0]
    except Invalid:
        return None
    return render_form(request, objective, question, qf.new_form(value), [])


def form_preview(request: HttpRequest, objective: Objective) -> HttpResponse:
    """The live preview of the form (an htmx fragment): the item, the sample, or the problems."""
    form = qf.from_post(request.POST)
    value, problems = _value(form)
    item, sample, tried = None, "", None
    seed = secrets.randbelow(MAX_SEED)
    if value is not None:
        item, sample, failing = preview(value, random.Random(seed))
        problems = [qy.FieldProblem(p.message) for p in failing]
        tried = None if failing else _try(value, seed, None)
    context = {
        "objective": objective,
        "lang": objective.course.language,
        "tried": tried,
        "seed": seed,
        "preview": {"item": item, "problems": problems, "sample": sample},
        "form": {"summary": as_context(form, problems)["summary"]},
        "oob": True,
        # the page shows a sample box only when it was drawn for a calculated question
        "calculated": request.POST.get("page_type") == QuestionType.CALCULATED.value,
    }
    return render(request, "web/banks/_form_preview.html", context)
