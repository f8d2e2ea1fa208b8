"""Writes of the mastery loop: evidence, learning objects used, requests and the teacher's queue.

Each write appends a ProgressEvent carrying the state the student reaches (replayed by the domain),
and keeps the queue in step: a "not yet" puts a conference in it; the conference resolves it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Section
from flipmastery.cockpit.versions import section_changed
from flipmastery.courses.models import Activity, LearningObject, Objective
from flipmastery.domain.errors import DomainError, Invalid, NotFound, Problem
from flipmastery.domain.gating import Kind, Standing, evidence, standing
from flipmastery.domain.mastery import State
from flipmastery.domain.watching import ENOUGH, add_stretch, watched_share
from flipmastery.lti import outbox
from flipmastery.progress.models import LearningObjectUse, ProgressEvent, QueueEntry, VideoWatch
from flipmastery.progress.standings import course_facts, policy_of, sized_history

TEACHER_KINDS = {"verbal", "activity", "conference", "release", "approve", "override"}
MAX_TAGS = 10


class NotAllowedNow(DomainError):
    code = "not_ready"


def objective_standing(section: Section, student: User, objective: Objective, now: datetime) -> Standing:
    """One student's standing on one objective (its live prerequisites by their own replay), as the grid
    replays it: the course's facts from memory, the student's history of these objectives in one query."""
    return sized_standing(section, student, objective, now)[0]


def sized_standing(
    section: Section, student: User, objective: Objective, now: datetime
) -> tuple[Standing, int]:
    """`objective_standing`, and how many events the student had in the section when it was read (all
    objectives: a start compares it under its write lock to find anything added since)."""
    facts = {f.id: f for f in course_facts(section)}
    target = facts.get(objective.pk)
    if target is None:  # retired, or of another course: its own facts, its live prerequisites'
        wanted = [objective, *objective.prerequisites.filter(retired=False)]
        found_facts = course_facts(section, wanted, graph=False)
        target, prerequisites = found_facts[0], found_facts[1:]
    else:
        prerequisites = [facts[p] for p in target.prerequisites if p in facts]
    found, size = sized_history(section.pk, student.pk, [target.id, *(f.id for f in prerequisites)])
    met = all(  # a prerequisite is met when mastered as the grid says: check passed and signed off
        standing(
            found.get(f.id, []),
            f.policy,
            prerequisites_met=True,
            learning_objects=f.learning_objects,
            activities=f.activities,
            now=now.timestamp(),
        ).state
        is State.MASTERED
        for f in prerequisites
    )
    return standing(
        found.get(target.id, []),
        target.policy,
        prerequisites_met=met,
        learning_objects=target.learning_objects,
        activities=target.activities,
        now=now.timestamp(),
    ), size


def _append(
    *,
    section: Section,
    student: User,
    objective: Objective,
    kind: str,
    now: datetime,
    actor: User | None,
    outcome: bool | None = None,
    ref: str = "",
    note: str = "",
    tags: list[str] | None = None,
    state: State | None = None,
    reason: str = "",
) -> ProgressEvent:
    """Append one event; its `state` is where the replay of the whole history now puts the student."""
    event = ProgressEvent.objects.create(
        section=section,
        student=student,
        objective=objective,
        kind=kind,
        outcome=outcome,
        ref=ref,
        note=note,
        tags=tags or [],
        state=(state or State.READY).value,
        reason=reason,
        actor=actor,
        at=now,
    )
    after = objective_standing(section, student, objective, now).state.value
    if after != event.state:
        event.state = after
        event.save(update_fields=["state"])
    outbox.note_changed(section=section, student=student, objectives=[objective], now=now)  # to the LMS
    section_changed(section.pk)  # every server's cached grid of the section is out of date
    return event


@transaction.atomic
def learning_object_done(
    *, section: Section, student: User, learning_object: LearningObject, now: datetime
) -> bool:
    """The student used a learning object; it counts toward correctives. Repeating it changes nothing."""
    try:
        with transaction.atomic():
            LearningObjectUse.objects.create(
                section=section, student=student, learning_object=learning_object, at=now
            )
    except IntegrityError:
        return False
    _append(
        section=section,
        student=student,
        objective=learning_object.objective,
        kind=Kind.USED.value,
        ref=str(learning_object.pk),
        now=now,
        actor=student,
    )
    return True


def learning_object_mark_used(
    *, section: Section, student: User, learning_object: LearningObject, now: datetime
) -> bool:
    """ "I used this", said by the student. A video on this server counts once enough of it was played
    (video_watched marks it by itself), so a corrective is learning, not a click."""
    if learning_object.is_uploaded_video:
        share = watched(section, student, learning_object)
        if share < ENOUGH and not _used(section, student, learning_object):
            raise NotAllowedNow(
                _("Watch the video first: you have watched %(share)s of it, and %(enough)s counts.")
                % {"share": _percent(share), "enough": _percent(ENOUGH)}
            )
    return learning_object_done(section=section, student=student, learning_object=learning_object, now=now)


@dataclass(frozen=True)
class Watched:
    share: float  # of the video played so far, 0.0–1.0
    used: bool  # the learning object counts as used
    just_used: bool  # … since this stretch


def video_watched(
    *,
    section: Section,
    student: User,
    learning_object: LearningObject,
    start: float,
    end: float,
    duration: float,
    now: datetime,
) -> Watched:
    """A stretch of an uploaded video played (the page reports them as it plays); enough of the video
    marks the learning object used. The length is the one first reported, and never less than half the
    minutes the teacher gave it, so a page cannot shrink a video to make a few seconds count."""
    if not learning_object.is_uploaded_video:
        raise NotFound("learning object not found")
    floor = (learning_object.minutes or 0) * 30.0
    with transaction.atomic():
        watch, _created = VideoWatch.objects.select_for_update().get_or_create(
            section=section,
            student=student,
            learning_object=learning_object,
            defaults={"duration": max(duration, floor), "updated_at": now},
        )
        length = watch.duration if watch.duration > 0 else max(duration, floor)
        spans = add_stretch([(a, b) for a, b in watch.spans], start, end, length)
        watch.spans, watch.duration, watch.updated_at = [[a, b] for a, b in spans], length, now
        watch.save(update_fields=["spans", "duration", "updated_at"])
    share = watched_share(spans, length)
    already = _used(section, student, learning_object)
    just = share >= ENOUGH and not already
    if just:
        learning_object_done(section=section, student=student, learning_object=learning_object, now=now)
    return Watched(share, already or just, just)


def watched(section: Section, student: User, learning_object: LearningObject) -> float:
    """The share of an uploaded video this student has played in this section."""
    found = VideoWatch.objects.filter(
        section=section, student=student, learning_object=learning_object
    ).first()
    return watched_share([(a, b) for a, b in found.spans], found.duration) if found else 0.0


def _used(section: Section, student: User, learning_object: LearningObject) -> bool:
    return LearningObjectUse.objects.filter(
        section=section, student=student, learning_object=learning_object
    ).exists()


def _percent(share: float) -> str:
    return f"{int(share * 100)} %"


@dataclass(frozen=True)
class Requested:
    entry: QueueEntry | None
    message: str


@transaction.atomic
def request_create(
    *, section: Section, student: User, kind: str, objective: Objective | None, note: str, now: datetime
) -> Requested:
    """ "I need help" (any time) or "I'm ready for my check" (queued when checks need approval)."""
    if kind not in ("help", "check"):
        raise Invalid([Problem('kind must be "help" or "check"')])
    if kind == "check":
        if objective is None:
            raise Invalid([Problem("a check request names its objective")])
        now_standing = objective_standing(section, student, objective, now)
        if now_standing.state in (State.LOCKED, State.MASTERED, State.CHECKING):
            raise NotAllowedNow(_why_not(objective, now_standing))
        if now_standing.state is State.NOT_YET:
            raise NotAllowedNow(_why_not(objective, now_standing))
        _append(
            section=section,
            student=student,
            objective=objective,
            kind=Kind.CHECK_REQUESTED.value,
            now=now,
            actor=student,
        )
        if now_standing.may_start_check and not _needs_approval(section, objective):
            return Requested(None, _("You can start the check of %(code)s now.") % {"code": objective.code})
    entry = _enqueue(section, student, objective, kind, note, now)
    if kind == "help":
        return Requested(entry, _("You are in the queue: wait for your teacher."))
    return Requested(entry, _("You are in the queue: wait for your teacher to approve your check."))


def _needs_approval(section: Section, objective: Objective) -> bool:
    return policy_of(objective, section).check_mode.value == "approval"


def why_no_check(objective: Objective, s: Standing) -> str:
    """Why a check cannot start now, in words for the student."""
    open_states = (State.CHECK_REQUESTED, State.READY, State.LEARNING, State.READY_TO_RETAKE)
    if s.state in open_states and not s.may_start_check:
        if s.check_passed:
            return _("You passed the check of %(code)s; your teacher still signs off its activities.") % {
                "code": objective.code
            }
        return _("Your teacher approves checks in this class: ask for the check of %(code)s first.") % {
            "code": objective.code
        }
    return _why_not(objective, s)


def _why_not(objective: Objective, s: Standing) -> str:
    if s.state is State.LOCKED:
        return _("%(code)s is locked: master its prerequisites first.") % {"code": objective.code}
    if s.state is State.MASTERED:
        return _("You have mastered %(code)s already.") % {"code": objective.code}
    if s.state is State.CHECKING:
        return _("Your check of %(code)s is open: finish it first.") % {"code": objective.code}
    return _("Before a new version of the %(code)s check: %(what)s.") % {
        "code": objective.code,
        "what": gate_text(s),
    }


GATE_WORDS = {
    "corrective": gettext_lazy("learn it another way (one of the other videos, texts or simulations)"),
    "conference": gettext_lazy("talk with your teacher"),
    "cooldown": gettext_lazy("wait a little"),
    "release": gettext_lazy("your teacher releases the retake"),
}


def gate_text(s: Standing) -> str:
    return "; ".join(str(GATE_WORDS[g]) for g in s.gate)


def _enqueue(
    section: Section, student: User, objective: Objective | None, reason: str, note: str, now: datetime
) -> QueueEntry:
    """Add a reason to the student's open entry about this objective, or open one: one place in the queue
    per student and objective, whatever they wait for and however often they ask."""
    try:  # most often nobody waits about it yet: insert first, one query
        with transaction.atomic():
            return QueueEntry.objects.create(
                section=section,
                student=student,
                objective=objective,
                kind=reason,
                reasons=[reason],
                note=note[:500],
                created_at=now,
            )
    except IntegrityError:  # the open entry about this objective (a database constraint keeps one)
        entry = _open_entry(section, student, objective)
        assert entry is not None
    reasons = reasons_of(entry)
    note = note.strip()
    if reason in reasons and (not note or note in entry.note):
        return entry
    entry.reasons = reasons if reason in reasons else [*reasons, reason]
    entry.kind = entry.reasons[0]
    if note and note not in entry.note:
        entry.note = f"{entry.note}\n{note}".strip()[:500]
    entry.save(update_fields=["reasons", "kind", "note"])
    return entry


def _open_entry(section: Section, student: User, objective: Objective | None) -> QueueEntry | None:
    return (
        QueueEntry.objects.select_for_update()
        .filter(section=section, student=student, objective=objective, resolved_at__isnull=True)
        .first()
    )


def reasons_of(entry: QueueEntry) -> list[str]:
    return list(entry.reasons or [entry.kind])


def _answer(
    section: Section,
    student: User,
    objective: Objective | None,
    answered: Collection[str],
    now: datetime,
    by: User | None = None,
) -> None:
    """Take the answered reasons off the student's open entry about `objective`; with none left, the
    entry is resolved (by whom and when)."""
    entry = _open_entry(section, student, objective)
    if entry is None:
        return
    left = [r for r in reasons_of(entry) if r not in answered]
    if left:
        if left != entry.reasons:
            entry.reasons, entry.kind = left, left[0]
            entry.save(update_fields=["reasons", "kind"])
        return
    entry.resolved_at, entry.resolved_by = now, by
    entry.save(update_fields=["resolved_at", "resolved_by"])


EVERY_REASON = tuple(QueueEntry.Kind.values)


def check_decided(
    *,
    section: Section,
    student: User,
    objective: Objective,
    passed: bool,
    mastered: bool,
    now: datetime,
    on_an_lms: bool | None = None,
) -> None:
    """After a check: mastery answers every reason to wait; a pass still short of sign-offs asks the
    teacher for them; a "not yet" asks for a conference (when the policy wants one). `on_an_lms`: whether
    the section is on an LMS, when the caller read it in this transaction."""
    outbox.note_changed(  # to the LMS
        section=section, student=student, objectives=[objective], now=now, on_an_lms=on_an_lms
    )
    section_changed(section.pk)  # a check's result: every server's cached grid of the section is out of date
    if mastered:
        _answer(section, student, objective, EVERY_REASON, now)
    elif passed:
        _enqueue(section, student, objective, QueueEntry.Kind.SIGNOFF, "", now)
        _answer(section, student, objective, (QueueEntry.Kind.CHECK, QueueEntry.Kind.CONFERENCE), now)
    elif policy_of(objective, section).retake_needs_conference:
        _enqueue(section, student, objective, QueueEntry.Kind.CONFERENCE, "", now)


RESOLVES: dict[str, tuple[str, ...]] = {
    "conference": (QueueEntry.Kind.CONFERENCE, QueueEntry.Kind.HELP),
    "verbal": (QueueEntry.Kind.CONFERENCE, QueueEntry.Kind.HELP, QueueEntry.Kind.CHECK),
    "approve": (QueueEntry.Kind.CHECK,),
    "override": EVERY_REASON,
    "release": (QueueEntry.Kind.CONFERENCE,),  # released: the retake no longer waits for a conference
    "activity": (),  # answers the sign-off once the last required activity is signed (below)
}


@transaction.atomic
def evidence_record(
    *,
    section: Section,
    teacher: User,
    student: User,
    objective: Objective,
    kind: str,
    now: datetime,
    outcome: bool | None = None,
    note: str = "",
    tags: list[str] | None = None,
    activity: int | None = None,
    state: str | None = None,
    reason: str = "",
) -> ProgressEvent:
    """A teacher's evidence: verbal check, activity sign-off, conference, retake release, check approval,
    or an override with a reason. Queue entries it answers are resolved."""
    if kind not in TEACHER_KINDS:
        raise Invalid([Problem(f"kind must be one of {', '.join(sorted(TEACHER_KINDS))}")])
    tags = [str(t).strip()[:60] for t in (tags or []) if str(t).strip()][:MAX_TAGS]
    ref = ""
    target: State | None = None
    if kind == "activity":
        found = Activity.objects.filter(pk=activity or 0, objective=objective, retired=False).first()
        if found is None:
            raise NotFound(f"activity {activity} is not a required activity of {objective.code}")
        ref = str(found.pk)
    if kind == "override":
        try:
            target = State(state or "")
        except ValueError:
            raise Invalid([Problem(f"state must be one of {', '.join(s.value for s in State)}")]) from None
    evidence(
        Kind(kind), now.timestamp(), outcome=outcome, state=target, reason=reason, ref=ref
    )  # checks the rules
    event = _append(
        section=section,
        student=student,
        objective=objective,
        kind=kind,
        now=now,
        actor=teacher,
        outcome=outcome,
        ref=ref,
        note=note[:2000],
        tags=tags,
        state=target,
        reason=reason[:2000],
    )
    answered = RESOLVES[kind]
    if kind == "activity" and event.state == State.MASTERED.value:
        answered = (QueueEntry.Kind.SIGNOFF,)
    if answered:
        _answer(section, student, objective, answered, now, teacher)
    if kind in ("verbal", "override"):  # a talk about this objective answers a call for help in general
        _answer(section, student, None, (QueueEntry.Kind.HELP,), now, teacher)
    return event
