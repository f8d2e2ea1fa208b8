"""A tiny reader of gettext .po files, enough to check our catalog (no polib in the dependencies)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # index 0 alone for a message without plural
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        """The key gettext's catalogs use: "context\\x04msgid" when there is a context."""
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


def _text(quoted: str) -> str:
    # A .po string is a C string literal; its escapes (\\n, \\", \\\\, \\t) read the same in Python.
    value = ast.literal_eval(quoted.strip())
    assert isinstance(value, str), quoted
    return value


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (the header included, as msgid ""), obsolete (#~) ones left out."""
    entries: list[Entry] = []
    current: Entry | None = None
    field_name = ""
    flags: set[str] = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            assert current is not None, raw
            _append(current, field_name, _text(line))
            continue
        keyword, _, rest = line.partition(" ")
        # An entry starts at its msgctxt, or at its msgid when it has none.
        if keyword == "msgctxt" or (keyword == "msgid" and (current is None or current.msgstr)):
            if current is not None:
                entries.append(current)
            current = Entry(flags=flags)
            flags = set()
        assert current is not None, raw
        field_name = keyword
        _set(current, keyword, _text(rest))
    if current is not None:
        entries.append(current)
    return entries


def _set(entry: Entry, keyword: str, value: str) -> None:
    if keyword == "msgctxt":
        entry.msgctxt = value
    elif keyword == "msgid":
        entry.msgid = value
    elif keyword == "msgid_plural":
        entry.msgid_plural = value
    elif keyword == "msgstr":
        entry.msgstr[0] = value
    elif keyword.startswith("msgstr[") and keyword.endswith("]"):
        entry.msgstr[int(keyword[7:-1])] = value
    else:
        raise ValueError(f"unknown .po keyword {keyword!r}")


def _append(entry: Entry, keyword: str, value: str) -> None:
    if keyword == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + value
    elif keyword == "msgid":
        entry.msgid += value
    elif keyword == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + value
    elif keyword == "msgstr":
        entry.msgstr[0] += value
    else:
        index = int(keyword[7:-1])
        entry.msgstr[index] += value
