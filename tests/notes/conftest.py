"""Fixtures for guided notes: the small classroom with a template on the primary video of GAS-1."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from flipmastery.notes.services import notes_template_save
from tests import factories

PARTS = [
    {"kind": "prompt", "question": "What is pressure?"},
    {
        "kind": "table",
        "question": "Units",
        "columns": ["Unit", "Symbol"],
        "rows": 2,
        "given": {"r1c1": "pascal"},
    },
    {"kind": "diagram", "question": "The manometer", "labels": [[20, 30], [70, 60]]},
]


@pytest.fixture(autouse=True, scope="session")
def _static_root() -> None:
    Path(django_settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture
def classroom(db: None) -> dict[str, Any]:
    room = factories.small_classroom()
    room["template"] = notes_template_save(
        learning_object=room["primary"], raw=PARTS, images={}, now=timezone.now()
    )
    return room


@pytest.fixture
def as_user(client: Client) -> Callable[[Any], Client]:
    def login(person: Any) -> Client:
        client.force_login(person)
        return client

    return login


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT
