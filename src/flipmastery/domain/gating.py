"""The mastery loop of DESIGN §2 as a pure function: evidence in, a student's standing on an objective out.

The history of one student on one objective is a list of evidence (append-only); `standing` replays it
under the section's policy and says where the student is, why (the event that put them there), what
the retake gate still needs, and whether a check may start now. Nothing is stored twice: every page and
the API derive the state from the same history with this function.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from flipmastery.domain.errors import Invalid, Problem
from flipmastery.domain.mastery import State


class Kind(enum.StrEnum):
    """What happened. Times are seconds since some epoch (the shell passes them; the domain has no clock)."""

    USED = "used"  # the student used a learning object (ref = its id)
    HELP = "help"  # the student asked for help
    CHECK_REQUESTED = "check_requested"  # "I'm ready for my check"
    APPROVED = "approve"  # the teacher approved a check request
    CHECK_STARTED = "check_started"
    CHECK_RESULT = "check_result"  # outcome: passed or not
    VERBAL = "verbal"  # a teacher's verbal or formative check, with outcome, note and tags
    CONFERENCE = "conference"  # the teacher talked with the student after a "not yet"
    RELEASE = "release"  # the teacher released a retake
    ACTIVITY = "activity"  # a required activity signed off (ref = its id)
    OVERRIDE = "override"  # the teacher set the state, with a reason
    REVIEW_MISSED = "review_missed"  # a spaced-review item of this mastered objective was missed


@dataclass(frozen=True)
class Evidence:
    kind: Kind
    at: float
    outcome: bool | None = None  # check result and verbal check: passed?
    state: State | None = None  # override: the state set
    ref: str = ""  # the learning object or activity
    reason: str = ""


def evidence(kind: Kind, at: float, **fields: object) -> Evidence:
    """Evidence checked for the rules that cannot be left to the caller: an override needs a reason."""
    made = Evidence(kind, at, **fields)  # type: ignore[arg-type]
    if made.kind is Kind.OVERRIDE and (made.state is None or not made.reason.strip()):
        raise Invalid([Problem("an override needs the state to set and a reason")])
    if made.kind in (Kind.CHECK_RESULT, Kind.VERBAL) and made.outcome is None:
        raise Invalid([Problem(f"a {made.kind.value} needs an outcome: pass or not yet")])
    return made


class CheckMode(enum.StrEnum):
    SELF_SERVE = "self_serve"  # a student starts a check when ready
    APPROVAL = "approval"  # a student asks; the teacher approves


@dataclass(frozen=True)
class Policy:
    """Course default, overridable per section and objective (DESIGN §2)."""

    threshold: float = 0.8
    check_mode: CheckMode = CheckMode.SELF_SERVE
    retake_needs_corrective: bool = True
    retake_needs_conference: bool = True
    retake_cooldown_minutes: int = 0
    retake_needs_release: bool = False
    review_items: int = 0  # spaced-review items from mastered objectives in each check
    essentials_first: bool = True  # the next step offers essential objectives before nice-to-know ones


@dataclass(frozen=True)
class Transition:
    state: State
    because: int  # index of the evidence in the history that caused it


@dataclass(frozen=True)
class Standing:
    state: State
    transitions: tuple[Transition, ...]  # every change of state, each with the evidence that caused it
    may_start_check: bool
    gate: tuple[str, ...] = ()  # what a retake still needs, in the words shown to the student
    activities_missing: tuple[str, ...] = ()  # required activities not signed off yet (ids)
    check_passed: bool = False  # passed the check; waiting only for activity sign-offs
    review_due: bool = False
    correctives: tuple[str, ...] = ()  # learning objects prescribed after the last "not yet" (ids)
    correctives_done: tuple[str, ...] = ()
    failed_at: float | None = None
    attempts: int = 0


GATE_CORRECTIVE = "corrective"
GATE_CONFERENCE = "conference"
GATE_COOLDOWN = "cooldown"
GATE_RELEASE = "release"


@dataclass
class _Replay:
    state: State
    transitions: list[Transition] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    signed: set[str] = field(default_factory=set)
    approved: bool = False
    passed: bool = False
    failed_at: float | None = None
    prescribed: tuple[str, ...] = ()
    done_after_fail: set[str] = field(default_factory=set)
    conference: bool = False
    released: bool = False
    review_due: bool = False
    attempts: int = 0

    def go(self, state: State, because: int) -> None:
        if state is not self.state:
            self.state = state
            self.transitions.append(Transition(state, because))


def standing(
    history: Sequence[Evidence],
    policy: Policy,
    *,
    prerequisites_met: bool,
    learning_objects: Sequence[str] = (),
    activities: Iterable[str] = (),
    now: float = 0.0,
) -> Standing:
    """Replay one student's evidence on one objective.

    `learning_objects` are the objective's ways to learn it, primary first; after a "not yet" the ones
    the student has not used yet are prescribed as correctives. `activities` must all be signed off
    for mastery, as well as the check.
    """
    required = set(activities)
    replay = _Replay(State.READY if prerequisites_met else State.LOCKED)
    for index, item in enumerate(sorted(history, key=lambda e: e.at)):
        _apply(replay, item, index, required, learning_objects)
    state = replay.state
    if not prerequisites_met and state is not State.MASTERED:
        state = State.LOCKED  # mastery shown is never taken away; nothing else opens without prerequisites
    gate = _gate(replay, policy, now) if state is State.NOT_YET else ()
    if state is State.NOT_YET and not gate:
        state = State.READY_TO_RETAKE
    may_start = state in (State.READY, State.LEARNING, State.READY_TO_RETAKE, State.CHECK_REQUESTED) and (
        policy.check_mode is CheckMode.SELF_SERVE or replay.approved
    )
    if replay.passed and state is not State.MASTERED:
        may_start = False  # the check is passed; only sign-offs are missing
    return Standing(
        state=state,
        transitions=tuple(replay.transitions),
        may_start_check=may_start,
        gate=gate,
        activities_missing=tuple(a for a in activities if a not in replay.signed),
        check_passed=replay.passed,
        review_due=replay.review_due and state is State.MASTERED,
        correctives=replay.prescribed,
        correctives_done=tuple(c for c in replay.prescribed if c in replay.done_after_fail),
        failed_at=replay.failed_at,
        attempts=replay.attempts,
    )


def _apply(r: _Replay, e: Evidence, index: int, required: set[str], learning_objects: Sequence[str]) -> None:
    kind = e.kind
    if kind is Kind.OVERRIDE:
        assert e.state is not None
        r.go(e.state, index)
        r.passed = e.state is State.MASTERED
        if e.state is State.MASTERED:
            r.review_due = False
        return
    if r.state is State.MASTERED:
        if kind is Kind.REVIEW_MISSED:
            r.review_due = True
        elif kind is Kind.CHECK_RESULT and e.outcome:
            r.review_due = False
        return  # mastery is kept; a missed review flags "review due", it does not revoke
    if kind is Kind.USED:
        r.used.add(e.ref)
        if r.failed_at is not None:
            r.done_after_fail.add(e.ref)
        if r.state in (State.READY, State.LOCKED):
            r.go(State.LEARNING, index)
    elif kind is Kind.CHECK_REQUESTED:
        if r.state in (State.READY, State.LEARNING):
            r.go(State.CHECK_REQUESTED, index)
    elif kind is Kind.APPROVED or (kind is Kind.VERBAL and e.outcome and r.state is State.CHECK_REQUESTED):
        r.approved = True
    elif kind is Kind.CHECK_STARTED:
        r.attempts += 1
        r.approved = False  # an approval is for one check
        r.go(State.CHECKING, index)
    elif kind is Kind.CHECK_RESULT:
        if e.outcome:
            r.passed = True
            if required <= r.signed:
                r.go(State.MASTERED, index)
            else:
                r.go(State.LEARNING, index)  # passed; the required activities are still to be signed off
        else:
            r.go(State.NOT_YET, index)
            r.failed_at = e.at
            r.prescribed = tuple(lo for lo in learning_objects if lo not in r.used)
            r.done_after_fail, r.conference, r.released = set(), False, False
    elif kind is Kind.CONFERENCE or (kind is Kind.VERBAL and r.state is State.NOT_YET):
        r.conference = True
    elif kind is Kind.RELEASE:
        r.released = True
    elif kind is Kind.ACTIVITY:
        r.signed.add(e.ref)
        if r.passed and required <= r.signed:
            r.go(State.MASTERED, index)


def _gate(r: _Replay, policy: Policy, now: float) -> tuple[str, ...]:
    if r.released:
        return ()  # the teacher released the retake: their word opens it, whatever else the policy asks
    missing = []
    # With no way to learn it left unused, the corrective is re-teaching with the teacher (a conference).
    corrective_done = bool(set(r.prescribed) & r.done_after_fail) if r.prescribed else r.conference
    if policy.retake_needs_corrective and not corrective_done:
        missing.append(GATE_CORRECTIVE)
    if policy.retake_needs_conference and not r.conference:
        missing.append(GATE_CONFERENCE)
    cooling = r.failed_at is not None and now < r.failed_at + policy.retake_cooldown_minutes * 60
    if policy.retake_cooldown_minutes and cooling:
        missing.append(GATE_COOLDOWN)
    if policy.retake_needs_release and not r.released:
        missing.append(GATE_RELEASE)
    return tuple(missing)


class Blocked(enum.StrEnum):
    """Why a check of an objective may not start now (`None` from `blocked` when it may)."""

    LOCKED = "locked"  # prerequisites not mastered
    MASTERED = "mastered"
    CHECKING = "checking"  # a check is open
    PASSED = "passed"  # the check is passed; required activities wait for the teacher's sign-off
    RETAKE_GATE = "retake_gate"  # "not yet": the retake gate is still closed
    APPROVAL = "approval"  # the teacher approves checks in this class and has not yet


def blocked(s: Standing) -> Blocked | None:
    """Why this standing allows no check now, or None. Every way into a check (one objective, a unit test,
    a pre-test, a paper copy) asks this, so none of them skips the gate."""
    if s.may_start_check:
        return None
    if s.state is State.LOCKED:
        return Blocked.LOCKED
    if s.state is State.MASTERED:
        return Blocked.MASTERED
    if s.state is State.CHECKING:
        return Blocked.CHECKING
    if s.check_passed:
        return Blocked.PASSED
    if s.state is State.NOT_YET:
        return Blocked.RETAKE_GATE
    return Blocked.APPROVAL


# What the student did, as opposed to what the teacher recorded about them: a teacher's action on a
# student is not the student being active.
STUDENT_KINDS = frozenset({Kind.USED, Kind.HELP, Kind.CHECK_REQUESTED, Kind.CHECK_STARTED, Kind.CHECK_RESULT})


def last_active(history: Iterable[Evidence]) -> float | None:
    """When the student last did something themselves (None: never)."""
    return max((e.at for e in history if e.kind in STUDENT_KINDS), default=None)


POLICY_KEYS = {
    "threshold": float,
    "check_mode": str,
    "retake_needs_corrective": bool,
    "retake_needs_conference": bool,
    "retake_cooldown_minutes": int,
    "retake_needs_release": bool,
    "review_items": int,
    "essentials_first": bool,
}


def _fits(kind: type, value: object) -> bool:
    if kind is bool:
        return isinstance(value, bool)
    return kind is int and isinstance(value, int) and not isinstance(value, bool) and value >= 0


def policy_from(*layers: Mapping[str, object] | None) -> Policy:
    """The policy in force: course default, then section, then objective; later layers win per key."""
    merged: dict[str, object] = {}
    problems: list[Problem] = []
    for layer in layers:
        for key, value in (layer or {}).items():
            kind = POLICY_KEYS.get(key)
            if kind is None:
                problems.append(Problem(f"unknown policy setting {key!r}; known: {', '.join(POLICY_KEYS)}"))
            elif value is None:
                continue
            elif kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
                merged[key] = float(value)
            elif _fits(kind, value):
                merged[key] = value
            elif key == "check_mode" and value in {m.value for m in CheckMode}:
                merged[key] = CheckMode(str(value))
            else:
                problems.append(Problem(f"policy setting {key!r} cannot be {value!r}"))
    threshold = merged.get("threshold")
    if isinstance(threshold, float) and not 0 < threshold <= 1:
        problems.append(Problem("the threshold is a fraction between 0 and 1, e.g. 0.8"))
    if problems:
        raise Invalid(problems)
    return Policy(**merged)  # type: ignore[arg-type]
