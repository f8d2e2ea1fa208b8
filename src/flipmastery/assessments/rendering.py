"""What a student sees of an item, rendered once at the start of an attempt and kept in its snapshot.

Nothing here may carry an answer: no fractions, no accepted texts, no formulas, no matching pairs.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from flipmastery.content.markdown import render_text
from flipmastery.domain.generation import (
    GAP,
    Variant,
    fill,
    gap_options,
    shown_answers,
    shown_choices,
    shown_gap_choices,
    shown_items,
    shown_prompts,
)
from flipmastery.domain.questions import Question, QuestionType
from flipmastery.domain.units import is_temperature

# Rendering Markdown and MathML costs more than assembling a check or grading it, and a version's text
# and feedback never change (only calculated items' numbers do), so the HTML of a text is kept: the same
# text in the same format renders the same (the language only words the "too long" notice).
_CACHE_LIMIT = 20_000


def rendered(text: str, text_format: str) -> str:
    return _rendered(text, text_format, get_language() or "")


@functools.lru_cache(maxsize=_CACHE_LIMIT)
def _rendered(text: str, text_format: str, language: str) -> str:
    return render_text(text, text_format)


def _html(version_id: int, question: Question, text: str, variant: Variant) -> str:
    if question.type is QuestionType.CALCULATED and "{" in text:
        return render_text(fill(text, question, variant), question.format.value)
    return rendered(text, question.format.value)


def shown_item(version_id: int, question: Question, variant: Variant) -> dict[str, Any]:
    """The JSON a student receives for one item (the `shown` snapshot of an attempt item)."""
    kind = question.type
    shown: dict[str, Any] = {
        "type": kind.value,
        "prompt_html": _html(version_id, question, question.text, variant),
        "points": question.points,
    }
    if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE, QuestionType.TRUE_FALSE):
        shown["choices"] = [
            {"id": label, "html": _html(version_id, question, question.choices[index].text, variant)}
            for label, index in shown_choices(question, variant)
        ]
        if kind is QuestionType.TRUE_FALSE:
            shown["choices"] = [{"id": True, "html": "True"}, {"id": False, "html": "False"}]
    elif kind is QuestionType.MATCHING:
        shown["prompts"] = [
            {"id": pid, "html": _html(version_id, question, text, variant)}
            for pid, text in shown_prompts(question, variant)
        ]
        shown["options"] = [
            {"id": label, "html": _html(version_id, question, text, variant)}
            for label, text in shown_answers(question, variant)
        ]
    elif kind is QuestionType.ORDERING:
        # Shuffled (never already in order) under labels that say nothing of the right order.
        shown["items"] = [
            {"id": label, "html": _html(version_id, question, text, variant)}
            for label, text in shown_items(question, variant)
        ]
    elif kind is QuestionType.GAPS:
        shown["prompt_html"] = gap_text_html(question)
        # Every choice under its label (shuffled within its group), and for each gap the labels it offers;
        # nothing says which one is right.
        shown["gap_choices"] = [
            {"id": label, "html": _html(version_id, question, question.gap_choices[index].text, variant)}
            for label, index in shown_gap_choices(question, variant)
        ]
        shown["gaps"] = [
            {"id": gap, "options": [label for label, _ in offered]}
            for gap, offered in gap_options(question, variant)
        ]
    elif kind is QuestionType.CLOZE:
        shown["prompt_html"] = gap_text_html(question)
        shown["parts"] = cloze_parts_shown(version_id, question, variant)
    elif kind in (QuestionType.NUMERIC, QuestionType.CALCULATED):
        shown["needs_unit"] = bool(question.unit)
        if is_temperature(question.unit):
            # Phones have no ° key; grading reads C, oC and degC as °C where a temperature is asked.
            hint = _("Give the unit, e.g. 25 °C or 298 K (you may write °C as C or degC, °F as F or degF).")
            shown["prompt_html"] += format_html('<p class="hint unit-hint">{}</p>', hint)
    return shown


# A gap stands in the rendered text as a blank a student can write in on paper; the check page puts its
# select there. The gaps are swapped for a plain token before rendering, so Markdown cannot read "[[1]]"
# as a link.
GAP_BLANK = re.compile(r'<span class="gap-blank" data-gap="(\d+)">[^<]*</span>')
_TOKEN = re.compile(r"FMGAP(\d+)X")


def gap_text_html(question: Question) -> str:
    text = GAP.sub(lambda m: f"FMGAP{int(m.group(1))}X", question.text)
    return _TOKEN.sub(
        lambda m: f'<span class="gap-blank" data-gap="{m.group(1)}">({m.group(1)})\u00a0________</span>',
        rendered(text, question.format.value),
    )


def cloze_parts_shown(version_id: int, question: Question, variant: Variant) -> list[dict[str, Any]]:
    """A cloze item's parts: each its number, type, layout and, for a choice part, its choices under
    labels; never an answer, a fraction or a feedback."""
    from flipmastery.domain.cloze import part_choices

    return [
        {
            "id": str(number),
            "type": part.type.value,
            "layout": part.layout.value if part.choices else "",
            "needs_unit": bool(part.unit),
            "choices": [
                {"id": label, "html": _html(version_id, question, text, variant)}
                for label, text in part_choices(question, variant, str(number))
            ],
        }
        for number, part in enumerate(question.cloze_parts, start=1)
    ]


def feedback_html(question: Question, lines: list[str]) -> list[str]:
    return [rendered(line, question.format.value) for line in lines]
