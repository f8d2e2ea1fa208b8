"""Moodle's Cloze questions (type "cloze" in Moodle XML, "multianswer" inside Moodle) read as our cloze type:
the {…} parts of the question text become [[1]], [[2]] … and the parts beside it (see moodle_cloze)."""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from flipmastery.domain.cloze import cloze_problem
from flipmastery.domain.formats.moodle_cloze import read_cloze_text
from flipmastery.domain.formats.moodle_xml_tree import Node
from flipmastery.domain.questions import Question, QuestionType


class _Reader(Protocol):
    node: Node

    def problem(self, message: str, at: Node | None = None) -> None: ...
    def base(self, kind: QuestionType) -> Question: ...


def read_cloze(reader: _Reader) -> Question:
    """A Cloze question; its problems (Moodle's reasons for refusing one) go to the reader."""
    question = reader.base(QuestionType.CLOZE)
    at = reader.node.child("questiontext") or reader.node
    text, parts, problems = read_cloze_text(question.text, question.format)
    for problem in problems:
        reader.problem(f"invalid Cloze question: {problem}", at)
    if problems:
        return question
    question = replace(question, text=text, cloze_parts=parts)
    why = cloze_problem(question)
    if why:
        reader.problem(f"invalid Cloze question: {why}", at)
    return question
