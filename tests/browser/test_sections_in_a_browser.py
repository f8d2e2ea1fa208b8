"""A teacher runs a new class from a phone: opens a section, sets its policy, shows the join code; a student
joins by the code, waits, is accepted and sees the playlist. Screenshots at 360 px and at 1920 px."""

from __future__ import annotations

from typing import Any

import pytest

from flipmastery.classroom.models import Enrollment, Section
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
PHONE = (360, 740)


def test_a_new_class_from_a_phone_open_set_policy_join_wait_accept_playlist(visit: Any) -> None:
    from playwright.sync_api import expect

    room = factories.small_classroom()
    room["course"].teachers.add(room["teacher"])
    teacher_tab = visit(*PHONE)
    teacher = teacher_tab.log_in("ms_rao", factories.PASSWORD)

    # The teacher opens a section of their course.
    teacher.get_by_role("link", name="Open a new section").click()
    expect(teacher.locator("h1")).to_have_text("Open a section")
    teacher.fill("#id_name", "Chem 12-A")
    teacher.get_by_label("Students wait until a teacher accepts them").check()
    assert not teacher_tab.has_horizontal_scroll()
    teacher_tab.shot("sections-1-open-360")
    with teacher.expect_navigation():
        teacher.get_by_role("button", name="Open the section").click()
    section = Section.objects.get(name="Chem 12-A")
    expect(teacher.locator(".notice")).to_contain_text(f"Its join code is {section.join_code}")

    # … and sets its policy: 75 %, checks approved by the teacher; the course's defaults are beside each.
    expect(teacher.locator("#threshold-default")).to_have_text("course default: 80 %")
    teacher.fill("#id_threshold", "75")
    teacher.select_option("#id_check_mode", "approval")
    assert not teacher_tab.has_horizontal_scroll()
    teacher_tab.shot("sections-2-policy-360")
    with teacher.expect_navigation():
        teacher.locator("#save-settings").click()
    expect(teacher.locator(".notice")).to_have_text("Saved.")
    section.refresh_from_db()
    assert section.threshold == 0.75 and section.policy == {"check_mode": "approval"}

    # The roster shows the code and its QR code for the projector.
    teacher.get_by_role("link", name="Roster and joining").click()
    expect(teacher.locator(".join-code-big")).to_have_text(section.join_code)
    qr = teacher.locator(".join-qr svg")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 0.75 * PHONE[0]  # large: most of a phone's width
    assert not teacher_tab.has_horizontal_scroll()
    teacher_tab.shot("sections-3-roster-360")

    # A student with no account joins by the code, typed as they read it, from the sign-in page.
    student_tab = visit(*PHONE)
    student = student_tab.go("/login/")
    student.get_by_role("link", name="Join it with its code").click()
    student.fill("#code", f"{section.join_code[:3].lower()} {section.join_code[3:].lower()}")
    with student.expect_navigation():
        student.get_by_role("button", name="Next").click()
    expect(student.locator("h1")).to_have_text("Join Chem 12-A")
    student.fill("#id_name", "Nia Kapoor")
    student.fill("#id_username", "nia")
    student.fill("#id_password", "a-long-pass-1")
    assert not student_tab.has_horizontal_scroll()
    student_tab.shot("sections-4-sign-up-360")
    with student.expect_navigation():
        student.get_by_role("button", name="Make my account and join").click()
    expect(student.locator("#join-state")).to_contain_text("Waiting for your teacher.")
    student_tab.shot("sections-5-waiting-360")

    # The teacher accepts her in one click, without leaving the roster.
    teacher.reload()
    waiting = teacher.locator(".waiting-row", has_text="Nia Kapoor")
    waiting.get_by_role("button", name="Accept").click()
    expect(waiting).to_contain_text("Accepted: Nia Kapoor is in the class.")
    assert Enrollment.objects.filter(section=section, student__username="nia").exists()
    teacher_tab.shot("sections-6-accepted-360")

    # The student checks again and opens the playlist, at the policy's pass mark.
    student.get_by_role("link", name="Check again").click()
    expect(student.locator("#join-state")).to_contain_text("You are already in Chem 12-A.")
    with student.expect_navigation():
        student.get_by_role("link", name="Open my playlist").click()
    expect(student.locator("h1")).to_have_text("My playlist")
    expect(student.locator("#obj-GAS-1")).to_contain_text("Mastery: 75 %")
    assert not student_tab.has_horizontal_scroll()
    student_tab.shot("sections-7-playlist-360")

    for tab in (teacher_tab, student_tab):
        assert tab.console_errors == [] and tab.external == []


def test_the_teachers_pages_on_a_1920_px_projector(visit: Any) -> None:
    room = factories.small_classroom()
    tab = visit(1920, 1080)
    page = tab.log_in("ms_rao", factories.PASSWORD)
    pk = room["section"].pk
    for path, name in ((f"/sections/{pk}/settings/", "settings"), (f"/sections/{pk}/roster/", "roster")):
        page = tab.go(path)
        assert not tab.has_horizontal_scroll()
        tab.shot(f"sections-{name}-1920")
    assert page.locator(".join-qr svg").bounding_box()["width"] >= 400
    page = tab.go("/sections/")
    tab.shot("sections-list-1920")
    assert tab.console_errors == [] and tab.external == []
