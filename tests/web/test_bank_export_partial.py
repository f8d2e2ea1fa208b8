"""Exporting what fits: all or nothing stays the default; ?partial=1 writes what the format holds and says
what it left out, question by question, on the page and at the top of the file."""

from __future__ import annotations

import html
from typing import Any

import pytest

from flipmastery.domain.formats.bank import read_bank
from tests import factories


def test_a_format_that_cannot_hold_the_whole_bank_offers_what_fits(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    a = classroom["a"]
    factories.bank(a, 6)  # GIFT holds neither its calculated question nor its numeric one in atm
    client = as_user(classroom["teacher"])

    response = client.get(f"/teach/objectives/{a.pk}/bank/export/gift/")

    assert response.status_code == 422
    text = html.unescape(response.content.decode())
    assert "This bank cannot be written as GIFT" in text
    assert "GIFT can hold 4 questions of this bank. These are left out:" in text
    assert (
        '<ul class="left-out">'
        "<li>GAS-1-q1: left out because GIFT has no calculated questions; use YAML or Moodle XML</li>"
        "<li>GAS-1-q3: left out because GIFT has no units (atm)</li></ul>"
    ) in text
    assert f'href="/teach/objectives/{a.pk}/bank/export/gift/?partial=1"' in text
    assert "Download the 4 questions that fit" in text


def test_the_partial_export_writes_what_fits_and_lists_what_it_left_out(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    a = classroom["a"]
    factories.bank(a, 6)
    client = as_user(classroom["teacher"])

    response = client.get(f"/teach/objectives/{a.pk}/bank/export/gift/?partial=1")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="GAS-1.gift"'
    assert response["X-Left-Out"] == "2"
    text = response.content.decode()
    assert text.startswith(
        "// 2 questions left out of this export:\n"
        "// - GAS-1-q1: left out because GIFT has no calculated questions; use YAML or Moodle XML\n"
        "// - GAS-1-q3: left out because GIFT has no units (atm)\n"
    )
    keys = [e.question.key for e in read_bank(text, "GAS-1.gift")]
    assert keys == ["GAS-1-q0", "GAS-1-q2", "GAS-1-q4", "GAS-1-q5"]


def test_the_whole_bank_now_goes_to_moodle_xml_with_nothing_left_out(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    a = classroom["a"]
    factories.bank(a, 6)  # its calculated question has a list, a step and a derived variable
    client = as_user(classroom["teacher"])

    response = client.get(f"/teach/objectives/{a.pk}/bank/export/moodle_xml/")

    assert response.status_code == 200
    assert len(read_bank(response.content, "GAS-1.xml")) == 6


def test_when_nothing_fits_the_page_says_why_and_offers_no_partial_file(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    a = classroom["a"]
    factories.bank(a, 2)
    a.questions.filter(current__type="single_choice").update(retired=True)  # Aiken holds only those
    client = as_user(classroom["teacher"])

    response = client.get(f"/teach/objectives/{a.pk}/bank/export/aiken/?partial=1")

    assert response.status_code == 422
    text = html.unescape(response.content.decode())
    assert "This bank cannot be written as Aiken" in text and "Download the" not in text


@pytest.mark.parametrize("who", ["student", "other_teacher"])
def test_only_the_course_s_teachers_export_part_of_a_bank(
    as_user: Any, classroom: dict[str, Any], who: str
) -> None:
    a = classroom["a"]
    factories.bank(a, 6)
    person = classroom["students"][0] if who == "student" else factories.teacher()

    response = as_user(person).get(f"/teach/objectives/{a.pk}/bank/export/gift/?partial=1")

    assert response.status_code in (403, 404)
    assert b"GAS-1-q0" not in response.content
