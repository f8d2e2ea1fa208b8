"""A teacher acts from the class grid in a real browser: on the demo class's 1920 × 1080 projector view in
initials mode, a click on a cell opens its panel in a dialog, a sign-off and an override with a reason change
the cell; the same works from the keyboard alone (Enter on a cell, Escape back to it); and on a 360 px phone.
Screenshots go to test-artifacts/."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Section
from flipmastery.cockpit.selectors import class_board
from flipmastery.courses.models import Activity, Objective
from flipmastery.domain.mastery import State
from flipmastery.progress.models import ProgressEvent
from tests.browser.test_cockpit_in_a_browser import demo_chemistry

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def passed_but_unsigned(section: Section) -> tuple[User, Objective, Activity]:
    """A student who never had a GAS-2 activity signed off: GAS-1 mastered, two of GAS-2's three activities
    signed and its check passed, so the last activity is all that stands between them and mastery."""
    gas1, gas2 = (Objective.objects.get(course=section.course, code=c) for c in ("GAS-1", "GAS-2"))
    labs = list(Activity.objects.filter(objective=gas2).order_by("order", "id"))
    signed = set(
        ProgressEvent.objects.filter(section=section, kind="activity").values_list("student_id", flat=True)
    )
    student = next(
        e.student
        for e in section.enrollments.select_related("student").order_by("student__username")
        if e.student_id not in signed
    )
    now = timezone.now()

    def add(objective: Objective, kind: str, state: str, minutes: int, **fields: Any) -> None:
        ProgressEvent.objects.create(
            section=section,
            student=student,
            objective=objective,
            kind=kind,
            state=state,
            at=now - timedelta(minutes=minutes),
            **fields,
        )

    add(gas1, "override", "MASTERED", 9, reason="set up for the test")
    add(gas2, "override", "LEARNING", 8, reason="set up for the test")
    for n, lab in enumerate(labs[:-1]):
        add(gas2, "activity", "LEARNING", 7 - n, ref=str(lab.pk))
    add(gas2, "check_result", "LEARNING", 3, outcome=True)
    return student, gas2, labs[-1]


def initials(name: str) -> str:
    return " ".join(f"{w[0].upper()}." for w in name.split())


def cell_of(page: Any, section: Section, student: int, objective: Objective) -> Any:
    return page.locator(
        f'#grid-body a.cell[href^="/sections/{section.pk}/grid/cell/{student}/{objective.pk}/"]'
    )


def wait_for_cell(page: Any, section: Section, student: int, objective: Objective, state: str) -> None:
    """Until the grid shows this state in the cell (its rows are fetched again after an action)."""
    href = f"/sections/{section.pk}/grid/cell/{student}/{objective.pk}/"
    page.wait_for_selector(f'#grid-body td.state-{state} > a.cell[href^="{href}"]')


def state_of(page: Any, section: Section, student: int, objective: Objective) -> str:
    classes = cell_of(page, section, student, objective).evaluate("a => a.parentElement.className")
    return str(classes).split("state-")[1].split()[0]


def test_a_teacher_signs_off_and_overrides_from_the_projector_grid(visit: Any) -> None:
    section = demo_chemistry()
    student, gas2, last_lab = passed_but_unsigned(section)
    gas1 = Objective.objects.get(course=section.course, code="GAS-1")
    board = class_board(section, timezone.now())
    other = next(r for r in sorted(board.rows, key=lambda r: r.username) if r.id != student.pk)
    was = other.cells["GAS-1"].state
    target = State.READY if was is State.MASTERED else State.MASTERED
    tab = visit(1920, 1080)
    tab.log_in("teacher", "teacher")
    page = tab.go(f"/sections/{section.pk}/grid/?projector=1&names=initials")
    cell = cell_of(page, section, student.pk, gas2)
    assert state_of(page, section, student.pk, gas2) == "LEARNING" and "sign off" in cell.inner_text()
    assert not tab.has_horizontal_scroll()

    # a click opens the panel in a dialog, with the student's initials and nothing of their name
    cell.click()
    dialog = page.locator("#cell-dialog")
    page.wait_for_selector("#cell-dialog[open]")
    title = page.locator("#cell-title")
    assert title.inner_text() == f"{initials(student.shown_name())} · GAS-2"
    panel_html = page.locator("#cell-panel").inner_html()
    assert student.shown_name() not in panel_html and student.username not in panel_html
    assert "check passed: activities to sign off" in dialog.inner_text()
    assert page.evaluate("document.activeElement.id") == "cell-title"

    # sign off the last activity: the panel and the cell say mastered
    dialog.get_by_role("button", name=f"Sign off: {last_lab.title}").click()
    page.wait_for_selector("#cell-panel .qrow-done")
    assert "Activity signed off." in dialog.inner_text()
    assert page.locator("#cell-state").inner_text().endswith("MASTERED")
    wait_for_cell(page, section, student.pk, gas2, "MASTERED")
    tab.shot("cockpit-cell-signed-off-projector-1920")
    page.keyboard.press("Escape")
    page.wait_for_selector("#cell-dialog[open]", state="detached")
    assert page.evaluate("document.activeElement.classList.contains('cell')")  # back on the cell
    tab.shot("cockpit-cell-focus-projector-1920")  # the focused cell stands out

    # an override with a reason, the mouse way; without a reason the form itself says it is required
    cell_of(page, section, other.id, gas1).click()
    page.wait_for_selector("#cell-dialog[open]")
    dialog.locator("summary", has_text="Override (with a reason)").click()
    dialog.locator("#cell-state-to").select_option(target.value)
    dialog.locator("#cell-reason").fill("Showed me the working in class")
    dialog.get_by_role("button", name="Override", exact=True).click()
    page.wait_for_selector("#cell-panel .qrow-done")
    assert "State set." in dialog.inner_text()
    wait_for_cell(page, section, other.id, gas1, target.value)
    assert "Showed me the working in class" in page.locator("#cell-panel").inner_text()  # in its history
    dialog.get_by_role("button", name="Close").click()
    assert not dialog.evaluate("d => d.open")
    # undo it from the keyboard alone: Enter on the cell, Tab to the override, type, Enter
    link = cell_of(page, section, other.id, gas1)
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#cell-dialog[open]")
    assert page.evaluate("document.activeElement.id") == "cell-title"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    page.keyboard.press("Enter")  # opens the override's details
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "cell-state-to"
    back, back_key = (
        (was, was.value[0]) if was in (State.MASTERED, State.READY, State.LOCKED) else (State.LOCKED, "L")
    )
    page.keyboard.type(back_key)
    assert page.locator("#cell-state-to").input_value() == back.value
    page.keyboard.press("Tab")
    page.keyboard.type("Typed with the keyboard")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "cell-override"
    page.keyboard.press("Enter")
    page.wait_for_selector("#cell-panel .qrow-done")
    wait_for_cell(page, section, other.id, gas1, back.value)
    page.keyboard.press("Escape")
    page.wait_for_selector("#cell-dialog[open]", state="detached")
    cell_href = f"/sections/{section.pk}/grid/cell/{other.id}/{gas1.pk}/"
    # the focus is back on the cell (a poll may be swapping the rows in: the new row's cell gets it)
    focus_is_back = "href => (document.activeElement.getAttribute('href') || '').startsWith(href)"
    page.wait_for_function(focus_is_back, arg=cell_href, timeout=3000)
    assert tab.console_errors == [] and tab.external == []


def test_the_cell_panel_on_a_phone(visit: Any) -> None:
    section = demo_chemistry()
    student, gas2, _lab = passed_but_unsigned(section)
    tab = visit(360, 740)
    tab.log_in("teacher", "teacher")
    page = tab.go(f"/sections/{section.pk}/grid/?sort=behind")
    cell_of(page, section, student.pk, gas2).click()
    page.wait_for_selector("#cell-dialog[open]")
    width = page.locator("#cell-dialog").evaluate("d => d.getBoundingClientRect().width")
    assert width <= 360
    assert page.locator("#cell-dialog").evaluate("d => d.scrollWidth <= d.clientWidth + 1")
    tab.shot("cockpit-cell-panel-360")
    page.keyboard.press("Escape")
    # without the dialog: the panel's own page, as without JavaScript
    href = cell_of(page, section, student.pk, gas2).get_attribute("href")
    page = tab.go(href)
    assert page.locator("#cell-title").inner_text() == f"{student.shown_name()} · GAS-2"
    assert not tab.has_horizontal_scroll()
    tab.shot("cockpit-cell-page-360")
    assert tab.console_errors == [] and tab.external == []


def test_one_activity_signed_off_for_several_students_on_a_phone(visit: Any) -> None:
    section = demo_chemistry()
    lab = Activity.objects.filter(objective__course=section.course, objective__code="GAS-2").order_by(
        "order", "id"
    )[0]
    tab = visit(360, 740)
    tab.log_in("teacher", "teacher")
    page = tab.go(f"/sections/{section.pk}/grid/")
    page.get_by_role("link", name="Sign off an activity for several students").click()
    page.wait_for_url("**/grid/signoff/")
    page.select_option("#signoff-activity", str(lab.pk))
    page.get_by_role("button", name="Choose").click()
    page.wait_for_url(f"**/grid/signoff/?activity={lab.pk}")
    free = page.locator(".signoff-list input:not([disabled])")
    before = free.count()
    assert before >= 2
    free.nth(0).check()
    free.nth(1).check()
    page.get_by_role("button", name="Sign off the ticked students").click()
    page.wait_for_selector(".signoff-done")
    assert page.locator(".signoff-done").inner_text() == f"✓ Signed off {lab.title} for 2 students."
    assert page.locator(".signoff-list input:not([disabled])").count() == before - 2
    assert not tab.has_horizontal_scroll()
    tab.shot("cockpit-bulk-signoff-360")
    assert tab.console_errors == [] and tab.external == []
