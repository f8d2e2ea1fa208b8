"""Every answer under /api/v1 is JSON, errors in one shape, and no traceback ever leaves the server."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client

from flipmastery.api import sections
from flipmastery.domain.errors import DomainError, Invalid, Location, Problem
from tests.api.conftest import assert_error, bearer_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/api/v1/", "/api/v1/nope", "/api/v1/me/sections/", "/api/v1/sections/abc/playlist"]
)
def test_unknown_paths_are_json_404(path: str) -> None:
    assert_error(Client().get(path), 404, "not_found")


def test_a_wrong_method_is_json_405_with_the_allowed_ones() -> None:
    response = Client().post("/api/v1/me/sections")

    body = assert_error(response, 405, "method_not_allowed")
    assert body["details"] == {"allowed": ["GET"]}
    assert response["Allow"] == "GET"


def test_a_body_that_is_not_json_is_a_bad_request() -> None:
    response = Client().post("/api/v1/auth/token", "{not json", content_type="application/json")

    assert_error(response, 400, "bad_request")


def playlist_raising(monkeypatch: pytest.MonkeyPatch, classroom: dict[str, Any], exc: Exception) -> Any:
    def fail(**_: Any) -> None:
        raise exc

    monkeypatch.setattr(sections, "student_playlist", fail)
    return bearer_client(classroom["students"][0]).get(f"/api/v1/sections/{classroom['section'].pk}/playlist")


def test_an_invalid_domain_error_is_422_with_each_problem(
    monkeypatch: pytest.MonkeyPatch, classroom: dict[str, Any]
) -> None:
    problems = [Problem("threshold must be a fraction", Location("course.yaml", 3))]

    response = playlist_raising(monkeypatch, classroom, Invalid(problems))

    body = assert_error(response, 422, "invalid")
    assert body["details"] == [{"message": "threshold must be a fraction", "location": "course.yaml:3"}]


class RetakeGateClosed(DomainError):
    code = "retake_gate_closed"


def test_a_domain_error_keeps_its_code(monkeypatch: pytest.MonkeyPatch, classroom: dict[str, Any]) -> None:
    response = playlist_raising(monkeypatch, classroom, RetakeGateClosed("See your teacher first."))

    body = assert_error(response, 400, "retake_gate_closed")
    assert body == {"error": "retake_gate_closed", "message": "See your teacher first.", "details": None}


def test_an_unexpected_error_is_a_500_without_its_details_and_is_logged(
    monkeypatch: pytest.MonkeyPatch, classroom: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="flipmastery.api.errors"):
        response = playlist_raising(monkeypatch, classroom, RuntimeError("database password is hunter2"))

    body = assert_error(response, 500, "server_error")
    assert body["details"] is None
    assert b"hunter2" not in response.content
    assert "hunter2" in caplog.text  # the server log keeps what the client must not see
