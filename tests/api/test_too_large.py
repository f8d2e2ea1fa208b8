"""A body larger than the server accepts (DATA_UPLOAD_MAX_MEMORY_SIZE) is a 413 in the one error shape,
never a 500, and changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from flipmastery.assessments.models import AttemptItem
from tests import factories
from tests.api.conftest import assert_error, bearer_client

pytestmark = pytest.mark.django_db

THIRTY_MB = 30 * 1024 * 1024


def huge_answer() -> str:
    return json.dumps({"response": "x" * THIRTY_MB})


def test_a_30_mb_autosave_is_413_and_saves_nothing(classroom: dict[str, Any]) -> None:
    a = classroom["a"]
    a.check_items = 2
    a.save()
    factories.bank(a, 4)
    client = bearer_client(classroom["students"][0])
    started = client.post(f"/api/v1/sections/{classroom['section'].pk}/objectives/GAS-1/attempts").json()
    url = f"/api/v1/attempts/{started['id']}/responses/{started['items'][0]['id']}"
    before = list(AttemptItem.objects.values_list("pk", "response"))

    response = client.put(url, data=huge_answer(), content_type="application/json")

    body = assert_error(response, 413, "too_large")
    assert body["details"] == {"limit_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
    assert body["message"] == "The request is larger than this server accepts (20 MB)."
    assert list(AttemptItem.objects.values_list("pk", "response")) == before
    assert len(response.content) < 1000


def test_a_30_mb_body_without_a_login_is_413_too() -> None:
    response = Client().post("/api/v1/auth/token", data=huge_answer(), content_type="application/json")

    assert_error(response, 413, "too_large")
