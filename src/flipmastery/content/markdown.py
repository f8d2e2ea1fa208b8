"""A small Markdown subset for text sections and worksheets, rendered on the server and sanitised.

Text is HTML-escaped before any rule runs, so what a teacher (or an import) typed can only become the
few tags these rules make; nh3 then cleans the result as a second wall. Supported, as CommonMark reads
them: paragraphs (a single newline is a space; two trailing spaces or a backslash break the line),
# headings, - * + and 1. lists (with indented continuation lines), pipe tables, **bold**, *italic*,
`code`, [links](https://…), ![images](https://… or /media/…), and $…$ / $$…$$ LaTeX (see latex.py).
`render_text` also takes a bank's HTML (sanitised) and plain text (line breaks kept).
"""

from __future__ import annotations

import html
import re

import nh3

from flipmastery.content.latex import latex_to_mathml

MATHML_TAGS = {"math", "mrow", "mi", "mn", "mo", "mtext", "msub", "msup", "msubsup", "mfrac", "msqrt"}
ALLOWED_TAGS = {
    *("p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "code", "a"),
    *("div", "table", "thead", "tbody", "tr", "th", "td", "img", "sub", "sup", "span", "b", "i", "u", "pre"),
    *MATHML_TAGS,
}
ALLOWED_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "div": {"class"},
    "code": {"class"},
    "math": {"display"},
    "mi": {"mathvariant"},
}

HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
BULLET = re.compile(r"^ {0,3}[-*+]\s+(.*)$")
NUMBERED = re.compile(r"^ {0,3}(\d{1,9})[.)]\s+(.*)$")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$|^\s*\|\s*:?-+:?\s*\|\s*$")
CELL_SPLIT = re.compile(r"(?<!\\)\|")
CODE = re.compile(r"`([^`\n]+)`")
MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\\w$])\$(?=\S)([^$\n]*?\S)\$(?![\w$])", re.S)
IMAGE = re.compile(r"!\[([^\]\n]*)\]\(((?:https?://|/media/)[^\s)]+)\)")
LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+)\)")
BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__", re.S)
ITALIC = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])|(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)", re.S)
KEPT = re.compile(r"\x00(\d+)\x00")
HARD_BREAK, DOLLAR = "\x01", "\x02"


def render_text(text: str, text_format: str = "markdown") -> str:
    """Text of a question or learning object in its format ("markdown", "html", "plain") → safe HTML."""
    if text_format == "html":
        return _sanitise(_MATH_IN_HTML.sub(_html_math, text or ""))
    if text_format == "plain":
        escaped = html.escape(text or "").strip().replace("\r\n", "\n")
        return _sanitise(
            "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in escaped.split("\n\n") if p.strip())
        )
    return render_markdown(text)


_MATH_IN_HTML = re.compile(r"\$\$(.+?)\$\$|\\\((.+?)\\\)|\\\[(.+?)\\\]", re.S)


def _html_math(match: re.Match[str]) -> str:
    # Moodle banks write TeX as $$…$$ or \(…\) inside HTML; MathML keeps it readable with no client library.
    source = match.group(1) or match.group(2) or match.group(3)
    return latex_to_mathml(html.unescape(source), display=match.group(2) is None)


def render_markdown(text: str) -> str:
    """Markdown (the subset above) → sanitised HTML, safe to mark safe in a template."""
    clean = re.sub(r"[\x00-\x02]", "", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    blocks = [_block(b) for b in re.split(r"\n[ \t]*\n", clean.strip("\n")) if b.strip()]
    return _sanitise("\n".join(b for b in blocks if b))


def _sanitise(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
    )


def _block(block: str) -> str:
    """One blank-line separated block: a table, or its headings, lists and paragraphs in order."""
    lines = block.split("\n")
    if len(lines) >= 2 and "|" in lines[0] and TABLE_RULE.match(lines[1]):
        rows = 2
        while rows < len(lines) and "|" in lines[rows]:
            rows += 1
        rest = "\n".join(lines[rows:])
        return _table(lines[0], lines[2:rows]) + ("\n" + _block(rest) if rest.strip() else "")
    out: list[str] = []
    kind, start = "", 1
    items: list[str] = []

    def flush() -> None:
        if items:
            out.append(_render(kind, items, start))
        items.clear()

    for line in lines:
        heading, bullet, numbered = HEADING.match(line), BULLET.match(line), NUMBERED.match(line)
        # An ordered list interrupts a paragraph only when it starts at 1 ("… answers 4) 8;\n5) 7").
        if numbered and kind == "p" and numbered.group(1) != "1":
            numbered = None
        if heading:
            flush()
            kind = ""
            level = min(len(heading.group(1)) + 1, 6)  # h1 is the page's title
            out.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
        elif bullet or numbered:
            new_kind = "ul" if bullet else "ol"
            if kind != new_kind:
                flush()
                kind, start = new_kind, int(numbered.group(1)) if numbered else 1
            items.append(bullet.group(1) if bullet else numbered.group(2))  # type: ignore[union-attr]
        elif kind in ("ul", "ol") and line[:1].isspace() and items:
            items[-1] += "\n" + line.strip()
        else:
            if kind != "p":
                flush()
                kind = "p"
            items.append(line)
    flush()
    return "\n".join(out)


def _render(kind: str, items: list[str], start: int) -> str:
    if kind == "p":
        text = "\n".join(re.sub(r"(?:  +|\\)$", HARD_BREAK, line).strip() for line in items)
        return f"<p>{_inline(text.rstrip(HARD_BREAK))}</p>"
    opening = f'<ol start="{start}">' if kind == "ol" and start != 1 else f"<{kind}>"
    return opening + "".join(f"<li>{_inline(item)}</li>" for item in items) + f"</{kind}>"


def _table(header: str, rows: list[str]) -> str:
    def cells(row: str) -> list[str]:
        return [c.strip().replace("\\|", "|") for c in CELL_SPLIT.split(row.strip().strip("|"))]

    head = "".join(f"<th>{_inline(c)}</th>" for c in cells(header))
    body = "".join("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in cells(r)) + "</tr>" for r in rows)
    return f'<div class="table"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _inline(raw: str) -> str:
    kept: list[str] = []

    def keep(fragment: str) -> str:
        # Code, math and links are set aside so that * and _ inside them are not read as emphasis.
        kept.append(fragment)
        return f"\x00{len(kept) - 1}\x00"

    text = raw.replace("\\$", DOLLAR)
    text = CODE.sub(lambda m: keep(f"<code>{html.escape(m.group(1))}</code>"), text)
    text = MATH.sub(
        lambda m: keep(latex_to_mathml(m.group(1) or m.group(2), display=m.group(1) is not None)), text
    )
    text = html.escape(text, quote=True)
    text = IMAGE.sub(lambda m: keep(f'<img src="{m.group(2)}" alt="{m.group(1)}">'), text)
    text = LINK.sub(lambda m: keep(f'<a href="{m.group(2)}">{m.group(1)}</a>'), text)
    text = BOLD.sub(lambda m: f"<strong>{m.group(1) or m.group(2)}</strong>", text)
    text = ITALIC.sub(lambda m: f"<em>{m.group(1) or m.group(2)}</em>", text)
    for _ in range(3):  # a kept link may hold kept code or math
        text = KEPT.sub(lambda m: kept[int(m.group(1))], text)
    return text.replace(HARD_BREAK, "<br>").replace(DOLLAR, "$")
