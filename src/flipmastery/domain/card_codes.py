"""Codes of sign-in cards: ten symbols a young student can type from their card, shown "K7QM2-XPD9A".

The alphabet and the reading are those of printed checks' version codes (domain/paper.py): Crockford's
base 32, and when typed back, case, spaces and dashes do not matter, O is 0 and I or L is 1. Ten symbols
are 50 bits, so a guessed code opens one of a school's thousand live cards about once in 10**12 tries.
"""

from __future__ import annotations

from flipmastery.domain.paper import ALPHABET, cleaned, symbols

LENGTH = 10
BITS = 5 * LENGTH


def card_code(number: int) -> str:
    """The code (no dash) of a number in [0, 2**50)."""
    if not 0 <= number < 1 << BITS:
        raise ValueError("a card code is made from a 50-bit number")
    return symbols(number, LENGTH)


def shown_card_code(code: str) -> str:
    """The code as printed: two groups of five."""
    return f"{code[:5]}-{code[5:]}" if len(code) == LENGTH else code


def read_card_code(text: str) -> str | None:
    """A typed or scanned code → the code, or None when it cannot be one."""
    read = cleaned(text)
    if len(read) != LENGTH or any(c not in ALPHABET for c in read):
        return None
    return read
