"""The class grid on a 1920 × 1080 projector: the demo's 30 students × 7 objectives fit the width with no
horizontal scroll, in large type, with no student's full name anywhere on the page, sorted and kept so
through the poll. The screenshot goes to test-artifacts/."""

from __future__ import annotations

import re
from typing import Any

import pytest

from flipmastery.courses.models import Objective
from tests.browser.test_cockpit_in_a_browser import demo_chemistry

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_the_projector_view_fits_1920_px_and_names_no_one(visit: Any) -> None:
    section = demo_chemistry()
    full_names = [e.student.shown_name() for e in section.enrollments.select_related("student")]
    assert len(full_names) == 30 and all(" " in n for n in full_names)
    tab = visit(1920, 1080)
    tab.log_in("teacher", "teacher")
    page = tab.go(f"/sections/{section.pk}/grid/")
    page.get_by_role("link", name="Projector view").click()
    page.wait_for_url("**/grid/?projector=1")
    page.select_option("#grid-sort", "behind")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/grid/?unit=&sort=behind&projector=1&names=initials")  # the form, as sent
    rows = page.locator("#grid-body tr:not(.sum)")
    assert rows.count() == 30
    assert page.locator("thead .obj").count() == Objective.objects.filter(course=section.course).count() == 7
    assert not tab.has_horizontal_scroll()
    wrap = page.locator(".grid-wrap")
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth"), "the grid scrolls sideways"
    assert page.locator(".grid").evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 18  # large type
    first = rows.first.locator("th").inner_text()
    html = page.content()
    # a name, or a surname as a word of its own ("Li" is also in "Limit" and maybe in a CSRF token)
    alone = [re.compile(rf"(?<![\w-]){re.escape(n.split()[-1])}(?![\w-])") for n in full_names]
    assert not [n for n, w in zip(full_names, alone, strict=True) if n in html or w.search(html)]
    assert page.locator("#grid-body th a").count() == 0  # no way into a student's record (cells open a panel)
    tab.shot("cockpit-grid-projector-1920")
    # a poll (every 10 s) asks for the same sort and names, so the rows stay as they were
    with page.expect_response(lambda r: "/grid/rows/?sort=behind&projector=1&names=initials" in r.url):
        pass
    assert rows.count() == 30 and rows.first.locator("th").inner_text() == first
    assert not [n for n in full_names if n in page.content()]
    assert tab.console_errors == [] and tab.external == []
