"""Fixtures of the LTI tests: a running test platform registered here, and launches through it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from flipmastery.lti.models import Platform
from tests import factories
from tests.lti.platform import TestPlatform


@pytest.fixture(autouse=True, scope="session")
def _static_root() -> None:
    Path(django_settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture
def lms(db: None, client: Client) -> Iterator[TestPlatform]:
    platform = TestPlatform()
    platform.tool_jwks = client.get("/lti/jwks/").json()  # as the LMS admin pasted our JWKS URL
    yield platform
    platform.stop()


@pytest.fixture
def registered(lms: TestPlatform) -> Platform:
    r = lms.registration()
    return Platform.objects.create(
        name=r["name"],
        issuer=r["issuer"],
        client_id=r["client_id"],
        deployment_ids=[r["deployment_id"] if "deployment_id" in r else r["deployment_ids"]],
        auth_login_url=r["auth_login_url"],
        auth_token_url=r["auth_token_url"],
        key_set_url=r["key_set_url"],
        created_at=timezone.now(),
    )


@pytest.fixture
def classroom(db: None) -> dict[str, Any]:
    return factories.small_classroom()


def start(client: Client, lms: TestPlatform) -> dict[str, str]:
    """The LMS starts a login (third-party initiated); we answer with its auth URL, state and nonce."""
    response = client.post(
        "/lti/login/",
        {
            "iss": lms.issuer,
            "login_hint": "hint-1",
            "target_link_uri": "http://testserver/lti/launch/",
            "client_id": lms.client_id,
            "lti_deployment_id": lms.deployment_id,
            "lti_message_hint": "msg-1",
        },
    )
    assert response.status_code == 302, response.content[:500]
    location = response["Location"]
    assert location.startswith(lms.url + "/auth?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


Launch = Callable[..., Any]


@pytest.fixture
def launch(client: Client, lms: TestPlatform, registered: Platform) -> Launch:
    """`launch(sub=…, role=…, **claims)`: the whole OIDC dance through our two endpoints; the response."""

    def go(*, sub: str, role: str, who: Client | None = None, **kwargs: Any) -> Any:
        browser = who or client
        asked = start(browser, lms)
        token = lms.id_token(nonce=asked["nonce"], sub=sub, role=role, **kwargs)
        go.last = {"id_token": token, "state": asked["state"]}  # type: ignore[attr-defined]
        return browser.post("/lti/launch/", go.last)  # type: ignore[attr-defined]

    return go
