"""The admin pages work under their Content-Security-Policy: a superuser edits a section and an objective
in chromium and the browser refuses nothing."""

from __future__ import annotations

from typing import Any

import pytest

from flipmastery.classroom.models import Section
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def admin_log_in(tab: Any) -> Any:
    factories.user("admin", username="root", is_staff=True, is_superuser=True)
    page = tab.go("/admin/login/?next=/admin/")
    page.fill("#id_username", "root")
    page.fill("#id_password", factories.PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    return page


def test_a_superuser_edits_a_section_in_the_admin_and_the_policy_refuses_nothing(visit: Any) -> None:
    classroom = factories.small_classroom()
    section = classroom["section"]
    tab = visit()
    csp: list[str] = []
    tab.page.on(
        "response",
        lambda r: (
            csp.append(r.headers.get("content-security-policy", ""))
            if r.request.resource_type == "document"
            else None
        ),
    )
    page = admin_log_in(tab)
    assert page.locator("h1", has_text="Courses, sections and people").is_visible()

    page = tab.go(f"/admin/classroom/section/{section.pk}/change/")
    page.wait_for_selector("#id_teachers_from")  # SelectFilter2 built the two boxes: its script ran
    page.select_option("#id_teachers_from", label="mr_other")
    page.click("#id_teachers_add")
    assert sorted(page.locator("#id_teachers_to option").all_inner_texts()) == ["mr_other", "ms_rao"]
    rows = page.locator("#enrollments-group tr.dynamic-enrollments")
    assert rows.count() == 2  # the section's two students
    page.click("text=Add another Enrollment")  # inlines.js
    assert rows.count() == 3
    page.click("#enrollments-group .inline-deletelink")
    assert rows.count() == 2
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert page.locator(".messagelist .success").is_visible()
    assert sorted(t.username for t in Section.objects.get(pk=section.pk).teachers.all()) == [
        "mr_other",
        "ms_rao",
    ]

    page = tab.go(f"/admin/courses/objective/{classroom['b'].pk}/change/")
    page.click("summary:has-text('Retire')")  # a collapsed fieldset opens
    assert page.locator("#id_retired").is_visible()
    tab.go("/admin/progress/progressevent/")

    assert len(csp) >= 4 and all("script-src 'self';" in policy for policy in csp), csp
    assert tab.console_errors == []
    assert tab.external == []
