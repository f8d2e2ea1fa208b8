"""Helpers for API tests: clients that authenticate with a Bearer token, and the JSON error shape."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from flipmastery.accounts.models import User
from flipmastery.api.tokens import api_token_issue
from tests import factories


@pytest.fixture
def classroom(db: None) -> dict[str, Any]:
    return factories.small_classroom()


def bearer_client(user: User) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_issue(user=user)}"})


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The one error shape of DESIGN §6, as JSON, with no traceback in it."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == {"error", "message", "details"}
    assert body["error"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert b"Traceback" not in response.content
    return body
