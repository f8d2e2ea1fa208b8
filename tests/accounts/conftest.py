"""Fixtures for sign-in cards: the small classroom with a co-teacher and a school admin, and no wrong codes
counted from an earlier test (the count lives in the cache, which outlives a test's database)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from flipmastery.accounts.models import Role
from tests import factories


@pytest.fixture(autouse=True, scope="session")
def _static_root() -> None:
    Path(django_settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _no_wrong_codes_counted() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def room(db: None) -> dict[str, Any]:
    made = factories.small_classroom()
    co_teacher = factories.teacher(username="mr_co")
    made["section"].teachers.add(co_teacher)
    made["co_teacher"] = co_teacher
    made["admin"] = factories.user(Role.ADMIN, username="principal")
    made["asha"], made["ben"] = made["students"]
    return made
