"""Tokens: issued for a username and password, stored only as a digest, used as Bearer, revoked;
the browser session works too, with CSRF on unsafe methods."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from flipmastery.accounts.models import ApiToken, hash_token
from flipmastery.api.tokens import api_token_issue
from tests import factories
from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token"
ME = "/api/v1/me/sections"


def issue(client: Client, username: str, password: str = factories.PASSWORD) -> Any:
    return client.post(
        TOKEN_URL, {"username": username, "password": password}, content_type="application/json"
    )


def test_right_credentials_give_a_token_of_which_only_the_digest_is_stored() -> None:
    person = factories.student(username="asha")

    response = issue(Client(), "asha")

    assert response.status_code == 201
    assert set(response.json()) == {"token"}
    raw = response.json()["token"]
    stored = ApiToken.objects.get(user=person)
    assert stored.digest == hash_token(raw)
    assert not ApiToken.objects.filter(digest=raw).exists()
    assert stored.last_used_at is None


@pytest.mark.parametrize(("username", "password"), [("asha", "wrong password"), ("nobody", "whatever")])
def test_wrong_credentials_are_refused_and_issue_nothing(username: str, password: str) -> None:
    factories.student(username="asha")

    response = issue(Client(), username, password)

    body = assert_error(response, 401, "invalid_credentials")
    assert body["message"] == "Wrong username or password."
    assert ApiToken.objects.count() == 0


def test_an_inactive_person_gets_no_token() -> None:
    factories.student(username="asha", is_active=False)

    response = issue(Client(), "asha")

    assert_error(response, 401, "invalid_credentials")
    assert ApiToken.objects.count() == 0


def test_a_token_request_without_a_password_is_invalid() -> None:
    response = Client().post(TOKEN_URL, {"username": "asha"}, content_type="application/json")

    body = assert_error(response, 422, "invalid")
    assert body["details"] == [
        {"loc": ["body", "credentials", "password"], "message": "Field required", "type": "missing"}
    ]


def test_a_bearer_token_authenticates_and_records_its_use() -> None:
    person = factories.teacher(username="ms_rao")
    raw = issue(Client(), "ms_rao").json()["token"]

    response = Client().get(ME, headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 200
    assert response.json() == []
    assert ApiToken.objects.get(user=person).last_used_at is not None


def test_token_use_is_written_at_most_once_a_minute() -> None:
    factories.student(username="asha")
    raw = issue(Client(), "asha").json()["token"]
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    client.get(ME)
    first = ApiToken.objects.get().last_used_at
    assert first is not None

    client.get(ME)
    assert ApiToken.objects.get().last_used_at == first

    two_minutes_ago = timezone.now() - timedelta(minutes=2)
    ApiToken.objects.update(last_used_at=two_minutes_ago)
    client.get(ME)
    later = ApiToken.objects.get().last_used_at
    assert later is not None and later > two_minutes_ago + timedelta(minutes=1)


@pytest.mark.parametrize(
    "header", ["Bearer not-a-real-token", "Bearer ", "Token abc", "Basic YXNoYTpwYXNz", "Bearer"]
)
def test_a_bad_token_is_not_authenticated(header: str) -> None:
    response = Client().get(ME, headers={"Authorization": header})

    assert_error(response, 401, "not_authenticated")


def test_anonymous_is_not_authenticated() -> None:
    assert_error(Client().get(ME), 401, "not_authenticated")


def test_the_token_of_a_person_made_inactive_stops_working() -> None:
    person = factories.student(username="asha")
    raw = issue(Client(), "asha").json()["token"]
    person.is_active = False
    person.save()

    response = Client().get(ME, headers={"Authorization": f"Bearer {raw}"})

    assert_error(response, 401, "not_authenticated")


def test_delete_revokes_only_the_token_used() -> None:
    factories.student(username="asha")
    used = issue(Client(), "asha").json()["token"]
    other = issue(Client(), "asha").json()["token"]

    response = Client().delete(TOKEN_URL, headers={"Authorization": f"Bearer {used}"})

    assert response.status_code == 204
    assert response.content == b""
    assert list(ApiToken.objects.values_list("digest", flat=True)) == [hash_token(other)]
    assert_error(Client().get(ME, headers={"Authorization": f"Bearer {used}"}), 401, "not_authenticated")
    assert Client().get(ME, headers={"Authorization": f"Bearer {other}"}).status_code == 200


def test_delete_needs_a_bearer_token() -> None:
    person = factories.student(username="asha")
    issue(Client(), "asha")
    client = Client()
    client.force_login(person)

    assert_error(client.delete(TOKEN_URL), 401, "not_authenticated")
    assert_error(Client().delete(TOKEN_URL), 401, "not_authenticated")
    assert ApiToken.objects.count() == 1


def test_the_browser_session_authenticates_safe_methods_without_csrf() -> None:
    person = factories.teacher(username="ms_rao")
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)

    assert client.get(ME).status_code == 200


@pytest.mark.urls("tests.api.session_urls")
def test_the_browser_session_needs_the_csrf_token_for_unsafe_methods() -> None:
    person = factories.student(username="asha")
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)

    assert_error(client.post("/api/v1/echo"), 403, "csrf_failed")

    secret = "k" * 32  # what a page of ours would have put in the csrftoken cookie
    client.cookies["csrftoken"] = secret
    response = client.post("/api/v1/echo", headers={"X-CSRFToken": secret})
    assert response.status_code == 200
    assert response.json() == {"username": "asha"}


@pytest.mark.urls("tests.api.session_urls")
def test_a_bearer_client_needs_no_csrf_token_for_unsafe_methods() -> None:
    person = factories.student(username="asha")
    raw = api_token_issue(user=person)
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})
    client.force_login(person)  # even with a session cookie beside it

    response = client.post("/api/v1/echo")

    assert response.status_code == 200


@pytest.mark.urls("tests.api.session_urls")
def test_an_anonymous_unsafe_request_is_told_401_not_a_csrf_error() -> None:
    assert_error(Client(enforce_csrf_checks=True).post("/api/v1/echo"), 401, "not_authenticated")
