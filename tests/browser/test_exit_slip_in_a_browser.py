"""A teacher runs an exit slip at 1920 px (a bank question and one typed on the spot, its wrong choices
tagged), two students answer on 360 px phones from their playlist, a third on paper (the teacher marks it),
the teacher watches the answers come in, closes it, reads tomorrow's groups on the groups page and accepts
one. Nothing changes a student's progress."""

from __future__ import annotations

from typing import Any

import pytest

from flipmastery.progress.models import ProgressEvent
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def expect(locator: Any) -> Any:
    return pytest.importorskip("playwright.sync_api").expect(locator)


def test_a_teacher_runs_an_exit_slip_and_sees_tomorrows_groups(visit: Any) -> None:
    room = factories.small_classroom()
    factories.bank(room["a"], size=3)  # Q0 single choice, Q1 calculated, Q2 true/false
    section = room["section"]
    asha, ben = room["students"]
    carl = factories.student(username="carl")  # no phone: answers on paper
    section.enrollments.create(student=carl)
    events = ProgressEvent.objects.count()

    teacher = visit(1920, 1080)
    page = teacher.log_in(room["teacher"].username, factories.PASSWORD)
    page = teacher.go(f"/sections/{section.pk}/exit-slips/")
    page.select_option("#slip-objective", "GAS-1")
    page.get_by_role("button", name="Show its bank").click()
    page.wait_for_url("**objective=GAS-1")
    pick = page.locator(".slip-picks li", has_text="gases are compressible")
    pick.get_by_role("checkbox").check()
    pick.get_by_label("Tag of a wrong answer").fill("gases are rigid")
    page.select_option("#t1-kind", "single_choice")
    page.fill("#t1-text", "What is gas pressure?")
    page.fill(
        "#t1-choices",
        "*The force per unit area on the walls\n"
        "The force itself | force vs pressure\n"
        "The weight of the gas | pressure is weight",
    )
    teacher.shot("exit-slip-start-1920")
    page.get_by_role("button", name="Start the exit slip").click()
    page.wait_for_url("**/exit-slips/*/")
    expect(page.locator("#slip-count")).to_have_text("0 of 3 students answered.")
    assert not teacher.has_horizontal_scroll()
    results_url = page.url
    page.get_by_role("link", name="Print it for paper").click()
    page.wait_for_url("**/sheet/")
    expect(page.locator(".slip-sheet")).to_have_count(3)  # one per student
    assert "force vs pressure" not in page.locator("main").inner_text()  # no key, no tags
    teacher.shot("exit-slip-sheet-1920")
    page.goto(results_url)

    for student, choice, truth in ((asha, "force per unit area", "True"), (ben, "force itself", "False")):
        phone = visit(360, 740)
        mine = phone.log_in(student.username, factories.PASSWORD)
        banner = mine.locator("#exit-slip-banner a")
        expect(banner).to_have_text("Exit slip: 2 questions")
        if student is asha:
            phone.shot("exit-slip-playlist-360")
        banner.click()
        mine.wait_for_url("**/exit-slip/")
        mine.locator("#s-1 label.choice", has_text=truth).click()
        expect(mine.locator("#s-1-state")).to_have_text("Saved. Thanks — your teacher will read it.")
        mine.locator("#s-2 label.choice", has_text=choice).click()
        expect(mine.locator("#s-2-state")).to_have_text("Saved. Thanks — your teacher will read it.")
        assert not phone.has_horizontal_scroll()
        body = mine.locator("main").inner_text()
        assert "%" not in body and "force vs pressure" not in body and "wrong" not in body.lower()
        phone.shot(f"exit-slip-answered-360-{student.username}")

    expect(page.locator("#slip-count")).to_have_text("2 of 3 students answered.", timeout=15_000)  # live
    expect(page.locator("#item-2 .slip-percent")).to_have_text("50 % right (1 of 2)")

    page.get_by_role("link", name="Mark paper answers").click()
    page.wait_for_url("**/paper/")
    page.check(f"input[name='m-{carl.pk}-1'][value=wrong]")
    page.fill(f"input[name='tag-{carl.pk}-1']", "gases are rigid")
    page.check(f"input[name='m-{carl.pk}-2'][value=wrong]")
    page.fill(f"input[name='tag-{carl.pk}-2']", "force vs pressure")
    teacher.shot("exit-slip-paper-marks-1920")
    page.get_by_role("button", name="Save the marks").click()
    page.wait_for_url("**/exit-slips/*/")
    expect(page.locator("#slip-count")).to_have_text("3 of 3 students answered.")
    expect(page.locator("#item-1 .slip-percent")).to_have_text("33 % right (1 of 3)")
    teacher.shot("exit-slip-results-1920")
    page.get_by_role("button", name="Close the exit slip").click()
    expect(page.locator("#slip-state")).to_contain_text("Closed at")
    page.get_by_role("link", name="Tomorrow's groups").click()
    page.wait_for_url("**/groups/**")
    block = page.locator("#exit-slip-groups")
    expect(block).to_contain_text("From today's exit slip")
    group = block.locator(".slip-group")
    expect(group).to_have_count(1)
    expect(group.locator("h3")).to_have_text("gases are rigid missed Q1")
    expect(group.locator(".members li")).to_have_text(["ben", "carl"])
    expect(block.locator(".slip-ready")).to_have_text("Ready to move on: asha")
    teacher.shot("exit-slip-groups-1920")
    group.get_by_role("button", name="Accept group").click()
    page.wait_for_url("**/groups/#group-*")
    accepted = page.locator(".group.is-accepted")
    expect(accepted.locator(".badge.tag").first).to_have_text("gases are rigid")
    expect(accepted.locator("input[name=student]:checked")).to_have_count(2)
    expect(block.locator(".slip-group")).to_have_count(0)  # accepted: not suggested again
    assert ProgressEvent.objects.count() == events
    assert not teacher.console_errors
