"""Signing in and out on a 360 px phone: the header's "Log out" is in view and one tap signs out; the
session cookie lasts 30 days on one's own device and ends with the browser on a shared one."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = 24 * 60 * 60


def sign_in(tab: Any, username: str, *, shared: bool) -> Any:
    page = tab.go("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    if shared:
        page.check("input[name=shared_device]")
        tab.shot("sign-in-shared-device-360")
    with page.expect_navigation():
        page.click("button[type=submit]:has-text('Log in')")
    return page


def session_cookie(page: Any) -> dict[str, Any]:
    return next(c for c in page.context.cookies() if c["name"] == "sessionid")


def test_on_a_phone_log_out_is_in_the_header_in_view_and_one_tap_signs_out(visit: Any) -> None:
    factories.student(username="asha", display_name="Aishwarya Venkataraman-Subramanian")
    tab = visit(360, 740)
    page = sign_in(tab, "asha", shared=False)
    assert "Signed in as" in page.inner_text("header")

    button = page.locator("header.top button:has-text('Log out')")
    assert button.is_visible()
    box = button.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360 and box["y"] + box["height"] <= 740
    assert box["height"] >= 24 and box["width"] >= 44  # big enough for a thumb
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    on_top = page.evaluate("([x, y]) => document.elementFromPoint(x, y).textContent.trim()", list(centre))
    assert on_top == "Log out"  # nothing covers it
    assert not tab.has_horizontal_scroll()
    tab.shot("sign-in-header-360")

    with page.expect_navigation():
        button.click()

    assert page.url.endswith("/login/")
    page.goto(tab.base_url + "/sections/")
    assert "/login/" in page.url


def test_my_own_device_keeps_me_signed_in_for_30_days(visit: Any) -> None:
    factories.student(username="asha")
    page = sign_in(visit(360, 740), "asha", shared=False)

    cookie = session_cookie(page)

    assert abs(cookie["expires"] - (time.time() + 30 * DAY)) < 120
    assert cookie["httpOnly"]


def test_a_shared_device_forgets_me_when_the_browser_closes(visit: Any) -> None:
    factories.student(username="asha")
    page = sign_in(visit(360, 740), "asha", shared=True)

    cookie = session_cookie(page)

    assert cookie["expires"] == -1  # a browser-session cookie: gone when the browser closes
    assert "Signed in as" in page.inner_text("header")
