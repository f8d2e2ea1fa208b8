"""Markdown of text sections and worksheets (CommonMark with pipe tables), rendered on the server.

markdown-it-py reads the text with raw HTML switched off, so markup a teacher (or an import) typed is
shown as text; `$…$` and `$$…$$` are LaTeX (mdit-py-plugins' dollarmath, then latex.py). nh3 then
cleans the result as a second wall (sanitise.py). Headings start at h2, since h1 is the page's title.
`render_text` also takes a bank's HTML (sanitised) and plain text (line breaks kept).
"""

from __future__ import annotations

import html
import re

from django.utils.translation import gettext
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.dollarmath import dollarmath_plugin

from flipmastery.content.latex import latex_to_mathml
from flipmastery.content.sanitise import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, MATHML_TAGS, sanitise

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "MATHML_TAGS",
    "MAX_LENGTH",
    "render_markdown",
    "render_text",
]

MAX_LENGTH = 50_000  # characters; a question or a text section is far shorter
MAX_FORMULAS = 1000  # per text; each costs latex2mathml about 0.2 ms, the rest are shown as their source
MAX_NESTING = 100  # lists in lists, quotes in quotes: markdown-it stops reading deeper than this


def _heading_open(
    self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    if token.nesting == -1:
        return f"</{token.tag}>\n"
    return f"<{token.tag}>"


def _table(self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    return '<div class="table"><table>' if tokens[idx].nesting == 1 else "</table></div>\n"


def _inline_math(
    self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return _formula(tokens[idx].content, tokens[idx].type == "math_inline_double", env)


def _block_math(self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    return f'<div class="math">{_formula(tokens[idx].content, True, env)}</div>\n'


def _formula(source: str, display: bool, env: EnvType) -> str:
    env["formulas"] = env.get("formulas", 0) + 1
    if env["formulas"] > MAX_FORMULAS:
        return f'<code class="math">{html.escape(source)}</code>'
    return latex_to_mathml(source, display=display)


_MARKDOWN = (
    MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING})
    .enable("table")
    .use(
        dollarmath_plugin,
        allow_labels=False,
        allow_space=False,
        allow_digits=False,
        allow_blank_lines=False,
        double_inline=True,
    )
)
for _rule in ("heading_open", "heading_close"):
    _MARKDOWN.add_render_rule(_rule, _heading_open)
for _rule in ("math_inline", "math_inline_double"):
    _MARKDOWN.add_render_rule(_rule, _inline_math)
_MARKDOWN.add_render_rule("math_block", _block_math)
for _rule in ("table_open", "table_close"):
    _MARKDOWN.add_render_rule(_rule, _table)


# markdown-it puts a newline between list items and table cells; they render the same without, and
# the HTML reads more compactly in a page's source.
_BETWEEN_ROWS = re.compile(r">\n(?=<(?:li|tr|th|td|thead|tbody)[ >]|</(?:ul|ol|li|tr|thead|tbody|table)>)")


def render_text(text: str, text_format: str = "markdown") -> str:
    """Text of a question or learning object in its format ("markdown", "html", "plain") → safe HTML."""
    if len(text or "") > MAX_LENGTH:
        return _too_long(text)
    if text_format == "html":
        env: EnvType = {}
        return sanitise(_MATH_IN_HTML.sub(lambda match: _html_math(match, env), text or ""))
    if text_format == "plain":
        escaped = html.escape(text or "").strip().replace("\r\n", "\n")
        return sanitise(
            "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in escaped.split("\n\n") if p.strip())
        )
    return render_markdown(text)


_MATH_IN_HTML = re.compile(r"\$\$(.+?)\$\$|\\\((.+?)\\\)|\\\[(.+?)\\\]", re.S)


def _html_math(match: re.Match[str], env: EnvType) -> str:
    # Moodle banks write TeX as $$…$$ or \(…\) inside HTML; MathML keeps it readable with no client library.
    source = match.group(1) or match.group(2) or match.group(3)
    return _formula(html.unescape(source), match.group(2) is None, env)


def render_markdown(text: str) -> str:
    """Markdown → sanitised HTML, safe to mark safe in a template."""
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text or "")
    if len(text) > MAX_LENGTH:
        return _too_long(text)
    return sanitise(_BETWEEN_ROWS.sub(">", _MARKDOWN.render(text, {}))).strip()


def _too_long(text: str) -> str:
    message = gettext("This text is too long to show: %(length)s characters, where at most %(most)s are.") % {
        "length": f"{len(text):,}",
        "most": f"{MAX_LENGTH:,}",
    }
    return f'<p class="too-long">{html.escape(message)}</p>'
