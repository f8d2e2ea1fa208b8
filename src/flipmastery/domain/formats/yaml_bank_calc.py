"""Numeric and calculated questions of the YAML bank: answers, tolerances, units, variables and formulas.

Formulas are only read here (by the sandboxed parser of `domain.formula`) to check their syntax and
that every name they use is declared; nothing is evaluated while a bank is read.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from typing import Any

from flipmastery.domain.formats.yaml_bank_base import Reader, as_number, kind
from flipmastery.domain.formats.yamlsource import Mapping, Sequence
from flipmastery.domain.formula import CONSTANTS, FUNCTIONS, FormulaError, parse
from flipmastery.domain.generation import MAX_DECIMALS, variable_problems
from flipmastery.domain.questions import Derived, NumericAnswer, Tolerance, Variable

FULL = 1 - 1e-9
NUMERIC_ANSWER_KEYS = {"value", "min", "max", "tolerance", "relative", "fraction", "feedback"}
CALCULATED_ANSWER_KEYS = {"formula", "value", "tolerance", "relative", "fraction", "feedback"}
VARIABLE_KEYS = {"min", "max", "step", "decimals", "values"}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_PLACEHOLDER = re.compile(r"\{=([^{}]{1,500})\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")
# `\text{kPa}`, `P_{total}`, `x^{n}` and `\frac{a}{b}` are LaTeX, not placeholders of unknown names.
_LATEX_BEFORE = re.compile(r"(?:\\[A-Za-z]+\s*|[_^}])\Z")


def numeric_fields(reader: Reader, node: Mapping, what: str) -> dict[str, Any]:
    return _number_fields(reader, node, what, calculated=False)


def calculated_fields(reader: Reader, node: Mapping, what: str, texts: tuple[str, ...]) -> dict[str, Any]:
    fields = _number_fields(reader, node, what, calculated=True)
    variables = _variables(reader, node, what)
    known = {v.name for v in variables}
    derived = _derived(reader, node, what, known)
    known |= {d.name for d in derived}
    answer_line = node.line_of("answers" if "answers" in node else "answer")
    for answer in fields["numeric_answers"]:
        if answer.formula:
            _formula(reader, answer.formula, answer_line, known, f"the answer of {what}")
    for text, key in zip(texts, ("text", "feedback"), strict=False):
        _placeholders(reader, text, node.line_of(key), known, f"the {key} of {what}")
    group = reader.text(node, "group", what)
    return {**fields, "variables": variables, "derived": derived, "group": group}


def _number_fields(reader: Reader, node: Mapping, what: str, *, calculated: bool) -> dict[str, Any]:
    if "answer" in node and "answers" in node:
        reader.problem(f"{what} has both 'answer' and 'answers'; keep one", node.line_of("answer"))
    if node.get("answer") is not None:
        items = Sequence([node["answer"]])
        items.line, items.item_lines = node.line_of("answer"), [node.line_of("answer")]
    elif node.get("answers") is not None:
        items = (
            reader.sequence(node["answers"], f"'answers' of {what}", node.line_of("answers")) or Sequence()
        )
    else:
        reader.problem(f"{what} needs an 'answer' (or 'answers')", node.line)
        items = Sequence()
    answers = [_answer(reader, raw, items.line_at(i), what, calculated) for i, raw in enumerate(items)]
    found = tuple(a for a in answers if a is not None)
    if items and len(found) == len(items) and not any(a.fraction >= FULL for a in found):
        reader.problem(f"{what} needs an answer with full credit (fraction 1)", items.line)
    unit = reader.text(node, "unit", what)
    penalty = reader.number(node, "unit_penalty", what, low=0, high=1, percent=True)
    return {
        "numeric_answers": found,
        "unit": unit,
        "unit_penalty": 1.0 if penalty is None else penalty,
        "answer_decimals": reader.whole(node, "decimals", what, 0, MAX_DECIMALS),
    }


def _answer(reader: Reader, raw: Any, line: int, what: str, calculated: bool) -> NumericAnswer | None:
    if not isinstance(raw, Mapping):
        if calculated:
            reader.problem(
                f"the answer of {what} must be a mapping like {{formula: P2, tolerance: 2%}}, "
                f"not {kind(raw)}",
                line,
            )
            return None
        number = as_number(raw)
        if number is None:
            reader.problem(f"the answer of {what} must be a number, not {kind(raw)}", line)
            return None
        return NumericAnswer(value=number[0])
    if "formula" in raw and not calculated:
        reader.problem(f"an answer of {what} has a 'formula'; formulas are for type: calculated", line)
    allowed = CALCULATED_ANSWER_KEYS if calculated else NUMERIC_ANSWER_KEYS | {"formula"}
    reader.unknown(raw, allowed, f"an answer of {what}")
    where = f"an answer of {what}"
    catch_all = not calculated and raw.get("value") == "*"  # any other number (Moodle's *), for its feedback
    value = None if catch_all else reader.number(raw, "value", where)
    tolerance = reader.number_and_percent(raw, "tolerance", where, low=0, percent=True)
    relative = reader.flag(raw, "relative", where, False)
    if tolerance is not None and tolerance[1] and raw.get("relative") is False:
        reader.problem(
            f"{where} gives the tolerance in % but says 'relative: false'", raw.line_of("relative")
        )
    size = 0.0 if tolerance is None else tolerance[0]
    mode = Tolerance.RELATIVE if relative or (tolerance is not None and tolerance[1]) else Tolerance.ABSOLUTE
    formula = ""
    if calculated:
        formula = _formula_text(reader, raw, "formula", where)
        if bool(formula) == ("value" in raw):
            reader.problem(f"{where} needs either a 'formula' or a 'value'", raw.line)
        if "tolerance" not in raw:
            reader.problem(
                f"{where} needs a tolerance, e.g. 'tolerance: 2%': nobody can type an unrounded result",
                raw.line,
            )
    elif "min" in raw or "max" in raw:
        value, size, mode = _range(reader, raw, where)
    elif "value" not in raw:
        reader.problem(f"{where} needs a 'value' (or 'min' and 'max')", raw.line)
    fraction = reader.number(raw, "fraction", where, low=0, high=1, percent=True)
    return NumericAnswer(
        value=value,
        formula=formula,
        tolerance=size,
        tolerance_mode=mode,
        fraction=1.0 if fraction is None else fraction,
        feedback=reader.text(raw, "feedback", where),
    )


def _range(reader: Reader, raw: Mapping, where: str) -> tuple[float | None, float, Tolerance]:
    low, high = reader.number(raw, "min", where), reader.number(raw, "max", where)
    if "value" in raw or "tolerance" in raw or "relative" in raw:
        reader.problem(f"{where} gives both a range (min, max) and a value or tolerance; keep one", raw.line)
    if "min" not in raw or "max" not in raw:
        reader.problem(f"{where} needs both 'min' and 'max'", raw.line)
    if low is None or high is None:
        return None, 0.0, Tolerance.ABSOLUTE
    if low > high:
        reader.problem(f"{where} has min {low:g} above max {high:g}", raw.line_of("min"))
    # Halves first: (low + high) / 2 overflows near the largest float.
    return low / 2 + high / 2, abs(high / 2 - low / 2), Tolerance.ABSOLUTE


def _formula_text(reader: Reader, node: Mapping, key: str, where: str) -> str:
    raw = node.get(key)
    if raw is None:
        return ""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return str(raw)
    return reader.scalar(raw, f"'{key}' of {where}", node.line_of(key)) or ""


# ---- variables and formulas ------------------------------------------------------------------------


def _name(reader: Reader, name: str, line: int, what: str, taken: Collection[str]) -> bool:
    if not _NAME.match(name):
        reader.problem(f"variable name '{name}' of {what} must be letters, digits and _ (e.g. P1)", line)
    elif name in FUNCTIONS or name in CONSTANTS:
        reader.problem(f"variable name '{name}' of {what} is the name of a function or constant", line)
    elif name in taken:
        reader.problem(f"'{name}' of {what} is already a variable", line)
    else:
        return True
    return False


def _variables(reader: Reader, node: Mapping, what: str) -> tuple[Variable, ...]:
    if node.get("variables") is None:
        reader.problem(f"{what} needs 'variables' (without them, use type: numeric)", node.line)
        return ()
    table = reader.mapping(node["variables"], f"'variables' of {what}", node.line_of("variables"))
    out: list[Variable] = []
    for name, spec in (table or {}).items():
        line = table.line_of(name) if table is not None else node.line
        if not _name(reader, name, line, what, ()):
            continue
        before = len(reader.problems)
        if isinstance(spec, Sequence):
            variable = Variable(name, values=_values(reader, spec, f"variable {name} of {what}"))
        elif isinstance(spec, Mapping):
            variable = _variable(reader, name, spec, f"variable {name} of {what}")
        else:
            reader.problem(
                f"variable {name} of {what} must be like {{min: 1, max: 5, decimals: 1}} or a list of "
                f"values, not {kind(spec)}",
                line,
            )
            continue
        if len(reader.problems) == before:  # read well: can its values be drawn?
            for problem in variable_problems(variable):
                reader.problem(f"variable {name} of {what} {problem}", line)
        out.append(variable)
    return tuple(out)


def _values(reader: Reader, items: Sequence, where: str) -> tuple[float, ...]:
    values: list[float] = []
    for i, raw in enumerate(items):
        number = as_number(raw)
        if number is None:
            reader.problem(f"the values of {where} must be numbers, not {kind(raw)}", items.line_at(i))
        else:
            values.append(number[0])
    if not items:
        reader.problem(f"{where} needs at least one value", items.line)
    return tuple(values)


def _variable(reader: Reader, name: str, spec: Mapping, where: str) -> Variable:
    reader.unknown(spec, VARIABLE_KEYS, where)
    if "values" in spec:
        if {"min", "max", "step", "decimals"} & set(spec):
            reader.problem(f"{where} has 'values' and a range; keep one", spec.line)
        items = reader.sequence(spec["values"], f"'values' of {where}", spec.line_of("values"))
        return Variable(name, values=_values(reader, items, where) if items is not None else ())
    low, high = reader.number(spec, "min", where), reader.number(spec, "max", where)
    step = reader.number(spec, "step", where, low=0, above=True)
    decimals = reader.whole(spec, "decimals", where, 0, MAX_DECIMALS)
    if "min" not in spec or "max" not in spec:
        reader.problem(f"{where} needs 'min' and 'max' (or 'values')", spec.line)
    if "step" in spec and "decimals" in spec:
        reader.problem(f"{where} has 'step' and 'decimals'; keep one (a step fixes the decimals)", spec.line)
    return Variable(name, minimum=low, maximum=high, step=step, decimals=decimals)


def _derived(reader: Reader, node: Mapping, what: str, known: set[str]) -> tuple[Derived, ...]:
    if node.get("derived") is None:
        return ()
    table = reader.mapping(node["derived"], f"'derived' of {what}", node.line_of("derived"))
    out: list[Derived] = []
    sofar = set(known)
    for name in table or {}:
        line = table.line_of(name) if table is not None else node.line
        source = _formula_text(reader, table or Mapping(), name, f"derived {name} of {what}")
        if not source:
            reader.problem(f"derived {name} of {what} needs a formula", line)
        elif _name(reader, name, line, what, sofar):
            _formula(reader, source, line, sofar, f"derived {name} of {what}")
        sofar.add(name)
        out.append(Derived(name, source))
    return tuple(out)


def _formula(reader: Reader, source: str, line: int, known: Collection[str], where: str) -> None:
    try:
        used = parse(source).names
    except FormulaError as err:
        reader.problem(f"{where}: {err}", line)
        return
    for name in sorted(used - set(known)):
        close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.5)
        hint = f" (did you mean '{close[0]}'?)" if close else f"; known: {', '.join(sorted(known)) or 'none'}"
        reader.problem(f"{where} uses '{name}', which is not a variable declared before it{hint}", line)


def _placeholders(reader: Reader, text: str, line: int, known: Collection[str], where: str) -> None:
    for match in _PLACEHOLDER.finditer(text):
        if match.group(1) is not None:
            _formula(reader, match.group(1), line, known, f"{{={match.group(1)}}} in {where}")
            continue
        name = match.group(2)
        if name in known or _LATEX_BEFORE.search(text[max(0, match.start() - 30) : match.start()]):
            continue
        close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.5)
        hint = f" (did you mean {{{close[0]}}}?)" if close else ""
        reader.problem(f"{{{name}}} in {where} is not a variable{hint}", line)
