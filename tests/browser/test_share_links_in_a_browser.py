"""Share links in a real browser: a teacher opens Share for an objective on a 1920-px projector and sees
the link, a copy button and a big QR code that reads back as the link; a student on a 360-px phone opens
the link signed out, sees the card (its Open Graph tags in the head), signs in and lands on the objective."""

from __future__ import annotations

import io
from typing import Any

import pytest

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
PROJECTOR = (1920, 1080)
PHONE = (360, 740)


def expect(locator: Any) -> Any:
    return pytest.importorskip("playwright.sync_api").expect(locator)


def read_qr(page: Any, selector: str) -> str:
    zxingcpp = pytest.importorskip("zxingcpp")
    image = pytest.importorskip("PIL.Image")
    found = zxingcpp.read_barcodes(image.open(io.BytesIO(page.locator(selector).screenshot())))
    assert len(found) == 1, selector
    return str(found[0].text)


def test_a_teacher_shares_an_objective_and_a_student_lands_on_it(visit: Any) -> None:
    room = factories.small_classroom()
    section = room["section"].pk
    teacher = visit(*PROJECTOR)
    page = teacher.log_in("ms_rao", factories.PASSWORD)

    page.goto(f"{teacher.base_url}/sections/{section}/outline/")
    with page.expect_navigation():
        page.get_by_role("button", name="Share GAS-2").click()
    expect(page.locator("h1")).to_have_text("Share GAS-2")
    link = page.locator("#share-url").input_value()
    assert link.startswith(teacher.base_url + "/s/")
    qr = page.locator("#share-qr svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 500, box  # readable from the back of the room
    assert read_qr(page, "#share-qr svg") == link
    assert not teacher.has_horizontal_scroll()
    teacher.shot("share-1-teacher-1920")

    student = visit(*PHONE)
    phone = student.page
    phone.goto(link)
    assert phone.locator('meta[property="og:title"]').get_attribute("content") == (
        "Chemistry · GAS-2: Use Boyle's law."
    )
    expect(phone.locator("h1")).to_have_text("Chemistry · GAS-2: Use Boyle's law.")
    assert not student.has_horizontal_scroll()
    student.shot("share-2-card-360")
    with phone.expect_navigation():
        phone.get_by_role("link", name="Sign in to open it").click()
    phone.fill("#id_username", "asha")
    phone.fill("#id_password", factories.PASSWORD)
    with phone.expect_navigation():
        phone.click("button[type=submit]:has-text('Log in')")
    phone.wait_for_load_state()

    assert phone.url.endswith(f"/sections/{section}/playlist/#obj-GAS-2"), phone.url
    expect(phone.locator("#obj-GAS-2")).to_be_attached()
    assert not student.has_horizontal_scroll()
    student.shot("share-3-landed-360")
    assert student.external == [] and teacher.external == []
    assert student.console_errors == [] and teacher.console_errors == []  # the CSP refused nothing
