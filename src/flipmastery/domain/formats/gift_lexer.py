"""GIFT source cut into questions, with escapes hidden so that a search never finds an escaped `{`, `~`….

Moodle's importer swaps every escape for a placeholder before it looks for control characters. We do the
same without placeholders: `Src.mask` is the raw text with each escape pair blanked out, of the same
length, so every search runs on the mask and every piece is cut from the raw text at the same offsets.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from flipmastery.domain.formats.gift_common import WHITESPACE, fraction_of_percent
from flipmastery.domain.questions import TextFormat

ESCAPED = {"\\": "\\", ":": ":", "#": "#", "=": "=", "{": "{", "}": "}", "~": "~", "n": "\n"}
HIDDEN = "\x00"  # never in a text we accept (control characters are refused before lexing)
FORMATS = {
    "moodle": TextFormat.PLAIN,
    "plain": TextFormat.PLAIN,
    "markdown": TextFormat.MARKDOWN,
    "html": TextFormat.HTML,
}
# Moodle's weight is `%`, digits, `%`; anything else after `~`/`=` is just the start of the answer's text.
_WEIGHT = re.compile(r"%(-?\d+(?:\.\d*)?)%")
_ID = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>\x00-\x1f\x7f])+)\]")


_ESCAPE = re.compile(r"\\([\\:#={}~n])")


def _mask(raw: str) -> str:
    return _ESCAPE.sub(HIDDEN * 2, raw)


def unescape(raw: str) -> str:
    """`\\{` → `{`, `\\n` → a line break, `\\\\` → `\\`; any other backslash stays (Moodle's way)."""
    return _ESCAPE.sub(lambda found: ESCAPED[found.group(1)], raw)


def escape(text: str) -> str:
    """The text with every GIFT control character escaped and line breaks as `\\n` (Moodle's repchar)."""
    out = text.replace("\\", "\\\\")
    for char in ":#={}~":
        out = out.replace(char, "\\" + char)
    return out.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


@dataclass(frozen=True)
class Src:
    """A piece of one question's source: `raw` as written, `mask` with escapes hidden, `start` its offset."""

    raw: str
    mask: str
    start: int = 0

    @classmethod
    def of(cls, raw: str) -> Src:
        return cls(raw, _mask(raw))

    def __len__(self) -> int:
        return len(self.raw)

    def cut(self, begin: int, end: int | None = None) -> Src:
        end = len(self.raw) if end is None else end
        return Src(self.raw[begin:end], self.mask[begin:end], self.start + begin)

    def find(self, sub: str, begin: int = 0) -> int:
        return self.mask.find(sub, begin)

    def strip(self) -> Src:
        left = len(self.mask) - len(self.mask.lstrip(WHITESPACE))
        right = len(self.mask.rstrip(WHITESPACE))
        return self.cut(left, max(left, right))

    def split(self, separators: str, keep: str = "") -> list[Src]:
        """Cut at each unescaped separator; those in `keep` stay at the start of the next piece."""
        pieces: list[Src] = []
        begin = 0
        for found in re.finditer(f"[{re.escape(separators)}]", self.mask):
            at = found.start()
            pieces.append(self.cut(begin, at))
            begin = at if found.group() in keep else at + 1
        pieces.append(self.cut(begin))
        return pieces

    def partition(self, separator: str) -> tuple[Src, Src | None]:
        at = self.find(separator)
        if at < 0:
            return self, None
        return self.cut(0, at), self.cut(at + len(separator))

    def text(self) -> str:
        return unescape(self.raw).strip(WHITESPACE)

    def __add__(self, other: Src | str) -> Src:
        if isinstance(other, str):
            other = Src(other, other)
        return Src(self.raw + other.raw, self.mask + other.mask, self.start)


def with_format(src: Src, default: TextFormat) -> tuple[str, TextFormat]:
    """A text and its format: a leading `[html]`, `[markdown]`, `[plain]` or `[moodle]` sets it."""
    src = src.strip()
    if src.mask.startswith("["):
        end = src.find("]")
        name = src.mask[1:end] if end > 0 else ""
        if name in FORMATS:
            return src.cut(end + 1).text(), FORMATS[name]
    return src.text(), default


def weight(src: Src) -> tuple[float | None, str, Src]:
    """A leading `%50%` as 0.5 with its percent text and the rest; (None, "", src) when there is none."""
    src = src.strip()
    found = _WEIGHT.match(src.mask)
    if not found:
        return None, "", src
    percent = found.group(1)
    return fraction_of_percent(percent), percent, src.cut(found.end())


@dataclass(frozen=True)
class Block:
    """One question (or `$CATEGORY:`) of a GIFT file: the lines between blank lines, comments set aside."""

    src: Src
    comments: str
    first_line: int  # of the question itself, after any comments above it
    line_starts: tuple[int, ...]  # offset in `src.raw` of each of its lines
    top_line: int  # of the first line of the block, comment or not

    def line_at(self, offset: int) -> int:
        return self.top_line + bisect.bisect_right(self.line_starts, offset) - 1

    def idnumber(self) -> str:
        found = _ID.search(self.comments)
        return found.group(1).replace("\\]", "]").strip(WHITESPACE) if found else ""

    def tags(self) -> tuple[str, ...]:
        return tuple(t.replace("\\]", "]").strip(WHITESPACE) for t in _TAG.findall(self.comments))


def blocks(text: str) -> Iterator[Block]:
    """The file cut at blank lines, as Moodle's importer cuts it; each line trimmed as Moodle trims it."""
    lines: list[str] = []
    comments: list[str] = []
    top = first = 0
    for number, line in enumerate([*text.split("\n"), ""], start=1):
        line = line.strip(WHITESPACE)
        if line:
            if not lines:
                top = number
            if line.startswith("//"):
                comments.append(line)
                line = " "  # Moodle blanks a comment line; the question keeps its line numbers
            elif not first:
                first = number
            lines.append(line)
            continue
        if first:
            starts, offset = [], 0
            for kept in lines:
                starts.append(offset)
                offset += len(kept) + 1
            yield Block(Src.of("\n".join(lines)), "\n".join(comments), first, tuple(starts), top)
        lines, comments, first = [], [], 0
