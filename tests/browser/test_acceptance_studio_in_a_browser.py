"""A new teacher, in a real browser and by forms alone, builds a small course — two objectives, a calculated
question with units and a bank of eight items — opens a section, runs a class on it, acts from the grid on a
1920 × 1080 projector with initials for names, and reads the students' history. Nobody opens /admin/ or
writes YAML, and axe-core finds nothing serious or critical on any page on the way."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from flipmastery.assessments.models import Attempt
from flipmastery.assessments.selectors import attempt_key
from flipmastery.classroom.models import Section
from flipmastery.courses.models import Objective
from flipmastery.questions.models import Question
from tests import factories
from tests.browser.axe import assert_accessible
from tests.browser.conftest import Visit
from tests.browser.test_check_in_a_browser import expect
from tests.browser.test_cockpit_actions_in_a_browser import cell_of, initials, wait_for_cell
from tests.browser.test_mastery_loop_in_a_browser import answer_all, settled, submit, wrong
from tests.browser.test_question_form_in_a_browser import build_boyle
from tests.browser.test_studio_in_a_browser import add_objective

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

STATEMENTS = [
    ("A gas fills any container it is put in.", "True"),
    ("At constant temperature, squeezing a gas lowers its pressure.", "False"),
    ("Pressure is force per unit area.", "True"),
    ("1 atm is about 101.3 kPa.", "True"),
    ("Doubling the volume of a gas at constant temperature doubles its pressure.", "False"),
    ("Gas particles are in constant random motion.", "True"),
    ("A sealed syringe of air is harder to push the further it is pushed.", "True"),
]


@pytest.fixture
def tab(browser: Any, live_server: Any) -> Iterator[Callable[[int, int], Visit]]:
    """Tabs whose pages axe can be injected into (the page's own CSP refuses an injected script), each
    recording every path it asked our server for."""
    contexts: list[Any] = []

    def open_tab(width: int, height: int) -> Visit:
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="en-US", bypass_csp=True
        )
        contexts.append(context)
        opened = Visit(context, live_server.url)
        opened.paths = []  # type: ignore[attr-defined]
        opened.page.on("request", lambda r: opened.paths.append(urlsplit(r.url).path))  # type: ignore[attr-defined]
        return opened

    yield open_tab
    for context in contexts:
        context.close()


def looked_at(visit: Visit, name: str) -> None:
    """A screenshot to look at, and axe on the page as it is."""
    visit.shot(f"acceptance-{name}")
    assert_accessible(visit.page, name)


def right(attempt: Attempt) -> dict[int, Any]:
    return {k["id"]: k["correct_response"] for k in attempt_key(attempt)["items"]}


def test_a_new_teacher_builds_a_course_by_forms_runs_a_class_and_acts_from_the_projector(
    tab: Callable[[int, int], Visit],
) -> None:
    factories.teacher(username="ms_iyer", first_name="Meera", last_name="Iyer")
    desk = tab(1920, 1080)
    page = desk.log_in("ms_iyer", factories.PASSWORD)

    # 1. The studio: a course, a unit, GAS-1 (a video; a check of four questions) and GAS-2 after it.
    page.get_by_role("link", name="Course studio").click()
    page.fill("#id_new-code", "CHEM11")
    page.fill("#id_new-title", "Class 11 Chemistry")
    with page.expect_navigation():
        page.get_by_role("button", name="Make the course").click()
    page.fill("#id_unit-code", "GAS")
    page.fill("#id_unit-title", "Gas Laws")
    with page.expect_navigation():
        page.get_by_role("button", name="Add the unit").click()
    add_objective(page, "GAS-1", "Be able to use Boyle's law.")
    expect(page.locator(".notice")).to_have_text("GAS-1 is added. Give it a way to learn it.")
    page.locator("#objective-fields summary").click()
    page.fill("#id_check_items", "4")
    with page.expect_navigation():
        page.locator("#save-objective").click()
    page.fill("#id_learn-new-title", "Boyle's law in 90 seconds")
    page.fill("#id_learn-new-url", "https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    page.fill("#id_learn-new-minutes", "2")
    with page.expect_navigation():
        page.locator("#learn-add").get_by_role("button", name="Add").click()
    looked_at(desk, "1-studio-objective-1920")
    page.get_by_role("link", name="CHEM11").click()
    add_objective(page, "GAS-2", "Be able to use Charles's law.", prerequisite="GAS-1")
    gas1, gas2 = (Objective.objects.get(course__code="CHEM11", code=c) for c in ("GAS-1", "GAS-2"))
    assert gas1.check_items == 4 and list(gas2.prerequisites.all()) == [gas1]
    page.get_by_role("link", name="CHEM11").click()
    looked_at(desk, "2-studio-course-1920")

    # 2. GAS-1's bank by form: Boyle's law as a calculated question in atm, then seven true/false items.
    page.get_by_role("link", name="Edit GAS-1").click()
    page.get_by_role("link", name="Question bank").click()
    page.get_by_role("link", name="Add a question").click()
    build_boyle(page)
    page.wait_for_function(
        "() => /the answer is [0-9.]+ atm/.test(document.querySelector('#calc-sample').innerText)"
    )
    looked_at(desk, "3-question-calculated-1920")
    page.get_by_role("button", name="Add to the bank").click()
    page.wait_for_selector("text=Added to the bank of GAS-1 as version 1.")
    for statement, truth in STATEMENTS:
        page = desk.go(f"/teach/objectives/{gas1.pk}/bank/new/?view=form")
        page.get_by_label("Type", exact=True).select_option("true_false")
        page.locator("legend", has_text="The statement is").wait_for()
        page.get_by_label("Question text").fill(statement)
        page.get_by_label(truth, exact=True).check()
        page.get_by_role("button", name="Add to the bank").click()
        page.wait_for_selector("text=Added to the bank of GAS-1 as version 1.")
    assert Question.objects.filter(objective=gas1).count() == 8
    page = desk.go(f"/teach/objectives/{gas1.pk}/bank/")
    expect(page.locator(".bank-count")).to_contain_text("8 questions can be asked")
    expect(page.locator(".bank-count")).to_contain_text("a check asks 4")
    # Four a check: eight questions cannot give a first try and two retakes without repeats, and it says so.
    expect(page.locator(".bank-warnings")).to_contain_text("The bank is too small")
    expect(page.locator(".bank-guess")).to_contain_text("A guesser passes this check")
    looked_at(desk, "4-bank-1920")

    # 3. A section of the course, and two students who join by its code from their phones.
    page = desk.go("/sections/")
    page.get_by_role("link", name="Open a new section").click()
    page.fill("#id_name", "Chem 11-A")
    with page.expect_navigation():
        page.get_by_role("button", name="Open the section").click()
    section = Section.objects.get(name="Chem 11-A")
    assert section.course.code == "CHEM11"
    phones: dict[str, Any] = {}
    for username, name in (("asha", "Asha Verma"), ("ben", "Ben Thomas")):
        phone = tab(360, 740)
        student = phone.go("/login/")
        student.get_by_role("link", name="Join it with its code").click()
        student.fill("#code", section.join_code)
        with student.expect_navigation():
            student.get_by_role("button", name="Next").click()
        student.fill("#id_name", name)
        student.fill("#id_username", username)
        student.fill("#id_password", "a-long-pass-1")
        with student.expect_navigation():
            student.get_by_role("button", name="Make my account and join").click()
        expect(student.locator("#join-state")).to_contain_text("Waiting for your teacher.")
        phones[username] = phone
    page = desk.go(f"/sections/{section.pk}/roster/")
    for name in ("Asha Verma", "Ben Thomas"):
        waiting = page.locator(".waiting-row", has_text=name)
        waiting.get_by_role("button", name="Accept").click()
        expect(waiting).to_contain_text(f"Accepted: {name} is in the class.")

    # 4. The class runs: Asha is not there yet, Ben masters GAS-1 and GAS-2 opens for him.
    for username, answers in (("asha", wrong), ("ben", right)):
        phone = phones[username]
        student = phone.go(f"/sections/{section.pk}/playlist/")
        expect(student.locator("#obj-GAS-2 .badge.state-LOCKED")).to_have_text("LOCKED")
        with student.expect_navigation():
            student.locator("#obj-GAS-1 .check-start button").click()
        attempt = Attempt.objects.get(student__username=username)
        assert attempt.items.count() == 4
        answer_all(student, attempt, answers(attempt))
        submit(student)
        outcome = "Not yet" if username == "asha" else "Mastered"
        expect(student.locator(".outcome .badge")).to_have_text(outcome)
        looked_at(phone, f"5-result-{username}-360")
        assert not phone.has_horizontal_scroll()
    student = phones["ben"].go(f"/sections/{section.pk}/playlist/")
    expect(student.locator("#obj-GAS-2 .badge.state-READY")).to_have_text("READY")

    # 5. The teacher on the projector, names as initials: Asha's GAS-1 cell opens its panel; a release.
    page = desk.go(f"/sections/{section.pk}/grid/?projector=1&names=initials")
    grid = page.locator("#grid-body").inner_text()
    assert "Asha" not in grid and "Verma" not in grid and initials("Asha Verma") in grid
    asha = section.students.get(username="asha")
    ben = section.students.get(username="ben")
    wait_for_cell(page, section, ben.pk, gas1, "MASTERED")
    wait_for_cell(page, section, asha.pk, gas1, "NOT_YET")
    assert not desk.has_horizontal_scroll()
    looked_at(desk, "6-grid-projector-1920")
    cell_of(page, section, asha.pk, gas1).click()
    page.wait_for_selector("#cell-dialog[open]")
    dialog = page.locator("#cell-dialog")
    expect(page.locator("#cell-title")).to_have_text(f"{initials('Asha Verma')} · GAS-1")
    assert "Verma" not in page.locator("#cell-panel").inner_text()
    looked_at(desk, "7-cell-panel-projector-1920")
    dialog.get_by_role("button", name="Release retake").click()
    page.wait_for_selector("#cell-panel .qrow-done")
    wait_for_cell(page, section, asha.pk, gas1, "READY_TO_RETAKE")
    page.keyboard.press("Escape")

    # 6. The students' history: the teacher's audit trail of Asha, and Asha's own record of her checks.
    page = desk.go(f"/sections/{section.pk}/grid/")
    page.get_by_role("link", name="Asha Verma").click()
    history = page.locator("main").inner_text()
    assert re.search(r"check result", history, re.I) and re.search(r"release", history, re.I)
    assert "ms_iyer" in history or "Meera Iyer" in history  # who released it
    looked_at(desk, "8-history-1920")
    student = phones["asha"].go(f"/sections/{section.pk}/my-checks/")
    mine = student.locator("main").inner_text()
    assert "GAS-1" in mine and "0 %" in mine
    settled(student)
    looked_at(phones["asha"], "9-my-checks-360")

    # Nothing of it needed the admin site or a line of YAML.
    visited = [p for t in (desk, *phones.values()) for p in t.paths]  # type: ignore[attr-defined]
    assert not [p for p in visited if p.startswith("/admin")]
    assert all(v.current is not None for v in Question.objects.filter(objective=gas1))
