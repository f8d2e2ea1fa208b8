"""On a 360 px phone: a teacher makes a Hindi guardian link for a student from the roster; a fresh browser
(the guardian, signed in as nobody) opens it and sees only that child's progress, in Hindi, and can switch to
English; the teacher revokes it, and the same link then says that it no longer works."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from flipmastery.assessments.models import AttemptItem
from flipmastery.assessments.services import attempt_start, attempt_submit
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def expect(locator: Any) -> Any:
    return pytest.importorskip("playwright.sync_api").expect(locator)


def checked(room: dict[str, Any], student: Any, objective: Any, share: float, minutes_ago: int) -> None:
    when = timezone.now() - timedelta(minutes=minutes_ago)
    attempt = attempt_start(section=room["section"], student=student, objective=objective, now=when).attempt
    marks = dict.fromkeys(
        AttemptItem.objects.filter(attempt=attempt).values_list("position", flat=True), share
    )
    attempt_submit(attempt_id=attempt.pk, student=student, now=when, marks=marks)


def test_a_guardian_link_made_opened_in_hindi_and_revoked_on_a_phone(visit: Any) -> None:
    room = factories.small_classroom()
    factories.bank(room["a"], 6)
    factories.bank(room["b"], 6)
    asha, ben = room["students"]
    asha.display_name = "Asha Verma"
    asha.save()
    checked(room, asha, room["a"], 1.0, 60)
    checked(room, asha, room["b"], 0.0, 20)
    checked(room, ben, room["a"], 0.5, 10)

    # The teacher, on a phone: the roster, the child's family links, a new link in Hindi.
    teacher = visit(360, 740)
    page = teacher.log_in("ms_rao", factories.PASSWORD)
    teacher.go(f"/sections/{room['section'].pk}/roster/")
    page.locator(f"#family-{asha.pk}").click()
    page.wait_for_url("**/guardian-links/")
    expect(page.locator("h1")).to_have_text("Links for the family of Asha Verma")
    page.fill("#id_label", "Papa")
    page.get_by_label("हिन्दी").check()
    page.locator("#make-link-button").click()
    expect(page.locator("h1")).to_have_text("A new link for the family")
    url = page.locator("#guardian-url").input_value()
    code = page.locator("#guardian-code").inner_text()
    assert url.startswith(teacher.base_url + "/g/") and len(code) == 11
    assert not teacher.has_horizontal_scroll()
    teacher.shot("guardian-link-made-360")

    # The guardian: a fresh browser, signed in as nobody, opens the link.
    guardian = visit(360, 740)
    family = guardian.page
    family.goto(url)
    assert family.locator("html").get_attribute("lang") == "hi"
    assert family.title() == "flipmastery में प्रगति"  # what a chat app's preview shows: no child's name
    expect(family.locator("h1")).to_have_text("Asha Verma की प्रगति")
    expect(family.locator(".next-words")).to_have_text(
        "GAS-2 में अभी नहीं: इसे दूसरे तरीके से सीखना, फिर शिक्षक से बात।"
    )
    expect(family.locator(".guardian-objective .badge.state-MASTERED")).to_have_count(1)
    expect(family.locator(".guardian-check")).to_have_count(2)
    expect(family.locator(".guardian-check").first).to_contain_text("अभी नहीं")
    body = family.locator("body").inner_text()
    assert "ben" not in body and "zed" not in body and "which law" not in body
    assert not guardian.has_horizontal_scroll()
    guardian.shot("guardian-view-hindi-360")

    family.locator("#lang-en").click()
    family.wait_for_load_state()
    expect(family.locator("h1")).to_have_text("Progress of Asha Verma")
    expect(family.locator(".next-words")).to_have_text(
        "Not yet on GAS-2: learning it another way, then a talk with the teacher."
    )
    guardian.shot("guardian-view-english-360")

    # The teacher revokes it where it was made; the same link now shows nothing of the child.
    page.get_by_role("link", name="Back to the links").click()
    page.wait_for_url("**/guardian-links/")
    page.get_by_role("button", name="Revoke Papa").click()
    page.wait_for_url("**/guardian-links/")
    expect(page.locator(".notice")).to_have_text("The link “Papa” no longer works.")
    teacher.shot("guardian-link-revoked-360")

    assert guardian.console_errors == []
    family.goto(url)
    expect(family.locator("h1")).to_have_text("यह लिंक अब काम नहीं करता।")  # in the link's language
    assert guardian.console_errors == [  # the page itself is a 404, which the browser notes; nothing else
        "Failed to load resource: the server responded with a status of 404 (Not Found)"
    ]
    assert "Asha" not in family.locator("body").inner_text()
    guardian.shot("guardian-link-gone-360")

    assert teacher.external == [] and guardian.external == []
    assert teacher.console_errors == []
