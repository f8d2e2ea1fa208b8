"""Sign-in cards: print (issue) a student's card, revoke it, and sign in by the code on it.

A card carries a random code (domain/card_codes.py) and only the code's SHA-256 is stored, so the code is
shown once, on the page that prints it, and a lost card opens no one else's account. A student has one live
card: printing a new one revokes the old in the same transaction, and a revoked card opens nothing (nor do
the API tokens it was traded for). Wrong codes are limited per address (`CardLimit`).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext, ngettext

from flipmastery.accounts.models import ApiToken, Role, SignInCard, User, hash_token
from flipmastery.accounts.services import api_token_issue
from flipmastery.classroom.models import Section
from flipmastery.domain.card_codes import BITS, card_code, read_card_code, shown_card_code
from flipmastery.domain.errors import DomainError, NotFound


class CardNotWorking(NotFound):
    """An unknown, mistyped or revoked code, or a card whose person may no longer sign in: all read the
    same, so a code tells nothing about whether it ever existed."""

    def __init__(self) -> None:
        super().__init__(gettext("This card no longer works: ask your teacher for a new one."))


class CardCodesThrottled(DomainError):
    code = "throttled"

    def __init__(self, wait_seconds: int) -> None:
        self.wait_seconds = wait_seconds
        minutes = max(1, -(-wait_seconds // 60))
        super().__init__(
            ngettext(
                "Too many wrong card codes were typed here. Wait %(minutes)d minute, "
                "or sign in with your password.",
                "Too many wrong card codes were typed here. Wait %(minutes)d minutes, "
                "or sign in with your password.",
                minutes,
            )
            % {"minutes": minutes}
        )


@dataclass(frozen=True)
class IssuedCard:
    card: SignInCard
    code: str  # as stored: ten symbols, no dash

    @property
    def student(self) -> User:
        return self.card.user

    @property
    def shown(self) -> str:
        return shown_card_code(self.code)


@dataclass(frozen=True)
class CardLimit:
    """Wrong codes allowed from one address in a window. A class (often a whole school) shares one address
    behind NAT, so the limit is far above what a class mistypes or scans of revoked cards add up to (a few
    each), yet it holds a guesser to a handful of tries a minute, against 2**50 codes."""

    wrong_codes: int = 200
    window: timedelta = timedelta(minutes=10)


LIMIT = CardLimit()


def card_digest(code: str) -> str:
    return hash_token(code)


def token_label(card_id: int) -> str:
    """The label of API tokens traded for a card, so that revoking the card revokes them too."""
    return f"sign-in card #{card_id}"


# --- teachers: print and revoke ---------------------------------------------------------------------------


@transaction.atomic
def cards_issue(*, section: Section, students: Sequence[User], by: User, now: datetime) -> list[IssuedCard]:
    """A new card for each of `students` (students of `section`), revoking their live cards: a reprinted
    card is a new code, and the old card opens nothing. All or none."""
    each = list({s.pk: s for s in students}.values())
    wanted = {s.pk for s in each}
    enrolled = set(_students(section).filter(pk__in=wanted).values_list("pk", flat=True))
    if enrolled != wanted:
        raise NotFound("no such student in this section")
    # Two teachers printing for one student at once: the second waits here for the first's card, then
    # revokes it, instead of breaking the one-live-card constraint (PostgreSQL; SQLite writes one at a time).
    list(User.objects.select_for_update().filter(pk__in=wanted).values_list("pk", flat=True))
    _revoke(SignInCard.objects.filter(user__in=wanted, revoked_at__isnull=True), now)
    codes = _fresh_codes(len(each))
    made = SignInCard.objects.bulk_create(
        SignInCard(user=s, digest=card_digest(c), created_at=now, created_by=by)
        for s, c in zip(each, codes, strict=True)
    )
    return [IssuedCard(card, code) for card, code in zip(made, codes, strict=True)]


def card_issue(*, section: Section, student: User, by: User, now: datetime) -> IssuedCard:
    return cards_issue(section=section, students=[student], by=by, now=now)[0]


@transaction.atomic
def card_revoke(*, section: Section, student: User, now: datetime) -> bool:
    """The student's live card opens nothing from now on; False when they had none."""
    if not _students(section).filter(pk=student.pk).exists():
        raise NotFound("no such student in this section")
    return _revoke(SignInCard.objects.filter(user=student, revoked_at__isnull=True), now) > 0


def _students(section: Section) -> QuerySet[User]:
    return section.students.filter(role=Role.STUDENT)


def _revoke(live: QuerySet[SignInCard], now: datetime) -> int:
    """Revoke these live cards and the API tokens traded for them; how many cards."""
    ids = list(live.values_list("pk", flat=True))
    ApiToken.objects.filter(label__in=[token_label(pk) for pk in ids]).delete()
    return SignInCard.objects.filter(pk__in=ids).update(revoked_at=now)


def _fresh_codes(count: int) -> list[str]:
    """`count` random codes, none of them a stored card's (a repeat in 2**50 is unlikely, not impossible)."""
    while True:
        codes = list({card_code(secrets.randbits(BITS)) for _ in range(count)})
        taken = SignInCard.objects.filter(digest__in=[card_digest(c) for c in codes]).exists()
        if len(codes) == count and not taken:
            return codes


@dataclass(frozen=True)
class CardRow:
    student: User
    live: SignInCard | None


def section_cards(section: Section) -> list[CardRow]:
    """The section's students, each with their live card (or None), in two queries."""
    live = Prefetch(
        "sign_in_cards", queryset=SignInCard.objects.filter(revoked_at__isnull=True), to_attr="live_cards"
    )
    students = _students(section).order_by("username").prefetch_related(live)
    return [CardRow(s, next(iter(s.live_cards), None)) for s in students]


# --- students: sign in ------------------------------------------------------------------------------------


def card_sign_in(*, text: str, address: str, now: datetime) -> SignInCard:
    """The live card whose code was typed or scanned (its person signs in), noted as used. A wrong code
    counts against `address`; past the limit no code is even looked up until the window turns."""
    wait = _wait(address, now)
    if wait:
        raise CardCodesThrottled(wait)
    code = read_card_code(text)
    card = (
        SignInCard.objects.select_related("user")
        .filter(digest=card_digest(code), revoked_at__isnull=True)
        .first()
        if code
        else None
    )
    if card is None or not card.user.is_active or card.user.role != Role.STUDENT:
        _count_wrong(address, now)
        raise CardNotWorking()
    SignInCard.objects.filter(pk=card.pk).update(last_used_at=now)
    return card


def card_token_issue(*, card: SignInCard) -> str:
    """An API token for the card's person, labelled with the card so that revoking the card voids it."""
    raw = api_token_issue(user=card.user)
    ApiToken.objects.filter(digest=hash_token(raw)).update(label=token_label(card.pk))
    return raw


def _window(address: str, now: datetime) -> tuple[str, int]:
    """The cache key of `address` in the window `now` falls in, and the seconds left in that window."""
    size = int(LIMIT.window.total_seconds())
    at = int(now.timestamp())
    return f"flipmastery:wrong-card-codes:{address}:{at // size}", size - at % size


def _wait(address: str, now: datetime) -> int:
    key, left = _window(address, now)
    return left if cache.get(key, 0) >= LIMIT.wrong_codes else 0


def _count_wrong(address: str, now: datetime) -> None:
    key, left = _window(address, now)
    if not cache.add(key, 1, timeout=left + 1):
        try:
            cache.incr(key)
        except ValueError:  # expired in between: this is the first of a new window
            cache.add(key, 1, timeout=left + 1)
