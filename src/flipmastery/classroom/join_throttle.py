"""Wrong join codes counted per network address, so nobody can try codes until one opens a section.

Per address, not per account: whoever guesses codes need not have an account (the join page makes one),
so there is no account to count against. A whole class shares one address behind the school's NAT, so
the limit is generous: 30 wrong codes in 10 minutes lets a class of 60 mistype freely (a mistyped code
is retyped, not retried 30 times), while a guesser gets 4,320 tries a day against 32^6 ≈ 10^9 codes: in
a school of 100 sections, about seven years to the first hit. Right codes are never counted. Once the limit is
reached, the address may try no code at all, right or wrong, until its window ends: otherwise a guesser
would go on. The count lives in Django's cache, shared by every server process (settings.CACHES).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from flipmastery.accounts.address_limits import AddressLimit, address_of

WRONG_CODES_ALLOWED = 30
WINDOW_SECONDS = 10 * 60
TOO_MANY_WRONG_CODES = gettext_lazy(
    "Too many wrong join codes were typed on this network. Try again in 10 minutes."
)
JOIN_CODES = AddressLimit("join", WRONG_CODES_ALLOWED, WINDOW_SECONDS)
join_blocked = JOIN_CODES.blocked
wrong_code = JOIN_CODES.wrong

__all__ = ["TOO_MANY_WRONG_CODES", "WRONG_CODES_ALLOWED", "address_of", "join_blocked", "wrong_code"]
