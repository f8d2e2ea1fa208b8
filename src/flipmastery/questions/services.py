"""Writes to question banks: import a bank file whole or not at all, save a question as a new version."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from flipmastery.accounts.models import User
from flipmastery.courses.models import Objective
from flipmastery.domain.errors import Invalid, Location, Problem
from flipmastery.domain.formats.bank import BankEntry, read_bank
from flipmastery.domain.generation import variant_count
from flipmastery.domain.grading import question_problems
from flipmastery.domain.question_codec import to_data
from flipmastery.domain.questions import Question as QuestionValue
from flipmastery.questions.models import Question, QuestionVersion

MAX_VARIANTS = 10**18  # stored in a bigint; more than any class will ever see


@dataclass
class BankReport:
    objective: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: list[str] = field(default_factory=list)
    dry_run: bool = False

    def line(self) -> str:
        verb = "would be" if self.dry_run else "were"
        parts = [f"{self.created} new", f"{self.updated} changed", f"{self.unchanged} unchanged"]
        if self.retired:
            parts.append(f"{len(self.retired)} retired")
        return f"bank of {self.objective}: {', '.join(parts)} ({verb} saved)"


def entry_problems(entries: Sequence[BankEntry], file: str) -> list[Problem]:
    """Questions that read well but would fail a student (e.g. a key that does not grade full marks)."""
    rng = random.Random(0)  # fixed: the same file gives the same verdict every time
    problems = []
    for entry in entries:
        for message in question_problems(entry.question, rng):
            problems.append(
                Problem(
                    f"question {entry.question.key or entry.question.title!r}: {message}",
                    Location(file, entry.line),
                )
            )
    return problems


def bank_keys(entries: Sequence[BankEntry]) -> list[str]:
    """A stable key for every entry: its own, or one made from its title or text (unique in the file)."""
    keys: list[str] = []
    for entry in entries:
        q = entry.question
        base = (
            q.key
            or q.title
            or re.sub(r"\s+", " ", re.sub(r"[{}$\\*_#<>]", "", q.text)).strip()[:80]
            or q.type.value
        )
        key, n = base[:200], 2
        while key in keys:
            key, n = f"{base[:190]} ({n})", n + 1
        keys.append(key)
    return keys


@transaction.atomic
def bank_import(
    *,
    objective: Objective,
    text: str | bytes,
    file: str,
    fmt: str | None = None,
    actor: User | None = None,
    replace: bool = False,
    dry_run: bool = False,
) -> BankReport:
    """Load a bank file into an objective's bank; Invalid (nothing saved) lists every problem with its line.

    Questions are matched by key: a changed question gets a new version (or is edited in place if no
    attempt has shown its current version yet). With `replace`, questions the file no longer has are
    retired, never deleted, since attempts refer to them.
    """
    entries = read_bank(text, file, fmt)
    problems = entry_problems(entries, file)
    if problems:
        raise Invalid(problems)
    report = bank_save(objective=objective, entries=entries, actor=actor, replace=replace)
    if dry_run:
        report.dry_run = True
        transaction.set_rollback(True)
    return report


def bank_save(
    *, objective: Objective, entries: Sequence[BankEntry], actor: User | None, replace: bool
) -> BankReport:
    report = BankReport(objective.code)
    existing = {q.key: q for q in Question.objects.filter(objective=objective).select_related("current")}
    keys = bank_keys(entries)
    for order, (key, entry) in enumerate(zip(keys, entries, strict=True)):
        question = existing.get(key)
        if question is None:
            question = Question.objects.create(objective=objective, key=key, order=order)
            _new_version(question, entry.question, actor)
            report.created += 1
            continue
        changed = question.current is None or question.current.data != to_data(entry.question)
        if changed:
            question_save(question=question, value=entry.question, actor=actor)
            report.updated += 1
        else:
            report.unchanged += 1
        if question.order != order or question.retired:
            Question.objects.filter(pk=question.pk).update(order=order, retired=False)
    if replace:
        gone = [q for k, q in existing.items() if k not in set(keys) and not q.retired]
        Question.objects.filter(pk__in=[q.pk for q in gone]).update(retired=True)
        report.retired = [q.key for q in gone]
    return report


def question_save(*, question: Question, value: QuestionValue, actor: User | None) -> QuestionVersion:
    """Save what a question says now. A version an attempt has shown is frozen: a new one is made."""
    current = (
        QuestionVersion.objects.select_for_update().filter(pk=question.current_id).first()
        if question.current_id
        else None
    )
    if current is not None and not current.shown:
        current.data = to_data(value)
        current.type = value.type.value
        current.title = value.title[:300]
        current.variants = min(variant_count(value), MAX_VARIANTS)
        current.save(update_fields=["data", "type", "title", "variants"])
        return current
    return _new_version(question, value, actor)


def _new_version(question: Question, value: QuestionValue, actor: User | None) -> QuestionVersion:
    last = question.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = QuestionVersion.objects.create(
        question=question,
        number=last + 1,
        type=value.type.value,
        title=value.title[:300],
        data=to_data(value),
        variants=min(variant_count(value), MAX_VARIANTS),
        created_by=actor,
    )
    question.current = version
    question.save(update_fields=["current"])
    return version


@transaction.atomic
def question_create(*, objective: Objective, value: QuestionValue, actor: User | None) -> Question:
    problems = question_problems(value, random.Random(0))
    if problems:
        raise Invalid([Problem(p) for p in problems])
    key = bank_keys([BankEntry(value, 1)])[0]
    taken = set(Question.objects.filter(objective=objective).values_list("key", flat=True))
    base, n = key, 2
    while key in taken:
        key, n = f"{base[:190]} ({n})", n + 1
    order = Question.objects.filter(objective=objective).count()
    question = Question.objects.create(objective=objective, key=key, order=order)
    _new_version(question, value, actor)
    return question


@transaction.atomic
def question_edit(*, question: Question, value: QuestionValue, actor: User | None) -> QuestionVersion:
    problems = question_problems(value, random.Random(0))
    if problems:
        raise Invalid([Problem(p) for p in problems])
    return question_save(question=question, value=value, actor=actor)


def question_retire(*, question: Question, retired: bool = True) -> None:
    Question.objects.filter(pk=question.pk).update(retired=retired)
