"""Paper mode: printed versions of a check for a class without devices, and their results typed back.

A paper copy is an ordinary attempt that also carries a version code. Printing starts it through
`attempt_start`, so the gate, the assembly (least-seen items, fresh numbers) and the snapshot are the
ones a screen gets; entering it saves the answers and submits through `attempt_submit`, so the grading
and the decision are the same too. Nothing here grades or decides on its own.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.timezone import localtime
from django.utils.translation import gettext

from flipmastery.accounts.models import User
from flipmastery.assessments.models import Attempt, AttemptItem, PaperBatch
from flipmastery.assessments.services import AttemptClosed, NotReady, attempt_start, attempt_submit
from flipmastery.assessments.sittings import OnPaper
from flipmastery.classroom.models import Section
from flipmastery.courses.models import Objective
from flipmastery.domain.errors import Invalid, NotFound, Problem
from flipmastery.domain.gating import (
    GATE_CONFERENCE,
    GATE_COOLDOWN,
    GATE_CORRECTIVE,
    GATE_RELEASE,
    CheckMode,
    Standing,
)
from flipmastery.domain.generation import Variant
from flipmastery.domain.grading import clean_response
from flipmastery.domain.mastery import State
from flipmastery.domain.paper import BITS, read_code, shown_code, version_code
from flipmastery.domain.question_codec import from_data
from flipmastery.progress.services import evidence_record, objective_standing
from flipmastery.progress.standings import class_progress, policy_of

MAX_COPIES = 200  # one print run: a few classes at most; a bigger one is a mistake, not a plan


@dataclass(frozen=True)
class Printed:
    """What a print run made: the batch (None when no copy could be made) and who got no copy, and why."""

    batch: PaperBatch | None
    copies: list[Attempt] = field(default_factory=list)
    refused: list[tuple[User, str]] = field(default_factory=list)


def paper_copies_make(
    *, section: Section, objective: Objective, students: Sequence[User], teacher: User, now: datetime
) -> Printed:
    """One printed version of `objective`'s check per student the gate lets take it.

    A student with an open paper copy gets that copy again (a lost sheet is reprinted, not replaced by a
    new version); a student with the check open on a screen and answers saved keeps it there.
    """
    if not students:
        raise Invalid([Problem(gettext("choose at least one student to print a check for"))])
    if len(students) > MAX_COPIES:
        raise Invalid([Problem(gettext("print at most %(max)s copies at a time") % {"max": MAX_COPIES})])
    enrolled = set(section.students.filter(pk__in=[s.pk for s in students]).values_list("pk", flat=True))
    strangers = [s.shown_name() for s in students if s.pk not in enrolled]
    if strangers:
        raise Invalid(
            [
                Problem(
                    gettext("not in %(section)s: %(names)s")
                    % {"section": section.name, "names": ", ".join(strangers)}
                )
            ]
        )
    copies: list[Attempt] = []
    refused: list[tuple[User, str]] = []
    approval = policy_of(objective, section).check_mode is CheckMode.APPROVAL
    with transaction.atomic():
        batch = PaperBatch.objects.create(section=section, objective=objective, made_by=teacher, made_at=now)
        for student in students:
            try:
                attempt = _start_on_paper(section, student, objective, now)
            except NotReady:
                why = print_refusal(objective, objective_standing(section, student, objective, now), approval)
                if why:
                    refused.append((student, why))
                    continue
                # In a class where the teacher approves checks, printing one for a student is the approval.
                evidence_record(
                    section=section,
                    teacher=teacher,
                    student=student,
                    objective=objective,
                    kind="approve",
                    now=now,
                )
                attempt = _start_on_paper(section, student, objective, now)
            if attempt.paper_code is None and _answered_on_screen(attempt):
                refused.append(
                    (student, "has this check open on a screen with answers saved: finish it there")
                )
                continue
            _print(attempt, batch)
            copies.append(attempt)
        if not copies:
            batch.delete()
            return Printed(None, [], refused)
    return Printed(batch, copies, refused)


@dataclass(frozen=True)
class Candidate:
    """A student of the section as the print form lists them: ticked when a copy can be printed."""

    id: int
    name: str
    username: str
    state: str
    note: str  # why no copy can be printed, in the teacher's words; "" when one can
    ticked: bool


def paper_candidates(section: Section, objective: Objective, now: datetime) -> list[Candidate]:
    """Every student of the section with their standing on the objective (the class's replay: a fixed
    number of queries)."""
    _, rows = class_progress(section, now)
    names = {u.pk: u.shown_name() for u in User.objects.filter(enrollments__section=section)}
    approval = policy_of(objective, section).check_mode is CheckMode.APPROVAL
    out = []
    for row in rows:
        s = row.states.get(objective.code)
        if s is not None:
            why = print_refusal(objective, s, approval)
            name = names.get(row.student_id, row.username)
            out.append(Candidate(row.student_id, name, row.username, s.state.value, why, not why))
    return out


def print_refusal(objective: Objective, s: Standing, approval: bool) -> str:
    """Why no copy can be printed for a student in this standing, "" when one can: when the gate lets them
    start the check, when their copy is open (it is printed again), or, where the teacher approves checks,
    when only that approval is missing (printing gives it)."""
    if s.may_start_check or s.state is State.CHECKING or (approval and _waits_for_approval(s)):
        return ""
    return teacher_reason(objective, s)


def _waits_for_approval(s: Standing) -> bool:
    waiting = (State.READY, State.LEARNING, State.CHECK_REQUESTED, State.READY_TO_RETAKE)
    return s.state in waiting and not s.check_passed and not s.gate


GATE_WORDS = {
    GATE_CORRECTIVE: "another way to learn it (a corrective)",
    GATE_CONFERENCE: "a conference with you",
    GATE_COOLDOWN: "the cool-down after the last check",
    GATE_RELEASE: "your release of the retake",
}


def teacher_reason(objective: Objective, s: Standing) -> str:
    """Why no copy is printed for this student, in the teacher's words."""
    if s.state is State.LOCKED:
        return f"{objective.code} is locked: its prerequisites are not mastered yet"
    if s.state is State.MASTERED:
        return f"has mastered {objective.code} already"
    if s.check_passed:
        return f"passed the check of {objective.code}; its activities wait for your sign-off"
    if s.gate:
        return "before a retake: " + "; ".join(GATE_WORDS.get(g, g) for g in s.gate)
    return f"cannot take the check of {objective.code} now ({s.state.value.lower().replace('_', ' ')})"


def _start_on_paper(section: Section, student: User, objective: Objective, now: datetime) -> Attempt:
    """The attempt to print: a new one through the gate, the student's open one not yet answered on a
    screen, or their open paper copy (a screen may not resume it, but a lost sheet is printed again)."""
    try:
        return attempt_start(section=section, student=student, objective=objective, now=now).attempt
    except OnPaper:
        return Attempt.objects.get(
            section=section, student=student, objective=objective, state=Attempt.State.OPEN
        )


def _answered_on_screen(attempt: Attempt) -> bool:
    return AttemptItem.objects.filter(attempt=attempt, response__isnull=False).exists()


def _print(attempt: Attempt, batch: PaperBatch) -> None:
    attempt.paper_batch = batch
    if attempt.paper_code is not None:
        attempt.save(update_fields=["paper_batch"])
        return
    for _ in range(5):  # 40 random bits: a clash is next to impossible, and then the next draw differs
        attempt.paper_code = version_code(secrets.randbits(BITS))
        try:
            with transaction.atomic():
                attempt.save(update_fields=["paper_code", "paper_batch"])
            return
        except IntegrityError:
            continue
    raise RuntimeError("could not draw a free version code")  # pragma: no cover


def paper_copy(user: User, text: str) -> Attempt:
    """The paper copy with this version code, for a teacher of its section; "not found" for anyone else."""
    code = read_code(text)
    if code is None:
        raise NotFound(
            f"“{text.strip()[:40]}” is not a version code: it has 8 letters and digits, like K7QM-2XPD"
        )
    attempt = (
        Attempt.objects.select_related("section__course", "objective", "student", "entered_by")
        .filter(paper_code=code)
        .first()
    )
    teaches = attempt is not None and (
        user.is_school_admin or (user.is_teacher and attempt.section.teachers.filter(pk=user.pk).exists())
    )
    if attempt is None or not teaches:
        raise NotFound(f"There is no paper copy with code {shown_code(code)} in your classes.")
    return attempt


def paper_answers_enter(
    *, attempt: Attempt, responses: Mapping[int, Any], teacher: User, now: datetime
) -> Attempt:
    """Save what the student wrote (item position → response, None for a blank) and submit: all or nothing.

    Every answer that is not of its item's shape is reported with its question number, and nothing is saved.
    """
    with transaction.atomic():
        locked = _open(attempt)
        items = list(AttemptItem.objects.filter(attempt=locked).select_related("version"))
        problems: list[Problem] = []
        for item in items:
            raw = responses.get(item.position)
            try:
                item.response = clean_response(
                    from_data(item.version.data), Variant.from_json(item.variant), raw
                )
            except Invalid as wrong:
                problems += [
                    Problem(
                        gettext("question %(n)s: %(problem)s") % {"n": item.position, "problem": p.message}
                    )
                    for p in wrong.problems
                ]
            item.saved_at = now
        unknown = sorted(set(responses) - {i.position for i in items})
        if unknown:
            problems.append(
                Problem(
                    gettext("this copy has no question %(numbers)s")
                    % {"numbers": ", ".join(map(str, unknown))}
                )
            )
        if problems:
            raise Invalid(problems)
        AttemptItem.objects.bulk_update(items, ["response", "saved_at"])
        return attempt_submit(attempt_id=locked.pk, student=locked.student, now=now, entered_by=teacher)


def paper_marks_enter(
    *, attempt: Attempt, marks: Mapping[int, float], teacher: User, now: datetime
) -> Attempt:
    """Submit the teacher's marks from the paper (item position → share of its points, 0 to 1): all or
    nothing, and every question must have a mark."""
    with transaction.atomic():
        locked = _open(attempt)
        positions = list(
            AttemptItem.objects.filter(attempt=locked).order_by("position").values_list("position", flat=True)
        )
        problems = [
            Problem(gettext("question %(n)s: mark it right, wrong or half right") % {"n": n})
            for n in positions
            if n not in marks
        ]
        problems += [
            Problem(gettext("question %(n)s: a mark is a share of the points, from 0 to 1") % {"n": n})
            for n in positions
            if n in marks and not 0.0 <= marks[n] <= 1.0
        ]
        unknown = sorted(set(marks) - set(positions))
        if unknown:
            problems.append(
                Problem(
                    gettext("this copy has no question %(numbers)s")
                    % {"numbers": ", ".join(map(str, unknown))}
                )
            )
        if problems:
            raise Invalid(problems)
        return attempt_submit(
            attempt_id=locked.pk, student=locked.student, now=now, marks=marks, entered_by=teacher
        )


def _open(attempt: Attempt) -> Attempt:
    locked = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("student", "entered_by")
        .get(pk=attempt.pk)
    )
    if locked.state != Attempt.State.OPEN:
        raise AttemptClosed(already_entered(locked))
    return locked


def already_entered(attempt: Attempt) -> str:
    """Who entered a copy (or submitted it on a screen), when, and what it scored, so that the teacher
    about to type it again knows which result stands: "K7QM-2XPD was already entered by Ms Rao on 7 Dec
    at 22:33: 4/5, GAS-2 passed"."""
    code = shown_code(attempt.paper_code or "")
    if attempt.entered_by is not None:
        how = f"entered by {attempt.entered_by.shown_name()}"
    else:
        how = f"submitted online by {attempt.student.shown_name()}"
    when = ""
    if attempt.submitted_at is not None:
        at = localtime(attempt.submitted_at)
        year = "" if at.year == localtime().year else f" {at.year}"
        when = f" on {at.day} {at:%b}{year} at {at:%H:%M}"
    earned = possible = 0.0
    for points, score in AttemptItem.objects.filter(attempt=attempt, review=False).values_list(
        "points", "score"
    ):
        possible += points
        earned += points * (score or 0.0)
    verdicts = [_verdict(o) for o in (attempt.result or {}).get("objectives", [])]
    return f"{code} was already {how}{when}: {earned:g}/{possible:g}, {', '.join(verdicts)}"


def _verdict(outcome: Mapping[str, Any]) -> str:
    """The check's verdict on one objective (not the state it reached: that may wait for sign-offs)."""
    passed = outcome.get("passed")
    if outcome.get("pending") or passed is None:
        return f"{outcome['code']} waits for you to grade the written answers"
    return f"{outcome['code']} {'passed' if passed else 'not yet'}"
