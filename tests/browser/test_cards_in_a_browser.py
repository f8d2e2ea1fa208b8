"""Sign-in cards in a real browser on a 360-px phone: a teacher prints the class's cards, a student's card
(its QR code's link, then its typed code) signs them in on a fresh device and lands on their playlist; once
revoked, the same link says the card no longer works. Eight cards print to an A4 page."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.utils import timezone

from flipmastery.accounts.cards import card_issue
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
SHOWN = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}\b")
PHONE = (360, 740)


def expect(locator: Any) -> Any:
    return pytest.importorskip("playwright.sync_api").expect(locator)


def read_qr(page: Any, selector: str) -> str:
    zxingcpp = pytest.importorskip("zxingcpp")
    image = pytest.importorskip("PIL.Image")
    found = zxingcpp.read_barcodes(image.open(io.BytesIO(page.locator(selector).screenshot())))
    assert len(found) == 1, selector
    return str(found[0].text)


def test_a_printed_card_signs_a_student_in_on_a_phone_until_it_is_revoked(visit: Any) -> None:
    room = factories.small_classroom()
    section = room["section"].pk
    teacher = visit(*PHONE)
    page = teacher.log_in("ms_rao", factories.PASSWORD)

    page.goto(f"{teacher.base_url}/sections/{section}/roster/")
    with page.expect_navigation():
        page.get_by_role("link", name="Print sign-in cards").click()
    expect(page.locator("h1")).to_contain_text("Sign-in cards")
    assert not teacher.has_horizontal_scroll()
    teacher.shot("cards-1-list-360")
    with page.expect_navigation():
        page.get_by_role("button", name="Print sign-in cards for all 2 students").click()
    expect(page.locator("h1")).to_have_text("2 sign-in cards to print")
    assert not teacher.has_horizontal_scroll()
    teacher.shot("cards-2-print-360")
    asha = page.locator("article.signin-card[aria-label=asha]")
    code = asha.locator(".signin-card-code").inner_text()
    assert SHOWN.fullmatch(code), code
    link = f"{teacher.base_url}/c/{code}/"
    assert read_qr(page, "article.signin-card[aria-label=asha] svg.qr") == link

    student = visit(*PHONE)
    landed = student.page
    landed.goto(link)
    assert landed.url == f"{student.base_url}/sections/{section}/playlist/"
    expect(landed.locator(".who")).to_contain_text("asha")
    assert not student.has_horizontal_scroll()
    student.shot("cards-3-playlist-360")

    page.goto(f"{teacher.base_url}/sections/{section}/cards/")
    with page.expect_navigation():
        page.get_by_role("button", name="Revoke card of asha").click()
    expect(page.locator("#revoked")).to_have_text("asha’s card no longer works.")

    after = visit(*PHONE)
    after.page.goto(link)
    expect(after.page.locator("#card-problem")).to_have_text(
        "This card no longer works: ask your teacher for a new one."
    )
    expect(after.page.locator(".who")).to_have_count(0)
    after.shot("cards-4-revoked-360")
    for tab in (teacher, student):
        assert tab.external == [] and tab.console_errors == [], (tab.external, tab.console_errors)
    assert after.external == []
    assert [e for e in after.console_errors if "404" not in e] == []  # the page is a 404, and says why


def test_the_code_typed_on_the_sign_in_page(visit: Any) -> None:
    room = factories.small_classroom()
    ben = room["students"][1]
    code = card_issue(section=room["section"], student=ben, by=room["teacher"], now=timezone.now()).shown
    tab = visit(*PHONE)
    page = tab.go("/login/")
    expect(page.get_by_role("heading", name="Sign in with my card")).to_be_visible()
    page.get_by_label("The code on my card").fill(code.lower().replace("-", " "))
    assert not tab.has_horizontal_scroll()
    tab.shot("cards-5-sign-in-360")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in with my card").click()

    assert page.url == f"{tab.base_url}/sections/{room['section'].pk}/playlist/"
    expect(page.locator(".who")).to_contain_text("ben")
    assert tab.console_errors == []


def test_eight_cards_to_an_a4_page(visit: Any) -> None:
    pypdf = pytest.importorskip("pypdf")
    room = factories.small_classroom()
    for n in range(7):
        room["section"].enrollments.create(student=factories.student(username=f"kid{n}"))
    tab = visit(1000, 800)
    page = tab.log_in("ms_rao", factories.PASSWORD)
    page.goto(f"{tab.base_url}/sections/{room['section'].pk}/cards/")
    with page.expect_navigation():
        page.get_by_role("button", name="Print sign-in cards for all 9 students").click()

    pages = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True))).pages

    assert [len(SHOWN.findall(p.extract_text())) for p in pages] == [8, 1]
    assert "Print this page now" not in pages[0].extract_text()  # the teacher's notes stay on the screen
    page.emulate_media(media="print")
    tab.shot("cards-6-print-layout-1000")
