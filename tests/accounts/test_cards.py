"""Sign-in cards, the services: a card is a random code kept only as its digest; printing one revokes the
student's live card in the same transaction; a revoked, unknown or mistyped code opens nothing; wrong codes
are limited per address."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from flipmastery.accounts import cards
from flipmastery.accounts.cards import (
    CardCodesThrottled,
    CardLimit,
    CardNotWorking,
    card_issue,
    card_revoke,
    card_sign_in,
    card_token_issue,
    cards_issue,
    section_cards,
)
from flipmastery.accounts.models import ApiToken, SignInCard, hash_token
from flipmastery.domain.card_codes import read_card_code
from flipmastery.domain.errors import NotFound

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
HERE = "10.0.0.7"


def test_a_card_is_a_random_code_of_which_only_the_digest_is_stored(room: dict[str, Any]) -> None:
    issued = card_issue(section=room["section"], student=room["asha"], by=room["teacher"], now=NOW)

    assert issued.shown == f"{issued.code[:5]}-{issued.code[5:]}"
    assert read_card_code(issued.shown) == issued.code
    stored = SignInCard.objects.get(user=room["asha"])
    assert stored.digest == hash_token(issued.code)
    assert not SignInCard.objects.filter(digest__contains=issued.code).exists()
    assert (stored.created_at, stored.created_by, stored.revoked_at, stored.last_used_at) == (
        NOW,
        room["teacher"],
        None,
        None,
    )


def test_cards_printed_for_a_class_are_all_different(room: dict[str, Any]) -> None:
    issued = cards_issue(section=room["section"], students=room["students"], by=room["teacher"], now=NOW)

    assert [i.student for i in issued] == room["students"]
    assert len({i.code for i in issued}) == 2
    assert SignInCard.objects.filter(revoked_at__isnull=True).count() == 2


def test_a_reprint_revokes_the_live_card_in_the_same_transaction(room: dict[str, Any]) -> None:
    old = card_issue(section=room["section"], student=room["asha"], by=room["teacher"], now=NOW)
    later = NOW + timedelta(days=3)

    new = card_issue(section=room["section"], student=room["asha"], by=room["co_teacher"], now=later)

    assert new.code != old.code
    assert SignInCard.objects.get(pk=old.card.pk).revoked_at == later
    assert SignInCard.objects.get(pk=new.card.pk).revoked_at is None
    with pytest.raises(CardNotWorking):
        card_sign_in(text=old.shown, address=HERE, now=later)
    assert card_sign_in(text=new.shown, address=HERE, now=later).user == room["asha"]


def test_the_database_itself_refuses_two_live_cards_for_one_person(room: dict[str, Any]) -> None:
    card_issue(section=room["section"], student=room["asha"], by=room["teacher"], now=NOW)

    with pytest.raises(IntegrityError), transaction.atomic():
        SignInCard.objects.create(user=room["asha"], digest="x" * 64, created_at=NOW)


def test_printing_for_someone_not_a_student_of_the_section_prints_nothing_and_revokes_nothing(
    room: dict[str, Any],
) -> None:
    kept = card_issue(section=room["section"], student=room["asha"], by=room["teacher"], now=NOW)
    before = list(SignInCard.objects.values_list("pk", "revoked_at"))

    for stranger in (room["outsider"], room["teacher"]):
        with pytest.raises(NotFound):
            cards_issue(
                section=room["section"], students=[room["asha"], stranger], by=room["teacher"], now=NOW
            )

    assert list(SignInCard.objects.values_list("pk", "revoked_at")) == before
    assert card_sign_in(text=kept.code, address=HERE, now=NOW).user == room["asha"]


def test_a_revoked_card_opens_nothing_and_revoking_again_changes_nothing(room: dict[str, Any]) -> None:
    issued = card_issue(section=room["section"], student=room["asha"], by=room["teacher"], now=NOW)

    assert card_revoke(section=room["section"], student=room["asha"], now=NOW) is True
    assert card_revoke(section=room["section"], student=room["asha"], now=NOW + timedelta(hours=1)) is False

    assert SignInCard.objects.get().revoked_at == NOW
    with pytest.raises(CardNotWorking) as refused:
        card_sign_in(text=issued.code, address=HERE, now=NOW)
    assert str(refused.value) == "This card no longer works: ask your teacher for a new one."


def test_revoking_in_another_section_than_the_students_is_refused(room: dict[str, Any]) -> None:
    card_issue(section=room["section"], student=room["asha"], by=room["teacher"], now=NOW)

    with pytest.raises(NotFound):
        card_revoke(section=room["other_section"], student=room["asha"], now=NOW)

    assert SignInCard.objects.get().revoked_at is None


def test_revoking_a_card_voids_the_tokens_it_was_traded_for_and_no_other(room: dict[str, Any]) -> None:
    issued = card_issue(section=room["section"], student=room["asha"], by=room["teacher"], now=NOW)
    by_card = card_token_issue(card=card_sign_in(text=issued.code, address=HERE, now=NOW))
    by_password = ApiToken.objects.create(user=room["asha"], digest=hash_token("by password"))

    card_issue(section=room["section"], student=room["asha"], by=room["teacher"], now=NOW)

    assert not ApiToken.objects.filter(digest=hash_token(by_card)).exists()
    assert list(ApiToken.objects.all()) == [by_password]


def test_signing_in_notes_the_use_and_reads_the_code_as_typed(room: dict[str, Any]) -> None:
    issued = card_issue(section=room["section"], student=room["asha"], by=room["teacher"], now=NOW)
    typed = f"  {issued.code[:5].lower()} {issued.code[5:].lower()} ".replace("0", "o").replace("1", "l")

    card = card_sign_in(text=typed, address=HERE, now=NOW + timedelta(minutes=5))

    assert card.user == room["asha"]
    assert SignInCard.objects.get().last_used_at == NOW + timedelta(minutes=5)


@pytest.mark.parametrize("change", [{"is_active": False}, {"role": "teacher"}])
def test_a_card_of_someone_who_may_no_longer_sign_in_this_way_opens_nothing(
    room: dict[str, Any], change: dict[str, Any]
) -> None:
    issued = card_issue(section=room["section"], student=room["asha"], by=room["teacher"], now=NOW)
    type(room["asha"]).objects.filter(pk=room["asha"].pk).update(**change)

    with pytest.raises(CardNotWorking):
        card_sign_in(text=issued.code, address=HERE, now=NOW)
    assert SignInCard.objects.get().last_used_at is None


def test_the_section_list_shows_each_student_with_their_live_card(room: dict[str, Any]) -> None:
    card_issue(section=room["section"], student=room["ben"], by=room["teacher"], now=NOW)
    live = card_issue(section=room["section"], student=room["ben"], by=room["teacher"], now=NOW)

    rows = section_cards(room["section"])

    assert [(r.student.username, r.live) for r in rows] == [("asha", None), ("ben", live.card)]


# --- wrong codes, per address ----------------------------------------------------------------------------


@pytest.fixture
def three_wrong(monkeypatch: pytest.MonkeyPatch) -> CardLimit:
    limit = CardLimit(wrong_codes=3, window=timedelta(minutes=10))
    monkeypatch.setattr(cards, "LIMIT", limit)
    return limit


def test_past_the_limit_of_wrong_codes_an_address_may_try_no_code_until_the_window_turns(
    room: dict[str, Any], three_wrong: CardLimit
) -> None:
    issued = card_issue(section=room["section"], student=room["asha"], by=room["teacher"], now=NOW)
    for wrong in ("AAAAA-AAAAA", "not a code", "ZZZZZ-ZZZZZ"):
        with pytest.raises(CardNotWorking):
            card_sign_in(text=wrong, address=HERE, now=NOW + timedelta(minutes=1))

    with pytest.raises(CardCodesThrottled) as throttled:
        card_sign_in(text=issued.code, address=HERE, now=NOW + timedelta(minutes=2))

    assert throttled.value.wait_seconds == 8 * 60
    assert str(throttled.value) == (
        "Too many wrong card codes were typed here. Wait 8 minutes, or sign in with your password."
    )
    assert SignInCard.objects.get().last_used_at is None
    elsewhere = card_sign_in(text=issued.code, address="10.0.0.8", now=NOW + timedelta(minutes=2))
    next_window = card_sign_in(text=issued.code, address=HERE, now=NOW + timedelta(minutes=10))
    assert elsewhere.user == next_window.user == room["asha"]


def test_right_codes_are_not_counted(room: dict[str, Any], three_wrong: CardLimit) -> None:
    issued = card_issue(section=room["section"], student=room["asha"], by=room["teacher"], now=NOW)

    for _ in range(5):
        card_sign_in(text=issued.code, address=HERE, now=NOW)
    for _ in range(2):
        with pytest.raises(CardNotWorking):
            card_sign_in(text="AAAAA-AAAAA", address=HERE, now=NOW)

    assert card_sign_in(text=issued.code, address=HERE, now=NOW).user == room["asha"]


def test_the_limit_lets_a_class_of_sixty_mistype_several_times_each() -> None:
    assert cards.LIMIT.wrong_codes >= 3 * 60
    assert cards.LIMIT.window == timedelta(minutes=10)


def test_a_student_of_two_sections_has_one_card_for_both(room: dict[str, Any]) -> None:
    room["other_section"].enrollments.create(student=room["asha"])
    first = card_issue(section=room["section"], student=room["asha"], by=room["teacher"], now=NOW)

    second = card_issue(
        section=room["other_section"], student=room["asha"], by=room["other_teacher"], now=NOW
    )

    assert list(SignInCard.objects.filter(revoked_at__isnull=True)) == [second.card]
    assert SignInCard.objects.get(pk=first.card.pk).revoked_at == NOW
