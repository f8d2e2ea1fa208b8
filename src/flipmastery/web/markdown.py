"""A small Markdown subset for text sections and worksheets, rendered on the server and sanitised.

The text is HTML-escaped first, so whatever a teacher (or an import) typed can only become the few tags
these rules produce; nh3 then cleans the result as a second wall. Supported: paragraphs and line breaks,
# headings, - / * / 1. lists, **bold**, *italic*, `code`, and [links](https://…).
"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "code", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
NUMBERED = re.compile(r"^\s*\d{1,9}[.)]\s+(.*)$")
CODE = re.compile(r"`([^`]+)`")
BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")
ITALIC = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])|(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)")
LINK = re.compile(r"\[([^\]]+)\]\((https?://[^\s)]+)\)")


def render_markdown(text: str) -> str:
    """Markdown (the subset above) → sanitised HTML, safe to mark safe in a template."""
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip()):
        if block.strip():
            blocks.append(_block(block.strip("\n")))
    return nh3.clean(
        "\n".join(blocks),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
    )


def _block(block: str) -> str:
    """One blank-line separated block: its headings, list runs and paragraph runs, in order."""
    out: list[str] = []
    run: list[str] = []
    run_kind = ""
    for line in block.split("\n"):
        heading = HEADING.match(line)
        kind = "h" if heading else "ul" if BULLET.match(line) else "ol" if NUMBERED.match(line) else "p"
        if kind != run_kind or kind == "h":
            out.append(_run(run_kind, run))
            run, run_kind = [], kind
        run.append(line)
    out.append(_run(run_kind, run))
    return "\n".join(part for part in out if part)


def _run(kind: str, lines: list[str]) -> str:
    if not lines:
        return ""
    if kind == "h":
        heading = HEADING.match(lines[0])
        assert heading is not None
        # h1 is the page's title; a heading in a text section starts at h2.
        level = min(len(heading.group(1)) + 1, 6)
        return f"<h{level}>{_inline(heading.group(2))}</h{level}>"
    if kind in ("ul", "ol"):
        return f"<{kind}>" + "".join(f"<li>{_inline(_item_text(line))}</li>" for line in lines) + f"</{kind}>"
    return "<p>" + "<br>\n".join(_inline(line.strip()) for line in lines) + "</p>"


def _item_text(line: str) -> str:
    match = BULLET.match(line) or NUMBERED.match(line)
    return match.group(1) if match else line


def _inline(raw: str) -> str:
    text = html.escape(raw, quote=True)
    kept: list[str] = []

    def keep(html_: str) -> str:
        # Code and links are set aside so that * and _ inside them are not read as emphasis.
        kept.append(html_)
        return f"\x00{len(kept) - 1}\x00"

    text = text.replace("\x00", "")
    text = CODE.sub(lambda m: keep(f"<code>{m.group(1)}</code>"), text)
    text = LINK.sub(lambda m: keep(f'<a href="{m.group(2)}">{m.group(1)}</a>'), text)
    text = BOLD.sub(lambda m: f"<strong>{m.group(1) or m.group(2)}</strong>", text)
    text = ITALIC.sub(lambda m: f"<em>{m.group(1) or m.group(2)}</em>", text)
    return re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], text)
