"""Wrong guardian codes counted per network address, so nobody can try codes until one opens a child's page.

Only the short code (10 symbols, 50 bits) can be guessed; the link's secret is 192 bits, so a wrong secret
is not counted and a right one always opens, whatever the count. Per address, because a guardian has no
account to count against. The limit is generous, 30 wrong codes in 10 minutes: parents at a school meeting
share the school's address, and a phone company puts many of its customers behind one address (carrier-grade
NAT), so a few families mistyping must never lock out the others; a mistyped code is retyped, not tried 30
times. A guesser still gets only 4,320 tries a day from one address against 2**50 codes: with a thousand live
links in a school, about a million years to the first hit. Once the limit is reached, the address may try no
code at all, right or wrong, until its window ends (otherwise a guesser would go on). The count lives in
Django's cache, shared by every server process (settings.CACHES).
"""

from __future__ import annotations

from flipmastery.accounts.address_limits import AddressLimit

WRONG_CODES_ALLOWED = 30
WINDOW_SECONDS = 10 * 60
GUARDIAN_CODES = AddressLimit("guardian", WRONG_CODES_ALLOWED, WINDOW_SECONDS)
codes_blocked = GUARDIAN_CODES.blocked
wrong_code = GUARDIAN_CODES.wrong
