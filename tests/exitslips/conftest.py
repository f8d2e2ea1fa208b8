"""Fixtures for exit slips: the small classroom with a bank on GAS-1 and a third student."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

from tests import factories


@pytest.fixture(autouse=True, scope="session")
def _static_root() -> None:
    Path(django_settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture
def room(db: None) -> dict[str, Any]:
    made = factories.small_classroom()
    made["bank"] = factories.bank(made["a"], size=6)
    carl = factories.student(username="carl")
    made["section"].enrollments.create(student=carl)
    made["students"] = [*made["students"], carl]
    return made
