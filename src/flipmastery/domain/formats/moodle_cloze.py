"""Moodle's embedded-answers syntax, {1:SHORTANSWER:=Paris#Right~%50%Lyon#Half}, read into a cloze question's
parts and written back, with the meaning of Moodle's qtype_multianswer.

A part is {weight:TYPE:alternatives}: the weight may be left out (1); alternatives are separated by ~, each
"=" (100 %), "%50%" (that share) or nothing (0 %) before its answer, and "#feedback" after it. In an answer
or feedback \\}, \\#, \\~, \\/, \\" and \\\\ stand for the character itself. A numerical answer is a number,
"number:tolerance" or "*" (any other number, for its feedback). Types, with Moodle's short names:
SHORTANSWER (SA, MW), SHORTANSWER_C (SAC, MWC: case matters), NUMERICAL (NM), MULTICHOICE (MC: a drop-down
menu), MULTICHOICE_V (MCV: radio buttons down), MULTICHOICE_H (MCH: across), MULTIRESPONSE (MR: check boxes
down), MULTIRESPONSE_H (MRH: across); an _S ending (MCS, MCVS, MCHS, MRS, MRHS) shuffles the choices.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace

from flipmastery.domain.formats.gift_common import short
from flipmastery.domain.generation import GAP
from flipmastery.domain.questions import (
    Choice,
    ClozeLayout,
    ClozePart,
    NumericAnswer,
    Question,
    QuestionType,
    TextAnswer,
    TextFormat,
    Tolerance,
    percent,
)

SA, NM, SC, MR = (
    QuestionType.SHORT_TEXT,
    QuestionType.NUMERIC,
    QuestionType.SINGLE_CHOICE,
    QuestionType.MULTIPLE_RESPONSE,
)
DOWN, ACROSS, MENU = ClozeLayout.VERTICAL, ClozeLayout.HORIZONTAL, ClozeLayout.DROPDOWN


@dataclass(frozen=True)
class _Kind:
    type: QuestionType
    layout: ClozeLayout = MENU
    shuffle: bool = False
    case_sensitive: bool = False


_NAMES: list[tuple[tuple[str, ...], _Kind]] = [
    (("NUMERICAL", "NM"), _Kind(NM)),
    (("SHORTANSWER", "SA", "MW"), _Kind(SA)),
    (("SHORTANSWER_C", "SAC", "MWC"), _Kind(SA, case_sensitive=True)),
    (("MULTICHOICE", "MC"), _Kind(SC)),
    (("MULTICHOICE_V", "MCV"), _Kind(SC, DOWN)),
    (("MULTICHOICE_H", "MCH"), _Kind(SC, ACROSS)),
    (("MULTICHOICE_S", "MCS"), _Kind(SC, MENU, True)),
    (("MULTICHOICE_VS", "MCVS"), _Kind(SC, DOWN, True)),
    (("MULTICHOICE_HS", "MCHS"), _Kind(SC, ACROSS, True)),
    (("MULTIRESPONSE", "MR"), _Kind(MR, DOWN)),
    (("MULTIRESPONSE_H", "MRH"), _Kind(MR, ACROSS)),
    (("MULTIRESPONSE_S", "MRS"), _Kind(MR, DOWN, True)),
    (("MULTIRESPONSE_HS", "MRHS"), _Kind(MR, ACROSS, True)),
]
KINDS = {name: kind for names, kind in _NAMES for name in names}
_START = re.compile(r"\{(\d*):(" + "|".join(sorted(KINDS, key=len, reverse=True)) + r"):")
_NUMBER = r"-?(?:[0-9]+[.,]?[0-9]*|[.,][0-9]+)(?:[eE][-+]?[0-9]+)?"
_NUMERICAL = re.compile(rf"^({_NUMBER})(?::({_NUMBER}))?$")
_FRACTION = re.compile(r"%(-?[0-9]+(?:[.,][0-9]*)?)%")
ESCAPED = "}#~\\"  # written escaped; \\/ and \\" are read too, as Moodle does


@dataclass(frozen=True)
class _Alternative:
    fraction: float
    answer: str
    feedback: str
    marked: bool = False  # written with "=": in a multiple response, an equal share of what is left of 100 %


def read_cloze_text(text: str, fmt: TextFormat) -> tuple[str, tuple[ClozePart, ...], list[str]]:
    """The text with [[1]], [[2]] … where Moodle's {…} parts stood, the parts, and the problems found."""
    problems: list[str] = []
    if marker := GAP.search(text):
        problems.append(
            f"the text already holds {marker.group(0)}; "
            "a cloze question marks its parts with Moodle's {…} only"
        )
    out: list[str] = []
    parts: list[ClozePart] = []
    at = 0
    while (start := _START.search(text, at)) is not None:
        end = _closing(text, start.end())
        number = len(parts) + 1
        if end < 0:
            problems.append(f"part {number}, {short(text[start.start() :])!r}, has no closing }}")
            break
        out += [text[at : start.start()], f"[[{number}]]"]
        kind = KINDS[start.group(2)]
        weight = int(start.group(1) or 0) or 1  # Moodle reads a weight of 0 (or none) as 1
        alternatives = [_alternative(raw) for raw in _split(text[start.end() : end], "~")]
        parts.append(_part(kind, weight, alternatives, fmt, number, problems))
        at = end + 1
    out.append(text[at:])
    if not parts and not problems:
        problems.append(
            "the question text must include at least one embedded answer, such as {1:SHORTANSWER:=Paris}"
        )
    return "".join(out), tuple(parts), problems


def _closing(text: str, at: int) -> int:
    """Where the part that starts before `at` ends: the first } not escaped by a backslash (-1: none)."""
    while at < len(text):
        if text[at] == "\\":
            at += 2
            continue
        if text[at] == "}":
            return at
        at += 1
    return -1


def _split(text: str, separator: str) -> list[str]:
    """`text` split at each `separator` not escaped; for "#", not in an entity (&#39;) either, as Moodle."""
    pieces: list[str] = []
    start = at = 0
    while at < len(text):
        char = text[at]
        if char == "\\":
            at += 2
            continue
        if char == separator and not (separator == "#" and text[:at].endswith(("&", "&amp;"))):
            pieces.append(text[start:at])
            start = at + 1
            if separator == "#":
                break  # the feedback runs to the end of the alternative, # and all
        at += 1
    pieces.append(text[start:])
    return pieces


def _unescape(text: str) -> str:
    return re.sub(r"\\([}#~/\"\\])", r"\1", text)


def _alternative(raw: str) -> _Alternative:
    fraction, marked = 0.0, raw.startswith("=")
    if marked:
        fraction, raw = 1.0, raw[1:]
    elif match := _FRACTION.match(raw):
        fraction, raw = float(match.group(1).replace(",", ".")) / 100, raw[match.end() :]
    answer, *feedback = _split(raw, "#")
    return _Alternative(fraction, answer, _unescape(feedback[0]) if feedback else "", marked)


def _part(
    kind: _Kind,
    weight: int,
    alternatives: list[_Alternative],
    fmt: TextFormat,
    number: int,
    problems: list[str],
) -> ClozePart:
    if any(not a.answer for a in alternatives):
        problems.append(f"part {number} has an empty answer")
    plain = (lambda s: html.unescape(_unescape(s))) if fmt is TextFormat.HTML else _unescape
    if kind.type is SA:
        answers = tuple(TextAnswer(plain(a.answer).strip(), a.fraction, a.feedback) for a in alternatives)
        return ClozePart(SA, weight, answers=answers, case_sensitive=kind.case_sensitive)
    if kind.type is NM:
        numbers: list[NumericAnswer] = []
        for a in alternatives:
            written = plain(a.answer).strip()
            match = _NUMERICAL.match(written)
            if written == "*":
                numbers.append(NumericAnswer(None, fraction=a.fraction, feedback=a.feedback))
            elif match is None:
                problems.append(
                    f"part {number}: the answer must be a number, for example -1.234 or 3e8, or '*', "
                    f"not {short(written)!r}"
                )
            else:
                value, tolerance = (float(g.replace(",", ".")) if g else 0.0 for g in match.groups())
                numbers.append(
                    NumericAnswer(value, tolerance=abs(tolerance), fraction=a.fraction, feedback=a.feedback)
                )
        return ClozePart(NM, weight, numeric_answers=tuple(numbers))
    if kind.type is MR and sum(1 for a in alternatives if a.marked) > 1:
        # {1:MULTIRESPONSE:=Apple~=Orange~Burger}, as Moodle's own tests write it: the right ones share 100 %.
        given = sum(a.fraction for a in alternatives if a.fraction > 0 and not a.marked)
        share = (1 - given) / sum(1 for a in alternatives if a.marked)
        alternatives = [replace(a, fraction=share) if a.marked else a for a in alternatives]
    choices = tuple(Choice(_unescape(a.answer).strip(), a.fraction, a.feedback) for a in alternatives)
    return ClozePart(kind.type, weight, choices=choices, shuffle=kind.shuffle, layout=kind.layout)


# ---- writing ----------------------------------------------------------------------------------------------


def cloze_reasons(question: Question) -> list[str]:
    """Why Moodle's syntax cannot hold this cloze question as it is (empty when it can)."""
    from flipmastery.domain.cloze import cloze_problem  # cloze grades with grading, which reads no formats

    why: list[str] = [cloze_problem(question)] if cloze_problem(question) else []
    for number, part in enumerate(question.cloze_parts, start=1):
        if part.unit:
            why.append(f"part {number} has a unit; Moodle's numerical parts have none")
        for answer in part.numeric_answers:
            if answer.formula or (answer.tolerance and answer.tolerance_mode is Tolerance.RELATIVE):
                why.append(f"part {number}'s answers must be numbers with an absolute tolerance for Moodle")
                break
    return why


def moodle_cloze_text(question: Question) -> str:
    """The text with each [[n]] written as Moodle's {weight:TYPE:alternatives}."""
    parts = question.cloze_parts

    def written(match: re.Match[str]) -> str:
        number = int(match.group(1))
        return _written(parts[number - 1]) if 0 < number <= len(parts) else match.group(0)

    return GAP.sub(written, question.text)


def _escape(text: str) -> str:
    return "".join("\\" + char if char in ESCAPED else char for char in text)


def _fraction(fraction: float) -> str:
    return "=" if fraction == 1.0 else f"%{percent(fraction)}%"


def _written(part: ClozePart) -> str:
    alternatives: list[tuple[float, str, str]]
    if part.type is SA:
        name = "SHORTANSWER_C" if part.case_sensitive else "SHORTANSWER"
        # Moodle's own wildcard is a bare *, so a star in an answer stays as it is.
        alternatives = [
            (a.fraction, _escape(a.text).replace("\\\\*", "\\*"), a.feedback) for a in part.answers
        ]
    elif part.type is NM:
        name = "NUMERICAL"
        alternatives = [
            (
                a.fraction,
                "*"
                if a.value is None
                else f"{a.value:.15g}" + (f":{a.tolerance:.15g}" if a.tolerance else ""),
                a.feedback,
            )
            for a in part.numeric_answers
        ]
    else:
        across = part.layout is ACROSS
        if part.type is MR:
            name = "MULTIRESPONSE" + ("_H" if across else "")
            name += ("S" if across else "_S") if part.shuffle else ""
        else:
            name = "MULTICHOICE" + ("_V" if part.layout is DOWN else "_H" if across else "")
            name += ("S" if part.layout is not MENU else "_S") if part.shuffle else ""
        right = [c.fraction for c in part.choices if c.fraction > 0]
        shared = part.type is MR and len(right) > 1 and all(f == 1 / len(right) for f in right)
        alternatives = [  # equal shares are written "=" each, which reads back as exactly those shares
            (1.0 if shared and c.fraction > 0 else c.fraction, _escape(c.text), c.feedback)
            for c in part.choices
        ]
    said = "~".join(
        f"{_fraction(fraction)}{answer}" + (f"#{_escape(feedback)}" if feedback else "")
        for fraction, answer, feedback in alternatives
    )
    return f"{{{part.weight}:{name}:{said}}}"
