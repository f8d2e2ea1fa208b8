"""Fixtures for the page tests: the small classroom, and clients logged in as its people."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests import factories


@pytest.fixture(autouse=True, scope="session")
def _static_root() -> None:
    """WhiteNoise warns on every request when STATIC_ROOT does not exist (collectstatic never ran)."""
    Path(django_settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture
def classroom(db: None) -> dict[str, Any]:
    return factories.small_classroom()


@pytest.fixture
def as_user(client: Client) -> Callable[[Any], Client]:
    """`as_user(person)` → the test client, logged in as that person."""

    def login(person: Any) -> Client:
        client.force_login(person)
        return client

    return login


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT
