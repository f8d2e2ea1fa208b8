"""Moodle XML parsed safely into a small tree that remembers the line of every element.

Parsing goes through defusedxml's SAX reader with DTDs, entities and external references refused, so
"billion laughs" and external-entity files are refused before anything is expanded or fetched; depth and
size are bounded too. SAX rather than ElementTree because a teacher needs the line of each question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.sax import SAXException, SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesImpl, Locator

import defusedxml.sax
from defusedxml import DefusedXmlException

from flipmastery.domain.errors import Invalid, Location, Problem
from flipmastery.domain.formats.gift_common import MAX_BYTES, WHITESPACE, too_large

MAX_DEPTH = 32  # Moodle XML nests about 6 deep; anything far deeper is not a question bank
MAX_ELEMENTS = 250_000  # a few thousand questions with their datasets; each element costs memory
_DECLARED = re.compile(r"""\A(\ufeff?\s*<\?xml[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2""")


@dataclass(slots=True)
class Node:
    """An XML element: its tag, attributes, line, child elements and the text directly inside it."""

    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Node] = field(default_factory=list)
    chars: list[str] = field(default_factory=list)

    def child(self, *path: str) -> Node | None:
        node: Node | None = self
        for tag in path:
            node = next((c for c in node.children if c.tag == tag), None) if node else None
        return node

    def all(self, tag: str) -> list[Node]:
        return [c for c in self.children if c.tag == tag]

    def text(self, *path: str, default: str = "") -> str:
        """The trimmed text at `path` (Moodle trims every text it imports), or `default` if it is absent."""
        node = self.child(*path)
        return "".join(node.chars).strip(WHITESPACE) if node else default


class _Builder(ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.root: Node | None = None
        self.stack: list[Node] = []
        self.locator: Locator | None = None
        self.count = 0

    def setDocumentLocator(self, locator: Locator) -> None:
        self.locator = locator

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise SAXException(f"elements nest more than {MAX_DEPTH} deep")
        self.count += 1
        if self.count > MAX_ELEMENTS:
            raise SAXException(f"it has more than {MAX_ELEMENTS} elements; split the bank")
        line = self.locator.getLineNumber() if self.locator else 0
        node = Node(name, {k: attrs.getValue(k) for k in attrs.getNames()}, line or 0)
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def endElement(self, name: str) -> None:
        self.stack.pop()

    def characters(self, content: str) -> None:
        if self.stack:
            self.stack[-1].chars.append(content)


def parse(text: str | bytes, file: str) -> Node:
    """The root element, or Invalid saying why the file is not a safe, well-formed XML document."""
    if len(text) > MAX_BYTES:
        raise too_large(file)
    if isinstance(text, str):
        # Already decoded: whatever encoding the declaration names, the bytes we hand on are UTF-8.
        try:
            data = _DECLARED.sub(r"\1\2UTF-8\2", text, count=1).encode("utf-8")
        except UnicodeEncodeError:
            raise Invalid([Problem("the file is not UTF-8 text; save it as UTF-8", Location(file))]) from None
        if len(data) > MAX_BYTES:
            raise too_large(file)
    else:
        data = text
    builder = _Builder()
    try:
        defusedxml.sax.parseString(data, builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        why = (
            "the file declares a DTD or entities; bank files never need them, so they are refused for safety"
        )
        raise Invalid([Problem(why, Location(file))]) from None
    except SAXParseException as err:
        line = err.getLineNumber()
        where = Location(file, line if isinstance(line, int) and line > 0 else None)
        raise Invalid([Problem(f"the XML is not well-formed: {err.getMessage()}", where)]) from None
    except (SAXException, ValueError, UnicodeError) as err:
        raise Invalid([Problem(f"the XML cannot be read: {err}", Location(file))]) from None
    if builder.root is None:
        raise Invalid([Problem("the file has no XML in it", Location(file))])
    return builder.root
