"""Codes of sign-in cards survive being read from the card and typed back, as version codes do."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flipmastery.domain.card_codes import BITS, card_code, read_card_code, shown_card_code
from flipmastery.domain.paper import ALPHABET

numbers = st.integers(min_value=0, max_value=(1 << BITS) - 1)


@given(numbers)
def test_a_code_is_ten_unambiguous_symbols_shown_in_two_fives_and_reads_back(number: int) -> None:
    code = card_code(number)
    shown = shown_card_code(code)
    assert len(code) == 10 and set(code) <= set(ALPHABET)
    assert not set(code) & set("ILOU")
    assert shown == f"{code[:5]}-{code[5:]}"
    assert read_card_code(shown) == code
    assert read_card_code(shown.lower()) == code


@given(numbers, numbers)
def test_different_numbers_make_different_codes(a: int, b: int) -> None:
    assert (card_code(a) == card_code(b)) == (a == b)


def test_what_people_write_for_digits_is_read_as_the_digit() -> None:
    assert read_card_code("k7qm2 xpd9a") == "K7QM2XPD9A"
    assert read_card_code("O0IL1-23456") == "0011123456"
    assert read_card_code("  10abc–defgh ") == "10ABCDEFGH"


def test_anything_else_is_not_a_code() -> None:
    for text in ["", "K7QM2-XPD9", "K7QM2-XPD9AA", "K7QM-2XPD", "K7QM2-XPD9!", "UUUUU-UUUUU", "<script>x"]:
        assert read_card_code(text) is None


def test_the_code_of_zero_and_of_the_largest_number() -> None:
    assert card_code(0) == "0000000000"
    assert card_code((1 << BITS) - 1) == "ZZZZZZZZZZ"
    with pytest.raises(ValueError, match="50-bit"):
        card_code(1 << BITS)
