"""Wrong join codes counted per network address, so nobody can try codes until one opens a section.

Per address, not per account: whoever guesses codes need not have an account (the join page makes one),
so there is no account to count against. A whole class shares one address behind the school's NAT, so
the limit is generous: 30 wrong codes in 10 minutes lets a class of 60 mistype freely (a mistyped code
is retyped, not retried 30 times), while a guesser gets 4,320 tries a day against 32^6 ≈ 10^9 codes: in
a school of 100 sections, about seven years to the first hit. Right codes are never counted. Once the limit is
reached, the address may try no code at all, right or wrong, until its window ends: otherwise a guesser
would go on. The count lives in Django's cache (per server process: exactly one for `flipmastery serve`).
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

WRONG_CODES_ALLOWED = 30
WINDOW_SECONDS = 10 * 60
TOO_MANY_WRONG_CODES = gettext_lazy(
    "Too many wrong join codes were typed on this network. Try again in 10 minutes."
)


def _key(address: str) -> str:
    return f"join-wrong-codes:{address}"


def address_of(request: HttpRequest) -> str:
    """The address the request came from (the proxy's, behind one: then the whole school shares it)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def join_blocked(address: str) -> bool:
    """Has this address used up its wrong codes for now?"""
    return int(cache.get(_key(address), 0)) >= WRONG_CODES_ALLOWED


def wrong_code(address: str) -> None:
    """Count one wrong code; the window starts at the first one."""
    key = _key(address)
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # the window ended between add and incr: this wrong code starts a new one
        cache.add(key, 1, WINDOW_SECONDS)
