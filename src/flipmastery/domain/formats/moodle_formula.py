"""Our formulas and text placeholders rewritten in Moodle's calculated-question language.

Moodle writes a variable as `{a}`, has no power operator (it has `pow(a, b)`) and no derived variables,
so a derived variable is written in place as its own formula, in parentheses. The rewriting works on the
parsed formula, so precedence is kept by explicit parentheses rather than guessed from the text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from flipmastery.domain.formats.gift_common import format_number
from flipmastery.domain.formula import CONSTANTS, Node, parse
from flipmastery.domain.questions import Question

# `{=…}` may hold `{a}` (Moodle's way of naming a variable inside a formula).
_NAME = re.compile(r"(?<![\w.{])([A-Za-z_][A-Za-z0-9_]*)(?![\w}])(?!\s*\()")
_BRACED = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_PLACEHOLDER = re.compile(r"\{=((?:[^{}]|\{[A-Za-z_][A-Za-z0-9_]*\}){1,500})\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def to_moodle(source: str, derived: Mapping[str, str]) -> str:
    """`source` in Moodle's words: `T1 * (P2/P1) ^ 2` → `{T1} * pow(({P2} / {P1}), 2)`.

    Names in `derived` are replaced by their formulas (which may use earlier derived names); raises
    FormulaError when a formula cannot be read.
    """
    formula = parse(source)
    names = set(_NAME.findall(source))
    if "^" not in source and "*" * 2 not in source and not names & (set(derived) | set(CONSTANTS)):
        # Nothing to translate but the names: keep the teacher's own spacing and parentheses.
        return _NAME.sub(
            lambda m: "{" + m.group(1) + "}" if m.group(1) in formula.names else m.group(0), source
        )
    return _write(formula.tree, derived, 0)


def from_moodle(source: str) -> str:
    """A Moodle answer formula in our words: `{a} * {b}` → `a * b` (the inverse of the simple case)."""
    return _BRACED.sub(r"\1", source)


def _write(node: Node, derived: Mapping[str, str], depth: int) -> str:
    kind = node[0]
    if kind == "num":
        value = node[1]
        assert isinstance(value, float)
        text = format_number(value)
        return f"({text})" if text.startswith("-") else text
    if kind == "var":
        name = str(node[1])
        if name in derived and depth < 32:
            # Every operation is written in parentheses already, so the formula drops in as it is.
            return _write(parse(derived[name]).tree, derived, depth + 1)
        return "{" + name + "}"
    if kind == "neg":
        operand = node[1]
        assert isinstance(operand, tuple)
        return f"(-{_write(operand, derived, depth)})"
    if kind == "bin":
        op, left, right = node[1], node[2], node[3]
        assert isinstance(left, tuple) and isinstance(right, tuple)
        a, b = _write(left, derived, depth), _write(right, derived, depth)
        if op == "^":
            return f"pow({a}, {b})"
        return f"({a} {op} {b})"
    function, args = node[1], node[2]
    assert isinstance(args, (list, tuple))
    return f"{function}(" + ", ".join(_write(arg, derived, depth) for arg in args) + ")"


def text_to_moodle(text: str, question: Question) -> str:
    """A calculated question's text with derived `{name}` and every `{=formula}` in Moodle's words."""
    derived = {d.name: d.formula for d in question.derived}
    if "{" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        if match.group(2) is not None:
            name = match.group(2)
            return "{=" + to_moodle(derived[name], derived) + "}" if name in derived else match.group(0)
        return "{=" + to_moodle(match.group(1), derived) + "}"

    return _PLACEHOLDER.sub(replace, text)
