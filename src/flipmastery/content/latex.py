"""The `$…$` LaTeX of text sections as MathML, on the server (latex2mathml): no client-side math library.

Anything it cannot read — a syntax error, an unknown command, nesting deeper than MAX_DEPTH, a source
longer than MAX_LENGTH — is shown as the escaped source in `<code class="math">`, so a typo costs
readability, never safety, and never a traceback. The MathML always passes the sanitiser.
"""

from __future__ import annotations

import functools
import html
import re

from latex2mathml.converter import convert

from flipmastery.content.sanitise import sanitise

MAX_DEPTH = 40  # braces, \left…\right and environments; latex2mathml recurses once per level
MAX_LENGTH = 5000
# `aligned` is `align*` inside a formula; latex2mathml lays out only the latter as a table.
ALIGNED = re.compile(r"\\(begin|end)\{(aligned|align)\}")
UNKNOWN_COMMAND = re.compile(r"<m[io][^>]*>\\[A-Za-z]+</m[io]>")
UPRIGHT_LETTER = re.compile(r"\\mathrm\s*\{\s*([A-Za-z])\s*\}")
TEXT = re.compile(r"(\\(?:text|textrm|textit|textbf|mbox)\s*\{)([^{}]*)\}")
NESTING = re.compile(r"\\begin\{[^{}]*\}|\\end\{[^{}]*\}|\\left\b|\\right\b|(?<!\\)[{}]")


class LatexError(ValueError):
    """The source cannot be shown as MathML."""


def latex_to_mathml(source: str, *, display: bool = False) -> str:
    """`P_1V_1 = P_2V_2` → `<math>…</math>`; on anything unreadable, the escaped source in <code>."""
    return _cached(source, display)


# latex2mathml takes about half a millisecond a formula, and the same formulas come back on every page of
# a class (the prompts of a check, the feedback, a text section): a pure function of its source, kept.
@functools.lru_cache(maxsize=4096)
def _cached(source: str, display: bool) -> str:
    try:
        return _convert(source, display)
    except Exception:  # latex2mathml raises many kinds (and RecursionError); none may reach a page
        return f'<code class="math">{html.escape(source)}</code>'


def _convert(source: str, display: bool) -> str:
    if len(source) > MAX_LENGTH:
        raise LatexError("too long")
    depth = 0
    for match in NESTING.finditer(source):
        depth += 1 if match.group()[:6] in ("{", "\\begin", "\\left") else -1
        if depth > MAX_DEPTH:
            raise LatexError("nested too deep")
        if depth < 0:
            raise LatexError("a closing } or \\end without its opening")
    if depth:
        raise LatexError("an opening { or \\begin without its closing")
    # latex2mathml copies \text{…} verbatim into <mtext>: markup typed there must stay text.
    source = TEXT.sub(lambda m: m.group(1) + html.escape(m.group(2), quote=False) + "}", source)
    # latex2mathml sets a one-letter \mathrm{K} in italics, as a variable; {\rm K} is upright, a unit.
    source = UPRIGHT_LETTER.sub(r"{\\rm \1}", ALIGNED.sub(r"\\\1{align*}", source))
    mathml = convert(source, display="block" if display else "inline")
    if UNKNOWN_COMMAND.search(mathml):
        raise LatexError("unknown command")
    mathml = mathml.replace(' xmlns="http://www.w3.org/1998/Math/MathML"', "").replace(
        ' display="inline"', ""
    )
    return sanitise(mathml)
