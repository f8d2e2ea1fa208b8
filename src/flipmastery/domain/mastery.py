"""Where a student stands on each objective, derived from evidence and the prerequisite graph."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


class State(enum.StrEnum):
    """The states of DESIGN §2, in the words the UI and API use."""

    LOCKED = "LOCKED"
    READY = "READY"
    LEARNING = "LEARNING"
    CHECK_REQUESTED = "CHECK_REQUESTED"
    CHECKING = "CHECKING"
    NOT_YET = "NOT_YET"
    READY_TO_RETAKE = "READY_TO_RETAKE"
    MASTERED = "MASTERED"


@dataclass(frozen=True)
class ObjectiveNode:
    code: str
    prerequisites: tuple[str, ...]


def unlocked(node: ObjectiveNode, mastered: Iterable[str]) -> bool:
    """An objective opens once every one of its prerequisites is mastered."""
    done = set(mastered)
    return all(p in done for p in node.prerequisites)


def playlist_states(nodes: Iterable[ObjectiveNode], recorded: Mapping[str, State]) -> dict[str, State]:
    """The state of each objective for one student.

    `recorded` is the state the student's evidence has reached per objective (absent: nothing yet).
    An objective whose prerequisites are not all mastered is LOCKED whatever was recorded, except that
    mastery already shown is never taken away by the graph.
    """
    mastered = {code for code, state in recorded.items() if state is State.MASTERED}
    states: dict[str, State] = {}
    for node in nodes:
        state = recorded.get(node.code)
        if state is State.MASTERED:
            states[node.code] = state
        elif not unlocked(node, mastered):
            states[node.code] = State.LOCKED
        else:
            states[node.code] = state if state is not None and state is not State.LOCKED else State.READY
    return states


def missing_prerequisites(node: ObjectiveNode, mastered: Iterable[str]) -> list[str]:
    done = set(mastered)
    return [p for p in node.prerequisites if p not in done]


OPEN_STATES = frozenset(State) - {State.LOCKED, State.MASTERED}


def next_objective(
    ordered: Iterable[tuple[str, State]], essential: Iterable[str] | None = None
) -> str | None:
    """The one objective a student should work on now: the first open one in playlist order.

    With `essential` given (essentials front-loaded), an open essential objective comes before any
    open nice-to-know one, and an objective already under way (checking, not yet…) before both.
    """
    rows = list(ordered)
    if essential is not None:
        must = set(essential)
        started = [c for c, s in rows if s in OPEN_STATES and s not in (State.READY, State.LEARNING)]
        if started:
            return started[0]
        first = next((c for c, s in rows if s in OPEN_STATES and c in must), None)
        if first is not None:
            return first
    return next((code for code, state in rows if state in OPEN_STATES), None)
