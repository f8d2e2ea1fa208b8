"""Moodle XML out, shaped like Moodle's own export so that Moodle imports it and we read it back unchanged.

A calculated variable is written as Moodle's dataset. A range with decimals is a uniform range plus ten
evenly spread items so that Moodle can use the question at once (our reader draws afresh from the range).
A list, or a range with a step, is written with every value it can take as the dataset's items: Moodle
draws only from the items, so a student there sees only numbers we would draw; `<flipmastery_draw>` (which
Moodle ignores) tells our reader to read the items back as that list or step. A derived variable is
written in place as its formula (Moodle has none), in the answers and as `{=…}` in the text; formulas are
written in Moodle's words (`{a}`, `pow()`). A question Moodle XML cannot hold (display decimals on a
a step with more than a hundred values …) is refused with the reason, or left out and
reported when the caller asks for what fits (`write_fitting`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from flipmastery.domain.errors import Invalid, Problem
from flipmastery.domain.formats.gift_common import format_number, name_of, percent_of_fraction
from flipmastery.domain.formats.moodle_cloze import cloze_reasons, moodle_cloze_text
from flipmastery.domain.formats.moodle_formula import text_to_moodle, to_moodle
from flipmastery.domain.formats.moodle_xml_gaps import MAX_GROUP, moodle_kind, moodle_text, write_choices
from flipmastery.domain.formula import FormulaError
from flipmastery.domain.gaps import gap_problem
from flipmastery.domain.generation import variable_choices, variable_problems
from flipmastery.domain.questions import (
    FALSE,
    TRUE,
    NumericAnswer,
    Question,
    QuestionType,
    TextFormat,
    Tolerance,
    Variable,
)

FORMAT_NAMES = {
    TextFormat.PLAIN: "moodle_auto_format",
    TextFormat.MARKDOWN: "markdown",
    TextFormat.HTML: "html",
}
TYPE_NAMES = {
    QuestionType.SINGLE_CHOICE: "multichoice",
    QuestionType.MULTIPLE_RESPONSE: "multichoice",
    QuestionType.TRUE_FALSE: "truefalse",
    QuestionType.SHORT_TEXT: "shortanswer",
    QuestionType.NUMERIC: "numerical",
    QuestionType.CALCULATED: "calculated",
    QuestionType.MATCHING: "matching",
    QuestionType.ORDERING: "ordering",
    QuestionType.GAPS: "ddwtos",  # or gapselect: see moodle_xml_gaps.moodle_kind
    QuestionType.CLOZE: "cloze",  # the parts are written in the text, as Moodle does
    QuestionType.FREE_RESPONSE: "essay",
    QuestionType.DESCRIPTION: "description",
}
ITEMS = 10
MAX_ITEMS = 100  # the most dataset items Moodle's editing form offers
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def write(questions: Sequence[Question]) -> str:
    """The questions as a Moodle XML file, or Invalid naming each question it cannot hold and why."""
    text, left_out = write_fitting(questions)
    if left_out:
        raise Invalid([Problem(f"{name} cannot be written as Moodle XML: {why}") for name, why in left_out])
    return text


def write_fitting(questions: Sequence[Question]) -> tuple[str, list[tuple[str, str]]]:
    """The questions Moodle XML can hold as a file, and (question, why) for each one left out."""
    left_out: list[tuple[str, str]] = []
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    category = ""
    for index, q in enumerate(questions, start=1):
        reasons = cannot(q)
        if reasons:
            left_out.append((name_of(q, index), "; ".join(reasons)))
            continue
        if q.group and q.type is QuestionType.CALCULATED and q.group != category:
            # Moodle shares datasets within a category, so a group becomes the category it lives in.
            category = q.group
            out += [
                '  <question type="category">',
                f"    <category>{_text(category)}</category>",
                "  </question>",
            ]
        out += _question(q)
    return "\n".join([*out, "</quiz>", ""]), left_out


def cannot(q: Question) -> list[str]:
    """Why Moodle XML cannot hold this question without changing what it means (empty when it can)."""
    why: list[str] = []
    if q.type is QuestionType.CALCULATED:
        why += [_variable_reason(v) for v in q.variables if _variable_reason(v)]
        why += _formula_reasons(q)
    if q.type is QuestionType.NUMERIC and any(a.formula for a in q.numeric_answers):
        why.append("numerical answers are numbers, not formulas; make it a calculated question")
    if q.type is QuestionType.GAPS and gap_problem(q):
        why.append(gap_problem(q))
    if q.type is QuestionType.GAPS and any(c.group > MAX_GROUP for c in q.gap_choices):
        why.append(f"Moodle has choice groups 1 to {MAX_GROUP} only")
    if q.type is QuestionType.CLOZE:
        why += cloze_reasons(q)
    if q.type is QuestionType.TRUE_FALSE and sorted(c.text for c in q.choices) != [FALSE, TRUE]:
        why.append("a true/false question needs exactly the choices 'true' and 'false'")
    numbers = [q.points, q.unit_penalty, *(a.tolerance for a in q.numeric_answers)]
    numbers += [a.value for a in q.numeric_answers if a.value is not None]
    if not all(math.isfinite(n) for n in numbers):
        why.append("every number must be finite")
    if any(_NOT_XML.search(text) for text in _texts(q)):
        why.append("a text contains a character XML cannot hold (a control character)")
    return why


def _variable_reason(v: Variable) -> str:
    if v.values or v.step is not None:
        problems = variable_problems(v)
        if problems:
            return f"the variable {v.name} {problems[0]}"
        count = len(set(v.values)) if v.values else variable_choices(v)
        if count > MAX_ITEMS:
            return (
                f"{v.name} can take {count} values; a Moodle dataset holds at most {MAX_ITEMS} items "
                "(use a larger step or a smaller range)"
            )
        return ""
    if v.minimum is None or v.maximum is None or v.decimals is None:
        return f"Moodle needs a minimum, a maximum and a number of decimals for {v.name}"
    if not (math.isfinite(v.minimum) and math.isfinite(v.maximum)) or v.decimals < 0:
        return f"the range of {v.name} must be finite with 0 or more decimals"
    return ""


def _formula_reasons(q: Question) -> list[str]:
    derived = {d.name: d.formula for d in q.derived}
    why = []
    for source in [*(a.formula for a in q.numeric_answers if a.formula), q.text, q.general_feedback]:
        try:
            if source in (q.text, q.general_feedback):
                text_to_moodle(source, q)
            else:
                to_moodle(source, derived)
        except FormulaError as err:
            why.append(f"a formula cannot be written for Moodle: {err}")
    return why


def _texts(q: Question) -> list[str]:
    return [
        q.text,
        q.title,
        q.key,
        q.general_feedback,
        q.rubric,
        q.unit,
        q.group,
        *q.tags,
        *(c.text + c.feedback for c in q.choices),
        *(a.text + a.feedback for a in q.answers),
        *(a.formula + a.feedback for a in q.numeric_answers),
        *(p.prompt + p.answer for p in q.pairs),
        *q.items,
        *(c.text for c in q.gap_choices),
        *(c.text + c.feedback for p in q.cloze_parts for c in p.choices),
        *(a.text + a.feedback for p in q.cloze_parts for a in p.answers),
        *(a.feedback for p in q.cloze_parts for a in p.numeric_answers),
        *(v.name for v in q.variables),
    ]


# ---- writing -------------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    # A carriage return would become a line feed when read back, so it is written as a reference.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _text(text: str) -> str:
    if "\r" not in text and any(char in text for char in "<>&"):
        # HTML reads better in CDATA, as Moodle writes it; "]]>" is split across two sections.
        return "<text><![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]></text>"
    return f"<text>{_escape(text)}</text>"


def _formatted(tag: str, text: str, fmt: TextFormat, indent: str = "    ") -> str:
    return f'{indent}<{tag} format="{FORMAT_NAMES[fmt]}">{_text(text)}</{tag}>'


def _question(q: Question) -> list[str]:
    text, feedback = q.text, q.general_feedback
    if q.type is QuestionType.CALCULATED:
        text, feedback = text_to_moodle(text, q), text_to_moodle(feedback, q)
    if q.type is QuestionType.GAPS:
        text = moodle_text(q)
    if q.type is QuestionType.CLOZE:
        text = moodle_cloze_text(q)
    kind = moodle_kind(q) if q.type is QuestionType.GAPS else TYPE_NAMES[q.type]
    out = [
        f'  <question type="{kind}">',
        f"    <name>{_text(q.title)}</name>",
        _formatted("questiontext", text, q.format),
        _formatted("generalfeedback", feedback, q.format),
        f"    <defaultgrade>{format_number(q.points)}</defaultgrade>",
        "    <penalty>0.3333333</penalty>",
        "    <hidden>0</hidden>",
        f"    <idnumber>{_escape(q.key) if q.key != q.title else ''}</idnumber>",
    ]
    out += _typed(q)
    if q.tags:
        out += ["    <tags>", *(f"      <tag>{_text(tag)}</tag>" for tag in q.tags), "    </tags>"]
    return [*out, "  </question>"]


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _answer(
    fraction: float, text: str, feedback: str, fmt: TextFormat, extra: Sequence[str] = ()
) -> list[str]:
    return [
        f'    <answer fraction="{percent_of_fraction(fraction)}" format="{FORMAT_NAMES[fmt]}">',
        f"      {_text(text)}",
        *(f"      {line}" for line in extra),
        _formatted("feedback", feedback, fmt, indent="      "),
        "    </answer>",
    ]


def _typed(q: Question) -> list[str]:
    kind, fmt = q.type, q.format
    if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        out = [
            f"    <single>{_flag(kind is QuestionType.SINGLE_CHOICE)}</single>",
            f"    <shuffleanswers>{_flag(q.shuffle)}</shuffleanswers>",
            "    <answernumbering>abc</answernumbering>",
        ]
        for c in q.choices:
            out += _answer(c.fraction, c.text, c.feedback, fmt)
        return out
    if kind is QuestionType.TRUE_FALSE:
        by_text = {c.text: c for c in q.choices}
        return [
            line
            for side in (TRUE, FALSE)
            for line in _answer(by_text[side].fraction, side, by_text[side].feedback, fmt)
        ]
    if kind is QuestionType.SHORT_TEXT:
        out = [f"    <usecase>{int(q.case_sensitive)}</usecase>"]
        for a in q.answers:
            out += _answer(a.fraction, a.text, a.feedback, fmt)
        return out
    if kind is QuestionType.NUMERIC:
        out = []
        for answer in q.numeric_answers:
            out += _numeric_answer(answer, fmt)
        if q.answer_decimals is not None:
            # Moodle shows a numerical answer as written and ignores this; our reader keeps the decimals.
            out.append(f"    <flipmastery_decimals>{q.answer_decimals}</flipmastery_decimals>")
        return out + _units(q)
    if kind is QuestionType.CALCULATED:
        return _calculated(q)
    if kind is QuestionType.MATCHING:
        out = [f"    <shuffleanswers>{_flag(q.shuffle)}</shuffleanswers>"]
        for p in q.pairs:
            out += [
                f'    <subquestion format="{FORMAT_NAMES[fmt]}">',
                f"      {_text(p.prompt)}",
                f"      <answer>{_text(p.answer)}</answer>",
                "    </subquestion>",
            ]
        return out
    if kind is QuestionType.ORDERING:
        out = [
            "    <layouttype>VERTICAL</layouttype>",
            "    <selecttype>ALL</selecttype>",
            f"    <selectcount>{len(q.items)}</selectcount>",
            f"    <gradingtype>{q.order_grading.value.upper()}</gradingtype>",
            "    <showgrading>SHOW</showgrading>",
            "    <numberingstyle>none</numberingstyle>",
        ]
        for place, item in enumerate(q.items, start=1):
            out += [
                f'    <answer fraction="{place}" format="{FORMAT_NAMES[fmt]}">',
                f"      {_text(item)}",
                "    </answer>",
            ]
        return out
    if kind is QuestionType.GAPS:
        return write_choices(q, _text)
    if kind is QuestionType.FREE_RESPONSE:
        return [
            "    <responseformat>editor</responseformat>",
            "    <responserequired>1</responserequired>",
            "    <responsefieldlines>15</responsefieldlines>",
            "    <attachments>0</attachments>",
            "    <attachmentsrequired>0</attachmentsrequired>",
            _formatted("graderinfo", q.rubric, fmt),
            _formatted("responsetemplate", "", fmt),
        ]
    return []


def _numeric_answer(a: NumericAnswer, fmt: TextFormat) -> list[str]:
    tolerance = a.tolerance
    if a.value is not None and a.tolerance_mode is Tolerance.RELATIVE:
        tolerance *= abs(a.value)  # Moodle's numerical tolerance is absolute; the value is fixed, so equal
    value = "*" if a.value is None else format_number(a.value)
    return _answer(a.fraction, value, a.feedback, fmt, [f"<tolerance>{format_number(tolerance)}</tolerance>"])


def _units(q: Question) -> list[str]:
    if not q.unit:
        return [
            "    <unitgradingtype>0</unitgradingtype>",
            "    <unitpenalty>0.1</unitpenalty>",
            "    <showunits>3</showunits>",
        ]
    return [
        "    <units>",
        f"      <unit><multiplier>1</multiplier><unit_name>{_escape(q.unit)}</unit_name></unit>",
        "    </units>",
        # Grading type 1 takes the penalty off the answer's credit, as our unit_penalty does; 0 ignores it.
        f"    <unitgradingtype>{1 if q.unit_penalty > 0 else 0}</unitgradingtype>",
        f"    <unitpenalty>{format_number(q.unit_penalty)}</unitpenalty>",
        "    <showunits>0</showunits>",
        "    <unitsleft>0</unitsleft>",
    ]


def _calculated_answer(a: NumericAnswer, q: Question) -> list[str]:
    derived = {d.name: d.formula for d in q.derived}
    formula = a.formula and to_moodle(a.formula, derived)
    formula = formula or ("*" if a.value is None else format_number(a.value))
    decimals = q.answer_decimals
    extra = [
        f"<tolerance>{format_number(a.tolerance)}</tolerance>",
        f"<tolerancetype>{1 if a.tolerance_mode is Tolerance.RELATIVE else 2}</tolerancetype>",
        # Without display decimals we ask Moodle for three significant figures (format 2).
        f"<correctanswerformat>{1 if decimals is not None else 2}</correctanswerformat>",
        f"<correctanswerlength>{decimals if decimals is not None else 3}</correctanswerlength>",
    ]
    return _answer(a.fraction, formula, a.feedback, q.format, extra)


def _calculated(q: Question) -> list[str]:
    out = [
        "    <synchronize>0</synchronize>",
        "    <single>0</single>",
        "    <shuffleanswers>0</shuffleanswers>",
    ]
    for a in q.numeric_answers:
        out += _calculated_answer(a, q)
    out += _units(q)
    out.append("    <dataset_definitions>")
    for v in q.variables:
        out += _dataset(v, "shared" if q.group else "private")
    return [*out, "    </dataset_definitions>"]


def _dataset(v: Variable, status: str) -> list[str]:
    if v.values:
        values = list(dict.fromkeys(v.values))
        texts = [format_number(float(x)) for x in values]
        low, high, places = float(min(values)), float(max(values)), max(_places(t) for t in texts)
        draw = "list"
    elif v.step is not None:
        low, high = float(v.minimum or 0.0), float(v.maximum or 0.0)
        places = _places(f"{v.step:.10f}".rstrip("0"))  # as generation draws it
        values = [round(low + v.step * i, places) for i in range(variable_choices(v))]
        texts = [f"{x:.{places}f}" for x in values]
        draw = "step"
    else:
        low, high, places = float(v.minimum or 0.0), float(v.maximum or 0.0), v.decimals or 0
        values = [low + (high - low) * i / (ITEMS - 1) for i in range(ITEMS)]
        texts = [f"{x:.{places}f}" for x in values]
        draw = ""
    out = [
        "      <dataset_definition>",
        f"        <status>{_text(status)}</status>",
        f"        <name>{_text(v.name)}</name>",
        "        <type>calculated</type>",
        f"        <distribution>{_text('uniform')}</distribution>",
        f"        <minimum>{_text(format_number(low))}</minimum>",
        f"        <maximum>{_text(format_number(high))}</maximum>",
        f"        <decimals>{_text(str(places))}</decimals>",
        f"        <itemcount>{len(texts)}</itemcount>",
    ]
    if draw == "step":
        out.append(f"        <flipmastery_draw>step {format_number(float(v.step or 0.0))}</flipmastery_draw>")
    elif draw:
        out.append(f"        <flipmastery_draw>{draw}</flipmastery_draw>")
    return [
        *out,
        "        <dataset_items>",
        *(
            f"          <dataset_item><number>{n}</number><value>{t}</value></dataset_item>"
            for n, t in enumerate(texts, start=1)
        ),
        "        </dataset_items>",
        f"        <number_of_items>{len(texts)}</number_of_items>",
        "      </dataset_definition>",
    ]


def _places(text: str) -> int:
    """Decimals written in a number's text: "2.50" → 2, "300" → 0, "1e-05" → 5."""
    if "e" in text.lower():
        mantissa, exponent = text.lower().split("e")
        return max(0, _places(mantissa) - int(exponent))
    return len(text.split(".")[1]) if "." in text else 0
