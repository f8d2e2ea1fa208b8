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


# --- labels, idle expiry, password changes, and my list of tokens -------------------------------------


def bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_a_token_may_carry_a_label_and_is_stamped_with_the_password_not_the_password() -> None:
    person = factories.student(username="asha")
    body = {"username": "asha", "password": factories.PASSWORD, "label": "  my phone "}

    response = Client().post(TOKEN_URL, body, content_type="application/json")

    assert response.status_code == 201
    assert set(response.json()) == {"token"}
    stored = ApiToken.objects.get(user=person)
    assert stored.label == "my phone"
    assert stored.password_stamp == person.get_session_auth_hash()
    assert person.password not in stored.password_stamp and factories.PASSWORD not in stored.password_stamp


def test_a_label_longer_than_100_characters_is_invalid() -> None:
    factories.student(username="asha")
    body = {"username": "asha", "password": factories.PASSWORD, "label": "x" * 101}

    response = Client().post(TOKEN_URL, body, content_type="application/json")

    details = assert_error(response, 422, "invalid")["details"]
    assert [d["loc"] for d in details] == [["body", "credentials", "label"]]
    assert ApiToken.objects.count() == 0


def test_a_new_password_voids_every_token_issued_before_it() -> None:
    person = factories.student(username="asha")
    raw = issue(Client(), "asha").json()["token"]
    assert bearer(raw).get(ME).status_code == 200

    person.set_password("a-new-password-1")
    person.save()

    assert_error(bearer(raw).get(ME), 401, "not_authenticated")
    assert not ApiToken.objects.exists()  # gone for good, not only refused
    fresh = issue(Client(), "asha", "a-new-password-1").json()["token"]
    assert bearer(fresh).get(ME).status_code == 200


def test_a_token_from_before_stamps_works_no_more() -> None:
    person = factories.student(username="asha")
    raw = api_token_issue(user=person)
    ApiToken.objects.update(password_stamp="")

    assert_error(bearer(raw).get(ME), 401, "not_authenticated")


@pytest.mark.parametrize(
    ("last_used_days_ago", "works"),
    [(None, False), (29, True), (30.01, False), (400, False)],  # None: issued 400 days ago, never used
)
def test_a_token_unused_for_30_days_stops_working(last_used_days_ago: float | None, works: bool) -> None:
    person = factories.student(username="asha")
    raw = api_token_issue(user=person)
    ApiToken.objects.update(created_at=timezone.now() - timedelta(days=400))
    if last_used_days_ago is not None:
        ApiToken.objects.update(last_used_at=timezone.now() - timedelta(days=last_used_days_ago))

    response = bearer(raw).get(ME)

    if works:
        assert response.status_code == 200
        used = ApiToken.objects.get().last_used_at
        assert used is not None and timezone.now() - used < timedelta(minutes=1)  # the count starts again
    else:
        assert_error(response, 401, "not_authenticated")
        assert not ApiToken.objects.exists()


def test_a_fresh_token_works_until_it_has_been_idle_for_the_configured_days(settings: Any) -> None:
    settings.TOKEN_IDLE_DAYS = 2
    person = factories.student(username="asha")
    kept, dropped = api_token_issue(user=person), api_token_issue(user=person)
    ApiToken.objects.filter(digest=hash_token(kept)).update(last_used_at=timezone.now() - timedelta(days=1.9))
    ApiToken.objects.filter(digest=hash_token(dropped)).update(
        last_used_at=timezone.now() - timedelta(days=2.1)
    )

    assert bearer(kept).get(ME).status_code == 200
    assert_error(bearer(dropped).get(ME), 401, "not_authenticated")


def test_i_list_my_working_tokens_and_never_their_secrets() -> None:
    asha = factories.student(username="asha")
    ben = factories.student(username="ben")
    phone = (
        Client()
        .post(
            TOKEN_URL,
            {"username": "asha", "password": factories.PASSWORD, "label": "my phone"},
            content_type="application/json",
        )
        .json()["token"]
    )
    laptop = api_token_issue(user=asha, label="laptop")
    idle = api_token_issue(user=asha, label="old tablet")
    ApiToken.objects.filter(digest=hash_token(idle)).update(last_used_at=timezone.now() - timedelta(days=31))
    api_token_issue(user=ben, label="ben's")

    response = bearer(phone).get("/api/v1/auth/tokens")

    assert response.status_code == 200
    listed = response.json()
    mine = {t.label: t for t in ApiToken.objects.filter(user=asha)}
    assert [t["label"] for t in listed] == ["laptop", "my phone"]  # newest first; the idle one is not shown
    assert [t["id"] for t in listed] == [mine["laptop"].pk, mine["my phone"].pk]
    assert [t["current"] for t in listed] == [False, True]
    for shown in listed:
        assert set(shown) == {"id", "label", "created_at", "last_used_at", "expires_at", "current"}
    assert listed[0]["last_used_at"] is None
    assert listed[1]["last_used_at"] is not None  # this request used it
    assert listed[0]["expires_at"].startswith(str((mine["laptop"].created_at + timedelta(days=30)).date()))
    text = response.content.decode()
    for secret in (phone, laptop, mine["laptop"].digest, mine["laptop"].password_stamp):
        assert secret not in text


def test_the_browser_session_lists_my_tokens_too() -> None:
    asha = factories.student(username="asha")
    api_token_issue(user=asha, label="phone")
    client = Client()
    client.force_login(asha)

    listed = client.get("/api/v1/auth/tokens").json()

    assert [(t["label"], t["current"]) for t in listed] == [("phone", False)]


def test_i_revoke_one_of_my_tokens_and_the_others_keep_working() -> None:
    asha = factories.student(username="asha")
    phone, laptop = api_token_issue(user=asha, label="phone"), api_token_issue(user=asha, label="laptop")
    lost = ApiToken.objects.get(label="phone")

    response = bearer(laptop).delete(f"/api/v1/auth/tokens/{lost.pk}")

    assert response.status_code == 204
    assert list(ApiToken.objects.values_list("label", flat=True)) == ["laptop"]
    assert_error(bearer(phone).get(ME), 401, "not_authenticated")
    assert bearer(laptop).get(ME).status_code == 200


def test_another_persons_token_is_not_found_and_stays() -> None:
    asha, ben = factories.student(username="asha"), factories.student(username="ben")
    mine = api_token_issue(user=asha)
    theirs = api_token_issue(user=ben, label="ben's phone")
    their_id = ApiToken.objects.get(label="ben's phone").pk

    response = bearer(mine).delete(f"/api/v1/auth/tokens/{their_id}")

    assert_error(response, 404, "not_found")
    assert_error(bearer(mine).delete("/api/v1/auth/tokens/999999"), 404, "not_found")
    assert ApiToken.objects.filter(pk=their_id).exists()
    assert bearer(theirs).get(ME).status_code == 200


def test_anonymous_may_neither_list_nor_revoke_tokens() -> None:
    asha = factories.student(username="asha")
    api_token_issue(user=asha)
    token_id = ApiToken.objects.get().pk

    assert_error(Client().get("/api/v1/auth/tokens"), 401, "not_authenticated")
    assert_error(Client().delete(f"/api/v1/auth/tokens/{token_id}"), 401, "not_authenticated")
    assert_error(bearer("not-a-token").get("/api/v1/auth/tokens"), 401, "not_authenticated")
    assert ApiToken.objects.count() == 1
