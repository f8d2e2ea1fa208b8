"""Writes of attempts: start (or resume) a check, autosave one response, submit and grade.

Each writes in one transaction with the attempt row locked, so a double click, two tabs or a retried
request can never make two attempts, lose a saved response or grade twice. A start and a submit read,
build, grade and decide before that transaction, which only writes: on SQLite it holds the one writer's
lock the whole class waits for. Inside it one count (a start) or one read (a submit: its state, its
responses and the count) finds whether anything they read has changed since; if so, they read and
decide again under the lock, as if they had come a moment later.
"""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from flipmastery.accounts.models import User
from flipmastery.assessments.models import Attempt, AttemptItem
from flipmastery.assessments.rendering import shown_item
from flipmastery.assessments.sittings import paper_refusal, refuse_on_paper
from flipmastery.classroom.models import Section
from flipmastery.cockpit.versions import section_changed
from flipmastery.courses.models import Objective, Unit
from flipmastery.domain.assembly import Blueprint, Part, assemble, pick_check, unit_test_blueprint
from flipmastery.domain.errors import DomainError, Invalid, NotFound, Problem
from flipmastery.domain.gating import Blocked, Evidence, Kind, Standing, blocked
from flipmastery.domain.generation import Variant, generate
from flipmastery.domain.grading import ItemResult, Status, clean_response, grade
from flipmastery.domain.mastery import State
from flipmastery.domain.paper import shown_code
from flipmastery.domain.question_codec import from_data
from flipmastery.domain.questions import QuestionType
from flipmastery.lti import outbox
from flipmastery.prepared import Prepared, insert, update
from flipmastery.progress.models import ProgressEvent
from flipmastery.progress.selectors import threshold_for
from flipmastery.progress.services import check_decided, sized_standing, why_no_check
from flipmastery.progress.standings import course_facts, policy_of, sized_history, student_standings
from flipmastery.progress.standings import standings as replay_standings
from flipmastery.questions.frozen import questions_of
from flipmastery.questions.models import QuestionVersion


class AttemptClosed(DomainError):
    code = "conflict"


class NotReady(DomainError):
    code = "not_ready"


@dataclass(frozen=True)
class LeftOut:
    """An objective a unit test or pre-test does not check now, and why (the domain's `Blocked` word)."""

    code: str
    reason: str
    message: str


@dataclass(frozen=True)
class Started:
    attempt: Attempt
    resumed: bool
    left_out: tuple[LeftOut, ...] = ()


def attempt_start(
    *, section: Section, student: User, objective: Objective, now: datetime, seed: int | None = None
) -> Started:
    """The student's open attempt at this objective's check, or a new one built from its bank. `seed`
    makes the version reproducible (the demo's history); by default it is drawn from `secrets`.

    The gate is read and the version built before the write transaction, which only writes: on SQLite
    that transaction holds the one writer's lock every other student's save and submit waits for. Inside
    it, the student's history in the section is counted again; if anything was added since it was read
    (another tab, a submit, the teacher), the start is decided again under the lock, as if it came later."""
    planned = _plan(section, student, objective, now, seed)
    if isinstance(planned, Started):  # a reload or a second tab: nothing to write
        return planned
    try:
        with transaction.atomic():
            if planned.unchanged(section, student):
                return Started(_write(planned.draft), resumed=False)
            return _start(section, student, objective, now, seed)
    except IntegrityError:
        # Two requests raced past the check for an open attempt; the database let one win. Resume it.
        attempt = Attempt.objects.get(section=section, student=student, objective=objective, state="open")
        if attempt.paper_code is not None:  # one sitting, one medium: it stays on paper
            raise paper_refusal(objective.code) from None
        return Started(attempt, resumed=True)


@dataclass(frozen=True)
class Draft:
    """A new attempt built and not yet written: the rows, and the versions it shows for the first time."""

    attempt: Attempt
    items: list[AttemptItem]
    events: list[ProgressEvent]
    unshown: set[int]


@dataclass(frozen=True)
class Plan:
    """A start decided on the student's history as it was `history` events long."""

    history: int
    draft: Draft

    def unchanged(self, section: Section, student: User) -> bool:
        """Still true under the write lock: no event since (events are only ever added), and no version
        shown for the first time, which a teacher may still be editing in place."""
        return not self.draft.unshown and _history_size(section.pk, student.pk) == self.history


def _plan(
    section: Section, student: User, objective: Objective, now: datetime, seed: int | None
) -> Started | Plan:
    """What a start will write, from reads alone: a resumed attempt, a refusal, or a draft."""
    # history: the student's events when the gate was read, counted in the same query; what is read
    # after it is at least as new
    resumed, blueprint, review, history = _decide_start(section, student, objective, now)
    if resumed is not None:
        return resumed
    return Plan(history, _check_draft(section, student, objective, now, blueprint, review, seed))


def _check_draft(
    section: Section,
    student: User,
    objective: Objective,
    now: datetime,
    blueprint: Blueprint,
    review: dict[str, int],
    seed: int | None,
) -> Draft:
    """The draft of a new attempt at one objective's check."""
    return _draft(
        section,
        student,
        [objective],
        blueprint,
        now,
        objective=objective,
        written=objective.check_written,
        review=review,
        seed=seed,
    )


def _start(
    section: Section, student: User, objective: Objective, now: datetime, seed: int | None = None
) -> Started:
    resumed, blueprint, review, _ = _decide_start(section, student, objective, now)
    if resumed is not None:
        return resumed
    attempt = _write(_check_draft(section, student, objective, now, blueprint, review, seed))
    return Started(attempt, resumed=False)


def _decide_start(
    section: Section, student: User, objective: Objective, now: datetime
) -> tuple[Started | None, Blueprint, dict[str, int], int]:
    """The open attempt to resume, or what a new one is built from; NotReady when the gate is shut. Last,
    how many events the student had in the section when the gate was read."""
    now_standing, history = sized_standing(section, student, objective, now)
    if now_standing.state is State.CHECKING:  # a reload or a second tab: resume the open attempt
        open_attempt = Attempt.objects.filter(
            section=section, student=student, objective=objective, state=Attempt.State.OPEN
        ).first()
        if open_attempt is not None:
            if open_attempt.paper_code is not None:  # one sitting, one medium: it stays on paper
                raise paper_refusal(objective.code)
            return Started(open_attempt, resumed=True), Blueprint(()), {}, history
    if not now_standing.may_start_check:
        raise NotReady(why_no_check(objective, now_standing))
    wants_review = policy_of(objective, section).review_items > 0
    review = _mastered(section, student, now) if wants_review else {}
    review.pop(objective.code, None)
    blueprint = Blueprint(
        (Part(objective.code, objective.check_items),),
        review_from=tuple(review),
        review_items=policy_of(objective, section).review_items if review else 0,
    )
    return None, blueprint, review, history


HISTORY_SIZE = "SELECT COUNT(*) FROM progress_progressevent WHERE section_id = %s AND student_id = %s"


def _history_size(section_id: int, student_id: int) -> int:
    """How many progress events the student has in the section: a new one changes it."""
    with connection.cursor() as cursor:
        cursor.execute(HISTORY_SIZE, [section_id, student_id])
        return int(cursor.fetchone()[0])


def unit_test_start(*, section: Section, student: User, unit: Unit, now: datetime) -> Started:
    """The seeds' unit test: items from every objective of the unit the student may be checked on now
    (a retake re-tests only what is not mastered), each decided on its own. What it leaves out — locked,
    mastered, a retake whose gate is closed, a pass waiting for sign-offs — it names, with why."""
    candidates = _candidates(unit.pk, Attempt.Kind.UNIT_TEST)
    return _start_over_unit(section, student, unit, Attempt.Kind.UNIT_TEST, candidates, UNIT_TEST_ITEMS, now)


def pretest_start(*, section: Section, student: User, unit: Unit, now: datetime) -> Started:
    """The diagnostic pre-test of a unit: one item for each prerequisite from earlier units that the
    student may be checked on now. A pass there counts as mastery; a gap is prescribed as pre-teaching."""
    candidates = _candidates(unit.pk, Attempt.Kind.PRETEST)
    return _start_over_unit(section, student, unit, Attempt.Kind.PRETEST, candidates, 1, now)


def _candidates(unit_id: int, kind: str) -> QuerySet[Objective]:
    """What a unit test (the unit's objectives) or a pre-test (their prerequisites from earlier units)
    may check, in order."""
    if kind == Attempt.Kind.PRETEST:
        return (
            Objective.objects.filter(unlocks__unit=unit_id, retired=False)
            .exclude(unit=unit_id)
            .distinct()
            .order_by("unit__order", "order", "id")
        )
    return Objective.objects.filter(unit=unit_id, retired=False).order_by("order", "id")


def left_out_of(attempt: Attempt, now: datetime) -> tuple[LeftOut, ...]:
    """What an open unit test or pre-test does not check, and why: computed as its start computes it on a
    resume (the same candidates, the same standings, the same words), so nothing is stored."""
    if attempt.unit_id is None or attempt.kind == Attempt.Kind.CHECK:
        return ()
    scope = set(attempt.thresholds)
    by_code = _standings_by_code(attempt.section, attempt.student, now)
    return _left_out([o for o in _candidates(attempt.unit_id, attempt.kind) if o.code not in scope], by_code)


def _start_over_unit(
    section: Section,
    student: User,
    unit: Unit,
    kind: str,
    candidates: Iterable[Objective],
    per_objective: int,
    now: datetime,
) -> Started:
    found = {"section": section, "student": student, "unit": unit, "kind": kind, "state": Attempt.State.OPEN}
    try:
        with transaction.atomic():
            objectives = list(candidates)
            by_code = _standings_by_code(section, student, now)
            open_attempt = Attempt.objects.filter(**found).first()
            if open_attempt is not None:
                scope = set(open_attempt.thresholds)
                left = _left_out([o for o in objectives if o.code not in scope], by_code)
                return Started(open_attempt, resumed=True, left_out=left)
            todo = [o for o in objectives if blocked(by_code[o.code]) is None]
            left = _left_out([o for o in objectives if o not in todo], by_code)
            if not todo:
                raise NotReady(_nothing_to_check(unit, kind, left))
            blueprint = unit_test_blueprint([o.code for o in todo], set(), per_objective)
            attempt = _build(section, student, todo, blueprint, now, unit=unit, kind=kind)
            return Started(attempt, resumed=False, left_out=left)
    except IntegrityError:
        return Started(Attempt.objects.get(**found), resumed=True)


def _left_out(objectives: list[Objective], by_code: Mapping[str, Standing]) -> tuple[LeftOut, ...]:
    found = []
    for o in objectives:
        reason = blocked(by_code[o.code])
        if reason is None:  # opened after this test started: the next check of it will ask
            found.append(
                LeftOut(
                    o.code, "opened_later", _("%(code)s opened after this test started.") % {"code": o.code}
                )
            )
        else:
            found.append(LeftOut(o.code, reason.value, why_no_check(o, by_code[o.code])))
    return tuple(found)


def _nothing_to_check(unit: Unit, kind: str, left: tuple[LeftOut, ...]) -> str:
    if all(o.reason == Blocked.MASTERED.value for o in left):
        if kind == Attempt.Kind.PRETEST:
            return _("Nothing to check before %(unit)s: its prerequisites are mastered.") % {
                "unit": unit.title
            }
        return _("Every objective of %(unit)s is mastered already.") % {"unit": unit.title}
    return _("Nothing in %(unit)s can be checked now. %(why)s") % {
        "unit": unit.title,
        "why": " ".join(o.message for o in left if o.reason != Blocked.MASTERED.value),
    }


UNIT_TEST_ITEMS = 2  # per objective: the seeds' "1–2 items"; two give each decision a little more evidence


def _build(
    section: Section,
    student: User,
    objectives: list[Objective],
    blueprint: Blueprint,
    now: datetime,
    *,
    objective: Objective | None = None,
    unit: Unit | None = None,
    written: int = 0,
    review: dict[str, int] | None = None,
    kind: str = "",
    seed: int | None = None,
) -> Attempt:
    """Pick, generate and write the items of a new attempt, in a fixed number of queries."""
    return _write(
        _draft(
            section,
            student,
            objectives,
            blueprint,
            now,
            objective=objective,
            unit=unit,
            written=written,
            review=review,
            kind=kind,
            seed=seed,
        )
    )


def _draft(
    section: Section,
    student: User,
    objectives: list[Objective],
    blueprint: Blueprint,
    now: datetime,
    *,
    objective: Objective | None = None,
    unit: Unit | None = None,
    written: int = 0,
    review: dict[str, int] | None = None,
    kind: str = "",
    seed: int | None = None,
) -> Draft:
    """Pick and generate the items of a new attempt and snapshot them, reading only."""
    codes = {o.pk: o.code for o in objectives}
    codes.update({pk: code for code, pk in (review or {}).items()})
    current, seen = _current_versions(list(codes), student.pk)  # question → its current version
    banks: dict[str, list[int]] = defaultdict(list)
    written_banks: dict[str, list[int]] = defaultdict(list)
    for question, version in current.items():
        free = version.type == QuestionType.FREE_RESPONSE.value
        (written_banks if free else banks)[codes[version.objective]].append(question)
    seed = secrets.randbits(62) if seed is None else seed
    rng = random.Random(seed)
    if objective is not None:
        picks = pick_check(objective.code, objective.check_items, written, banks, written_banks, seen, rng)
        if blueprint.review_items:  # spaced retrieval: a few items from objectives already mastered
            review_only = Blueprint((), blueprint.review_from, blueprint.review_items)
            picks += assemble(review_only, banks, seen, rng)
    else:
        picks = assemble(blueprint, banks, seen, rng)
    attempt = Attempt(
        section=section,
        student=student,
        objective=objective,
        unit=unit,
        kind=kind or (Attempt.Kind.CHECK if objective is not None else Attempt.Kind.UNIT_TEST),
        seed=seed,
        thresholds={o.code: threshold_for(o, section) for o in objectives},
        started_at=now,
    )
    shared: dict[str, dict[str, float]] = {}
    items = []
    said = questions_of(current[p.question].version for p in picks)
    for position, pick in enumerate(picks, start=1):
        version_id = current[pick.question].version
        value = said[version_id]
        variant = generate(value, rng, shared)
        items.append(
            AttemptItem(
                attempt=attempt,
                position=position,
                objective_code=pick.objective,
                review=pick.review,
                question_id=pick.question,
                version_id=version_id,
                variant=variant.to_json(),
                shown=shown_item(version_id, value, variant),
                points=value.points,
            )
        )
    unshown = {i.version_id for i in items if not current[i.question_id].shown}
    events = [
        ProgressEvent(
            section=section,
            student=student,
            objective=o,
            kind="check_started",
            state=State.CHECKING,
            at=now,
        )
        for o in objectives
        if attempt.kind != Attempt.Kind.PRETEST  # a diagnostic puts nobody in the middle of a check
    ]
    return Draft(attempt, items, events, unshown)


def _write(draft: Draft) -> Attempt:
    """Write a drafted attempt, its items and its events; mark the versions it shows as shown."""
    attempt, items = draft.attempt, draft.items
    insert([attempt])
    for item in items:
        item.attempt = attempt  # its id is known now
    section_changed(attempt.section_id)  # a check started: every server's grid shows it
    insert(items)
    attempt._prefetched_objects_cache = {"items": items}  # type: ignore[attr-defined]  # shown next: no re-read
    if draft.unshown:  # a version once shown to a student is kept as it is (edits make a new one)
        QuestionVersion.objects.filter(pk__in=draft.unshown, shown=False).update(shown=True)
    if draft.events:
        insert(draft.events)
    return attempt


# The reads of a start, written out: the ORM spent more CPU building them than the database answering
# (tests/api/test_attempts.py pins the tables and columns). Only placeholders go into the text.
# The questions that can be asked, with their current version and in how many of the student's attempts
# each was asked (the draft picks the least seen): one statement, since on PostgreSQL each round trip
# costs both sides CPU.
CURRENT_VERSIONS = (
    "SELECT q.id, v.id, v.type, v.shown, q.objective_id, s.n FROM questions_question q"
    " INNER JOIN questions_questionversion v ON v.id = q.current_id"
    " LEFT JOIN (SELECT i.question_id, COUNT(DISTINCT i.attempt_id) AS n FROM assessments_attemptitem i"
    " INNER JOIN assessments_attempt a ON a.id = i.attempt_id"
    " WHERE a.student_id = %s GROUP BY i.question_id) s ON s.question_id = q.id"
    " WHERE q.objective_id IN ({objectives}) AND NOT q.retired AND v.type <> %s ORDER BY q.id"
)


@dataclass(frozen=True)
class Current:
    """A question's current version, as a start picks from it: what it says is read for the picked."""

    version: int
    type: str
    shown: bool
    objective: int


def _current_versions(objective_ids: list[int], student_id: int) -> tuple[dict[int, Current], dict[int, int]]:
    """Question → its current version, for the live questions of these objectives that can be asked; and
    question → in how many of the student's attempts it was asked (those asked at all)."""
    if not objective_ids:
        return {}, {}
    sql = CURRENT_VERSIONS.format(objectives=", ".join(["%s"] * len(objective_ids)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [student_id, *objective_ids, QuestionType.DESCRIPTION.value])
        rows = cursor.fetchall()
    current = {int(q): Current(int(v), str(kind), bool(shown), int(o)) for q, v, kind, shown, o, _ in rows}
    return current, {int(row[0]): int(row[5]) for row in rows if row[5]}


def _standings_by_code(section: Section, student: User, now: datetime) -> dict[str, Standing]:
    facts, by_id = student_standings(section, student.pk, now)
    return {f.code: by_id[f.id] for f in facts}


def _mastered(section: Section, student: User, now: datetime) -> dict[str, int]:
    """Code → id of the objectives the replay says are MASTERED (a pass waiting for sign-offs is not)."""
    facts, by_id = student_standings(section, student.pk, now)
    return {f.code: f.id for f in facts if by_id[f.id].state is State.MASTERED}


def response_save(
    *, attempt_id: int, student: User, position: int, response: Any, now: datetime, on_screen: bool = False
) -> AttemptItem:
    """Autosave one response. Refused once the attempt is submitted; the last save before it counts.
    `on_screen`: the student answers on a screen, which a printed copy refuses (one sitting, one medium)."""
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().filter(pk=attempt_id, student=student).first()
        if attempt is None:
            raise NotFound("attempt not found")
        if attempt.state != Attempt.State.OPEN:
            raise AttemptClosed("This check was submitted; its answers can no longer change.")
        if on_screen:
            refuse_on_paper(attempt, student)
        item = next(  # (attempt, position) is unique: no ORDER BY, whose default here joins the attempt
            iter(
                AttemptItem.objects.select_related("version")
                .filter(attempt=attempt, position=position)
                .order_by()[:1]
            ),
            None,
        )
        if item is None:
            raise NotFound(f"this attempt has no item {position}")
        value = from_data(item.version.data)
        item.response = clean_response(value, Variant.from_json(item.variant), response)
        item.saved_at = now
        AttemptItem.objects.filter(pk=item.pk).update(response=item.response, saved_at=now)
        return item


# by its primary key: no ORDER BY; the student is the one given, not joined again
def _attempt_query(locked: bool) -> Any:
    def build(attempt_id: int, student_id: int) -> QuerySet[Attempt]:
        found = Attempt.objects.select_for_update(of=("self",)) if locked else Attempt.objects.all()
        return (
            found.select_related("objective", "section__course")
            .filter(pk=attempt_id, student_id=student_id)
            .order_by()[:1]
        )

    return build


_SUBMITTED_ATTEMPT = Prepared(_attempt_query(locked=True), int, int)
_ATTEMPT_TO_SUBMIT = Prepared(_attempt_query(locked=False), int, int)  # read before the write transaction
# by position alone: the default order joins the attempt
_ITEMS_TO_GRADE = Prepared(
    lambda attempt_id: AttemptItem.objects.filter(attempt_id=attempt_id).order_by("position"),
    int,
)


def attempt_submit(
    *,
    attempt_id: int,
    student: User,
    now: datetime,
    marks: Mapping[int, float] | None = None,
    entered_by: User | None = None,
    on_screen: bool = False,
) -> Attempt:
    """Grade every item and decide per objective. Submitting again returns the first result unchanged.

    A paper copy is submitted by the teacher who enters it (`entered_by`), with the student's answers
    already saved, or with `marks`: item position → the share of its points the teacher gave on paper;
    the student submitting `on_screen` is refused it.

    The attempt is read, graded and decided before the write transaction, which only writes. Inside it
    (the attempt's row locked first where the database can), one read finds whether the attempt is still open
    with the same responses and the student's history as long: if not (a save, a second click, the
    teacher), it is graded and decided again under the lock.
    """
    graded = _grade(attempt_id, student, now, marks, entered_by, on_screen, locked=False)
    if isinstance(graded, Attempt):  # submitted already: its first result, unchanged
        return graded
    with transaction.atomic():
        if not graded.unchanged():
            again = _grade(attempt_id, student, now, marks, entered_by, on_screen, locked=True)
            if isinstance(again, Attempt):
                return again
            graded = again
        return _write_grades(graded, now)


@dataclass
class Graded:
    """An attempt graded and decided, not yet written; what it was graded from, to compare under the lock."""

    attempt: Attempt
    items: list[AttemptItem]
    missed_reviews: set[str]
    decisions: Decisions | None
    history: int  # the student's events in the section when its history was read
    responses: dict[int, Any]  # item id → the response graded
    on_an_lms: bool | None = None  # whether the section is on an LMS, read in the write transaction

    def unchanged(self) -> bool:
        """Still open, with the same responses, and no event since: the one read of the transaction, which
        also notes whether the section is on an LMS (for `_record`)."""
        found = _submit_state(self.attempt.pk)
        self.on_an_lms = found[3] if found is not None else None
        return (
            found is not None
            and found[0] == Attempt.State.OPEN
            and found[1] == self.history
            and found[2] == self.responses
        )


def _grade(
    attempt_id: int,
    student: User,
    now: datetime,
    marks: Mapping[int, float] | None,
    entered_by: User | None,
    on_screen: bool,
    *,
    locked: bool,
) -> Attempt | Graded:
    """The attempt graded and its objectives decided, from reads alone; a submitted attempt as it is."""
    attempt = (_SUBMITTED_ATTEMPT if locked else _ATTEMPT_TO_SUBMIT).first(attempt_id, student.pk)
    if attempt is None:
        raise NotFound("attempt not found")
    attempt.student = student
    if attempt.state == Attempt.State.SUBMITTED:
        return attempt
    if on_screen:
        refuse_on_paper(attempt, student)
    items = _ITEMS_TO_GRADE(attempt.pk)
    earned: dict[str, float] = defaultdict(float)
    possible: dict[str, float] = defaultdict(float)
    pending: set[str] = set()
    missed_reviews: set[str] = set()
    responses = {}
    said = questions_of(i.version_id for i in items) if marks is None else {}
    for item in items:
        responses[item.pk] = item.response
        if marks is not None:
            result = ItemResult(marks[item.position], _status_of(marks[item.position]), ())
        else:
            result = grade(said[item.version_id], Variant.from_json(item.variant), item.response)
        item.score, item.status, item.feedback = result.score, result.status.value, list(result.feedback)
        if item.review:
            if result.score < 1.0:
                missed_reviews.add(item.objective_code)
            continue  # a review item flags "review due"; it does not count toward this check
        possible[item.objective_code] += item.points
        earned[item.objective_code] += item.points * result.score
        if result.status is Status.PENDING:
            pending.add(item.objective_code)
    attempt._prefetched_objects_cache = {"items": items}  # type: ignore[attr-defined]
    attempt.result = _result(attempt, earned, possible, pending)
    attempt.state = Attempt.State.SUBMITTED
    attempt.submitted_at = now
    attempt.entered_by = entered_by
    decisions = _decisions(attempt, now, entered_by)
    if locked:
        history = 0  # not compared: nothing can come between under the lock
    elif decisions is not None:
        history = decisions.history  # counted with the history the decisions were read from
    else:  # nothing decided (a teacher grades first): nothing read from the history, but it is compared
        history = _history_size(attempt.section_id, student.pk)
    return Graded(attempt, items, missed_reviews, decisions, history, responses)


def _write_grades(graded: Graded, now: datetime) -> Attempt:
    attempt = graded.attempt
    _store_grades(graded.items)
    update(attempt, ["result", "state", "submitted_at", "entered_by"])
    if graded.decisions is not None:
        _record(attempt, graded.decisions, now, on_an_lms=graded.on_an_lms)
    if graded.missed_reviews:
        _review_missed(attempt, graded.missed_reviews, now)
    return attempt


# Whether an attempt graded before its write transaction may be written as graded (tests/api pins it)
# and whether its section is on an LMS (a grade to queue: lti/outbox.py), read here instead of apart
SUBMIT_STATE = (
    "SELECT a.state, (SELECT COUNT(*) FROM progress_progressevent e"
    " WHERE e.section_id = a.section_id AND e.student_id = a.student_id), i.id, i.response,"
    " EXISTS (SELECT 1 FROM lti_context c WHERE c.section_id = a.section_id)"
    " FROM assessments_attempt a INNER JOIN assessments_attemptitem i ON i.attempt_id = a.id"
    " WHERE a.id = %s"
)
LOCK_ATTEMPT = "SELECT id FROM assessments_attempt WHERE id = %s FOR UPDATE"


def _submit_state(attempt_id: int) -> tuple[str, int, dict[int, Any], bool] | None:
    """The attempt's state, the student's events in its section, item id → response, and whether the
    section is on an LMS.

    Where rows can be locked (PostgreSQL), the attempt's row is locked first, as a save locks it, and
    held to the end of the transaction; the read comes in a statement of its own, so that it sees a save
    that committed while the lock was awaited (one statement reads as of its start). SQLite's writer has
    the whole database to itself already."""
    response = AttemptItem._meta.get_field("response")
    with connection.cursor() as cursor:
        if connection.features.has_select_for_update:
            cursor.execute(LOCK_ATTEMPT, [attempt_id])
        cursor.execute(SUBMIT_STATE, [attempt_id])
        rows = cursor.fetchall()
    if not rows:
        return None
    found = {int(r[2]): response.from_db_value(r[3], None, connection) for r in rows}  # type: ignore[attr-defined,arg-type]
    return str(rows[0][0]), int(rows[0][1]), found, bool(rows[0][4])


# one statement for every item (executemany): Django's bulk_update builds a CASE per column and item, which
# cost more CPU than grading the check (tests/api/test_attempts.py pins the table and columns)
STORE_GRADE = "UPDATE assessments_attemptitem SET score = %s, status = %s, feedback = %s WHERE id = %s"


def _store_grades(items: list[AttemptItem]) -> None:
    feedback = AttemptItem._meta.get_field("feedback")
    rows = [
        (item.score, item.status, feedback.get_db_prep_save(item.feedback, connection), item.pk)
        for item in items
    ]
    with connection.cursor() as cursor:
        cursor.executemany(STORE_GRADE, rows)


def _result(
    attempt: Attempt, earned: dict[str, float], possible: dict[str, float], pending: set[str]
) -> dict[str, Any]:
    objectives = []
    for code, threshold in attempt.thresholds.items():
        score = round(earned[code] / possible[code], 4) if possible[code] else 0.0
        decided = code not in pending
        objectives.append(
            {
                "code": code,
                "score": score,
                "threshold": threshold,
                "passed": (score >= threshold - 1e-9) if decided else None,
                "pending": not decided,
            }
        )
    return {"objectives": objectives}


def _review_missed(attempt: Attempt, codes: set[str], now: datetime) -> None:
    """A missed review item flags "review due" on its objective; mastery is kept."""
    ids = dict(
        Objective.objects.filter(course_id=attempt.section.course_id, code__in=codes).values_list(
            "code", "pk"
        )
    )
    ProgressEvent.objects.bulk_create(
        ProgressEvent(
            section_id=attempt.section_id,
            student_id=attempt.student_id,
            objective_id=ids[code],
            kind=Kind.REVIEW_MISSED.value,
            state=State.MASTERED,
            reason=f"attempt {attempt.pk}: a review item was missed",
            at=now,
        )
        for code in sorted(codes)
        if code in ids
    )


def _record_decisions(attempt: Attempt, now: datetime, actor: User | None = None) -> None:
    """Record each decided objective's check result with the state the domain's replay reaches with it
    (a pass still short of sign-offs is not MASTERED), and keep the queue in step."""
    decisions = _decisions(attempt, now, actor)
    if decisions is not None:
        _record(attempt, decisions, now)


@dataclass(frozen=True)
class Decisions:
    """The check-result events of a graded attempt, each with the state the replay reaches with it."""

    events: list[ProgressEvent]
    after: dict[int, Standing]  # objective id → standing with these results
    ids: dict[str, int]  # code → objective id, of the course's live objectives
    history: int  # how many events the student had in the section when the history was read


def _decisions(attempt: Attempt, now: datetime, actor: User | None = None) -> Decisions | None:
    """The events a graded attempt records, from reads alone; None while a teacher must grade first."""
    decided = [o for o in attempt.result["objectives"] if o["passed"] is not None]
    if not decided:
        return None  # a teacher must grade the free responses first
    section = attempt.section
    facts = course_facts(section)
    ids = {f.code: f.id for f in facts}
    history, size = sized_history(attempt.section_id, attempt.student_id)
    pretest = attempt.kind == Attempt.Kind.PRETEST
    events = []
    for o in decided:
        oid = ids.get(o["code"])
        if oid is None:
            continue  # retired since the check started: nothing left to decide
        passed = bool(o["passed"])
        # A pre-test is diagnostic: a pass counts as mastery; a gap is noted for pre-teaching, not "not yet".
        gap = pretest and not passed
        if not gap:
            history.setdefault(oid, []).append(Evidence(Kind.CHECK_RESULT, now.timestamp(), outcome=passed))
        events.append(
            ProgressEvent(
                section_id=attempt.section_id,
                student_id=attempt.student_id,
                objective_id=oid,
                kind="pretest_gap" if gap else "check_result",
                outcome=None if gap else passed,
                reason=_decision_reason(attempt, o),
                actor=actor,
                at=now,
            )
        )
    after = replay_standings(facts, history, now)
    for event in events:
        event.state = after[event.objective_id].state.value
    attempt.standings = {f.code: after[f.id] for f in facts}  # type: ignore[attr-defined]  # for the view
    return Decisions(events, after, ids, size)


def _record(attempt: Attempt, decisions: Decisions, now: datetime, *, on_an_lms: bool | None = None) -> None:
    """Write the decided events; tell the grids, the LMS (`on_an_lms`: whether the section is on one, when
    it was read in this transaction) and the queue."""
    events, after, ids = decisions.events, decisions.after, decisions.ids
    section = attempt.section
    insert(events)
    if attempt.kind == Attempt.Kind.PRETEST:  # a pass is mastery: the grids and the LMS hear it
        decided_ids = [Objective(pk=e.objective_id) for e in events]  # (there is nothing for the queue)
        outbox.note_changed(
            section=section, student=attempt.student, objectives=decided_ids, now=now, on_an_lms=on_an_lms
        )
        section_changed(section.pk)
        return
    objectives = (
        {attempt.objective.code: attempt.objective}
        if attempt.objective is not None
        else {o.code: o for o in Objective.objects.filter(pk__in=[e.objective_id for e in events])}
    )
    for o in attempt.result["objectives"]:
        if o["passed"] is not None and o["code"] in objectives:
            check_decided(
                section=section,
                student=attempt.student,
                objective=objectives[o["code"]],
                passed=bool(o["passed"]),
                mastered=after[ids[o["code"]]].state is State.MASTERED,
                now=now,
                on_an_lms=on_an_lms,
            )


def _decision_reason(attempt: Attempt, outcome: Mapping[str, Any]) -> str:
    if attempt.kind == Attempt.Kind.PRETEST:
        return f"pre-test {attempt.pk}{_on_paper(attempt)}: {outcome['score']:.0%}"
    return (
        f"attempt {attempt.pk}{_on_paper(attempt)}: {outcome['score']:.0%}"
        f" (threshold {outcome['threshold']:.0%})"
    )


def _on_paper(attempt: Attempt) -> str:
    return f" (paper copy {shown_code(attempt.paper_code)})" if attempt.paper_code else ""


def item_grade(
    *, attempt: Attempt, position: int, score: float, feedback: str, teacher: User, now: datetime
) -> Attempt:
    """A teacher grades a free response (0..1 of its points); once none is pending, the check decides."""
    if not 0.0 <= score <= 1.0:
        raise Invalid([Problem(_("the score is a share of the item's points, from 0 to 1"))])
    with transaction.atomic():
        locked = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("objective", "section__course", "student")
            .get(pk=attempt.pk)
        )
        if locked.state != Attempt.State.SUBMITTED:
            raise AttemptClosed("Grade this answer once the student has submitted the check.")
        item = AttemptItem.objects.filter(attempt=locked, position=position).first()
        if item is None:
            raise NotFound(f"this attempt has no item {position}")
        if item.shown.get("type") != QuestionType.FREE_RESPONSE.value:
            raise DomainError("Only written answers are graded by hand; the others are graded automatically.")
        was_pending = any(o["pending"] for o in locked.result["objectives"])
        item.score, item.status = score, _status_of(score).value
        item.feedback = [feedback] if feedback else []
        item.save(update_fields=["score", "status", "feedback"])
        items = list(AttemptItem.objects.filter(attempt=locked))
        earned: dict[str, float] = defaultdict(float)
        possible: dict[str, float] = defaultdict(float)
        pending = {i.objective_code for i in items if i.status == Status.PENDING.value and not i.review}
        for i in items:
            if not i.review:
                possible[i.objective_code] += i.points
                earned[i.objective_code] += i.points * (i.score or 0.0)
        locked.result = _result(locked, earned, possible, pending)
        locked.save(update_fields=["result"])
        if was_pending and not pending:
            _record_decisions(locked, now, teacher)
        return locked


def _status_of(score: float) -> Status:
    return Status.CORRECT if score >= 1 else Status.PARTIAL if score > 0 else Status.INCORRECT
