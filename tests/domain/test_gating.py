"""The mastery loop (DESIGN §2) replayed from evidence: rules, the retake gate, and properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flipmastery.domain.errors import Invalid
from flipmastery.domain.gating import (
    GATE_CONFERENCE,
    GATE_COOLDOWN,
    GATE_CORRECTIVE,
    GATE_RELEASE,
    Blocked,
    CheckMode,
    Evidence,
    Kind,
    Policy,
    blocked,
    evidence,
    last_active,
    standing,
)
from flipmastery.domain.mastery import State

LOS = ("video", "text", "sim")
DEFAULT = Policy()


def replay(
    *events: Evidence,
    policy: Policy = DEFAULT,
    met: bool = True,
    activities: tuple[str, ...] = (),
    now: float = 10_000,
) -> object:
    return standing(
        list(events), policy, prerequisites_met=met, learning_objects=LOS, activities=activities, now=now
    )


def used(lo: str, at: float) -> Evidence:
    return Evidence(Kind.USED, at, ref=lo)


def result(passed: bool, at: float) -> Evidence:
    return Evidence(Kind.CHECK_RESULT, at, outcome=passed)


def test_the_happy_path_ready_learning_checking_mastered() -> None:
    assert replay().state is State.READY
    s = replay(used("video", 1), Evidence(Kind.CHECK_STARTED, 2), result(True, 3))
    assert s.state is State.MASTERED
    assert [(t.state, t.because) for t in s.transitions] == [
        (State.LEARNING, 0),
        (State.CHECKING, 1),
        (State.MASTERED, 2),
    ]


def test_not_yet_prescribes_the_unused_alternates_and_the_gate_needs_a_corrective_and_a_conference() -> None:
    s = replay(used("video", 1), Evidence(Kind.CHECK_STARTED, 2), result(False, 3))
    assert s.state is State.NOT_YET and not s.may_start_check
    assert s.correctives == ("text", "sim")
    assert s.gate == (GATE_CORRECTIVE, GATE_CONFERENCE)
    rewatch = replay(used("video", 1), Evidence(Kind.CHECK_STARTED, 2), result(False, 3), used("video", 4))
    assert rewatch.gate == (GATE_CORRECTIVE, GATE_CONFERENCE)  # the same video again is not another way
    s = replay(used("video", 1), Evidence(Kind.CHECK_STARTED, 2), result(False, 3), used("sim", 4))
    assert s.gate == (GATE_CONFERENCE,) and s.correctives_done == ("sim",)
    s = replay(
        used("video", 1),
        Evidence(Kind.CHECK_STARTED, 2),
        result(False, 3),
        used("sim", 4),
        Evidence(Kind.CONFERENCE, 5),
    )
    assert s.state is State.READY_TO_RETAKE and s.may_start_check and s.gate == ()


def test_with_every_way_used_the_corrective_is_re_teaching_at_the_conference() -> None:
    events = [used(lo, n) for n, lo in enumerate(LOS)] + [Evidence(Kind.CHECK_STARTED, 5), result(False, 6)]
    s = replay(*events)
    assert s.correctives == () and s.gate == (GATE_CORRECTIVE, GATE_CONFERENCE)
    assert replay(*events, Evidence(Kind.CONFERENCE, 7)).state is State.READY_TO_RETAKE


def test_cooldown_and_release_are_policy() -> None:
    policy = Policy(
        retake_needs_corrective=False,
        retake_needs_conference=False,
        retake_cooldown_minutes=30,
        retake_needs_release=True,
    )
    failed = (Evidence(Kind.CHECK_STARTED, 0), result(False, 60))
    assert replay(*failed, policy=policy, now=120).gate == (GATE_COOLDOWN, GATE_RELEASE)
    assert replay(*failed, policy=policy, now=60 + 1800).gate == (GATE_RELEASE,)
    assert replay(*failed, Evidence(Kind.RELEASE, 70), policy=policy, now=2000).state is State.READY_TO_RETAKE


def test_a_release_opens_the_retake_whatever_else_the_default_policy_asks() -> None:
    failed = (Evidence(Kind.CHECK_STARTED, 0), result(False, 60))
    assert replay(*failed).gate == (GATE_CORRECTIVE, GATE_CONFERENCE)
    released = replay(*failed, Evidence(Kind.RELEASE, 70))
    assert released.state is State.READY_TO_RETAKE and released.may_start_check and released.gate == ()
    cooling = Policy(retake_cooldown_minutes=60)
    assert replay(*failed, Evidence(Kind.RELEASE, 70), policy=cooling, now=80).may_start_check


def test_a_release_before_the_next_not_yet_does_not_open_that_one() -> None:
    s = replay(
        Evidence(Kind.CHECK_STARTED, 0),
        result(False, 1),
        Evidence(Kind.RELEASE, 2),
        Evidence(Kind.CHECK_STARTED, 3),
        result(False, 4),
    )
    assert s.state is State.NOT_YET and s.gate == (GATE_CORRECTIVE, GATE_CONFERENCE)


def test_why_no_check_may_start_is_one_word_for_every_way_into_a_check() -> None:
    assert blocked(replay()) is None
    assert blocked(replay(met=False)) is Blocked.LOCKED
    assert blocked(replay(Evidence(Kind.CHECK_STARTED, 1))) is Blocked.CHECKING
    assert blocked(replay(Evidence(Kind.CHECK_STARTED, 1), result(True, 2))) is Blocked.MASTERED
    passed = replay(Evidence(Kind.CHECK_STARTED, 1), result(True, 2), activities=("lab",))
    assert blocked(passed) is Blocked.PASSED
    assert blocked(replay(Evidence(Kind.CHECK_STARTED, 1), result(False, 2))) is Blocked.RETAKE_GATE
    asked = replay(Evidence(Kind.CHECK_REQUESTED, 1), policy=Policy(check_mode=CheckMode.APPROVAL))
    assert blocked(asked) is Blocked.APPROVAL


def test_the_teachers_evidence_is_not_the_student_being_active() -> None:
    history = [
        used("video", 5),
        Evidence(Kind.CHECK_STARTED, 6),
        result(False, 7),
        Evidence(Kind.CONFERENCE, 50),
        Evidence(Kind.RELEASE, 60),
        Evidence(Kind.ACTIVITY, 70, ref="lab"),
        Evidence(Kind.VERBAL, 80, outcome=True),
        Evidence(Kind.OVERRIDE, 90, state=State.MASTERED, reason="lab work"),
    ]
    assert last_active(history) == 7
    assert last_active(history[3:]) is None


def test_approval_mode_needs_the_teacher_before_each_check() -> None:
    policy = Policy(check_mode=CheckMode.APPROVAL)
    asked = replay(used("video", 1), Evidence(Kind.CHECK_REQUESTED, 2), policy=policy)
    assert asked.state is State.CHECK_REQUESTED and not asked.may_start_check
    approved = replay(
        used("video", 1), Evidence(Kind.CHECK_REQUESTED, 2), Evidence(Kind.APPROVED, 3), policy=policy
    )
    assert approved.may_start_check
    started = replay(
        used("video", 1),
        Evidence(Kind.CHECK_REQUESTED, 2),
        Evidence(Kind.APPROVED, 3),
        Evidence(Kind.CHECK_STARTED, 4),
        result(False, 5),
        used("sim", 6),
        Evidence(Kind.CONFERENCE, 7),
        policy=policy,
    )
    assert started.state is State.READY_TO_RETAKE and not started.may_start_check  # a new approval is needed


def test_mastery_needs_the_required_activities_signed_off_as_well() -> None:
    passed = (Evidence(Kind.CHECK_STARTED, 1), result(True, 2))
    waiting = replay(*passed, activities=("lab",))
    assert waiting.state is State.LEARNING and waiting.check_passed and waiting.activities_missing == ("lab",)
    assert not waiting.may_start_check
    assert replay(*passed, Evidence(Kind.ACTIVITY, 3, ref="lab"), activities=("lab",)).state is State.MASTERED
    signed_first = replay(Evidence(Kind.ACTIVITY, 0, ref="lab"), *passed, activities=("lab",))
    assert signed_first.state is State.MASTERED


def test_a_missed_review_flags_review_due_and_never_revokes_mastery() -> None:
    s = replay(Evidence(Kind.CHECK_STARTED, 1), result(True, 2), Evidence(Kind.REVIEW_MISSED, 3))
    assert s.state is State.MASTERED and s.review_due


def test_overrides_need_a_reason_and_set_any_state() -> None:
    with pytest.raises(Invalid, match="reason"):
        evidence(Kind.OVERRIDE, 1, state=State.MASTERED, reason="  ")
    with pytest.raises(Invalid, match="outcome"):
        evidence(Kind.VERBAL, 1)
    made = evidence(Kind.OVERRIDE, 1, state=State.MASTERED, reason="Showed it on the board")
    assert replay(made).state is State.MASTERED


def test_locked_until_the_prerequisites_are_mastered_but_mastery_is_kept() -> None:
    assert replay(used("video", 1), met=False).state is State.LOCKED
    mastered = evidence(Kind.OVERRIDE, 1, state=State.MASTERED, reason="transfer student")
    assert replay(mastered, met=False).state is State.MASTERED


_kinds = st.sampled_from(list(Kind))
_states = st.sampled_from(list(State))


@st.composite
def histories(draw: st.DrawFn) -> list[Evidence]:
    events = []
    for at in range(draw(st.integers(0, 25))):
        kind = draw(_kinds)
        events.append(
            Evidence(
                kind,
                float(at * 60),
                outcome=draw(st.booleans()) if kind in (Kind.CHECK_RESULT, Kind.VERBAL) else None,
                state=draw(_states) if kind is Kind.OVERRIDE else None,
                ref=draw(st.sampled_from([*LOS, "lab"])),
                reason="because" if kind is Kind.OVERRIDE else "",
            )
        )
    return events


@settings(max_examples=400, deadline=None)
@given(histories(), st.booleans(), st.booleans())
def test_no_history_opens_an_objective_whose_prerequisites_are_not_mastered(
    history: list[Evidence], conference: bool, release: bool
) -> None:
    policy = Policy(retake_needs_conference=conference, retake_needs_release=release)
    s = standing(history, policy, prerequisites_met=False, learning_objects=LOS, activities=("lab",))
    assert s.state in (State.LOCKED, State.MASTERED)
    if s.state is State.LOCKED:
        assert not s.may_start_check


@settings(max_examples=400, deadline=None)
@given(histories())
def test_every_change_of_state_is_explained_by_the_evidence_that_caused_it(history: list[Evidence]) -> None:
    s = standing(history, DEFAULT, prerequisites_met=True, learning_objects=LOS, activities=("lab",))
    ordered = sorted(history, key=lambda e: e.at)
    previous = State.READY
    for t in s.transitions:
        assert t.state is not previous
        cause = ordered[t.because]
        assert cause.kind in {
            State.LEARNING: {Kind.USED, Kind.CHECK_RESULT, Kind.OVERRIDE},
            State.CHECK_REQUESTED: {Kind.CHECK_REQUESTED, Kind.OVERRIDE},
            State.CHECKING: {Kind.CHECK_STARTED, Kind.OVERRIDE},
            State.MASTERED: {Kind.CHECK_RESULT, Kind.ACTIVITY, Kind.OVERRIDE},
            State.NOT_YET: {Kind.CHECK_RESULT, Kind.OVERRIDE},
        }.get(t.state, {Kind.OVERRIDE})
        previous = t.state
    if s.state is State.MASTERED:
        assert s.transitions and s.transitions[-1].state is State.MASTERED


@settings(max_examples=300, deadline=None)
@given(histories())
def test_mastery_by_a_check_always_has_the_activities_signed(history: list[Evidence]) -> None:
    s = standing(history, DEFAULT, prerequisites_met=True, learning_objects=LOS, activities=("lab",))
    if s.state is State.MASTERED:
        last = sorted(history, key=lambda e: e.at)[s.transitions[-1].because]
        assert last.kind is Kind.OVERRIDE or not s.activities_missing
