"""Version codes of printed checks survive being read from paper and typed back."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from flipmastery.domain.paper import ALPHABET, BITS, read_code, shown_code, version_code

numbers = st.integers(min_value=0, max_value=(1 << BITS) - 1)


@given(numbers)
def test_a_code_is_eight_unambiguous_symbols_and_reads_back(number: int) -> None:
    code = version_code(number)
    assert len(code) == 8 and set(code) <= set(ALPHABET)
    assert not set(code) & set("ILOU")
    assert read_code(shown_code(code)) == code
    assert read_code(shown_code(code).lower()) == code


@given(numbers, numbers)
def test_different_numbers_make_different_codes(a: int, b: int) -> None:
    assert (version_code(a) == version_code(b)) == (a == b)


def test_what_people_write_for_digits_is_read_as_the_digit() -> None:
    assert read_code("k7qm 2xpd") == "K7QM2XPD"
    assert read_code("O0IL-1234") == "00111234"
    assert read_code("  10ab–cdef ") == "10ABCDEF"


def test_anything_else_is_not_a_code() -> None:
    for text in ["", "K7QM-2XP", "K7QM-2XPDD", "K7QM-2XP!", "UUUU-UUUU", "K7QM 2XPÐ", "<script>"]:
        assert read_code(text) is None


def test_the_code_of_zero_and_of_the_largest_number() -> None:
    assert version_code(0) == "00000000"
    assert version_code((1 << BITS) - 1) == "ZZZZZZZZ"
    assert shown_code("ABCD1234") == "ABCD-1234"
