"""Wrong guardian codes counted per network address, so nobody can try codes until one opens a child's page.

Only the short code (10 symbols, 50 bits) can be guessed; the link's secret is 192 bits, so a wrong secret
is not counted and a right one always opens, whatever the count. Per address, because a guardian has no
account to count against. The limit is generous, 30 wrong codes in 10 minutes: parents at a school meeting
share the school's address, and a phone company puts many of its customers behind one address (carrier-grade
NAT), so a few families mistyping must never lock out the others; a mistyped code is retyped, not tried 30
times. A guesser still gets only 4,320 tries a day from one address against 2**50 codes: with a thousand live
links in a school, about a million years to the first hit. Once the limit is reached, the address may try no
code at all, right or wrong, until its window ends (otherwise a guesser would go on). The count lives in
Django's cache (per server process: exactly one for `flipmastery serve`).
"""

from __future__ import annotations

from django.core.cache import cache

WRONG_CODES_ALLOWED = 30
WINDOW_SECONDS = 10 * 60


def _key(address: str) -> str:
    return f"guardian-wrong-codes:{address}"


def codes_blocked(address: str) -> bool:
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
