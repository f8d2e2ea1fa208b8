"""Moodle's gapselect (<selectoption>) and ddwtos (<dragbox>) questions as our gaps, read and written.

Moodle's [[n]] names the choice that is right in that place; ours numbers the gap, and the gap's right
choice is kept beside the text. Reading renumbers the placeholders in the order they stand; writing puts
each gap's right choice back. Gapselect's choices may be picked in any number of gaps (they are selects),
so they are read as infinite; a question whose choices all are is written as gapselect, else as ddwtos.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

from flipmastery.domain.formats.gift_common import short
from flipmastery.domain.formats.moodle_xml_tree import Node
from flipmastery.domain.gaps import gap_problem
from flipmastery.domain.generation import GAP
from flipmastery.domain.questions import GapChoice, Question, QuestionType

MAX_GROUP = 20  # the most groups Moodle's editing form offers


class _Reader(Protocol):
    node: Node

    def problem(self, message: str, at: Node | None = None) -> None: ...
    def base(self, kind: QuestionType) -> Question: ...


def read_gaps(reader: _Reader, tag: str) -> Question:
    """A gapselect (tag "selectoption") or ddwtos (tag "dragbox") question; problems go to the reader."""
    node, select = reader.node, tag == "selectoption"
    choices: list[GapChoice] = []
    for box in node.all(tag):
        group_text = box.text("group", default="1")
        group = int(group_text) if group_text.isdigit() else 0
        if not 1 <= group <= MAX_GROUP:
            reader.problem(
                f"the <group> of a choice must be 1 to {MAX_GROUP}, found {short(group_text)!r}", box
            )
            group = 1
        infinite = select or box.child("infinite") is not None
        choices.append(GapChoice(box.text("text"), group, infinite))
    question = reader.base(QuestionType.GAPS)
    if not choices:
        reader.problem(f"the question has no <{tag}> choices")
        return question
    answers: list[int] = []

    def renumber(match: re.Match[str]) -> str:
        answers.append(int(match.group(1)))
        return f"[[{len(answers)}]]"

    text = GAP.sub(renumber, question.text)
    for gap, answer in enumerate(answers, start=1):
        if not 0 < answer <= len(choices):
            reader.problem(f"gap {gap} is [[{answer}]], but there are {len(choices)} choices")
            return question
    shuffle = node.text("shuffleanswers", default="1") not in ("0", "false", "")
    question = replace(
        question, text=text, gap_choices=tuple(choices), gap_answers=tuple(answers), shuffle=shuffle
    )
    why = gap_problem(question)
    if why:
        reader.problem(why)
    return question


def moodle_text(question: Question) -> str:
    """The text with Moodle's [[n]]: each gap names its right choice."""
    answers = question.gap_answers

    def choice_of(match: re.Match[str]) -> str:
        gap = int(match.group(1))
        return f"[[{answers[gap - 1]}]]" if 0 < gap <= len(answers) else match.group(0)

    return GAP.sub(choice_of, question.text)


def moodle_kind(question: Question) -> str:
    return "gapselect" if all(c.infinite for c in question.gap_choices) else "ddwtos"


def write_choices(question: Question, text: Callable[[str], str]) -> list[str]:
    """<shuffleanswers> and each choice's element; `text` writes a <text> element."""
    tag = "selectoption" if moodle_kind(question) == "gapselect" else "dragbox"
    out = [f"    <shuffleanswers>{int(question.shuffle)}</shuffleanswers>"]
    for choice in question.gap_choices:
        out += [f"    <{tag}>", f"      {text(choice.text)}", f"      <group>{choice.group}</group>"]
        if choice.infinite and tag == "dragbox":
            out.append("      <infinite/>")
        out.append(f"    </{tag}>")
    return out
