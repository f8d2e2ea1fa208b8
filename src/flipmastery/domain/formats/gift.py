"""Moodle GIFT banks, read with the meaning Moodle's own importer gives them and written back.

Reading follows `question/format/gift/format.php`: questions are cut at blank lines, `//` lines are
comments (`[id:…]` and `[tag:…]` in them set the key and tags), `$CATEGORY:` sets the category of the
questions after it. The first `{…}` holds the answers and decides the type, in Moodle's order:
nothing → free response; `#` → numeric; a `~` → multiple choice (single choice if any answer starts
with `=`, else multiple response); `=` and `->` → matching; T/TRUE/F/FALSE → true/false; else short text.
Text around the braces (a "missing word") becomes `_____` where the answers were.

Where Moodle would quietly import nonsense, we say what is wrong instead, with the file and line: a
second pair of braces, a title without its closing `::`, a weight outside -100%..100%, a single choice or
short answer nobody can get full marks on, multiple-response weights that do not add up to 100%, and an
ordering question (`{>…}`), a type we do not have yet.
"""

from __future__ import annotations

import re
from dataclasses import replace

from flipmastery.domain.errors import Invalid, Location, Problem
from flipmastery.domain.formats.bank import BankEntry
from flipmastery.domain.formats.gift_common import (
    MAX_ANSWERS,
    MAX_QUESTIONS,
    capped,
    number,
    short,
    text_of,
    too_many,
)
from flipmastery.domain.formats.gift_lexer import Block, Src, blocks, weight, with_format
from flipmastery.domain.formats.gift_writer import write
from flipmastery.domain.formats.moodle_xml import ORDER_GRADINGS
from flipmastery.domain.grading import ordering_problem
from flipmastery.domain.questions import (
    Choice,
    MatchPair,
    NumericAnswer,
    OrderGrading,
    Question,
    QuestionType,
    TextAnswer,
    TextFormat,
    true_false_choices,
    weights_problem,
)

__all__ = ["read", "write"]

TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
BLANK = "_____"


def read(text: str | bytes, file: str) -> list[BankEntry]:
    """Every question of a GIFT file, or Invalid listing every problem with its file and line."""
    source = text_of(text, file)
    entries: list[BankEntry] = []
    problems: list[Problem] = []
    category = ""
    for count, block in enumerate(blocks(source), start=1):
        if count > MAX_QUESTIONS:
            raise too_many(file)
        reader = _Reader(block, file)
        found = reader.read()
        problems.extend(reader.problems)
        if isinstance(found, str):
            category = found
        elif found is not None:
            entries.append(BankEntry(found, block.first_line, category))
    if problems:
        raise Invalid(capped(problems, file))
    return entries


# The words of qtype_ordering's GIFT header; any of them may be left out.
GIFT_GRADINGS = {word: mode for word, mode in ORDER_GRADINGS.items() if not word.lstrip("-").isdigit()}
ORDERING_WORDS = {
    *("ALL", "EXACT", "RANDOM", "REL", "CONTIGUOUS", "CONTIG"),
    *("HORIZONTAL", "HORI", "H", "VERTICAL", "VERT", "V"),
    *("SHOW", "TRUE", "YES", "HIDE", "FALSE", "NO"),
    *GIFT_GRADINGS,
}
NUMBERING_STYLES = {"none", "abc", "ABCD", "123", "iii", "IIII"}


class _Reader:
    """Reads one block into a question, collecting its problems instead of stopping at the first."""

    def __init__(self, block: Block, file: str) -> None:
        self.block = block
        self.file = file
        self.problems: list[Problem] = []
        self.format = TextFormat.PLAIN

    def problem(self, message: str, at: Src | None = None) -> None:
        line = self.block.line_at(at.start) if at is not None else self.block.first_line
        self.problems.append(Problem(message, Location(self.file, line)))

    def read(self) -> Question | str | None:
        src = self.block.src.strip()
        if src.mask.startswith("$CATEGORY:"):
            if "\n" in src.mask:
                self.problem("$CATEGORY: must be alone in its paragraph; put a blank line after it")
            return src.cut(len("$CATEGORY:")).text()
        title = ""
        if src.mask.startswith("::"):
            end = src.find("::", 2)
            if end < 0:
                self.problem("the title has no closing '::'; write ::Title:: and then the question")
                return None
            title = src.cut(2, end).text()
            src = src.cut(end + 2).strip()
        opening, closing = src.find("{"), src.find("}")
        if opening < 0 and closing < 0:
            text, self.format = with_format(src, TextFormat.PLAIN)
            return self.question(QuestionType.DESCRIPTION, text, title, "", points=0.0)
        if closing < 0:
            self.problem("the answers start with '{' but no '}' closes them", src.cut(opening))
            return None
        if opening < 0 or closing < opening:
            self.problem("a '}' comes before any '{'; write \\} for a brace in the text", src.cut(closing))
            return None
        extra = max(src.find("{", opening + 1), src.find("}", closing + 1))
        if extra >= 0:
            self.problem(
                "a question has one set of answers in braces; write \\{ and \\} for braces in the text",
                src.cut(extra),
            )
            return None
        answers, tail = src.cut(opening + 1, closing).strip(), src.cut(closing + 1)
        # Moodle: answers at the very end leave the text alone; text after them makes a missing word.
        text, self.format = with_format(
            src.cut(0, opening) + (BLANK if len(tail) else "") + tail, self.format
        )
        if sum(answers.mask.count(mark) for mark in "~=") > MAX_ANSWERS:
            self.problem(f"a question can have at most {MAX_ANSWERS} answers", answers)
            return None
        general = ""
        at = answers.mask.rfind("####")
        if at >= 0:
            general = self.formatted(answers.cut(at + 4))
            answers = answers.cut(0, at).strip()
        return self.typed(answers, text, title, general)

    def typed(self, answers: Src, text: str, title: str, general: str) -> Question | None:
        mask = answers.mask
        if not mask:
            return self.question(QuestionType.FREE_RESPONSE, text, title, general)
        if mask.startswith(">"):  # the ordering plugin's form, core since Moodle 4.4: {>3 ALL\nA\nB\nC}
            items, mode = self.ordering(answers.cut(1))
            question = self.question(QuestionType.ORDERING, text, title, general)
            return replace(question, items=items, order_grading=mode)
        if mask.startswith("#"):
            return self.question(QuestionType.NUMERIC, text, title, general, numeric=self.numeric(answers))
        if "~" in mask:
            kind, choices = self.choices(answers)
            return self.question(kind, text, title, general, choices=choices)
        if "=" in mask and "->" in mask:
            return self.question(QuestionType.MATCHING, text, title, general, pairs=self.pairs(answers))
        if answers.partition("#")[0].strip().mask in TRUE_FALSE:
            choices = self.true_false(answers)
            return self.question(QuestionType.TRUE_FALSE, text, title, general, choices=choices)
        return self.question(QuestionType.SHORT_TEXT, text, title, general, texts=self.short_answers(answers))

    def question(
        self,
        kind: QuestionType,
        text: str,
        title: str,
        general: str,
        *,
        points: float = 1.0,
        choices: tuple[Choice, ...] = (),
        texts: tuple[TextAnswer, ...] = (),
        numeric: tuple[NumericAnswer, ...] = (),
        pairs: tuple[MatchPair, ...] = (),
    ) -> Question:
        if not text:
            self.problem("the question has no text")
        return Question(
            type=kind,
            text=text,
            key=self.block.idnumber() or title,
            title=title,
            format=self.format,
            points=points,
            general_feedback=general,
            tags=self.block.tags(),
            choices=choices,
            answers=texts,
            numeric_answers=numeric,
            pairs=pairs,
        )

    # ---- the parts of an answer ----------------------------------------------------------------------

    def formatted(self, src: Src) -> str:
        """Feedback and answers may start with their own [format]; we keep the question's."""
        return with_format(src, self.format)[0]

    def text_and_feedback(self, src: Src) -> tuple[str, str]:
        answer, feedback = src.partition("#")
        return self.formatted(answer), self.formatted(feedback) if feedback is not None else ""

    def weighted(self, src: Src, default: float) -> tuple[float, Src]:
        fraction, percent, rest = weight(src)
        if fraction is None:
            return default, rest
        if not -1.0 <= fraction <= 1.0:
            self.problem(f"a weight must be between -100% and 100%, found %{percent}%", src)
        return fraction, rest

    def pieces(self, answers: Src, separators: str, keep: str = "") -> list[Src]:
        found = [piece.strip() for piece in answers.split(separators, keep)]
        return found[1:] if found and not found[0].mask else found

    # ---- each type -----------------------------------------------------------------------------------

    def ordering(self, body: Src) -> tuple[tuple[str, ...], OrderGrading]:
        """`{>N [ALL|RANDOM|CONTIGUOUS] [VERTICAL|HORIZONTAL] [GRADING] [SHOW|HIDE] [numbering]` and then the
        items in the right order, one a line (or the older `=A =B =C`). We show every item, vertically."""
        line_end = body.find("\n")
        first = body.cut(0, line_end if line_end >= 0 else len(body))
        mode = OrderGrading.RELATIVE_NEXT  # Moodle's default
        used = 0
        for token in re.finditer(r"\S+", first.mask):
            word = token.group(0)
            if not (word.isdigit() or word.upper() in ORDERING_WORDS or word in NUMBERING_STYLES):
                break
            mode = GIFT_GRADINGS.get(word.upper(), mode)
            used = token.end()
        rest = body.cut(used).strip()
        left = rest.mask.split("\n", 1)[0].strip()
        if "\n" in rest.mask and re.fullmatch(r"[A-Z][A-Z_]*", left):
            # A word in capitals where the options are is a mistyped option, not the first item.
            self.problem(
                f"{left!r} is not one of the ordering options (ALL, RANDOM, VERTICAL, ABSOLUTE …)", rest
            )
        separator = "=" if rest.mask.startswith("=") else "\n"
        pieces = [piece for piece in self.pieces(rest, separator) if piece.mask]
        # One item a line, each may start with the older form's "=".
        items = tuple(self.formatted(p.cut(1).strip() if p.mask.startswith("=") else p) for p in pieces)
        question = Question(QuestionType.ORDERING, "x", items=items)
        if ordering_problem(question):
            self.problem(f"{ordering_problem(question)}, e.g. {{>3 ALL\\nfirst\\nsecond\\nthird}}", body)
        return items, mode

    def choices(self, answers: Src) -> tuple[QuestionType, tuple[Choice, ...]]:
        single = "=" in answers.mask  # Moodle's rule: any '=' answer makes it a single choice
        choices: list[Choice] = []
        for piece in self.pieces(answers, "~=", keep="="):
            if piece.mask.startswith("="):
                fraction, body = 1.0, piece.cut(1)
            else:
                fraction, body = self.weighted(piece, 0.0)
            text, feedback = self.text_and_feedback(body)
            if not text:
                self.problem("an answer has no text (two '~' or '=' in a row?)", piece)
            choices.append(Choice(text, fraction, feedback))
        if len(choices) < 2:
            self.problem("a multiple-choice question needs at least two answers", answers)
        if not single and len(choices) >= 2 and weights_problem(tuple(choices)):
            self.problem(
                f"with no '=' answer this is a multiple-response question; {weights_problem(tuple(choices))}",
                answers,
            )
        kind = QuestionType.SINGLE_CHOICE if single else QuestionType.MULTIPLE_RESPONSE
        return kind, tuple(choices)

    def short_answers(self, answers: Src) -> tuple[TextAnswer, ...]:
        found: list[TextAnswer] = []
        for piece in self.pieces(answers, "="):
            fraction, body = self.weighted(piece, 1.0)
            text, feedback = self.text_and_feedback(body)
            if not text:
                self.problem("an accepted answer is empty (two '=' in a row?)", piece)
            found.append(TextAnswer(text, fraction, feedback))
        if not any(a.fraction == 1.0 for a in found):
            self.problem("a short-answer question needs an answer with full credit, e.g. {=Boyle}", answers)
        return tuple(found)

    def true_false(self, answers: Src) -> tuple[Choice, ...]:
        head, rest = answers.partition("#")
        wrong = right = ""
        if rest is not None:
            first, second = rest.partition("#")
            wrong, right = self.formatted(first), self.formatted(second) if second is not None else ""
        # GIFT gives the feedback for a wrong answer first, then for a right one; we keep it per choice.
        if TRUE_FALSE[head.strip().mask]:
            return true_false_choices(True, feedback_true=right, feedback_false=wrong)
        return true_false_choices(False, feedback_true=wrong, feedback_false=right)

    def pairs(self, answers: Src) -> tuple[MatchPair, ...]:
        found: list[MatchPair] = []
        pieces = self.pieces(answers, "=")
        for piece in pieces:
            prompt, answer = piece.partition("->")
            if answer is None:
                found_text = short(piece.text())
                self.problem(
                    f"a matching pair needs '->' between prompt and answer, found {found_text!r}", piece
                )
                continue
            if not answer.text():
                self.problem("a matching pair needs an answer after '->'", piece)
            found.append(MatchPair(self.formatted(prompt), answer.text()))
        if len(found) == len(pieces) and sum(1 for pair in found if pair.prompt) < 2:
            self.problem(
                "a matching question needs at least two pairs, e.g. {=Canada -> Ottawa =Italy -> Rome}"
            )
        return tuple(found)

    def numeric(self, answers: Src) -> tuple[NumericAnswer, ...]:
        body, wrong = answers.cut(1), None
        at = body.find("~")
        if at >= 0:  # Moodle: everything after the first '~' is feedback for any other number
            body, wrong = body.cut(0, at), body.cut(at)
        found: list[NumericAnswer] = []
        before = len(self.problems)
        for piece in self.pieces(body, "="):
            fraction, rest = self.weighted(piece, 1.0)
            written, feedback = self.text_and_feedback(rest)
            value, tolerance = self.number_and_tolerance(written, piece)
            found.append(
                NumericAnswer(value=value, tolerance=tolerance, fraction=fraction, feedback=feedback)
            )
        if not found:
            self.problem("a numeric question needs a number after '#', e.g. {#1822} or {#3.14:0.01}", answers)
            return ()
        if wrong is not None:
            found.append(NumericAnswer(value=None, fraction=0.0, feedback=self.text_and_feedback(wrong)[1]))
        if len(self.problems) == before and not any(a.fraction == 1.0 and a.value is not None for a in found):
            self.problem("a numeric question needs an answer with full credit", answers)
        return tuple(found)

    def number_and_tolerance(self, written: str, at: Src) -> tuple[float | None, float]:
        """`2`, `2:0.5` (value and tolerance) or `1.5..2.5` (a range) → value and absolute tolerance."""
        if written == "*":  # Moodle's "any other number"
            return None, 0.0
        dots, colon = written.find(".."), written.find(":")
        if dots > 0:
            low, high = number(written[:dots]), number(written[dots + 2 :])
            if low is None or high is None:
                self.problem(f"a numeric range needs two numbers, as in 1..5; found {short(written)!r}", at)
                return None, 0.0
            if low > high:
                self.problem(f"the range {written} goes down; write the smaller number first", at)
            middle = low / 2 + high / 2  # (low + high) / 2 overflows near the largest float
            return middle, high / 2 - low / 2
        value_text, tolerance_text = (written[:colon], written[colon + 1 :]) if colon > 0 else (written, "0")
        value, tolerance = number(value_text), number(tolerance_text)
        if value is None:
            self.problem(f"a numeric answer needs a number after '#', found {short(value_text)!r}", at)
        if tolerance is None or tolerance < 0:
            self.problem(f"a tolerance must be a number of 0 or more, found {short(tolerance_text)!r}", at)
        return value, tolerance if tolerance is not None else 0.0
