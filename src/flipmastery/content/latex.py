"""The `$…$` LaTeX of text sections as MathML, on the server: no client-side math library on any page.

A small subset, enough for school science and maths: numbers, letters, operators, sub/superscripts,
\\frac, \\sqrt, \\text, Greek letters and common symbols. Anything it cannot read is shown as the
source, escaped, so a typo costs readability, never safety.
"""

from __future__ import annotations

import html
import re

TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\d+(?:\.\d+)?|[A-Za-z]|\S", re.S)
MAX_DEPTH = 40
MAX_LENGTH = 2000

GREEK = {
    name: chr(code)
    for name, code in {
        "alpha": 0x3B1, "beta": 0x3B2, "gamma": 0x3B3, "delta": 0x3B4, "epsilon": 0x3B5, "zeta": 0x3B6,
        "eta": 0x3B7, "theta": 0x3B8, "iota": 0x3B9, "kappa": 0x3BA, "lambda": 0x3BB, "mu": 0x3BC,
        "nu": 0x3BD, "xi": 0x3BE, "pi": 0x3C0, "rho": 0x3C1, "sigma": 0x3C3, "tau": 0x3C4, "phi": 0x3C6,
        "chi": 0x3C7, "psi": 0x3C8, "omega": 0x3C9, "Gamma": 0x393, "Delta": 0x394, "Theta": 0x398,
        "Lambda": 0x39B, "Pi": 0x3A0, "Sigma": 0x3A3, "Phi": 0x3A6, "Psi": 0x3A8, "Omega": 0x3A9,
    }.items()
}  # fmt: skip
OPERATORS = {
    "times": "×", "cdot": "·", "div": "÷", "pm": "±", "mp": "∓", "le": "≤", "leq": "≤", "ge": "≥",
    "geq": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "sim": "∼", "propto": "∝", "to": "→",
    "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒", "rightleftharpoons": "⇌", "infty": "∞",
    "degree": "°", "circ": "∘", "ldots": "…", "dots": "…", "cdots": "⋯", "%": "%", "{": "{", "}": "}",
    "$": "$", "lt": "<", "gt": ">", "sum": "∑", "partial": "∂", "cap": "∩", "cup": "∪", "in": "∈",
}  # fmt: skip
SPACES = {"\\ ", "\\,", "\\;", "\\:", "\\!", "\\quad", "\\qquad"}
TEXT_COMMANDS = {"\\text", "\\textrm", "\\mbox"}
UPRIGHT = {"\\mathrm", "\\operatorname", "\\rm"}  # units: kPa, mol, mmHg
STYLES = {"\\mathbf", "\\mathit", "\\boldsymbol"}  # shown as their argument
IGNORED = {"\\left", "\\right", "\\displaystyle", "\\big", "\\Big", "\\limits"}


class LatexError(ValueError):
    """The source is outside the subset (or nested absurdly deep)."""


def latex_to_mathml(source: str, *, display: bool = False) -> str:
    """`P_1V_1 = P_2V_2` → `<math>…</math>`; on anything unreadable, the escaped source in <code>."""
    try:
        if len(source) > MAX_LENGTH:
            raise LatexError("too long")
        parser = _Parser(source)
        body = parser.row(closing=None)
    except LatexError:
        return f'<code class="math">{html.escape(source)}</code>'
    mode = ' display="block"' if display else ""
    return f"<math{mode}><mrow>{body}</mrow></math>"


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(source)]
        self.at = 0
        self.depth = 0
        self.upright = False

    def peek(self) -> str | None:
        return self.tokens[self.at][0] if self.at < len(self.tokens) else None

    def take(self) -> str:
        lexeme = self.peek()
        if lexeme is None:
            raise LatexError("unexpected end")
        self.at += 1
        return lexeme

    def row(self, closing: str | None) -> str:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise LatexError("nested too deep")
        parts: list[str] = []
        while (lexeme := self.peek()) is not None and lexeme != closing:
            if lexeme == "}":
                raise LatexError("unbalanced }")
            parts.append(self.scripted())
        if closing is not None:
            self.take()
        self.depth -= 1
        return "".join(parts)

    def scripted(self) -> str:
        base = self.atom()
        sub = sup = None
        while self.peek() in ("_", "^"):
            mark = self.take()
            argument = self.atom()
            if mark == "_" and sub is None:
                sub = argument
            elif mark == "^" and sup is None:
                sup = argument
            else:
                raise LatexError("double script")
        if sub is not None and sup is not None:
            return f"<msubsup>{base}{sub}{sup}</msubsup>"
        if sub is not None:
            return f"<msub>{base}{sub}</msub>"
        if sup is not None:
            return f"<msup>{base}{sup}</msup>"
        return base

    def group(self) -> str:
        """One argument: a braced group or a single lexeme."""
        lexeme = self.peek()
        if lexeme == "{":
            self.take()
            return f"<mrow>{self.row('}')}</mrow>"
        if lexeme is not None and lexeme[0].isdigit() and len(lexeme) > 1:
            # An unbraced argument is one character: \frac12 is 1/2.
            _, start, end = self.tokens[self.at]
            self.tokens[self.at : self.at + 1] = [(lexeme[0], start, start + 1), (lexeme[1:], start + 1, end)]
        return self.atom()

    def atom(self) -> str:
        lexeme = self.take()
        if lexeme == "{":
            return f"<mrow>{self.row('}')}</mrow>"
        if lexeme[0].isdigit():
            return f"<mn>{lexeme}</mn>"
        if lexeme.isalpha():
            return f'<mi mathvariant="normal">{lexeme}</mi>' if self.upright else f"<mi>{lexeme}</mi>"
        if lexeme.startswith("\\"):
            return self.command(lexeme)
        if lexeme in ("_", "^"):
            raise LatexError("script without a base")
        return f"<mo>{html.escape('−' if lexeme == '-' else lexeme)}</mo>"

    def command(self, name: str) -> str:
        word = name[1:]
        if name in ("\\frac", "\\dfrac", "\\tfrac"):
            return f"<mfrac>{self.group()}{self.group()}</mfrac>"
        if name == "\\sqrt":
            return f"<msqrt>{self.group()}</msqrt>"
        if name in TEXT_COMMANDS:
            return f"<mtext>{html.escape(self.raw_group())}</mtext>"
        if name in SPACES:
            return "<mtext>\u00a0</mtext>"
        if name in UPRIGHT:
            was, self.upright = self.upright, True
            argument = self.group()
            self.upright = was
            return argument
        if name in STYLES:
            return self.group()
        if name in IGNORED:
            return ""
        if word in GREEK:
            return f"<mi>{GREEK[word]}</mi>"
        if word in OPERATORS:
            return f"<mo>{html.escape(OPERATORS[word])}</mo>"
        raise LatexError(f"unknown command {name}")

    def raw_group(self) -> str:
        """The literal source of a braced group, for \\text{…}, whose spaces matter."""
        if self.take() != "{":
            raise LatexError("\\text needs {…}")
        start, level = self.tokens[self.at - 1][2], 1
        while level:
            lexeme = self.take()
            level += (lexeme == "{") - (lexeme == "}")
        return self.source[start : self.tokens[self.at - 1][1]]
