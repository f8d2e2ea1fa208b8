"""No API answer is kept by a browser or a proxy: answer keys, attempts and class data are `no-store`. The
class grid, which has its ETag and 304, is `private, no-cache`: its client keeps it and asks every time."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests import factories
from tests.api.conftest import bearer_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(classroom: dict[str, Any]) -> dict[str, Any]:
    a = classroom["a"]
    a.check_items = 2
    a.save()
    factories.bank(a, 4)
    client = bearer_client(classroom["students"][0])
    response = client.post(f"/api/v1/sections/{classroom['section'].pk}/objectives/GAS-1/attempts")
    assert response["Cache-Control"] == "no-store"
    started: dict[str, Any] = response.json()
    return started


def test_the_answer_key_is_never_stored(classroom: dict[str, Any], attempt: dict[str, Any]) -> None:
    response = bearer_client(classroom["teacher"]).get(f"/api/v1/attempts/{attempt['id']}/key")

    assert response.status_code == 200 and response.json()["items"]
    assert response["Cache-Control"] == "no-store"


def test_a_students_attempt_and_playlist_are_never_stored(
    classroom: dict[str, Any], attempt: dict[str, Any]
) -> None:
    client = bearer_client(classroom["students"][0])
    for path in (
        f"/api/v1/attempts/{attempt['id']}",
        f"/api/v1/sections/{classroom['section'].pk}/playlist",
        "/api/v1/me/sections",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "no-store", path


@pytest.mark.parametrize(
    ("path", "status"),
    [("/api/v1/me/sections", 401), ("/api/v1/nope", 404), ("/api/v1/openapi.json", 200)],
)
def test_errors_and_the_schema_are_never_stored_either(db: None, path: str, status: int) -> None:
    response = Client().get(path)

    assert response.status_code == status
    assert response["Cache-Control"] == "no-store"


def test_the_class_grid_with_its_etag_is_kept_privately_and_asked_for_every_time(
    classroom: dict[str, Any], steady_minute: None
) -> None:
    client = bearer_client(classroom["teacher"])
    url = f"/api/v1/sections/{classroom['section'].pk}/progress"

    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first["ETag"]})

    assert first.status_code == 200 and first["ETag"]
    assert first["Cache-Control"] == "private, no-cache"
    assert again.status_code == 304
    assert again["Cache-Control"] == "private, no-cache"
