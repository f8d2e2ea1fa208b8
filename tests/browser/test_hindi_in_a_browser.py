"""A student of a Hindi course takes a check on a 360 px phone: the pages speak Hindi, in the bundled face."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest

from flipmastery.assessments.models import Attempt
from flipmastery.assessments.selectors import attempt_view
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def expect(locator: Any) -> Any:
    return pytest.importorskip("playwright.sync_api").expect(locator)


def hindi_classroom() -> None:
    """A Hindi course like the demo's Rational Numbers, its first objective with a bank of every type."""
    course = factories.course(code="MATH7", title="कक्षा 7 गणित — परिमेय संख्याएँ", language="hi")
    unit = factories.unit(course, code="RAT", title="परिमेय संख्याएँ")
    first = factories.objective(
        unit, code="RAT-1", statement="परिमेय संख्या को p/q के रूप में पहचानना और लिखना, जहाँ q ≠ 0।", order=1
    )
    second = factories.objective(
        unit, code="RAT-2", statement="परिमेय संख्याओं को मानक रूप में लिखना।", order=2, prerequisites=[first]
    )
    factories.learning_object(first, title="वीडियो 1: परिमेय संख्या क्या है?", is_primary=True, minutes=8)
    factories.learning_object(first, kind="text", url="", title="पाठ 1: परिभाषा", body="**p/q**, q ≠ 0")
    factories.learning_object(second, title="वीडियो 2", is_primary=True)
    factories.bank(first, 6)
    first.check_items = 6
    first.save()
    student = factories.student(username="math01")
    factories.section(course, name="Maths 7-B", students=[student])


def devanagari_fonts_installed() -> bool:
    if shutil.which("fc-list") is None:
        return False
    command = ["fc-list", ":lang=hi", "family"]
    listed = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    return bool(listed.stdout.strip())


def fonts_of(page: Any, selector: str) -> list[dict[str, Any]]:
    """The fonts Chromium really drew `selector` with (CDP), e.g. [{"familyName": "Lohit Devanagari", …}]."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts: list[dict[str, Any]] = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return fonts


def test_a_hindi_check_and_its_result_on_a_phone(visit: Any) -> None:
    hindi_classroom()
    tab = visit(360, 740)
    page = tab.log_in("math01", factories.PASSWORD)

    # No language chosen yet, the browser says en-US: the Hindi course speaks Hindi.
    assert page.url.endswith("/playlist/")
    assert page.locator("html").get_attribute("lang") == "hi"
    expect(page.locator("h1")).to_have_text("मेरी प्लेलिस्ट")
    expect(page.locator("#next-step")).to_have_text("अगला कदम")
    assert not tab.has_horizontal_scroll()
    tab.shot("hindi-playlist-360")

    page.locator("#obj-RAT-1 .check-start button").click()
    page.wait_for_url("**/attempts/**")
    attempt = Attempt.objects.get()
    expect(page.locator("h1")).to_have_text("मास्टरी जाँच: RAT-1")
    expect(page.locator(".check-intro strong")).to_have_text("RAT-1 में महारत के लिए 80 % चाहिए।")
    kinds = {e["id"]: e["type"] for e in attempt_view(attempt)["items"]}
    true_false = next(n for n, kind in kinds.items() if kind == "true_false")
    expect(page.locator(f"#q-{true_false} .choice span").first).to_have_text("सत्य")
    page.locator(f"#q-{true_false}-true").check()
    expect(page.locator(f"#q-{true_false}-state")).to_contain_text("पर सहेजा गया")  # autosave, in Hindi
    short = next(n for n, kind in kinds.items() if kind == "short_text")
    expect(page.locator(f"#q-{short}-state")).to_have_text("अभी उत्तर नहीं दिया")
    assert not tab.has_horizontal_scroll()
    heading_fonts = fonts_of(page, "h1")  # the bundled face, whatever the computer has (its copy if any)
    assert any(
        f["isCustomFont"] and f["familyName"] == "Noto Sans Devanagari" and f["glyphCount"] > 4
        for f in heading_fonts
    ), heading_fonts
    tab.shot("hindi-check-360")

    page.locator("[data-submit-check]").click()
    page.wait_for_url(lambda url: url.split("?")[0].endswith("/submit/"))
    expect(page.locator("h1")).to_have_text("अपनी जाँच जमा करें?")
    expect(page.locator(".lead")).to_have_text("6 प्रश्नों में से आपने 1 के उत्तर दिए।")
    tab.shot("hindi-confirm-360")
    with page.expect_navigation():
        page.get_by_role("button", name="हाँ, मेरी जाँच जमा करें").click()

    assert page.url.endswith(f"/attempts/{attempt.pk}/")
    expect(page.locator("#result-h")).to_have_text("परिणाम")
    expect(page.locator(".outcome .badge")).to_have_text("अभी नहीं")
    expect(page.locator(".next")).to_contain_text("इसे किसी और तरीके से सीखें")
    assert not tab.has_horizontal_scroll()
    tab.shot("hindi-result-360")

    # The footer's switch: English for this student from now on, then back to Hindi.
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_contain_text("Your check")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith(f"/attempts/{attempt.pk}/")
    page.goto(tab.base_url + "/")
    expect(page.locator("h1")).to_have_text("My playlist")  # the choice stays
    page.get_by_role("button", name="हिंदी").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("मेरी प्लेलिस्ट")
    tab.shot("hindi-switched-back-360")

    assert tab.external == []
    assert tab.console_errors == []  # a refused inline script or style would show here


def english_classroom_with_a_waiting_student() -> dict[str, Any]:
    """An English course (Chemistry), its teacher, and a student who asked for help on GAS-1."""
    from django.utils import timezone

    from flipmastery.progress.services import request_create

    room = factories.small_classroom()
    factories.bank(room["a"], 6)
    request_create(
        section=room["section"],
        student=room["students"][0],
        kind="help",
        objective=room["a"],
        note="",
        now=timezone.now(),
    )
    return room


@pytest.mark.parametrize(("width", "height"), [(360, 740), (1920, 1080)])
def test_a_teacher_who_picks_hindi_sees_the_grid_queue_and_bank_in_hindi(
    visit: Any, width: int, height: int
) -> None:
    room = english_classroom_with_a_waiting_student()
    tab = visit(width, height)
    page = tab.log_in(room["teacher"].username, factories.PASSWORD)
    expect(page.locator("h1")).to_have_text("My sections")

    page.get_by_role("button", name="हिंदी").click()  # the footer's switch
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("मेरी कक्षाएँ")
    assert page.locator("html").get_attribute("lang") == "hi"

    section = room["section"].pk
    page = tab.go(f"/sections/{section}/grid/")
    expect(page.locator("h1")).to_contain_text("कक्षा ग्रिड")
    expect(page.locator("body")).to_contain_text("विद्यार्थी × लक्ष्य")
    # The course is English: its words keep lang="en" inside the Hindi page.
    expect(page.locator(".unit-head [lang=en]")).to_have_text("Gas Laws")
    assert not tab.has_horizontal_scroll() or width == 360  # a wide grid scrolls inside its own box
    tab.shot(f"hindi-teacher-grid-{width}")

    page = tab.go(f"/sections/{section}/queue/")
    expect(page.locator("h1")).to_contain_text("कतार")
    expect(page.locator("body")).to_contain_text("1 अनुरोध प्रतीक्षा में")
    expect(page.get_by_role("button", name="समझता है (पास)").first).to_be_visible()
    assert not tab.has_horizontal_scroll()
    tab.shot(f"hindi-teacher-queue-{width}")

    page = tab.go(f"/teach/objectives/{room['a'].pk}/bank/")
    expect(page.locator("h1")).to_have_text("प्रश्न-बैंक GAS-1")
    expect(page.get_by_role("link", name="प्रश्न जोड़ें").first).to_be_visible()
    heading_fonts = fonts_of(page, "h1")
    assert any(f["familyName"] == "Noto Sans Devanagari" and f["glyphCount"] > 4 for f in heading_fonts), (
        heading_fonts
    )
    assert not tab.has_horizontal_scroll()
    tab.shot(f"hindi-teacher-bank-{width}")

    assert tab.external == []
    assert tab.console_errors == []
