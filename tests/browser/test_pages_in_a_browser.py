"""Teachers and students using the pages in a real browser, on a desktop and on a 360 px phone."""

from __future__ import annotations

from typing import Any

import pytest

from flipmastery.courses.models import Objective
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def hindi_section() -> Any:
    """A Hindi course like the demo's Rational Numbers, with one student."""
    course = factories.course(code="MATH7", title="कक्षा 7 गणित — परिमेय संख्याएँ", language="hi")
    unit = factories.unit(course, code="RAT", title="परिमेय संख्याएँ (Rational Numbers)")
    first = factories.objective(
        unit, code="RAT-1", statement="परिमेय संख्या को p/q के रूप में पहचानना और लिखना, जहाँ q ≠ 0।", order=1
    )
    second = factories.objective(
        unit,
        code="RAT-2",
        statement="परिमेय संख्याओं को मानक रूप में लिखना।",
        order=2,
        tier="nice_to_know",
        prerequisites=[first],
    )
    factories.learning_object(first, title="वीडियो 1: परिमेय संख्या क्या है?", is_primary=True, minutes=8)
    factories.learning_object(
        first,
        kind="text",
        url="",
        title="पाठ 1: परिमेय संख्या की परिभाषा",
        body="## परिमेय संख्या क्या है?\n\nजो संख्या **p/q** के रूप में लिखी जा सके\n\n- 3/5\n- −2/7",
    )
    factories.learning_object(second, title="वीडियो 2", is_primary=True)
    student = factories.student(username="math01")
    factories.section(course, name="Maths 7-B", students=[student])
    return student


def test_a_teacher_sees_their_section_and_the_course_outline(visit: Any) -> None:
    classroom = factories.small_classroom()
    tab = visit()
    page = tab.log_in("ms_rao", factories.PASSWORD)

    assert page.url.endswith("/sections/")
    assert page.locator("h2", has_text="Chem 11-A").is_visible()
    assert page.get_by_text(classroom["section"].join_code).is_visible()
    assert page.locator("text=Chem 11-B").count() == 0
    tab.shot("teacher-sections")

    page.click("text=Course outline")
    page.wait_for_selector("h1:has-text('Chemistry')")
    assert page.url.endswith(f"/sections/{classroom['section'].pk}/outline/")
    assert page.locator(".tier-essential").first.inner_text() == "essential"
    assert page.locator(".tier-nice_to_know").first.inner_text() == "nice to know"
    assert page.locator("#obj-GAS-2").get_by_text("GAS-1").is_visible()
    assert tab.console_errors == []
    tab.shot("teacher-outline")


def test_a_student_sees_the_playlist_without_leaving_the_server(visit: Any) -> None:
    factories.small_classroom()
    tab = visit()
    page = tab.log_in("asha", factories.PASSWORD)

    assert page.url.endswith("/playlist/")
    assert page.locator(".next").inner_text().count("Work on GAS-1") == 1
    gas1, gas2 = page.locator("#obj-GAS-1"), page.locator("#obj-GAS-2")
    assert gas1.locator(".badge.state-READY").inner_text() == "READY"
    assert not gas2.is_visible()  # locked objectives fold away, so the playlist stays short
    page.locator("details.locked-group summary").click()
    assert gas2.locator(".badge.state-LOCKED").inner_text() == "LOCKED"
    assert gas2.get_by_text("Master first:").is_visible()
    assert gas1.get_by_text("Mastery: 80 %").is_visible()
    assert gas1.locator(".learn-primary a").inner_text() == "Video 1"
    assert gas1.get_by_role("link", name="Text Section 12.1").is_visible()
    assert tab.external == []
    assert tab.console_errors == []
    tab.shot("student-playlist")

    gas1.locator(".learn-primary a").click()  # boosted by htmx: the body is swapped, the URL pushed
    page.wait_for_url("**/learn/**")
    assert page.locator("h1").inner_text() == "Video 1"
    assert page.locator("iframe.player").get_attribute("src") == (
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    )
    for _ in range(50):  # the frame's request leaves a moment after the swap
        if tab.external:
            break
        page.wait_for_timeout(100)
    assert tab.external == ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"]  # aborted by the test
    tab.shot("student-learning-object-video")


def test_a_wrong_password_shows_an_error(visit: Any) -> None:
    factories.small_classroom()
    tab = visit(360, 740)
    page = tab.log_in("asha", "not-the-password")
    assert page.url.endswith("/login/")
    assert "Please enter a correct username and password" in page.locator(".errors").inner_text()
    assert page.locator("#id_password").evaluate("el => el === document.activeElement")
    tab.shot("login-error")


@pytest.mark.parametrize("who", ["asha", "ms_rao"])
def test_a_phone_has_no_horizontal_scroll(visit: Any, who: str) -> None:
    classroom = factories.small_classroom()
    Objective.objects.filter(pk=classroom["a"].pk).update(
        statement="Explain gas pressure with a very_long_unbroken_identifier_that_could_overflow_a_phone."
    )
    tab = visit(360, 740)
    page = tab.log_in(who, factories.PASSWORD)
    if who == "ms_rao":
        page.click("text=Course outline")
        page.wait_for_selector("h1:has-text('Chemistry')")
    assert not tab.has_horizontal_scroll()
    tab.shot(f"phone-{who}")
    tab.go(f"/sections/{classroom['section'].pk}/learn/{classroom['alternate'].pk}/")
    assert not tab.has_horizontal_scroll()
    tab.shot(f"phone-{who}-learning-object")


def test_a_hindi_statement_renders(visit: Any) -> None:
    hindi_section()
    tab = visit(360, 740)
    page = tab.log_in("math01", factories.PASSWORD)

    statement = page.locator("#obj-RAT-1 .statement")
    assert statement.inner_text() == "परिमेय संख्या को p/q के रूप में पहचानना और लिखना, जहाँ q ≠ 0।"
    assert statement.get_attribute("lang") == "hi"
    assert page.locator("#obj-RAT-1 .learn-primary a").inner_text() == "वीडियो 1: परिमेय संख्या क्या है?"
    assert not tab.has_horizontal_scroll()
    tab.shot("student-playlist-hindi")

    page.click("text=पाठ 1: परिमेय संख्या की परिभाषा")
    page.wait_for_selector(".body h3")
    assert page.locator(".body h3").inner_text() == "परिमेय संख्या क्या है?"
    tab.shot("student-text-hindi")


def test_the_skip_link_is_the_first_stop_and_visible_when_focused(visit: Any) -> None:
    factories.small_classroom()
    tab = visit()
    page = tab.log_in("asha", factories.PASSWORD)
    page.keyboard.press("Tab")
    skip = page.locator(".skip")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.bounding_box()["y"] >= 0
    tab.shot("skip-link-focused")
