"""Who may print and revoke a section's sign-in cards, by page and by API: the section's teachers (a
co-teacher too) and school admins. Anyone else, signed in or not, changes nothing and learns nothing: the
section is "not found" to them, as a missing one is (anonymous: asked to sign in, or 401)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from flipmastery.accounts.cards import card_issue
from flipmastery.accounts.models import SignInCard
from tests.api.conftest import assert_error, bearer_client

ALLOWED = ["teacher", "co_teacher", "admin"]
REFUSED = ["asha", "outsider", "other_teacher"]  # a student of this section, of another, a teacher of another


def as_person(room: dict[str, Any], who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(room[who])
    return client


def cards_now() -> list[tuple[int, int, Any]]:
    return list(SignInCard.objects.order_by("pk").values_list("pk", "user_id", "revoked_at"))


@pytest.fixture
def asha_has_a_card(room: dict[str, Any]) -> str:
    return card_issue(
        section=room["section"], student=room["asha"], by=room["teacher"], now=timezone.now()
    ).shown


PAGES: dict[str, Callable[[Client, dict[str, Any]], Any]] = {
    "cards page": lambda c, r: c.get(f"/sections/{r['section'].pk}/cards/"),
    "print all": lambda c, r: c.post(f"/sections/{r['section'].pk}/cards/print/"),
    "print one": lambda c, r: c.post(f"/sections/{r['section'].pk}/cards/print/", {"student": r["ben"].pk}),
    "revoke": lambda c, r: c.post(f"/sections/{r['section'].pk}/cards/{r['asha'].pk}/revoke/"),
}


@pytest.mark.parametrize("operation", PAGES)
@pytest.mark.parametrize("who", ALLOWED)
def test_the_sections_teachers_and_school_admins_may_use_the_card_pages(
    room: dict[str, Any], asha_has_a_card: str, who: str, operation: str
) -> None:
    response = PAGES[operation](as_person(room, who), room)

    assert response.status_code == (302 if operation == "revoke" else 200)
    if operation.startswith("print"):
        assert 'class="signin-card-code code"' in response.content.decode()


@pytest.mark.parametrize("operation", PAGES)
@pytest.mark.parametrize("who", REFUSED)
def test_anyone_else_finds_no_such_section_and_changes_nothing(
    room: dict[str, Any], asha_has_a_card: str, who: str, operation: str
) -> None:
    before = cards_now()

    response = PAGES[operation](as_person(room, who), room)

    assert response.status_code == 404
    assert "signin-card-code" not in response.content.decode()
    assert cards_now() == before
    assert Client().get(f"/c/{asha_has_a_card}/").status_code == 302  # the card still works


@pytest.mark.parametrize("operation", PAGES)
def test_anonymous_is_asked_to_sign_in_and_changes_nothing(
    room: dict[str, Any], asha_has_a_card: str, operation: str
) -> None:
    before = cards_now()

    response = PAGES[operation](Client(), room)

    assert response.status_code == 302 and response.url.startswith("/login/?next=")
    assert cards_now() == before


def test_a_teacher_cannot_print_or_revoke_for_a_student_of_another_section(
    room: dict[str, Any],
) -> None:
    outsiders_card = card_issue(
        section=room["other_section"], student=room["outsider"], by=room["other_teacher"], now=timezone.now()
    )
    before = cards_now()
    client = as_person(room, "teacher")
    section = room["section"].pk

    printed = client.post(f"/sections/{section}/cards/print/", {"student": room["outsider"].pk})
    revoked = client.post(f"/sections/{section}/cards/{room['outsider'].pk}/revoke/")
    teachers_own = client.post(f"/sections/{section}/cards/{room['teacher'].pk}/revoke/")

    assert (printed.status_code, revoked.status_code, teachers_own.status_code) == (404, 404, 404)
    assert cards_now() == before
    assert Client().get(f"/c/{outsiders_card.shown}/").status_code == 302


@pytest.mark.parametrize("who", ["anonymous", "asha", "ben", "outsider", "teacher", "admin"])
def test_a_card_signs_its_student_in_whoever_was_signed_in_on_the_device(
    room: dict[str, Any], asha_has_a_card: str, who: str
) -> None:
    client = as_person(room, who)

    client.get(f"/c/{asha_has_a_card}/")

    assert client.session["_auth_user_id"] == str(room["asha"].pk)


# --- the API ------------------------------------------------------------------------------------------------


def card_url(room: dict[str, Any], student: str = "ben", section: str = "section") -> str:
    return f"/api/v1/sections/{room[section].pk}/students/{room[student].pk}/card"


@pytest.mark.parametrize("who", ALLOWED)
def test_the_sections_teachers_and_school_admins_issue_and_revoke_by_api(
    room: dict[str, Any], who: str
) -> None:
    client = bearer_client(room[who])

    issued = client.post(card_url(room))
    assert issued.status_code == 201, issued.content
    assert SignInCard.objects.get(revoked_at__isnull=True).created_by == room[who]
    revoked = client.delete(card_url(room))

    assert revoked.status_code == 204
    assert SignInCard.objects.filter(revoked_at__isnull=True).count() == 0


@pytest.mark.parametrize("who", REFUSED)
@pytest.mark.parametrize("method", ["post", "delete"])
def test_anyone_else_gets_404_by_api_and_changes_nothing(
    room: dict[str, Any], asha_has_a_card: str, who: str, method: str
) -> None:
    before = cards_now()

    response = getattr(bearer_client(room[who]), method)(card_url(room, "asha"))

    assert_error(response, 404, "not_found")
    assert cards_now() == before


@pytest.mark.parametrize("method", ["post", "delete"])
def test_anonymous_gets_401_by_api_and_changes_nothing(
    room: dict[str, Any], asha_has_a_card: str, method: str
) -> None:
    before = cards_now()

    response = getattr(Client(), method)(card_url(room, "asha"))

    assert_error(response, 401, "not_authenticated")
    assert cards_now() == before


@pytest.mark.parametrize("method", ["post", "delete"])
def test_by_api_a_student_of_another_section_is_not_found_even_for_a_teacher(
    room: dict[str, Any], method: str
) -> None:
    response = getattr(bearer_client(room["teacher"]), method)(card_url(room, "outsider"))

    assert_error(response, 404, "not_found")
    assert SignInCard.objects.count() == 0
