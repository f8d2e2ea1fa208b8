"""Moodle XML banks, read with the meaning of Moodle's `question/format/xml/format.php`, and written back.

Every type Moodle exports that we have is read: multichoice (single and multiple), truefalse,
shortanswer, ordering (qtype_ordering, core since Moodle 4.4; every item is shown, whatever its
selecttype), gapselect and ddwtos (as gaps, see moodle_xml_gaps), cloze (embedded answers, see
moodle_xml_cloze), numerical (the unit with multiplier 1
is the question's unit), calculated and calculatedsimple (each dataset's minimum, maximum and decimals
become a variable drawn afresh every attempt; shared datasets put the question in a group named after
its category), matching, essay (the grader information is the rubric) and description. Embedded files
are not imported; the text keeps its @@PLUGINFILE@@ references. Moodle's types we have none for yet
(drag-and-drop onto images …) are refused by their Moodle names; types of plugins are refused as
unknown.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import InvalidOperation

from flipmastery.domain.errors import Invalid, Location, Problem
from flipmastery.domain.formats.bank import BankEntry
from flipmastery.domain.formats.gift_common import (
    MAX_ANSWERS,
    MAX_QUESTIONS,
    capped,
    fraction_of_percent,
    number,
    short,
    too_many,
)
from flipmastery.domain.formats.moodle_formula import from_moodle
from flipmastery.domain.formats.moodle_xml_cloze import read_cloze
from flipmastery.domain.formats.moodle_xml_gaps import read_gaps
from flipmastery.domain.formats.moodle_xml_tree import Node, parse
from flipmastery.domain.formats.moodle_xml_writer import FORMAT_NAMES, write
from flipmastery.domain.formula import FormulaError
from flipmastery.domain.formula import parse as parse_formula
from flipmastery.domain.generation import MAX_DECIMALS, variable_problems
from flipmastery.domain.grading import ordering_problem
from flipmastery.domain.questions import (
    FALSE,
    TRUE,
    Choice,
    MatchPair,
    NumericAnswer,
    OrderGrading,
    Question,
    QuestionType,
    TextAnswer,
    TextFormat,
    Tolerance,
    Variable,
    true_false_choices,
    weights_problem,
)

__all__ = ["read", "write"]

FORMATS = {name: fmt for fmt, name in FORMAT_NAMES.items()} | {
    "plain_text": TextFormat.PLAIN,
    "wiki_like": TextFormat.PLAIN,
}
TOLERANCE_TYPES = {"1": Tolerance.RELATIVE, "2": Tolerance.ABSOLUTE, "3": Tolerance.RELATIVE}  # 3: geometric
# qtype_ordering's grading types by name and number. Its finer relative modes are read as the nearest of
# ours: "next, including last", "previous and next" and "relative to correct" as relative_next; the
# contiguous subset as the ordered subset. Moodle's default is relative_next.
ORDER_GRADINGS = {
    **dict.fromkeys(("ALL_OR_NOTHING", "-1"), OrderGrading.ALL_OR_NOTHING),
    **dict.fromkeys(("ABSOLUTE_POSITION", "ABSOLUTE", "ABS", "0"), OrderGrading.ABSOLUTE_POSITION),
    **dict.fromkeys(
        (
            *("RELATIVE_NEXT_EXCLUDE_LAST", "RELATIVE_NEXT_INCLUDE_LAST", "RELATIVE_ONE_PREVIOUS_AND_NEXT"),
            *("RELATIVE_ALL_PREVIOUS_AND_NEXT", "RELATIVE_TO_CORRECT", "RELATIVE", "REL"),
            *("1", "2", "3", "4", "7"),
        ),
        OrderGrading.RELATIVE_NEXT,
    ),
    **dict.fromkeys(
        ("LONGEST_ORDERED_SUBSET", "LONGEST_CONTIGUOUS_SUBSET", "5", "6"), OrderGrading.LONGEST_SUBSET
    ),
}
# Moodle's own types that we have no type for yet, by the names teachers see.
NOT_READ = {
    "ddimageortext": "drag-and-drop-onto-image (ddimageortext)",
    "ddmarker": "drag-and-drop-markers (ddmarker)",
    "randomsamatch": "random short-answer matching (randomsamatch)",
    "calculatedmulti": "calculated multichoice (calculatedmulti)",
}


def read(text: str | bytes, file: str) -> list[BankEntry]:
    """Every question of a Moodle XML file, or Invalid listing every problem with its file and line."""
    root = parse(text, file)
    if root.tag not in ("quiz", "question"):
        raise Invalid(
            [Problem(f"a Moodle XML bank starts with <quiz>, not <{root.tag}>", Location(file, root.line))]
        )
    # A file of one <question> alone is how Moodle's own tests keep a question; it reads as a bank of one.
    nodes = [root] if root.tag == "question" else root.all("question")
    entries: list[BankEntry] = []
    problems: list[Problem] = []
    category = ""
    if len(nodes) > MAX_QUESTIONS:
        raise too_many(file)
    for node in nodes:
        kind = node.attrs.get("type", "")
        if kind == "random":
            continue  # a quiz's "pick one at random" slot, not a question; Moodle exports them too
        if kind == "category":
            category = node.text("category", "text") or node.text("category")
            continue
        reader = _Reader(node, file, category)
        question = reader.read(kind)
        problems.extend(reader.problems)
        if question is not None:
            entries.append(BankEntry(question, node.line, category))
    if problems:
        raise Invalid(capped(problems, file))
    return entries


def _single(value: str) -> bool:
    """Moodle's trans_single: "false", "0" and nothing are false, anything else true."""
    return value not in ("false", "0", "")


class _Reader:
    """Reads one <question> element, collecting its problems instead of stopping at the first."""

    def __init__(self, node: Node, file: str, category: str) -> None:
        self.node = node
        self.file = file
        self.category = category
        self.problems: list[Problem] = []

    def problem(self, message: str, at: Node | None = None) -> None:
        node = at or self.node
        self.problems.append(Problem(message, Location(self.file, node.line)))

    def read(self, kind: str) -> Question | None:
        readers = {
            "multichoice": self.multichoice,
            "truefalse": self.true_false,
            "shortanswer": self.short_answer,
            "numerical": self.numerical,
            "calculated": self.calculated,
            "calculatedsimple": self.calculated,
            "matching": self.matching,
            "match": self.matching,
            "ordering": self.ordering,
            "gapselect": lambda: read_gaps(self, "selectoption"),
            "ddwtos": lambda: read_gaps(self, "dragbox"),
            "cloze": lambda: read_cloze(self),
            "multianswer": lambda: read_cloze(self),
            "essay": self.essay,
            "description": self.description,
        }
        if kind not in readers:
            what = (
                f"Moodle's {NOT_READ[kind]} questions cannot be imported yet"
                if kind in NOT_READ
                else f"question type {kind!r} is not a Moodle question type we know (a plugin's, perhaps)"
            )
            self.problem(f"{what}; remove this question or change its type in Moodle")
            return None
        if self.node.child("name", "text") is None:
            self.problem("the question has no <name><text>")
        if len(self.answers()) > MAX_ANSWERS or len(self.node.all("subquestion")) > MAX_ANSWERS:
            self.problem(f"a question can have at most {MAX_ANSWERS} answers")
            return None
        return readers[kind]()

    # ---- what every type has ---------------------------------------------------------------------------

    def base(self, kind: QuestionType) -> Question:
        node = self.node
        title = node.text("name", "text")
        text = node.text("questiontext", "text")
        if not text:
            self.problem("the question has no text")
        tags = tuple(t for t in (tag.text("text") for tag in (node.child("tags") or node).all("tag")) if t)
        return Question(
            kind,
            text,
            key=node.text("idnumber") or title,
            title=title,
            format=self.text_format(node.child("questiontext")),
            points=self.number(node.child("defaultgrade"), 1.0, "the default grade"),
            general_feedback=node.text("generalfeedback", "text"),
            tags=tags,
        )

    def text_format(self, node: Node | None) -> TextFormat:
        # Moodle assumes HTML for a missing or unknown format.
        return FORMATS.get(node.attrs.get("format", "html"), TextFormat.HTML) if node else TextFormat.HTML

    def number(self, node: Node | None, default: float, what: str) -> float:
        if node is None or not node.text():
            return default
        value = number(node.text())
        if value is None:
            self.problem(f"{what} must be a number, found {short(node.text())!r}", node)
            return default
        return value

    def fraction(self, answer: Node) -> float:
        written = answer.attrs.get("fraction", "0").strip() or "0"
        try:
            fraction = fraction_of_percent(written)
        except InvalidOperation:
            fraction = float("nan")
        if not -1.0 <= fraction <= 1.0:
            self.problem(
                f"an answer's fraction must be a percent from -100 to 100, found {short(written)!r}", answer
            )
            return 0.0
        return fraction

    def answers(self) -> list[Node]:
        return self.node.all("answer")

    def filled(self) -> list[Node]:
        """The answers with text: Moodle skips an empty one when it saves the question, so do we."""
        return [a for a in self.answers() if a.text("text")]

    # ---- each type -------------------------------------------------------------------------------------

    def multichoice(self) -> Question:
        single = _single(self.node.text("single", default="true"))
        before = len(self.problems)
        choices = tuple(
            Choice(a.text("text"), self.fraction(a), a.text("feedback", "text")) for a in self.filled()
        )
        if len(choices) < 2:
            self.problem("a multiple-choice question needs at least two answers")
        if len(self.problems) == before:  # else the weights were already found wrong
            self.check_weights(choices, single)
        kind = QuestionType.SINGLE_CHOICE if single else QuestionType.MULTIPLE_RESPONSE
        shuffle = _single(self.node.text("shuffleanswers", default="false"))
        return replace(self.base(kind), choices=choices, shuffle=shuffle)

    def check_weights(self, choices: tuple[Choice, ...], single: bool) -> None:
        if single and max(c.fraction for c in choices) != 1.0:
            self.problem("a single-choice question needs an answer with fraction 100")
        elif not single and weights_problem(choices):
            # Moodle checks the total to two places, so 99.67 passes there and then never grades 100 %.
            self.problem(weights_problem(choices))

    def true_false(self) -> Question:
        answer, feedback = None, {TRUE: "", FALSE: ""}
        for index, node in enumerate(self.answers()[:2]):
            written = node.text("text")
            # Old exports have the words in the teacher's language; Moodle then takes true first.
            side = written if written in (TRUE, FALSE) else (TRUE if index == 0 else FALSE)
            feedback[side] = node.text("feedback", "text")
            if self.fraction(node) == 1.0:
                answer = side == TRUE
        if len(self.answers()) != 2 or answer is None:
            self.problem("a true/false question needs two answers, 'true' and 'false', one with fraction 100")
        choices = true_false_choices(
            bool(answer), feedback_true=feedback[TRUE], feedback_false=feedback[FALSE]
        )
        return replace(self.base(QuestionType.TRUE_FALSE), choices=choices)

    def short_answer(self) -> Question:
        before = len(self.problems)
        answers = tuple(
            TextAnswer(a.text("text"), self.fraction(a), a.text("feedback", "text")) for a in self.filled()
        )
        if len(self.problems) == before and not any(a.fraction == 1.0 for a in answers):
            self.problem("a short-answer question needs an answer with fraction 100")
        case = _single(self.node.text("usecase", default="0"))
        return replace(self.base(QuestionType.SHORT_TEXT), answers=answers, case_sensitive=case)

    def numerical(self) -> Question:
        found: list[NumericAnswer] = []
        before = len(self.problems)
        for node in self.filled():
            written = node.text("text")
            value = None if written == "*" else number(written)
            if value is None and written != "*":
                self.problem(f"a numerical answer must be a number or *, found {short(written)!r}", node)
            tolerance = self.number(node.child("tolerance"), 0.0, "a tolerance")
            if tolerance < 0:
                self.problem("a tolerance cannot be negative", node)
            found.append(
                NumericAnswer(
                    value, "", tolerance, Tolerance.ABSOLUTE, self.fraction(node), self.feedback(node)
                )
            )
        if len(self.problems) == before and not any(a.fraction == 1.0 and a.value is not None for a in found):
            self.problem("a numerical question needs an answer with fraction 100")
        unit, penalty = self.units()
        question = self.base(QuestionType.NUMERIC)
        shown = self.node.text("flipmastery_decimals")  # our own export's display decimals
        decimals = int(shown) if shown.isdigit() and int(shown) <= MAX_DECIMALS else None
        return replace(
            question, numeric_answers=tuple(found), unit=unit, unit_penalty=penalty, answer_decimals=decimals
        )

    def feedback(self, answer: Node) -> str:
        return answer.text("feedback", "text")

    def units(self) -> tuple[str, float]:
        """The unit the answers are in and the share lost for a wrong one; ("", 1.0) without units."""
        units = [(u.text("unit_name"), u) for u in (self.node.child("units") or self.node).all("unit")]
        if not units or self.node.text("showunits") == "3":  # 3: Moodle's "units are not used"
            return "", 1.0
        base = [name for name, u in units if self.number(u.child("multiplier"), 1.0, "a multiplier") == 1.0]
        if not base or not base[0]:
            self.problem("one of the units needs multiplier 1: the unit the answers are in")
            return "", 1.0
        graded = self.node.text("unitgradingtype", default="0") not in ("0", "")
        penalty = self.number(self.node.child("unitpenalty"), 0.1, "the unit penalty") if graded else 0.0
        if not 0.0 <= penalty <= 1.0:
            self.problem(
                f"the unit penalty must be between 0 and 1, found {penalty:g}", self.node.child("unitpenalty")
            )
        return base[0], penalty

    def calculated(self) -> Question:
        variables, shared = self.datasets()
        names = {v.name for v in variables}
        found: list[NumericAnswer] = []
        decimals: list[tuple[float, int | None]] = []
        before = len(self.problems)
        for node in self.answers():
            formula = node.text("text") or "*"
            if formula != "*":
                self.check_formula(formula, names, node)
            mode = TOLERANCE_TYPES.get(node.text("tolerancetype", default="1"))
            if mode is None:
                self.problem("tolerancetype must be 1 (relative), 2 (nominal) or 3 (geometric)", node)
            tolerance = self.number(node.child("tolerance"), 0.01, "a tolerance")
            fraction = self.fraction(node)
            found.append(
                NumericAnswer(
                    None,
                    "" if formula == "*" else from_moodle(formula),
                    abs(tolerance),
                    mode or Tolerance.RELATIVE,
                    fraction,
                    self.feedback(node),
                )
            )
            length = self.number(node.child("correctanswerlength"), 2, "correctanswerlength")
            if not 0 <= length <= MAX_DECIMALS:
                self.problem(f"correctanswerlength must be from 0 to {MAX_DECIMALS}, found {length:g}", node)
                length = 2
            # Format 1 counts decimals; 2 counts significant figures, which we do not show that way.
            decimals.append(
                (fraction, int(length) if node.text("correctanswerformat", default="1") == "1" else None)
            )
        if len(self.problems) == before and not any(a.fraction == 1.0 for a in found):
            self.problem("a calculated question needs an answer with fraction 100")
        best = max(decimals, key=lambda d: d[0])[1] if decimals else None
        unit, penalty = self.units()
        return replace(
            self.base(QuestionType.CALCULATED),
            numeric_answers=tuple(found),
            variables=tuple(variables),
            group=(self.category or "shared") if shared else "",
            answer_decimals=best,
            unit=unit,
            unit_penalty=penalty,
        )

    def check_formula(self, formula: str, names: set[str], at: Node) -> None:
        try:
            used = parse_formula(formula).names
        except FormulaError as err:
            self.problem(f"the answer formula {short(formula)!r} cannot be read: {err}", at)
            return
        for name in sorted(used - names):
            self.problem(f"the answer formula uses {{{name}}}, which has no dataset definition", at)

    def datasets(self) -> tuple[list[Variable], bool]:
        variables: list[Variable] = []
        shared = False
        for node in (self.node.child("dataset_definitions") or self.node).all("dataset_definition"):
            name = node.text("name", "text")
            shared = shared or node.text("status", "text") == "shared"
            low, high = number(node.text("minimum", "text")), number(node.text("maximum", "text"))
            places = number(node.text("decimals", "text") or "0")
            items = (node.child("dataset_items") or node).all("dataset_item")
            values = tuple(v for v in (number(i.text("value")) for i in items) if v is not None)
            if not name.isidentifier() or not name.isascii():
                self.problem(f"a dataset name must be a plain name like a or v1, found {short(name)!r}", node)
            if places is not None and not 0 <= places <= MAX_DECIMALS:
                self.problem(
                    f"the dataset {name} needs decimals from 0 to {MAX_DECIMALS}, found {places:g}", node
                )
                variables.append(Variable(name))  # known, so its formulas are not reported as well
                continue
            draw = node.text("flipmastery_draw").split()
            if draw == ["list"] and values:  # our own export: the items are the whole list
                variable = Variable(name, values=values)
            elif draw[:1] == ["step"] and len(draw) == 2 and number(draw[1]) and low is not None:
                variable = Variable(name, minimum=low, maximum=high, step=number(draw[1]))
            elif low is not None and high is not None and places is not None and places == int(places):
                variable = Variable(name, minimum=low, maximum=high, decimals=int(places))
            elif values:  # no usable range: the items Moodle would have drawn from are all we have
                variable = Variable(name, values=values)
            else:
                self.problem(f"the dataset {name} needs a numeric minimum, maximum and decimals", node)
                continue
            for problem in variable_problems(variable):
                self.problem(f"the dataset {name} {problem}", node)
            variables.append(variable)
        return variables, shared

    def matching(self) -> Question:
        pairs = tuple(
            MatchPair(sub.text("text"), sub.text("answer", "text")) for sub in self.node.all("subquestion")
        )
        if sum(1 for p in pairs if p.prompt) < 2:
            self.problem("a matching question needs at least two subquestions with text")
        if any(not p.answer for p in pairs):
            self.problem("every subquestion of a matching question needs an answer")
        shuffle = _single(self.node.text("shuffleanswers", default="1"))
        return replace(self.base(QuestionType.MATCHING), pairs=pairs, shuffle=shuffle)

    def ordering(self) -> Question:
        # The answers' order is the right order (Moodle ignores their fractions on import, as we do).
        items = tuple(a.text("text") for a in self.answers())
        question = replace(self.base(QuestionType.ORDERING), items=items)
        grading = self.node.text("gradingtype")
        mode = ORDER_GRADINGS.get(grading.upper(), OrderGrading.RELATIVE_NEXT if not grading else None)
        if mode is None:
            self.problem(f"gradingtype {short(grading)!r} is not one of Moodle's ordering grading types")
            mode = OrderGrading.RELATIVE_NEXT
        why = ordering_problem(question)
        if why:
            self.problem(why)
        return replace(question, order_grading=mode)

    def essay(self) -> Question:
        return replace(self.base(QuestionType.FREE_RESPONSE), rubric=self.node.text("graderinfo", "text"))

    def description(self) -> Question:
        return self.base(QuestionType.DESCRIPTION)
