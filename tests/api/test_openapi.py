"""The schema at /api/v1/openapi.json, and a docs page that never needs the internet."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client, override_settings

from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db


def test_the_schema_is_json_listing_every_path_and_the_bearer_scheme() -> None:
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/auth/token",
        "/api/v1/me/sections",
        "/api/v1/sections/{section_id}/playlist",
        "/api/v1/sections/{section_id}/objectives/{code}/attempts",
        "/api/v1/attempts/{attempt_id}",
        "/api/v1/attempts/{attempt_id}/responses/{item}",
        "/api/v1/attempts/{attempt_id}/submit",
        "/api/v1/attempts/{attempt_id}/key",
        "/api/v1/attempts/{attempt_id}/items/{item}/grade",
        "/api/v1/sections/{section_id}/units/{code}/attempts",
        "/api/v1/sections/{section_id}/units/{code}/pretest",
        "/api/v1/sections/{section_id}/learning-objects/{lo_id}/done",
        "/api/v1/sections/{section_id}/requests",
        "/api/v1/sections/{section_id}/evidence",
        "/api/v1/sections/{section_id}/queue",
        "/api/v1/sections/{section_id}/progress",
        "/api/v1/sections/{section_id}/gradebook",
        "/api/v1/sections/{section_id}/pacing",
        "/api/v1/school/report",
        "/api/v1/auth/card",
        "/api/v1/sections/{section_id}/students/{student_id}/card",
        "/api/v1/sections/{section_id}/students/{student_id}/unlock",
        "/api/v1/auth/tokens",
        "/api/v1/auth/tokens/{token_id}",
        "/api/v1/sections",
        "/api/v1/sections/{section_id}",
        "/api/v1/sections/{section_id}/teachers/{username}",
        "/api/v1/sections/{section_id}/join-requests",
        "/api/v1/sections/{section_id}/join-requests/{request_id}/accept",
        "/api/v1/sections/{section_id}/join-requests/{request_id}/decline",
        "/api/v1/sections/{section_id}/students/{student}/password",
        "/api/v1/join",
        "/api/v1/school/teachers",
        "/api/v1/school/courses/{code}/teachers",
        "/api/v1/school/sections",
        "/api/v1/students/{student_id}/guardian-links",
        "/api/v1/guardian-links/{link_id}",
        "/api/v1/guardian/{secret}",
    }
    assert schema["components"]["securitySchemes"]["BearerAuth"] == {"type": "http", "scheme": "bearer"}
    playlist = schema["paths"]["/api/v1/sections/{section_id}/playlist"]["get"]
    assert {"BearerAuth": []} in playlist["security"]
    assert set(playlist["responses"]) == {"200", "401", "404"}
    assert "security" not in schema["paths"]["/api/v1/auth/token"]["post"]


def installed_apps(with_ninja: bool) -> list[str]:
    others = [app for app in settings.INSTALLED_APPS if app != "ninja"]
    return [*others, "ninja"] if with_ninja else others


def test_without_ninja_installed_the_docs_page_is_off_rather_than_on_a_cdn() -> None:
    with override_settings(INSTALLED_APPS=installed_apps(with_ninja=False)):
        response = Client().get("/api/v1/docs")

    assert_error(response, 404, "not_found")


def test_with_ninja_installed_the_docs_page_loads_only_this_servers_files() -> None:
    with override_settings(INSTALLED_APPS=installed_apps(with_ninja=True)):
        client = Client()
        page = client.get("/api/v1/docs")
        assets = re.findall(r'(?:src|href)="([^"]+)"', page.content.decode())
        served = {asset: client.get(asset).status_code for asset in assets}

    assert page.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in assets
    assert all(a.startswith("/static/ninja/") for a in assets), assets
    assert set(served.values()) == {200}, served
