"""Reading a native YAML bank (format in yaml_bank) into questions, or Invalid with every problem's line."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

from flipmastery.domain.errors import Invalid, Location, Problem
from flipmastery.domain.formats import yamlsource
from flipmastery.domain.formats.bank import BankEntry, no_questions
from flipmastery.domain.formats.yaml_bank_base import Reader, kind
from flipmastery.domain.formats.yaml_bank_calc import calculated_fields, numeric_fields
from flipmastery.domain.formats.yaml_bank_cloze import cloze_fields
from flipmastery.domain.formats.yaml_bank_gaps import gaps_fields
from flipmastery.domain.formats.yamlsource import Mapping, Sequence
from flipmastery.domain.questions import (
    Choice,
    MatchPair,
    OrderGrading,
    Question,
    QuestionType,
    TextAnswer,
    TextFormat,
    Variable,
    true_false_choices,
    weights_problem,
)

TOP_KEYS = {"questions", "category"}
COMMON_KEYS = {"id", "type", "title", "text", "feedback", "tags", "points", "format"}
TYPE_KEYS: dict[QuestionType, set[str]] = {
    QuestionType.SINGLE_CHOICE: {"choices", "shuffle"},
    QuestionType.MULTIPLE_RESPONSE: {"choices", "shuffle"},
    QuestionType.TRUE_FALSE: {"answer", "feedback_true", "feedback_false"},
    QuestionType.SHORT_TEXT: {"answers", "answer", "case_sensitive"},
    QuestionType.NUMERIC: {"answer", "answers", "unit", "unit_penalty", "decimals"},
    QuestionType.CALCULATED: {
        *("answer", "answers", "unit", "unit_penalty", "decimals"),
        *("variables", "derived", "group"),
    },
    QuestionType.MATCHING: {"pairs", "distractors"},
    QuestionType.ORDERING: {"items", "grading"},
    QuestionType.GAPS: {"choices", "shuffle"},
    QuestionType.CLOZE: {"parts"},
    QuestionType.FREE_RESPONSE: {"rubric"},
    QuestionType.DESCRIPTION: set(),
}
ALL_KEYS = COMMON_KEYS.union(*TYPE_KEYS.values())
TYPE_HINTS = {
    "multiple_choice": "single_choice (one right answer) or multiple_response (several)",
    "multichoice": "single_choice (one right answer) or multiple_response (several)",
    "mcq": "single_choice (one right answer) or multiple_response (several)",
    "essay": "free_response",
    "tf": "true_false",
    "truefalse": "true_false",
    "shortanswer": "short_text",
    "short_answer": "short_text",
    "numerical": "numeric",
    "calculation": "calculated",
}
CHOICE_KEYS = {"text", "correct", "fraction", "feedback"}
TEXT_ANSWER_KEYS = {"text", "fraction", "feedback"}
FULL = 1 - 1e-9


def read_questions(text: str, file: str) -> list[BankEntry]:
    data = _load(text, file)
    reader = Reader(file)
    category = ""
    items: Sequence | None = None
    if data is None:  # nothing but comments: say so, as for the other formats
        raise Invalid([no_questions(file)])
    if isinstance(data, Sequence):
        items = data
    elif isinstance(data, Mapping):
        reader.unknown(data, TOP_KEYS, "the file")
        category = reader.text(data, "category", "the file")
        if "questions" not in data:
            reader.problem("the file needs a 'questions:' list", data.line)
        else:
            items = reader.sequence(data["questions"], "'questions'", data.line_of("questions"))
    else:
        raise Invalid(
            [Problem("a question bank must be a mapping with a 'questions:' list", Location(file, 1))]
        )
    entries: list[BankEntry] = []
    ids: dict[str, int] = {}
    groups: dict[str, dict[str, tuple[Variable, int]]] = {}
    for i, raw in enumerate(items or ()):
        line = items.line_at(i) if items is not None else 1
        question = _question(reader, raw, line)
        if question is None:
            continue
        if question.key:
            if question.key in ids:
                reader.problem(
                    f"id '{question.key}' is already used by the question at line {ids[question.key]}", line
                )
            ids.setdefault(question.key, line)
        if question.group:
            _same_group_variables(reader, question, groups.setdefault(question.group, {}), line)
        entries.append(BankEntry(question, line, category))
    if reader.problems:
        raise Invalid(reader.problems)
    return entries


def _load(text: str, file: str) -> Any:
    try:
        return yamlsource.load(text, file)
    except Invalid:
        raise
    except RecursionError:
        raise Invalid(
            [Problem("YAML error: lists or mappings are nested too deeply", Location(file))]
        ) from None
    except Exception as err:  # PyYAML's constructors raise ValueError, KeyError … for values like !!int x
        what = str(err)[:80]
        raise Invalid([Problem(f"YAML error: a value cannot be read ({what})", Location(file))]) from None


def _same_group_variables(
    reader: Reader, question: Question, declared: dict[str, tuple[Variable, int]], line: int
) -> None:
    for variable in question.variables:
        first = declared.setdefault(variable.name, (variable, line))
        if first[0] != variable:
            reader.problem(
                f"variable {variable.name} of group '{question.group}' is declared differently at line "
                f"{first[1]}; items of one group share their values, so declare it the same way",
                line,
            )


def _question(reader: Reader, raw: Any, line: int) -> Question | None:
    node = reader.mapping(raw, "each question", line)
    if node is None:
        return None
    key = reader.text(node, "id", "a question")
    what = f"question '{key}'" if key else "the question"
    qtype = _type(reader, node, what)
    allowed = COMMON_KEYS | (TYPE_KEYS[qtype] if qtype else ALL_KEYS)
    for name in node:
        if name in ALL_KEYS and name not in allowed and qtype is not None:
            reader.problem(
                f"'{name}' does not apply to a {qtype.value} question ({what})", node.line_of(name)
            )
        elif name not in ALL_KEYS:
            close = difflib.get_close_matches(name, sorted(allowed), n=1)
            hint = (
                f" (did you mean '{close[0]}'?)" if close else f"; known keys: {', '.join(sorted(allowed))}"
            )
            reader.problem(f"unknown key '{name}' in {what}{hint}", node.line_of(name))
    text = reader.text(node, "text", what, required=True)
    feedback = reader.text(node, "feedback", what)
    common: dict[str, Any] = {
        "text": text,
        "key": key,
        "title": reader.text(node, "title", what),
        "format": _format(reader, node, what),
        "points": _default(reader.number(node, "points", what, low=0, above=True), 1.0),
        "general_feedback": feedback,
        "tags": _tags(reader, node, what),
    }
    if qtype is None:
        return None
    if qtype is QuestionType.CALCULATED:
        fields = calculated_fields(reader, node, what, (text, feedback))
    else:
        fields = FIELD_READERS[qtype](reader, node, what)
    return Question(type=qtype, **common, **fields)


def _type(reader: Reader, node: Mapping, what: str) -> QuestionType | None:
    raw = reader.text(node, "type", what, required=True)
    if not raw:
        return None
    name = raw.lower().replace("-", "_").replace(" ", "_")
    if name in {t.value for t in QuestionType}:
        return QuestionType(name)
    names = [t.value for t in QuestionType]
    close = difflib.get_close_matches(name, names, n=1)
    hint = TYPE_HINTS.get(name) or (close[0] if close else "")
    said = f"; did you mean {hint}?" if hint else ""
    reader.problem(f"type '{raw}' of {what} must be one of {', '.join(names)}{said}", node.line_of("type"))
    return None


def _format(reader: Reader, node: Mapping, what: str) -> TextFormat:
    raw = reader.text(node, "format", what).lower()
    if raw and raw not in {f.value for f in TextFormat}:
        reader.problem(f"format '{raw}' of {what} must be markdown, html or plain", node.line_of("format"))
    return TextFormat(raw) if raw in {f.value for f in TextFormat} else TextFormat.MARKDOWN


def _tags(reader: Reader, node: Mapping, what: str) -> tuple[str, ...]:
    raw = node.get("tags")
    if raw is None:
        return ()
    if isinstance(raw, str):
        return tuple(t.strip() for t in raw.split(",") if t.strip())
    items = reader.sequence(raw, f"'tags' of {what}", node.line_of("tags")) or Sequence()
    tags = (reader.scalar(t, f"a tag of {what}", items.line_at(i)) for i, t in enumerate(items))
    return tuple(t for t in tags if t)


def _default(value: float | None, default: float) -> float:
    return default if value is None else value


def _items(reader: Reader, node: Mapping, key: str, what: str, *, required: bool) -> Sequence:
    if node.get(key) is None:
        if required:
            reader.problem(f"{what} needs '{key}'", node.line)
        return Sequence()
    return reader.sequence(node[key], f"'{key}' of {what}", node.line_of(key)) or Sequence()


# ---- single choice and multiple response ------------------------------------------------------------


def _single_choice_fields(reader: Reader, node: Mapping, what: str) -> dict[str, Any]:
    return _choice_fields(reader, node, what, multiple=False)


def _multiple_response_fields(reader: Reader, node: Mapping, what: str) -> dict[str, Any]:
    return _choice_fields(reader, node, what, multiple=True)


def _choice_fields(reader: Reader, node: Mapping, what: str, *, multiple: bool) -> dict[str, Any]:
    items = _items(reader, node, "choices", what, required=True)
    read = [_choice(reader, raw, items.line_at(i), what) for i, raw in enumerate(items)]
    parts = [part for part in read if part is not None]
    given = sum(f for _, f, _, _ in parts if f is not None and f > 0)
    marked = sum(1 for _, f, correct, _ in parts if correct and f is None)
    share = 1.0 if not multiple else (1.0 - given) / marked if marked else 0.0
    if multiple and marked and share <= 0:
        reader.problem(
            f"the choices of {what} marked 'correct: true' share what the given fractions leave of 1, "
            f"but they already sum to {given:g}",
            node.line_of("choices"),
        )
    choices = tuple(
        Choice(text, fraction if fraction is not None else share if correct else 0.0, feedback)
        for text, fraction, correct, feedback in parts
    )
    if len(choices) == len(items):
        _check_choices(reader, choices, node, what, multiple)
    seen: dict[str, int] = {}
    for i, part in enumerate(read):
        if part is not None and part[0] in seen:
            reader.problem(f"choice '{part[0]}' of {what} appears twice", items.line_at(i))
        if part is not None:
            seen.setdefault(part[0], i)
    return {"choices": choices, "shuffle": reader.flag(node, "shuffle", what, True)}


def _choice(reader: Reader, raw: Any, line: int, what: str) -> tuple[str, float | None, bool, str] | None:
    if not isinstance(raw, Mapping):
        text = reader.scalar(raw, f"a choice of {what}", line)
        if text == "":
            reader.problem(f"a choice of {what} is empty", line)
        return None if not text else (text, None, False, "")
    reader.unknown(raw, CHOICE_KEYS, f"a choice of {what}")
    text = reader.text(raw, "text", f"a choice of {what}", required=True)
    correct = reader.flag(raw, "correct", f"a choice of {what}", False)
    fraction = reader.number(raw, "fraction", f"choice '{text}'", low=-1, high=1, percent=True)
    if "correct" in raw and "fraction" in raw:
        reader.problem(f"choice '{text}' of {what} has both 'correct' and 'fraction'; keep one", raw.line)
    feedback = reader.text(raw, "feedback", f"choice '{text}'")
    return (text, fraction, correct, feedback) if text else None


def _check_choices(
    reader: Reader, choices: tuple[Choice, ...], node: Mapping, what: str, multiple: bool
) -> None:
    line = node.line_of("choices")
    if len(choices) < 2:
        reader.problem(f"{what} needs at least two choices", line)
        return
    positive = [c.fraction for c in choices if c.fraction > 0]
    if not positive:
        reader.problem(f"{what} has no right answer: mark one choice 'correct: true'", line)
    elif multiple and weights_problem(choices):
        reader.problem(
            f"the positive fractions of the choices of {what} sum to {sum(positive):.6g}, not 1", line
        )
    elif not multiple and sum(1 for f in positive if f >= FULL) > 1:
        reader.problem(
            f"{what} has {sum(1 for f in positive if f >= FULL)} fully right choices; a single choice has "
            "one (use type: multiple_response when several are right)",
            line,
        )


# ---- true/false, short text, matching, free response --------------------------------------------------


def _true_false_fields(reader: Reader, node: Mapping, what: str) -> dict[str, Any]:
    answer = node.get("answer")
    if not isinstance(answer, bool):
        reader.problem(
            f"{what} needs 'answer: true' or 'answer: false', not {kind(answer)}", node.line_of("answer")
        )
    return {
        "choices": true_false_choices(
            answer is True,
            reader.text(node, "feedback_true", what),
            reader.text(node, "feedback_false", what),
        )
    }


def _short_text_fields(reader: Reader, node: Mapping, what: str) -> dict[str, Any]:
    if "answer" in node and "answers" in node:
        reader.problem(f"{what} has both 'answer' and 'answers'; keep one", node.line_of("answer"))
    if "answer" in node and node["answer"] is not None:
        items = Sequence([node["answer"]])
        items.line, items.item_lines = node.line_of("answer"), [node.line_of("answer")]
    else:
        items = _items(reader, node, "answers", what, required=True)
    answers: list[TextAnswer] = []
    for i, raw in enumerate(items):
        line = items.line_at(i)
        if isinstance(raw, Mapping):
            reader.unknown(raw, TEXT_ANSWER_KEYS, f"an answer of {what}")
            text = reader.text(raw, "text", f"an answer of {what}", required=True)
            fraction = reader.number(raw, "fraction", f"answer '{text}'", low=0, high=1, percent=True)
            feedback = reader.text(raw, "feedback", f"answer '{text}'")
            answers.append(TextAnswer(text, _default(fraction, 1.0), feedback))
        elif (plain := reader.scalar(raw, f"an answer of {what}", line)) is not None:
            if not plain:
                reader.problem(f"an answer of {what} is empty", line)
            answers.append(TextAnswer(plain))
    if items and len(answers) == len(items) and not any(a.fraction >= FULL for a in answers):
        reader.problem(f"{what} needs an answer with full credit (fraction 1)", items.line)
    return {"answers": tuple(answers), "case_sensitive": reader.flag(node, "case_sensitive", what, False)}


def _matching_fields(reader: Reader, node: Mapping, what: str) -> dict[str, Any]:
    items = _items(reader, node, "pairs", what, required=True)
    pairs: list[MatchPair] = []
    prompts: dict[str, int] = {}
    for i, raw in enumerate(items):
        pair = reader.mapping(raw, f"a pair of {what}", items.line_at(i))
        if pair is None:
            continue
        reader.unknown(pair, {"prompt", "answer"}, f"a pair of {what}")
        prompt = reader.text(pair, "prompt", f"a pair of {what}", required=True)
        answer = reader.text(pair, "answer", f"a pair of {what}", required=True)
        if prompt in prompts:
            reader.problem(f"prompt '{prompt}' of {what} appears twice", pair.line)
        prompts.setdefault(prompt, i)
        pairs.append(MatchPair(prompt, answer))
    if "pairs" in node and len(items) < 2:
        reader.problem(f"{what} needs at least two pairs", node.line_of("pairs"))
    extra = _items(reader, node, "distractors", what, required=False)
    for i, raw in enumerate(extra):
        text = reader.scalar(raw, f"a distractor of {what}", extra.line_at(i))
        if text == "":
            reader.problem(f"a distractor of {what} is empty", extra.line_at(i))
        if text:
            pairs.append(MatchPair("", text))
    return {"pairs": tuple(pairs)}


def _ordering_fields(reader: Reader, node: Mapping, what: str) -> dict[str, Any]:
    items = _items(reader, node, "items", what, required=True)
    texts: list[str] = []
    for i, raw in enumerate(items):
        text = reader.scalar(raw, f"an item of {what}", items.line_at(i))
        if text == "":
            reader.problem(f"an item of {what} is empty", items.line_at(i))
        elif text is not None:
            if text in texts:
                reader.problem(f"item '{text}' of {what} appears twice", items.line_at(i))
            texts.append(text)
    if "items" in node and len(items) < 2:
        reader.problem(f"{what} needs at least two items, in the right order", node.line_of("items"))
    mode = node.get("grading", OrderGrading.ALL_OR_NOTHING.value)
    modes = [m.value for m in OrderGrading]
    if mode not in modes:
        reader.problem(f"'grading' of {what} must be one of {', '.join(modes)}", node.line_of("grading"))
        mode = OrderGrading.ALL_OR_NOTHING.value
    return {"items": tuple(texts), "order_grading": OrderGrading(mode)}


def _free_response_fields(reader: Reader, node: Mapping, what: str) -> dict[str, Any]:
    return {"rubric": reader.text(node, "rubric", what)}


def _no_fields(reader: Reader, node: Mapping, what: str) -> dict[str, Any]:
    return {}


FIELD_READERS: dict[QuestionType, Callable[[Reader, Mapping, str], dict[str, Any]]] = {
    QuestionType.SINGLE_CHOICE: _single_choice_fields,
    QuestionType.MULTIPLE_RESPONSE: _multiple_response_fields,
    QuestionType.TRUE_FALSE: _true_false_fields,
    QuestionType.SHORT_TEXT: _short_text_fields,
    QuestionType.NUMERIC: numeric_fields,
    QuestionType.MATCHING: _matching_fields,
    QuestionType.ORDERING: _ordering_fields,
    QuestionType.GAPS: gaps_fields,
    QuestionType.CLOZE: cloze_fields,
    QuestionType.FREE_RESPONSE: _free_response_fields,
    QuestionType.DESCRIPTION: _no_fields,
}
