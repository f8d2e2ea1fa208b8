"""Wrong codes counted per network address, for codes that belong to no account (join codes, guardian codes).

A code that is not tied to an account cannot be throttled per account, so each kind of code gets a
generous limit per address: a class (or a school meeting) shares one address behind NAT and must never
lock itself out, while a guesser gets a few thousand tries a day against codes of 30 bits or more. Once the
limit is reached the address may try no code of that kind at all, right or wrong, until its window ends;
right codes are never counted. The counts live in Django's cache, which every server process shares (a
file cache in the data dir, or Redis: settings.CACHES), and count atomically there.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest


def address_of(request: HttpRequest) -> str:
    """The address the request came from (the proxy's, behind one: then the whole school shares it)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


@dataclass(frozen=True)
class AddressLimit:
    kind: str  # names the counter: "join", "guardian"
    allowed: int  # wrong codes per window
    window_seconds: int

    def _key(self, address: str) -> str:
        return f"wrong-{self.kind}-codes:{address}"

    def blocked(self, address: str) -> bool:
        """Has this address used up its wrong codes for now?"""
        return int(cache.get(self._key(address), 0)) >= self.allowed

    def wrong(self, address: str) -> None:
        """Count one wrong code; the window starts at the first one."""
        key = self._key(address)
        cache.add(key, 0, self.window_seconds)
        try:
            cache.incr(key)
        except ValueError:  # the window ended between add and incr: this wrong code starts a new one
            cache.add(key, 1, self.window_seconds)
