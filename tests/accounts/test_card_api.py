"""Sign-in cards over the API: a new card's code and link are answered once; its code is traded for a
Bearer token at POST /api/v1/auth/card, as a password is at /auth/token; a revoked card, and the tokens
traded for it, open nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from flipmastery.accounts import cards
from flipmastery.accounts.cards import CardLimit
from flipmastery.accounts.models import ApiToken, SignInCard, hash_token
from tests.api.conftest import assert_error, bearer_client

CARD_TOKEN = "/api/v1/auth/card"
ME = "/api/v1/me/sections"


def card_url(room: dict[str, Any], student: str = "asha") -> str:
    return f"/api/v1/sections/{room['section'].pk}/students/{room[student].pk}/card"


def trade(code: str, client: Client | None = None) -> Any:
    return (client or Client()).post(CARD_TOKEN, {"code": code}, content_type="application/json")


def test_a_new_card_is_answered_once_with_its_code_and_the_link_of_its_qr_code(
    room: dict[str, Any],
) -> None:
    response = bearer_client(room["teacher"]).post(card_url(room))

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"student", "code", "url", "created_at"}
    assert body["student"] == room["asha"].pk
    code = body["code"]
    assert len(code) == 11 and code[5] == "-"
    assert body["url"] == f"http://testserver/c/{code}/"
    assert SignInCard.objects.get().digest == hash_token(code.replace("-", ""))
    assert Client().get(body["url"]).status_code == 302


def test_issuing_again_revokes_the_card_before(room: dict[str, Any]) -> None:
    client = bearer_client(room["teacher"])
    first = client.post(card_url(room)).json()["code"]

    second = client.post(card_url(room)).json()["code"]

    assert first != second
    assert_error(trade(first), 401, "card_not_working")
    assert trade(second).status_code == 201


def test_a_cards_code_trades_for_a_token_that_works_like_a_password_one(room: dict[str, Any]) -> None:
    code = bearer_client(room["teacher"]).post(card_url(room)).json()["code"]

    response = trade(code.lower().replace("-", " "))

    assert response.status_code == 201 and set(response.json()) == {"token"}
    token = response.json()["token"]
    mine = Client(headers={"Authorization": f"Bearer {token}"}).get(ME)
    assert mine.status_code == 200 and [s["id"] for s in mine.json()] == [room["section"].pk]
    assert ApiToken.objects.get(digest=hash_token(token)).user == room["asha"]


def test_revoking_the_card_voids_its_tokens(room: dict[str, Any]) -> None:
    teacher = bearer_client(room["teacher"])
    code = teacher.post(card_url(room)).json()["code"]
    token = trade(code).json()["token"]

    assert teacher.delete(card_url(room)).status_code == 204
    assert teacher.delete(card_url(room)).status_code == 204  # again: nothing more to do

    assert_error(Client(headers={"Authorization": f"Bearer {token}"}).get(ME), 401, "not_authenticated")
    body = assert_error(trade(code), 401, "card_not_working")
    assert body["message"] == "This card no longer works: ask your teacher for a new one."


@pytest.mark.parametrize("code", ["AAAAA-AAAAA", "nonsense", "x" * 100])
def test_a_wrong_code_gets_no_token(room: dict[str, Any], code: str) -> None:
    assert_error(trade(code), 401, "card_not_working")
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize("body", [{}, {"code": ""}, {"code": "x" * 101}, {"kode": "AAAAA-AAAAA"}])
def test_a_body_without_a_code_is_invalid(room: dict[str, Any], body: dict[str, str]) -> None:
    response = Client().post(CARD_TOKEN, body, content_type="application/json")

    assert_error(response, 422, "invalid")


def test_past_the_limit_of_wrong_codes_the_api_says_429_with_retry_after(
    room: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cards, "LIMIT", CardLimit(wrong_codes=2))
    code = bearer_client(room["teacher"]).post(card_url(room)).json()["code"]
    trade("AAAAA-AAAAA")
    trade("BBBBB-BBBBB")

    response = trade(code)

    body = assert_error(response, 429, "throttled")
    assert 1 <= int(response["Retry-After"]) <= 600
    assert body["details"] == {"retry_after": int(response["Retry-After"])}
    assert ApiToken.objects.filter(user=room["asha"]).count() == 0


def test_the_schema_documents_the_card_operations() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    card = schema["paths"]["/api/v1/sections/{section_id}/students/{student_id}/card"]
    trade_op = schema["paths"]["/api/v1/auth/card"]["post"]

    assert set(card) == {"post", "delete"}
    assert set(card["post"]["responses"]) == {"201", "401", "404"}
    assert "security" not in trade_op
    assert set(trade_op["responses"]) == {"201", "401", "422", "429"}
