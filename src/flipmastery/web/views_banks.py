"""The teacher's question bank pages: the bank, the one-question editor with a live preview, import,
export, version history and a five-version proofreading preview.

The editor holds one question in the native YAML format (a bare mapping, no `questions:` wrapper) and
reads it with the bank reader itself, so a question saved here reads exactly as it would from a file.
"""

from __future__ import annotations

import random
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from flipmastery.assessments.rendering import shown_item
from flipmastery.classroom.selectors import taught_sections
from flipmastery.content.markdown import render_text
from flipmastery.courses.models import Objective
from flipmastery.domain.assembly import EXPECTED_ATTEMPTS, BankTooSmall, format_count, pick_check
from flipmastery.domain.bank_health import bank_lasting
from flipmastery.domain.errors import DomainError, Invalid, Location, Problem
from flipmastery.domain.formats import yaml_bank, yamlsource
from flipmastery.domain.formats.bank import FORMATS, SUFFIXES, LeftOut, write_bank, write_bank_fitting
from flipmastery.domain.generation import (
    Variant,
    fill,
    format_drawn,
    format_number,
    generate,
    shown_choices,
)
from flipmastery.domain.grading import question_problems, shown_answer
from flipmastery.domain.guessing import (
    GUESS_WARNING,
    Draw,
    check_guess_pass_probability,
    format_percent,
    guess_item,
)
from flipmastery.domain.questions import Question as QuestionValue
from flipmastery.domain.questions import QuestionType
from flipmastery.questions.access import access_objective_as_teacher, access_question_as_teacher
from flipmastery.questions.models import Question, QuestionVersion
from flipmastery.questions.selectors import bank_questions, bank_summary
from flipmastery.questions.services import bank_import, question_create, question_edit, question_retire
from flipmastery.web.views import _user, action, form_page, page

TYPE_WORDS = {
    QuestionType.SINGLE_CHOICE: gettext_lazy("Single choice"),
    QuestionType.MULTIPLE_RESPONSE: gettext_lazy("Multiple response"),
    QuestionType.TRUE_FALSE: gettext_lazy("True or false"),
    QuestionType.SHORT_TEXT: gettext_lazy("Short text"),
    QuestionType.NUMERIC: gettext_lazy("Numeric"),
    QuestionType.CALCULATED: gettext_lazy("Calculated"),
    QuestionType.MATCHING: gettext_lazy("Matching"),
    QuestionType.ORDERING: gettext_lazy("Ordering"),
    QuestionType.GAPS: gettext_lazy("Gaps (select missing words)"),
    QuestionType.CLOZE: gettext_lazy("Cloze (embedded answers)"),
    QuestionType.FREE_RESPONSE: gettext_lazy("Free response"),
    QuestionType.DESCRIPTION: gettext_lazy("Description (not asked)"),
}
FORMAT_WORDS = {"yaml": "flipmastery YAML", "gift": "GIFT", "aiken": "Aiken", "moodle_xml": "Moodle XML"}
FORMAT_FILES = {
    "yaml": (".yaml", "application/yaml"),
    "gift": (".gift", "text/plain"),
    "aiken": (".txt", "text/plain"),
    "moodle_xml": (".xml", "application/xml"),
}
EDITOR_FILE = "question"  # where editor problems are "in": shown as "line 4: …"
MAX_BANK_BYTES = 5 * 1024 * 1024
PREVIEW_VERSIONS = 5
# shown_item caches fixed text per (version id, text); unsaved text has no version, so the editor
# preview uses one negative id per text format (the same text renders differently in each).
UNSAVED_IDS = {"markdown": -1, "html": -2, "plain": -3}
NEW_QUESTION = """\
type: single_choice
title: Which gas law
text: Which law says that $PV$ stays the same at constant temperature?
choices:
  - {text: Boyle's law, correct: true}
  - Charles's law
  - Gay-Lussac's law
feedback: Boyle's law, P₁V₁ = P₂V₂.
"""


# ---- the editor's one question -----------------------------------------------------------------


def read_one(text: str) -> tuple[QuestionValue, int]:
    """The one question of the editor and its line, or Invalid listing every problem with its line.

    A bare mapping is made a one-item list by indenting it under "- ", which keeps every line number.
    A whole bank (`questions:` or a list) is read as it is but must hold exactly one question.
    """
    text = text.replace("\r\n", "\n")
    data = yamlsource.load(text, EDITOR_FILE)
    if not isinstance(data, yamlsource.Mapping | yamlsource.Sequence):
        message = _("write the question as “key: value” lines, starting with “type:” (see the cheat sheet)")
        raise Invalid([Problem(message, Location(EDITOR_FILE, 1))])
    if isinstance(data, yamlsource.Mapping) and not {"questions", "category"} & data.keys():
        text = _as_list(text)
    entries = yaml_bank.read(text, EDITOR_FILE)
    if len(entries) != 1:
        where = Location(EDITOR_FILE, entries[1].line if len(entries) > 1 else 1)
        message = _("the editor holds one question, this has %(n)d; use Import for a file of many") % {
            "n": len(entries)
        }
        raise Invalid([Problem(message, where)])
    entry = entries[0]
    problems = question_problems(entry.question, random.Random(0))  # as saving will check it
    if problems:
        raise Invalid([Problem(p, Location(EDITOR_FILE, entry.line)) for p in problems])
    return entry.question, entry.line


def _as_list(text: str) -> str:
    lines = text.split("\n")
    first = next(
        i
        for i, line in enumerate(lines)
        if line.strip() not in ("", "---") and not line.lstrip().startswith("#")
    )
    return "\n".join(
        line if i < first else "- " + line if i == first else "  " + line if line else line
        for i, line in enumerate(lines)
    )


def editor_text(value: QuestionValue) -> str:
    """A saved question as the editor shows it: the YAML bank writer's item, unwrapped to one mapping.

    Falls back to the whole one-question bank if unwrapping would not read back the same question.
    """
    written = yaml_bank.write([value])
    lines = written.split("\n")
    body = lines[lines.index("questions:") + 1 :] if "questions:" in lines else []
    if not body or not body[0].startswith("  - "):
        return written
    single = [body[0][4:]]
    for line in body[1:]:
        if line and not line.startswith("    "):
            return written
        single.append(line[4:])
    text = "\n".join(single).rstrip("\n") + "\n"
    try:
        same = read_one(text)[0] == value
    except Invalid:
        same = False
    return text if same else written


# ---- rendering an item as the student sees it, with its answer ----------------------------------


@dataclass(frozen=True)
class ShownItem:
    number: int
    item: dict[str, Any]  # what shown_item gives the student
    answer: str
    answer_html: str  # a free response's rubric, rendered
    values: list[tuple[str, str]]  # calculated: every drawn and derived value
    type_words: str
    title: str = ""
    feedback_html: str = ""  # the general feedback students get after the check
    problem: str = ""  # why this version could not be built (a formula failing for the drawn values)


def build(
    version_id: int,
    value: QuestionValue,
    rng: random.Random,
    shared: dict[str, dict[str, float]] | None = None,
    number: int = 1,
    title: str = "",
) -> ShownItem:
    """A fresh variant of a saved question, shown; a failing formula is reported, never a 500."""
    try:
        return show(version_id, value, generate(value, rng, shared), number, title)
    except DomainError as error:
        words = str(TYPE_WORDS[value.type])
        return ShownItem(number, {"type": value.type.value}, "", "", [], words, title, problem=str(error))


def show(
    version_id: int, value: QuestionValue, variant: Variant, number: int = 1, title: str = ""
) -> ShownItem:
    item = shown_item(version_id, value, variant)
    answer, answer_html = "", ""
    if value.type in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        right = [label for label, index in shown_choices(value, variant) if value.choices[index].fraction > 0]
        answer = f"{', '.join(right)} — {shown_answer(value, variant)}"
    elif value.type is QuestionType.FREE_RESPONSE:
        answer = _("graded by the teacher")
        answer_html = render_text(value.rubric, value.format.value) if value.rubric else ""
    elif value.type is not QuestionType.DESCRIPTION:
        answer = shown_answer(value, variant)
    drawn = {v.name: v for v in value.variables}
    values = [
        (name, format_drawn(x, drawn[name]) if name in drawn else format_number(x, value.answer_decimals))
        for name, x in variant.values
    ]
    feedback = value.general_feedback
    if value.type is QuestionType.CALCULATED:
        feedback = fill(feedback, value, variant)
    feedback_html = render_text(feedback, value.format.value) if feedback.strip() else ""
    words = str(TYPE_WORDS[value.type])
    return ShownItem(number, item, answer, answer_html, values, words, title, feedback_html)


def _preview_problems(text: str) -> tuple[ShownItem | None, list[Problem]]:
    try:
        value = read_one(text)[0]
        variant = generate(value, random.Random(secrets.randbits(32)))
        return show(UNSAVED_IDS.get(value.format.value, -1), value, variant), []
    except Invalid as error:
        return None, error.problems
    except DomainError as error:  # a formula that fails for these drawn values
        return None, [Problem(str(error))]


def _row(question: Question, current: QuestionVersion) -> dict[str, Any]:
    value = current.value
    flat = " ".join(value.text.split())
    excerpt = flat if len(flat) <= 110 else flat[:109].rstrip() + "…"
    return {
        "question": question,
        "name": current.title or question.key,
        # a question without id or title is already named by its text
        "excerpt": excerpt if value.key or value.title else "",
        "type_words": str(TYPE_WORDS[value.type]),
        "number_sets": format_count(current.variants) if value.type is QuestionType.CALCULATED else "",
    }


# ---- pages --------------------------------------------------------------------------------------


@page
def bank(request: HttpRequest, objective_id: int) -> HttpResponse:
    user = _user(request)
    objective = access_objective_as_teacher(user, objective_id)
    summary = bank_summary(objective)
    section = taught_sections(user).filter(course=objective.course).first()
    rows = [_row(q, q.current) for q in summary.questions if q.current is not None]
    context = {
        "objective": objective,
        "summary": summary,
        "rows": rows,
        "versions": format_count(summary.versions),
        "guessing": _guessing(objective, summary.questions)
        if summary.askable >= objective.check_items
        else None,
        "lasting": _lasting(objective, summary.questions, summary.askable),
        "section": section,
        "formats": [(f, FORMAT_WORDS[f]) for f in FORMATS],
    }
    return render(request, "web/banks/bank.html", context)


def _guessing(objective: Objective, questions: list[Question]) -> dict[str, Any]:
    """How often a pure guesser passes a first attempt at the objective's check, and whether to warn."""
    asked = [q.current.value for q in questions if not q.retired and q.current is not None]
    auto = tuple(
        guess_item(v) for v in asked if v.type not in (QuestionType.DESCRIPTION, QuestionType.FREE_RESPONSE)
    )
    written = tuple(guess_item(v) for v in asked if v.type is QuestionType.FREE_RESPONSE)
    draws = [Draw(auto, objective.check_items)]
    if objective.check_written:
        draws.append(Draw(written, objective.check_written))
    chance = check_guess_pass_probability(draws, objective.effective_threshold())
    return {"chance": chance, "percent": format_percent(chance), "warn": chance > GUESS_WARNING}


def bank_health_context(objective: Objective) -> dict[str, Any]:
    """Bank health for the editor: versions, whether the bank lasts, how often a guesser passes."""
    summary = bank_summary(objective)
    guessing = _guessing(objective, summary.questions) if summary.askable >= objective.check_items else None
    return {
        "summary": summary,
        "versions": format_count(summary.versions),
        "guessing": guessing,
        "lasting": _lasting(objective, summary.questions, summary.askable),
    }


def _lasting(objective: Objective, questions: list[Question], askable: int) -> dict[str, Any]:
    written = sum(
        1
        for q in questions
        if not q.retired and q.current is not None and q.current.type == QuestionType.FREE_RESPONSE.value
    )
    parts = [(askable, objective.check_items)]
    if objective.check_written:
        parts.append((written, objective.check_written))
    lasting = bank_lasting(parts)
    return {
        "lasts": lasting.lasts,
        "buildable": lasting.buildable,
        "fresh": lasting.fresh_checks,
        "missing": lasting.missing,
        "attempts": EXPECTED_ATTEMPTS,
    }


def _by_form(request: HttpRequest) -> bool:
    """The form is the editor; YAML is its advanced view (`?view=yaml`, and what the YAML editor posts)."""
    if request.method == "POST":
        return request.POST.get("mode") == "form"
    return request.GET.get("view") != "yaml"


@form_page
def question_new(request: HttpRequest, objective_id: int) -> HttpResponse:
    from flipmastery.web import views_question_form as by_form

    objective = access_objective_as_teacher(_user(request), objective_id)

    def save(value: QuestionValue) -> HttpResponse:
        question = question_create(objective=objective, value=value, actor=_user(request))
        added = _("Added to the bank of %(code)s as version 1.") % {"code": objective.code}
        messages.success(request, added)
        return redirect(reverse("bank_question_edit", args=[question.pk]) + _view_query(request))

    def to_yaml(text: str, problems: list[Problem]) -> HttpResponse:
        return _editor(request, objective, None, text, problems)

    if _by_form(request):
        if request.method != "POST":
            return by_form.form_get(request, objective, None)
        return by_form.form_post(request, objective, None, save, to_yaml)
    text = request.POST.get("text", "") if request.method == "POST" else NEW_QUESTION
    problems: list[Problem] = []
    if request.method == "POST":
        if request.POST.get("do") == "to_form":
            shown = by_form.yaml_to_form(request, objective, None, text)
            if shown is not None:
                return shown
        if request.POST.get("do") in ("try", "another"):
            return _editor(request, objective, None, text, [], tried=request.POST.get("do") == "try")
        try:
            value = read_one(text)[0]
            return save(value)
        except Invalid as error:
            problems = error.problems
    return _editor(request, objective, None, text, problems)


def _view_query(request: HttpRequest) -> str:
    return "" if _by_form(request) else "?view=yaml"


@form_page
def question_edit_page(request: HttpRequest, question_id: int) -> HttpResponse:
    from flipmastery.web import views_question_form as by_form

    question = access_question_as_teacher(_user(request), question_id)
    before = question.current
    assert before is not None  # every question is made with its first version

    def to_yaml(text: str, problems: list[Problem]) -> HttpResponse:
        return _editor(request, question.objective, question, text, problems)

    def save(value: QuestionValue, line: int = 1) -> HttpResponse:
        return _save_edit(request, question, before, value, line)

    if _by_form(request):
        if request.method != "POST":
            return by_form.form_get(request, question.objective, question)
        return by_form.form_post(request, question.objective, question, save, to_yaml)
    if request.method != "POST":
        return _editor(request, question.objective, question, editor_text(before.value), [])
    text = request.POST.get("text", "")
    if request.POST.get("do") == "to_form":
        shown = by_form.yaml_to_form(request, question.objective, question, text)
        if shown is not None:
            return shown
    if request.POST.get("do") in ("try", "another"):
        tried = request.POST.get("do") == "try"
        return _editor(request, question.objective, question, text, [], tried=tried)
    try:
        value, line = read_one(text)
        return save(value, line)
    except Invalid as error:
        return _editor(request, question.objective, question, text, error.problems)


def _save_edit(
    request: HttpRequest, question: Question, before: QuestionVersion, value: QuestionValue, line: int
) -> HttpResponse:
    """Save an edit as the service decides (in place, or a new version); Invalid if the id changed."""
    here = reverse("bank_question_edit", args=[question.pk]) + _view_query(request)
    if value.key and value.key not in (question.key, before.value.key):
        message = _("'id' is this question's name in bank files (%(key)r); it cannot change here") % {
            "key": question.key
        }
        raise Invalid([Problem(message, Location(EDITOR_FILE, line))])
    if value == before.value:
        messages.info(request, _("Nothing changed, so nothing was saved."))
        return redirect(here)
    version = question_edit(question=question, value=value, actor=_user(request))
    if version.pk != before.pk:
        message = _(
            "Saved as version %(new)d (version %(old)d stays as it was for the attempts that showed it)."
        )
        messages.success(request, message % {"new": version.number, "old": before.number})
    else:
        message = _("Saved (version %(new)d: no attempt has shown it yet).")
        messages.success(request, message % {"new": version.number})
    return redirect(here)


def _editor(
    request: HttpRequest,
    objective: Objective,
    question: Question | None,
    text: str,
    problems: list[Problem],
    *,
    tried: bool = False,
) -> HttpResponse:
    from flipmastery.web import views_question_form as by_form

    shown, preview_problems = _preview_problems(text)
    answered = request.POST if tried and request.method == "POST" else None
    context = {
        "objective": objective,
        "question": question,
        "text": text,
        "problems": problems,
        "preview": {"item": shown, "problems": preview_problems},
        "health": bank_health_context(objective),
        "lang": objective.course.language,
        **by_form.try_context(text, request.POST if request.method == "POST" else None, answered),
        "focus": "try-h" if tried else "",
    }
    return render(request, "web/banks/editor.html", context)


@action
def question_preview(request: HttpRequest, objective_id: int) -> HttpResponse:
    """The live preview of the editor (an htmx fragment): the item as shown, or the problems."""
    from flipmastery.web import views_question_form as by_form

    objective = access_objective_as_teacher(_user(request), objective_id)
    if request.POST.get("mode") == "form":
        return by_form.form_preview(request, objective)
    text = request.POST.get("text", "")
    shown, problems = _preview_problems(text)
    context = {
        "preview": {"item": shown, "problems": problems},
        "oob": True,
        "try_panel": True,
        "lang": objective.course.language,
        **by_form.try_context(text, None, None),
    }
    return render(request, "web/banks/_preview.html", context)


@page
def question_versions(request: HttpRequest, question_id: int) -> HttpResponse:
    question = access_question_as_teacher(_user(request), question_id)
    versions = list(QuestionVersion.objects.filter(question=question).select_related("created_by"))
    shown = []
    for version in reversed(versions):
        shown.append((version, build(version.pk, version.value, random.Random(0))))
    context = {"objective": question.objective, "question": question, "versions": shown}
    return render(request, "web/banks/versions.html", context)


@action
def question_retire_action(request: HttpRequest, question_id: int) -> HttpResponse:
    question = access_question_as_teacher(_user(request), question_id)
    retired = request.POST.get("retired") == "1"
    question_retire(question=question, retired=retired)
    name = question.current.title if question.current and question.current.title else question.key
    if retired:
        messages.success(request, _("Retired “%(name)s”: no new check will ask it.") % {"name": name})
    else:
        messages.success(request, _("Brought back “%(name)s”: checks may ask it again.") % {"name": name})
    return redirect(reverse("bank", args=[question.objective_id]) + f"#q-{question.pk}")


@page
def bank_export(request: HttpRequest, objective_id: int, fmt: str) -> HttpResponse:
    objective = access_objective_as_teacher(_user(request), objective_id)
    if fmt not in FORMAT_FILES:
        raise Http404("unknown format")
    asked = bank_questions(course_code=objective.course.code, objective_code=objective.code)
    values = [value for _code, value in asked]
    partial = request.GET.get("partial") == "1"
    left_out: list[LeftOut] = []
    try:
        if partial:
            body, left_out = write_bank_fitting(values, fmt)
        else:
            body = write_bank(values, fmt)
    except Invalid as error:
        # All or nothing by default; the page lists what the format cannot hold and offers the rest.
        try:
            left_out = write_bank_fitting(values, fmt)[1]
        except Invalid:
            left_out = []
        context = {
            "objective": objective,
            "format": FORMAT_WORDS[fmt],
            "fmt": fmt,
            "problems": error.problems,
            "left_out": left_out,
            "fitting": len(values) - len(left_out) if left_out else 0,
        }
        return render(request, "web/banks/export_failed.html", context, status=422)
    suffix, content_type = FORMAT_FILES[fmt]
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", objective.code) or "bank"
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}{suffix}"'
    if partial:
        # The list is also a comment at the top of the file (in formats that have comments).
        response["X-Left-Out"] = str(len(left_out))
    return response


class ImportForm(forms.Form):
    file = forms.FileField(label="Bank file")
    format = forms.ChoiceField(
        label="Format",
        required=False,
        choices=[("", "From the file name"), *FORMAT_WORDS.items()],
    )
    replace = forms.BooleanField(label="Retire questions that are not in the file", required=False)
    dry_run = forms.BooleanField(label="Check only (dry run): change nothing", required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        if not any(name.lower().endswith(s) for s in SUFFIXES):
            raise forms.ValidationError(f"“{name}” is not a bank file: choose a {', '.join(SUFFIXES)} file.")
        if upload.size > MAX_BANK_BYTES:
            raise forms.ValidationError(
                f"“{name}” is {upload.size / 1024 / 1024:.1f} MB; a bank file may be at most 5 MB. "
                "Split it into smaller files."
            )
        return upload


@form_page
def bank_import_page(request: HttpRequest, objective_id: int) -> HttpResponse:
    objective = access_objective_as_teacher(_user(request), objective_id)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    context: dict[str, Any] = {"objective": objective, "form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = (upload.name or "bank").rsplit("/", 1)[-1]
        try:
            text = upload.read(MAX_BANK_BYTES + 1).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            form.add_error(
                "file",
                f"“{name}” is not UTF-8 text (byte {error.start + 1} cannot be read). "
                "Save it with the encoding UTF-8 and upload it again.",
            )
            return render(request, "web/banks/import.html", context)
        try:
            report = bank_import(
                objective=objective,
                text=text,
                file=name,
                fmt=form.cleaned_data["format"] or None,
                actor=_user(request),
                replace=form.cleaned_data["replace"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except Invalid as error:
            context["problems"] = error.problems
        except DomainError as error:
            context["problems"] = [Problem(str(error), Location(name))]
        else:
            context["report"] = report
    return render(request, "web/banks/import.html", context)


@page
def bank_preview(request: HttpRequest, objective_id: int) -> HttpResponse:
    """Five different versions of the check, each with its key, to proofread or print."""
    objective = access_objective_as_teacher(_user(request), objective_id)
    try:
        start = max(1, int(request.GET.get("from", "1")))
    except ValueError:
        start = 1
    start = min(start, 10**9)
    askable = list(
        Question.objects.filter(objective=objective, retired=False, current__isnull=False)
        .exclude(current__type=QuestionType.DESCRIPTION.value)
        .select_related("current")
    )
    by_id = {q.pk: q for q in askable}
    auto = [q.pk for q in askable if q.current and q.current.type != QuestionType.FREE_RESPONSE.value]
    written = [q.pk for q in askable if q.pk not in set(auto)]
    versions: list[tuple[int, list[ShownItem]]] = []
    problem = ""
    for seed in range(start, start + PREVIEW_VERSIONS):
        rng = random.Random(seed)
        try:
            picks = pick_check(
                objective.code,
                objective.check_items,
                objective.check_written,
                {objective.code: auto},
                {objective.code: written},
                {},
                rng,
            )
        except BankTooSmall as error:
            problem = str(error)
            break
        shared: dict[str, dict[str, float]] = {}
        items = []
        for number, pick in enumerate(picks, start=1):
            version = by_id[pick.question].current
            assert version is not None
            items.append(build(version.pk, version.value, rng, shared, number, version.title))
        versions.append((seed, items))
    context = {
        "objective": objective,
        "versions": versions,
        "problem": problem,
        "next_from": start + PREVIEW_VERSIONS,
        "previous_from": max(1, start - PREVIEW_VERSIONS) if start > 1 else None,
    }
    return render(request, "web/banks/preview.html", context)
