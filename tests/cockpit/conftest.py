"""Fixtures for the cockpit tests: a classroom with history, and clients logged in as its people."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from flipmastery.cockpit.course_shapes import forget as forget_shapes
from flipmastery.cockpit.replays import forget
from flipmastery.cockpit.versions import section_changed
from flipmastery.progress.models import ProgressEvent
from tests import factories


@pytest.fixture(autouse=True, scope="session")
def _static_root() -> None:
    Path(django_settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _fresh_replays() -> Iterator[None]:
    """Every test starts with no kept replay (a rolled-back test database reuses ids)."""
    forget()
    forget_shapes()
    yield
    forget()
    forget_shapes()


@pytest.fixture
def classroom(db: None) -> dict[str, Any]:
    return factories.small_classroom()


@pytest.fixture
def as_user(client: Client) -> Callable[[Any], Client]:
    def login(person: Any) -> Client:
        client.force_login(person)
        return client

    return login


def event(room: dict[str, Any], student: Any, objective: Any, kind: str, state: str, **fields: Any) -> Any:
    """One progress event, `ago` before now (default: an hour)."""
    ago = fields.pop("ago", timedelta(hours=1))
    at: datetime = timezone.now() - ago
    made = ProgressEvent.objects.create(
        section=room["section"], student=student, objective=objective, kind=kind, state=state, at=at, **fields
    )
    section_changed(room["section"].pk)  # as the services that write evidence do
    return made


def failed(room: dict[str, Any], student: Any, objective: Any, **fields: Any) -> None:
    """A check started and failed on `objective`: NOT_YET, one attempt."""
    ago = fields.pop("ago", timedelta(hours=2))
    event(room, student, objective, "check_started", "CHECKING", ago=ago)
    event(room, student, objective, "check_result", "NOT_YET", outcome=False, ago=ago - timedelta(minutes=10))


def scored(room: dict[str, Any], student: Any, objective: Any, score: float, **fields: Any) -> Any:
    """A submitted check attempt whose result scored `objective`."""
    from flipmastery.assessments.models import Attempt

    at = timezone.now() - fields.pop("ago", timedelta(hours=1))
    result = {
        "objectives": [
            {
                "code": objective.code,
                "score": score,
                "threshold": 0.8,
                "mastered": score >= 0.8,
                "pending": False,
            }
        ]
    }
    return Attempt.objects.create(
        section=room["section"],
        student=student,
        objective=objective,
        state="submitted",
        seed=1,
        thresholds={objective.code: 0.8},
        result=result,
        started_at=at - timedelta(minutes=5),
        submitted_at=at,
        **fields,
    )
