"""What the bank readers refuse rather than import wrongly, each with its file, line and what to do."""

from __future__ import annotations

import textwrap

import pytest

from flipmastery.domain.errors import Invalid
from flipmastery.domain.formats import gift


def problems_of(read: object, text: str, file: str) -> list[str]:
    with pytest.raises(Invalid) as err:
        read(textwrap.dedent(text), file)  # type: ignore[operator]
    return [str(p) for p in err.value.problems]


ORDERING = "this is a Moodle ordering question ({>…}); the ordering type is not supported yet: remove it"


def test_a_gift_ordering_question_is_refused_with_its_line() -> None:
    found = problems_of(
        gift.read,
        """\
        ::Q1:: 1+1? {=2 ~3}

        ::Q::Put in order {>2 all LEFT_RIGHT
        =A
        =B
        =C}

        ::Steps:: Order the steps of titration.
        {>3 none VERTICAL ABSOLUTE_POSITION =Rinse =Fill =Titrate}
        """,
        "gas.gift",
    )

    assert found == [f"gas.gift:3: {ORDERING}", f"gas.gift:9: {ORDERING}"]
