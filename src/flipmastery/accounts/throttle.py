"""The sign-in throttle: wrong passwords slow down the account they were tried on, never a whole address.

A class (often a whole school) reaches the server from one address behind NAT, so counting per address
would let one student's typos, or one prankster, shut out everyone. Wrong passwords are counted per
username from one address, and per username from all addresses together (someone guessing from many
addresses); each count has its limit, after which sign-in waits, doubling with every further wrong password
up to a cap. While it waits, no password is even checked: the answer is 429 with Retry-After, right
password or not. A right password clears the username's counts (its own address's and the overall one); a
teacher's unlock clears them all. The counts are rows in the database (`SignInFailures`), so every server
process sees the same ones. The checks themselves are in `accounts.backends`, which every password check
of the product goes through.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max
from django.utils.translation import gettext, ngettext

from flipmastery.accounts.models import SignInFailures
from flipmastery.domain.errors import DomainError


@dataclass(frozen=True)
class Limit:
    failures: int  # wrong passwords in a row before sign-in waits
    first_wait: timedelta  # the wait after the limit is reached; it doubles with each further failure
    longest_wait: timedelta


# A student who mistypes a few times is never slowed down; one who tries 5 wrong passwords waits 30 s, then
# 1, 2, 4, 8 minutes, and never more than 15 (a teacher can unlock at once). Someone guessing one account
# from many addresses meets the overall limit.
PER_ADDRESS = Limit(failures=5, first_wait=timedelta(seconds=30), longest_wait=timedelta(minutes=15))
OVERALL = Limit(failures=20, first_wait=timedelta(seconds=30), longest_wait=timedelta(minutes=15))
# Wrong passwords older than this, with no wait running, are forgotten (and their rows deleted).
FORGET_AFTER = timedelta(days=1)
ALL_ADDRESSES = ""


def wait_after(failures: int, limit: Limit) -> timedelta:
    """How long sign-in waits after the `failures`-th wrong password in a row."""
    if failures < limit.failures:
        return timedelta(0)
    doublings = min(failures - limit.failures, 30)  # 30 s × 2**30 is far past any cap
    return min(limit.first_wait * 2**doublings, limit.longest_wait)


def limits(address: str) -> list[tuple[str, Limit]]:
    """The counts a wrong password from `address` adds to (an unknown address: the overall one only)."""
    return [(address, PER_ADDRESS), (ALL_ADDRESSES, OVERALL)] if address else [(ALL_ADDRESSES, OVERALL)]


class SignInThrottled(DomainError):
    """Too many wrong passwords for this username: sign-in waits `wait_seconds`."""

    code = "throttled"

    def __init__(self, wait_seconds: int) -> None:
        self.wait_seconds = wait_seconds
        super().__init__(
            gettext(
                "Too many wrong passwords for this username. Try again in %(wait)s, "
                "or ask your teacher to unlock your account."
            )
            % {"wait": shown_wait(wait_seconds)}
        )


def shown_wait(seconds: int) -> str:
    if seconds < 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = -(-seconds // 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


@dataclass(frozen=True)
class Standing:
    wait_seconds: int  # 0: the password may be checked now
    counted: bool  # some wrong passwords are counted (a right one then clears them)


def sign_in_standing(*, username: str, address: str, now: datetime) -> Standing:
    """Whether a password for `username` from `address` may be checked now: one query."""
    rows = SignInFailures.objects.filter(
        username=username[:150],
        address__in=[a for a, _ in limits(address[:45])],
        last_failure_at__gte=now - FORGET_AFTER,
    ).values_list("locked_until", flat=True)
    until = list(rows)
    latest = max((u for u in until if u is not None), default=None)
    wait = math.ceil((latest - now).total_seconds()) if latest is not None else 0
    return Standing(wait_seconds=max(0, wait), counted=bool(until))


def locked_out(*, usernames: list[str], now: datetime) -> dict[str, datetime]:
    """Of these usernames, those that sign-in waits for now (from some address, or overall), each with the
    end of its longest wait."""
    found = (
        SignInFailures.objects.filter(username__in=usernames, locked_until__gt=now)
        .values("username")
        .annotate(until=Max("locked_until"))
    )
    return {row["username"]: row["until"] for row in found}
