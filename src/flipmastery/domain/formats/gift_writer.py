"""GIFT out, as Moodle's exporter writes it, so that Moodle and our reader both get the same questions back.

A question GIFT cannot hold (calculated, units, points, a fixed order, a rubric…) is refused with the
reason instead of being written with part of its meaning lost. The key goes in a `// [id:…]` comment and
the tags in `[tag:…]`, which Moodle reads too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from flipmastery.domain.errors import Invalid, Problem
from flipmastery.domain.formats.gift_common import format_number, name_of, percent_of_fraction
from flipmastery.domain.formats.gift_lexer import escape
from flipmastery.domain.questions import (
    FALSE,
    TRUE,
    NumericAnswer,
    Question,
    QuestionType,
    TextFormat,
    Tolerance,
)

BLANK = "_____"
PREFIX = {TextFormat.PLAIN: "", TextFormat.MARKDOWN: "[markdown]", TextFormat.HTML: "[html]"}
CHOOSING = (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE, QuestionType.MATCHING)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def write(questions: Sequence[Question]) -> str:
    """The questions as a GIFT file, or Invalid naming each question GIFT cannot hold and why."""
    problems: list[Problem] = []
    parts: list[str] = []
    for index, question in enumerate(questions, start=1):
        reasons = cannot(question)
        if reasons:
            problems.append(
                Problem(f"{name_of(question, index)} cannot be written as GIFT: {'; '.join(reasons)}")
            )
        else:
            parts.append(_question(question))
    if problems:
        raise Invalid(problems)
    return "".join(part + "\n\n" for part in parts)


def cannot(q: Question) -> list[str]:
    """Why GIFT cannot hold this question without changing what it means (empty when it can)."""
    kind = q.type
    why: list[str] = []
    if kind is QuestionType.CALCULATED:
        return ["GIFT has no calculated questions; use YAML or Moodle XML"]
    if kind is QuestionType.ORDERING:  # read from GIFT's {>…} form, written only where nothing is lost
        return ["ordering questions are written as YAML or Moodle XML, not GIFT"]
    if kind is QuestionType.GAPS:
        return ["GIFT has no gaps questions; use YAML or Moodle XML"]
    if kind is QuestionType.CLOZE:
        return ["GIFT has no cloze questions; use YAML or Moodle XML"]
    if not q.text.strip():
        why.append("it has no text")
    if kind is not QuestionType.DESCRIPTION and q.points != 1.0:
        why.append(f"GIFT has no points and this question is worth {q.points:g}")
    if kind in CHOOSING and not q.shuffle:
        why.append("GIFT cannot keep the choices in a fixed order")
    if kind is QuestionType.DESCRIPTION and q.general_feedback:
        why.append("a GIFT description has no general feedback")
    if kind is QuestionType.FREE_RESPONSE and q.rubric:
        why.append("GIFT has no place for a grading rubric")
    if kind is QuestionType.SHORT_TEXT:
        if q.case_sensitive:
            why.append("GIFT short answers are never case-sensitive")
        if any("->" in a.text + a.feedback for a in q.answers):
            why.append("GIFT would read an answer containing '->' as a matching pair")
    if kind is QuestionType.NUMERIC:
        why.extend(_numeric_reasons(q))
    if kind is QuestionType.SINGLE_CHOICE and not any(c.fraction == 1.0 for c in q.choices):
        why.append("a single-choice question needs an option with full credit")
    if kind is QuestionType.TRUE_FALSE and sorted((c.text, c.fraction) for c in q.choices) not in (
        [(FALSE, 0.0), (TRUE, 1.0)],
        [(FALSE, 1.0), (TRUE, 0.0)],
    ):
        why.append("a true/false question needs exactly the choices 'true' and 'false', one of them right")
    if kind is QuestionType.MATCHING and any("->" in p.prompt for p in q.pairs):
        why.append("a matching prompt cannot contain '->' in GIFT")
    why.extend(_name_reasons(q))
    if any(_CONTROL.search(text) for text in _texts(q)):
        why.append("a text contains a control character")
    return why


def _numeric_reasons(q: Question) -> list[str]:
    why: list[str] = []
    if q.unit:
        why.append(f"GIFT has no units ({q.unit})")
    if q.answer_decimals is not None:
        why.append("GIFT cannot say how many decimals to show")
    if any(a.formula for a in q.numeric_answers):
        why.append("numeric answers in GIFT are numbers, not formulas")
    if not all(
        math.isfinite(a.tolerance) and (a.value is None or math.isfinite(a.value)) for a in q.numeric_answers
    ):
        why.append("every value and tolerance must be a finite number")
    return why


def _name_reasons(q: Question) -> list[str]:
    names = [q.key, *q.tags] if q.key != q.title else list(q.tags)
    if any(
        not n or n != n.strip() or n.endswith("\\") or _CONTROL.search(n) or "\n" in n for n in names if n
    ):
        return ["a key or tag has spaces at its ends, a line break or a trailing backslash"]
    if any("<" in t or ">" in t or not t for t in q.tags):
        return ["a tag is empty or contains < or >"]
    return []


def _texts(q: Question) -> list[str]:
    return [
        q.text,
        q.title,
        q.general_feedback,
        *(c.text + c.feedback for c in q.choices),
        *(a.text + a.feedback for a in q.answers),
        *(a.feedback for a in q.numeric_answers),
        *(p.prompt + p.answer for p in q.pairs),
    ]


# ---- writing -------------------------------------------------------------------------------------------


def _question(q: Question) -> str:
    lines: list[str] = []
    meta = [f"[id:{q.key.replace(']', chr(92) + ']')}]"] if q.key and q.key != q.title else []
    meta += [f"[tag:{tag.replace(']', chr(92) + ']')}]" for tag in q.tags]
    if meta:
        lines.append("// " + " ".join(meta))
    head = f"::{escape(q.title)}::" if q.title else ""
    prefix = PREFIX[q.format]
    if q.format is TextFormat.PLAIN and q.text.startswith(("[", "/")):
        prefix = "[moodle]"  # so a leading "[…]" is not read as a format, nor "//" as a comment
    text = prefix + escape(q.text)
    if q.type is QuestionType.DESCRIPTION:
        lines.append(head + text)
        return "\n".join(lines)
    answers = _answers(q)
    # A blank in the text is where the answers go (a missing word); a blank at the very end stays.
    if BLANK in text and not text.endswith(BLANK):
        at = text.rindex(BLANK)
        text = text[:at] + answers + text[at + len(BLANK) :]
    else:
        text += answers
    lines.append(head + text)
    return "\n".join(lines)


def _sub(text: str) -> str:
    """An answer or feedback: a leading "[…]" would be read as its format, so it gets an explicit one."""
    return ("[moodle]" if text.startswith("[") else "") + escape(text)


def _feedback(text: str) -> str:
    return "#" + _sub(text) if text else ""


def _general(q: Question) -> str:
    return "\t####" + _sub(q.general_feedback) + "\n" if q.general_feedback else ""


def _answers(q: Question) -> str:
    kind = q.type
    if kind is QuestionType.FREE_RESPONSE:
        return "{" + ("####" + _sub(q.general_feedback) if q.general_feedback else "") + "}"
    if kind is QuestionType.TRUE_FALSE:
        return _true_false(q)
    if kind is QuestionType.NUMERIC:
        last = len(q.numeric_answers) - 1
        lines = [_numeric(a, i == last) for i, a in enumerate(q.numeric_answers)]
        return "{#\n" + "".join(lines) + _general(q) + "}"
    if kind is QuestionType.MATCHING:
        lines = [f"\t={_sub(p.prompt)} -> {escape(p.answer)}\n" for p in q.pairs]
        return "{\n" + "".join(lines) + _general(q) + "}"
    if kind is QuestionType.SHORT_TEXT:
        lines = [
            f"\t={_weight(a.fraction, a.text, 1.0)}{_sub(a.text)}{_feedback(a.feedback)}\n" for a in q.answers
        ]
        return "{\n" + "".join(lines) + _general(q) + "}"
    return _choices(q)


def _weight(fraction: float, text: str, default: float) -> str:
    # A text that starts with "%" would be read as a weight, so it always gets an explicit one.
    return "" if fraction == default and not text.startswith("%") else f"%{percent_of_fraction(fraction)}%"


def _choices(q: Question) -> str:
    single = q.type is QuestionType.SINGLE_CHOICE
    marks: list[str] = []
    for choice in q.choices:
        if single and choice.fraction == 1.0:
            marks.append("=")
        else:
            marks.append("~" + _weight(choice.fraction, choice.text, 0.0))
    if single and "=" in marks and all(m == "=" for m in marks):
        # Without any '~' Moodle would read a short answer; every extra right option says its 100%.
        marks = ["="] + ["~%100%"] * (len(marks) - 1)
    lines = [
        f"\t{mark}{_sub(c.text)}{_feedback(c.feedback)}\n" for mark, c in zip(marks, q.choices, strict=True)
    ]
    return "{\n" + "".join(lines) + _general(q) + "}"


def _true_false(q: Question) -> str:
    by_text = {c.text: c for c in q.choices}
    answer = by_text[TRUE].fraction > 0
    right, wrong = (by_text[TRUE], by_text[FALSE]) if answer else (by_text[FALSE], by_text[TRUE])
    # GIFT's order: the feedback for a wrong answer, then the one for a right answer.
    feedback = "#" + _sub(wrong.feedback) if wrong.feedback or right.feedback else ""
    feedback += _feedback(right.feedback)
    general = "####" + _sub(q.general_feedback) if q.general_feedback else ""
    return "{" + ("TRUE" if answer else "FALSE") + feedback + general + "}"


def _numeric(answer: NumericAnswer, last: bool) -> str:
    if answer.value is None:
        if last and answer.fraction == 0.0:
            return "\t~" + (_feedback(answer.feedback) or "#") + "\n"
        return f"\t=%{percent_of_fraction(answer.fraction)}%*{_feedback(answer.feedback)}\n"
    tolerance = answer.tolerance
    if answer.tolerance_mode is Tolerance.RELATIVE:
        tolerance *= abs(answer.value)  # the value is fixed, so the same margin as an absolute one
    weight = "" if answer.fraction == 1.0 else f"%{percent_of_fraction(answer.fraction)}%"
    value = f"{format_number(answer.value)}:{format_number(tolerance)}"
    return f"\t={weight}{value}{_feedback(answer.feedback)}\n"
