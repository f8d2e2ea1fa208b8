"""The formula language of calculated questions, parsed and evaluated in a sandbox.

A formula is arithmetic over numbers and variable names: `+ - * / % ^ **`, parentheses and a fixed list
of functions (Moodle's, so imported banks keep working; `{a}` is read as `a` for the same reason).
Nothing else exists in the language: no attributes, no indexing, no strings, no loops, no `eval`.
Every number is a float, so `9^9^9` overflows at once instead of building a huge integer, and the size,
nesting and node count of a formula are bounded before anything is evaluated.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from flipmastery.domain.errors import DomainError

MAX_LENGTH = 500
MAX_DEPTH = 32
MAX_NODES = 200


class FormulaError(DomainError):
    """A formula that cannot be read or evaluated; the message says what and where."""

    code = "bad_formula"


def _round(x: float, places: float = 0.0) -> float:
    if not -15 <= places <= 15:
        raise FormulaError("round() takes between -15 and 15 decimal places")
    return float(round(x, int(places)))


FUNCTIONS: dict[str, tuple[Callable[..., float], int, int]] = {
    # name: (function, fewest arguments, most arguments)
    "abs": (abs, 1, 1),
    "sqrt": (math.sqrt, 1, 1),
    "exp": (math.exp, 1, 1),
    "expm1": (math.expm1, 1, 1),
    "ln": (math.log, 1, 1),
    "log": (math.log, 1, 2),  # natural logarithm, as in Moodle; log(x, base) also works
    "log10": (math.log10, 1, 1),
    "log1p": (math.log1p, 1, 1),
    "sin": (math.sin, 1, 1),
    "cos": (math.cos, 1, 1),
    "tan": (math.tan, 1, 1),
    "asin": (math.asin, 1, 1),
    "acos": (math.acos, 1, 1),
    "atan": (math.atan, 1, 1),
    "atan2": (math.atan2, 2, 2),
    "sinh": (math.sinh, 1, 1),
    "cosh": (math.cosh, 1, 1),
    "tanh": (math.tanh, 1, 1),
    "asinh": (math.asinh, 1, 1),
    "acosh": (math.acosh, 1, 1),
    "atanh": (math.atanh, 1, 1),
    "deg2rad": (math.radians, 1, 1),
    "rad2deg": (math.degrees, 1, 1),
    "floor": (lambda x: float(math.floor(x)), 1, 1),
    "ceil": (lambda x: float(math.ceil(x)), 1, 1),
    "round": (_round, 1, 2),
    "fmod": (math.fmod, 2, 2),
    "pow": (lambda x, y: _power(x, y), 2, 2),
    "min": (min, 1, 20),
    "max": (max, 1, 20),
    "pi": (lambda: math.pi, 0, 0),
}
CONSTANTS = {"pi": math.pi, "e": math.e}

_TOKEN = re.compile(
    r"\s*(?:(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<name>\{?[A-Za-z_][A-Za-z0-9_]*\}?)"
    r"|(?P<op>\*\*|[-+*/%^(),]))"
)

# A parsed formula is a tree of tuples:
# ("num", v) ("var", name) ("neg", x) ("bin", op, a, b) ("call", f, args)
Node = tuple[object, ...]


@dataclass(frozen=True)
class Formula:
    """A formula checked once, ready to evaluate many times."""

    source: str
    tree: Node
    names: frozenset[str]  # the variables it uses

    def __call__(self, values: Mapping[str, float]) -> float:
        try:
            result = _evaluate(self.tree, values)
        except FormulaError:
            raise
        except (ArithmeticError, ValueError, TypeError) as err:
            raise FormulaError(
                f"{self.source!r} cannot be evaluated with these values: {_why(err)}"
            ) from None
        if not math.isfinite(result):
            raise FormulaError(f"{self.source!r} does not give a finite number with these values")
        return result


def names(source: str) -> frozenset[str]:
    """The variable names a formula uses (functions and constants excluded)."""
    return parse(source).names


def evaluate(source: str, values: Mapping[str, float]) -> float:
    return parse(source)(values)


@lru_cache(maxsize=4096)
def parse(source: str) -> Formula:
    """Read a formula, or raise FormulaError saying what is wrong and at which character."""
    if not isinstance(source, str) or not source.strip():
        raise FormulaError("the formula is empty")
    if len(source) > MAX_LENGTH:
        raise FormulaError(f"a formula may be at most {MAX_LENGTH} characters long")
    parser = _Parser(source)
    tree = parser.expression(0)
    if parser.peek() is not None:
        raise parser.error(f"unexpected {parser.peek()!r}")
    return Formula(source, tree, frozenset(parser.used))


class _Parser:
    """Precedence climbing over a token list; depth and size are counted as it goes."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens: list[tuple[str, str, int]] = []
        self.used: set[str] = set()
        self.at = 0
        self.depth = 0
        self.nodes = 0
        pos = 0
        while pos < len(source):
            if source[pos:].isspace():
                break
            match = _TOKEN.match(source, pos)
            if not match or match.end() == pos:
                col = pos + len(source[pos:]) - len(source[pos:].lstrip())
                raise FormulaError(f"unexpected {source[col]!r} at character {col + 1} of {source!r}")
            kind = match.lastgroup or ""
            text = match.group(kind)
            if kind == "name" and (text.startswith("{") != text.endswith("}")):
                raise FormulaError(f"unbalanced {{ }} around {text.strip('{}')!r} in {source!r}")
            self.tokens.append((kind, text.strip("{}"), match.start(kind)))
            pos = match.end()

    def error(self, message: str) -> FormulaError:
        where = self.tokens[self.at][2] + 1 if self.at < len(self.tokens) else len(self.source)
        return FormulaError(f"{message} at character {where} of {self.source!r}")

    def peek(self) -> str | None:
        return self.tokens[self.at][1] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str, int]:
        if self.at >= len(self.tokens):
            raise FormulaError(f"{self.source!r} ends too early")
        token = self.tokens[self.at]
        self.at += 1
        return token

    def node(self, *parts: object) -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise FormulaError(f"a formula may have at most {MAX_NODES} parts")
        return tuple(parts)

    BINARY = {"+": 1, "-": 1, "*": 2, "/": 2, "%": 2, "^": 4, "**": 4}

    def expression(self, min_level: int) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(f"a formula may nest at most {MAX_DEPTH} levels deep")
        left = self.unary()
        while True:
            op = self.peek()
            kind = self.tokens[self.at][0] if op is not None else ""
            level = self.BINARY.get(op or "", 0) if kind == "op" else 0
            if level == 0 or level < min_level:
                break
            self.take()
            # Powers bind right to left (2^3^2 = 2^9); the others left to right.
            right = self.expression(level if op in ("^", "**") else level + 1)
            left = self.node("bin", "^" if op == "**" else op, left, right)
        self.depth -= 1
        return left

    def unary(self) -> Node:
        op = self.peek()
        if op in ("-", "+") and self.tokens[self.at][0] == "op":
            self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise FormulaError(f"a formula may nest at most {MAX_DEPTH} levels deep")
            # -2^2 is -(2^2), as on paper: the operand of a sign may be a power.
            operand = self.expression(3)
            self.depth -= 1
            return self.node("neg", operand) if op == "-" else operand
        return self.atom()

    def atom(self) -> Node:
        kind, text, _ = self.take()
        if kind == "number":
            return self.node("num", float(text))
        if kind == "name":
            if self.peek() == "(" and self.tokens[self.at][0] == "op":
                return self.call(text)
            if text in FUNCTIONS and text not in CONSTANTS:
                self.at -= 1
                raise self.error(f"{text} is a function: write {text}(…)")
            if text in CONSTANTS:
                return self.node("num", CONSTANTS[text])
            self.used.add(text)
            return self.node("var", text)
        if text == "(":
            inner = self.expression(0)
            if self.peek() != ")":
                raise self.error("a '(' is not closed")
            self.take()
            return inner
        self.at -= 1
        raise self.error(f"unexpected {text!r}")

    def call(self, name: str) -> Node:
        if name not in FUNCTIONS:
            self.at -= 1
            raise self.error(f"unknown function {name!r}")
        self.take()  # (
        args: list[Node] = []
        if self.peek() != ")":
            args.append(self.expression(0))
            while self.peek() == ",":
                self.take()
                args.append(self.expression(0))
        if self.peek() != ")":
            raise self.error(f"the call of {name} is not closed")
        self.take()
        _, fewest, most = FUNCTIONS[name]
        if not fewest <= len(args) <= most:
            wanted = str(fewest) if fewest == most else f"{fewest} to {most}"
            noun = "argument" if (fewest, most) == (1, 1) else "arguments"
            raise FormulaError(f"{name}() takes {wanted} {noun}, not {len(args)}, in {self.source!r}")
        return self.node("call", name, tuple(args))


def _power(base: float, exponent: float) -> float:
    result = math.pow(base, exponent)  # floats: raises OverflowError rather than growing without bound
    return result


def _evaluate(node: Node, values: Mapping[str, float]) -> float:
    kind = node[0]
    if kind == "num":
        return node[1]  # type: ignore[return-value]
    if kind == "var":
        name = node[1]
        if name not in values:
            raise FormulaError(f"unknown variable {name!r}")
        return float(values[name])  # type: ignore[index]
    if kind == "neg":
        return -_evaluate(node[1], values)  # type: ignore[arg-type]
    if kind == "bin":
        op, a, b = node[1], _evaluate(node[2], values), _evaluate(node[3], values)  # type: ignore[arg-type]
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            return a / b
        if op == "%":
            return math.fmod(a, b)
        return _power(a, b)
    name, args = node[1], node[2]
    function = FUNCTIONS[name][0]  # type: ignore[index]
    return float(function(*(_evaluate(arg, values) for arg in args)))  # type: ignore[attr-defined]


def _why(err: Exception) -> str:
    if isinstance(err, ZeroDivisionError):
        return "division by zero"
    if isinstance(err, OverflowError):
        return "the result is too large"
    return "a value is outside what a function accepts"
