"""The JSON shapes of the API (DESIGN §6); each field here is a promise to clients.

Plain pydantic models, not ninja.Schema: we build every answer explicitly from selector dataclasses,
so ninja's ORM-reading validator would only cost time (it took half of the playlist's time).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel as Schema
from pydantic import Field


class ErrorOut(Schema):
    error: str = Field(description='Machine-readable code, e.g. "not_found", "invalid".')
    message: str
    details: Any = None


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=4096)
    label: str = Field(default="", max_length=100, description='Where it is used, e.g. "my phone".')


class TokenOut(Schema):
    token: str = Field(description="Send it as `Authorization: Bearer <token>`; it is shown only once.")


class TokenInfoOut(Schema):
    """One of my tokens, never its secret."""

    id: int
    label: str
    created_at: datetime
    last_used_at: datetime | None = Field(description="Recorded at most once a minute.")
    expires_at: datetime = Field(
        description="It stops working then unless used before; each use moves this on "
        "(FLIPMASTERY_TOKEN_IDLE_DAYS after the last use)."
    )
    current: bool = Field(description="The token this request was sent with.")


class CourseOut(Schema):
    code: str
    title: str


class MySectionOut(Schema):
    id: int
    name: str
    course: CourseOut
    role: Literal["teacher", "student"]
    join_code: str | None = Field(default=None, description="Only for the section's teachers.")
    archived: bool = Field(default=False, description="Archived at the end of a year: read-only.")


class SectionRef(Schema):
    id: int
    name: str


class UnitRef(Schema):
    code: str
    title: str


class LearningObjectOut(Schema):
    id: int
    kind: str
    title: str
    url: str = Field(description="The hosted resource, or the uploaded file served by this server.")
    minutes: int | None
    primary: bool
    role: Literal["primary", "alternate"]
    done: bool


class ActivityOut(Schema):
    id: int
    title: str
    signed_off: bool


class EnrichmentOut(Schema):
    id: int
    title: str
    url: str


class CorrectiveOut(Schema):
    id: int = Field(description="The learning object's id; 0 for a conference or re-teaching.")
    kind: str = Field(description='"learning_object", "reteach" or "conference".')
    title: str
    done: bool


class NextStepOut(Schema):
    objective: str = Field(description="Code of the objective to work on; empty when there is none.")
    kind: str = Field(description='"learn", "mastered_all" or "wait".')
    message: str


class PlaylistObjectiveOut(Schema):
    code: str
    statement: str
    tier: str
    outcome_code: str
    unit: UnitRef
    state: str = Field(description="LOCKED, READY, LEARNING, CHECK_REQUESTED, CHECKING, NOT_YET, …")
    prerequisites: list[str]
    missing_prerequisites: list[str]
    threshold: float = Field(description="Mastery threshold as a fraction: 0.8 means 80 %.")
    estimated_minutes: int | None
    learning_objects: list[LearningObjectOut]
    activities: list[ActivityOut]
    enrichment: list[EnrichmentOut]
    correctives: list[CorrectiveOut] = Field(description='What to do after "not yet", with what is done.')
    gate: list[str] = Field(
        default_factory=list,
        description="What a retake still needs: corrective, conference, cooldown, release.",
    )
    may_start_check: bool = False
    attempts: int = 0
    review_due: bool = False


class PlaylistOut(Schema):
    section: SectionRef
    course: CourseOut
    objectives: list[PlaylistObjectiveOut]
    next: NextStepOut
