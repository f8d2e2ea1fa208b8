"""On a 360 px phone: the playlist shows the open objectives and one folded line for the locked ones, the
next-step box moves on once a worksheet is used, and the worksheet's answers open only when asked."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def expect(locator: Any) -> Any:
    return pytest.importorskip("playwright.sync_api").expect(locator)


def test_a_short_playlist_and_a_worksheet_with_answers_on_a_phone(visit: Any) -> None:
    room = factories.small_classroom()
    for n in range(3, 8):  # five more objectives after GAS-2: six locked in all
        factories.objective(room["unit"], code=f"GAS-{n}", order=n, prerequisites=[room["b"]])
    worksheet = room["primary"]
    worksheet.kind, worksheet.url = "worksheet", ""
    worksheet.title, worksheet.body = (
        "Worksheet 1",
        "1. A gas at 100 kPa fills 3 L. At 2 L, what is its pressure?",
    )
    worksheet.answers = "**1.** $P_2 = 150$ kPa"
    worksheet.save()
    tab = visit(360, 740)
    page = tab.log_in(room["students"][0].username, factories.PASSWORD)

    locked = page.locator("details.locked-group")
    expect(locked.locator("summary")).to_have_text("6 locked objectives: GAS-2, GAS-3, GAS-4, …")
    expect(page.locator("#obj-GAS-3")).to_be_hidden()  # folded away
    expect(page.locator("#obj-GAS-1")).to_be_visible()
    expect(page.locator("#next-step + p")).to_have_text("Work on GAS-1: start with Worksheet 1.")
    assert not tab.has_horizontal_scroll()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 3 * 740, height  # seven objectives, about three screens at most
    tab.shot("playlist-short-360")

    locked.locator("summary").click()
    expect(page.locator("#obj-GAS-3")).to_be_visible()
    locked.locator("summary").click()

    page.locator(".next .actions a.button").click()  # the worksheet, from the next-step box
    page.wait_for_url("**/learn/**")
    answers = page.locator("details#answers")
    expect(answers.locator("summary")).to_have_text("Show answers")
    expect(answers.locator(".body")).to_be_hidden()
    tab.shot("worksheet-answers-closed-360")
    answers.locator("summary").click()
    expect(answers.locator(".body strong")).to_have_text("1.")
    expect(answers.locator(".body")).to_contain_text("kPa")
    assert not tab.has_horizontal_scroll()
    tab.shot("worksheet-answers-open-360")

    page.get_by_role("button", name="I used this").click()
    expect(page.locator("#after p")).to_have_text(
        "You have learnt GAS-1 one way: take its check when you are ready."
    )
    tab.shot("worksheet-used-next-360")
    page.get_by_role("link", name="Back to my playlist").click()
    page.wait_for_url("**/playlist/?after=GAS-1*")
    expect(page.locator("#next-step + p")).to_have_text(
        "You have learnt GAS-1 one way: take its check when you are ready."
    )

    assert tab.external == []
    assert tab.console_errors == []
