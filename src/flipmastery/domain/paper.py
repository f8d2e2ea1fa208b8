"""Version codes of printed checks: short, read aloud or typed from paper without confusion.

A code is 8 symbols of Crockford's base 32 (digits and capitals without I, L, O and U), shown as two
groups of four, "K7QM-2XPD": 40 bits, so codes drawn at random do not meet in a school's lifetime. When
typed back, case, spaces and dashes do not matter, and the letters people write for digits (O for 0,
I or L for 1) are read as those digits.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8
BITS = 5 * LENGTH
_READ_AS = {"O": "0", "I": "1", "L": "1"}


def version_code(number: int) -> str:
    """The stored code (no dash) of a number in [0, 2**40): its base-32 digits, most significant first."""
    if not 0 <= number < 1 << BITS:
        raise ValueError("a version code is made from a 40-bit number")
    return symbols(number, LENGTH)


def symbols(number: int, length: int) -> str:
    """`number` as `length` base-32 digits, most significant first (sign-in cards' codes use it too)."""
    return "".join(ALPHABET[(number >> (5 * place)) & 31] for place in reversed(range(length)))


def shown_code(code: str) -> str:
    """The code as printed: two groups of four."""
    return f"{code[:4]}-{code[4:]}" if len(code) == LENGTH else code


def read_code(text: str) -> str | None:
    """A typed or scanned code → the stored code, or None when it cannot be one."""
    read = cleaned(text)
    if len(read) != LENGTH or any(c not in ALPHABET for c in read):
        return None
    return read


def cleaned(text: str) -> str:
    """Typed text in capitals, without spaces and dashes, O read as 0 and I or L as 1."""
    return "".join(_READ_AS.get(c, c) for c in text.upper() if c not in " -–—_.\t")
