"""A teacher's cockpit in a real browser: the class grid updating by itself, pacing, the gradebook, groups
and item analysis, at 1000 px, on a projector and on a 360 px phone. Screenshots go to test-artifacts/."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Section
from flipmastery.cockpit.models import SectionPlan
from flipmastery.courses.models import Objective
from flipmastery.demo.services import demo_load
from flipmastery.progress.models import ProgressEvent
from flipmastery.progress.services import evidence_record

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def demo_chemistry() -> Section:
    """The demo's Chemistry 11-A, three weeks into a plan of 3.5 objectives a week (so some are behind)."""
    demo_load()
    section = Section.objects.get(name="Chemistry 11-A")
    SectionPlan.objects.update_or_create(  # the demo has a plan of its own: this one replaces it
        section=section,
        defaults={
            "start": timezone.localdate() - timedelta(days=9),
            "per_week": 3.5,
            "periods": [{"name": "Term 1", "end": (timezone.localdate() + timedelta(days=60)).isoformat()}],
            "updated_at": timezone.now(),
        },
    )
    return section


def answered(section: Section) -> None:
    """Twelve students took GAS-1's check (two items each from its bank): graded items to analyse."""
    import random

    from flipmastery.assessments.models import Attempt, AttemptItem
    from flipmastery.questions.models import Question

    rng = random.Random(7)
    questions = list(Question.objects.filter(objective__code="GAS-1", objective__course=section.course))
    for n, enrollment in enumerate(section.enrollments.order_by("student__username")[:12]):
        attempt = Attempt.objects.create(
            section=section,
            student_id=enrollment.student_id,
            objective=questions[0].objective,
            state="submitted",
            seed=n,
            started_at=timezone.now(),
            submitted_at=timezone.now(),
            result={"objectives": [{"code": "GAS-1", "score": 0.5, "pending": False}]},
        )
        for position, q in enumerate(rng.sample(questions, 2), start=1):
            hard = q == questions[0]
            AttemptItem.objects.create(
                attempt=attempt,
                position=position,
                objective_code="GAS-1",
                question=q,
                version=q.current,
                score=0.0 if hard else float(rng.random() < 0.7),
                status="graded",
            )


def test_the_class_grid_updates_by_itself_and_the_reports_draw(visit: Any) -> None:
    section = demo_chemistry()
    tab = visit(1000, 800)
    page = tab.log_in("teacher", "teacher")
    card = page.locator("li.card", has_text="Chemistry 11-A")
    card.get_by_role("link", name="Class grid").click()
    page.wait_for_url(f"**/sections/{section.pk}/grid/")
    rows = page.locator("#grid-body tr:not(.sum)")
    assert rows.count() == 30
    assert page.locator("thead .obj").count() == Objective.objects.filter(course=section.course).count()
    assert (
        page.locator("thead .obj-essential").count() >= 1
        and page.locator("thead .obj-nice_to_know").count() >= 1
    )
    assert page.locator("td.state-MASTERED").first.inner_text().startswith("✓ mastered")
    assert page.locator(".flag").count() >= 1  # someone is behind
    assert not tab.has_horizontal_scroll()  # the grid scrolls inside its frame, the page does not
    tab.shot("cockpit-grid-1000")
    page.locator("#plan summary").click()
    page.fill("#plan-scale", "A = lots")
    page.click("text=Save the plan")
    page.wait_for_selector("#plan-errors")
    assert "cannot read 'A = lots'" in page.locator("#plan-errors").inner_text()
    assert tab.console_errors == [
        "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"
    ]  # the refused form's status, as the browser logs it
    tab.console_errors.clear()
    page.fill("#plan-scale", "A = 100% + 80%; B = 100% + 50%; C = 100%; D = 70%")
    page.click("text=Save the plan")
    page.wait_for_url("**/grid/#plan")
    rows = page.locator("#grid-body tr:not(.sum)")

    # A student's check is decided on the server: within one poll (10 s) the row shows it.
    row = rows.nth(1)
    before = row.locator("td.state-MASTERED").count()
    student_name = row.locator("th a").inner_text()
    student_id = int((row.locator("th a").get_attribute("href") or "").split("/")[4])
    target = next(
        o
        for o in Objective.objects.filter(course=section.course).order_by("unit__order", "order", "id")
        if not ProgressEvent.objects.filter(
            section=section, student_id=student_id, objective=o, state="MASTERED"
        )
    )
    evidence_record(  # as another teacher's device records it: through the service, which tells the grids
        section=section,
        teacher=User.objects.get(username="teacher"),
        student=User.objects.get(pk=student_id),
        objective=target,
        kind="override",
        state="MASTERED",
        reason="showed it in class",
        now=timezone.now(),
    )
    page.wait_for_function(
        "([name, n]) => [...document.querySelectorAll('#grid-body tr')].some(tr =>"
        " tr.querySelector('th a') && tr.querySelector('th a').textContent === name"
        " && tr.querySelectorAll('td.state-MASTERED').length > n)",
        arg=[student_name, before],
        timeout=25000,
    )
    assert tab.console_errors == [] and tab.external == []

    page.locator(".cockpit-nav").get_by_role("link", name="Pacing").click()
    page.wait_for_url("**/pacing/")
    assert page.locator("svg.chart").count() == 2
    assert page.locator("svg.chart polyline.benchmark").count() == 1
    assert page.locator("svg.bars g.bar").count() == 30
    assert not tab.has_horizontal_scroll()
    tab.shot("cockpit-pacing-1000")

    page.locator(".cockpit-nav").get_by_role("link", name="Class grid").click()
    page.wait_for_url("**/grid/")
    page.get_by_role("link", name=student_name).click()
    page.wait_for_url("**/history/")
    assert page.locator("table.history tbody tr").count() >= 2
    assert "showed it in class" in page.locator("table.history tbody tr").first.inner_text()
    tab.shot("cockpit-history-1000")

    page.locator(".cockpit-nav").get_by_role("link", name="Gradebook").click()
    page.wait_for_url("**/gradebook/")
    assert page.locator("table.book tbody tr").count() == 30
    assert page.locator("td.letter").first.inner_text() in {"A", "B", "C", "D", "F"}
    with page.expect_download() as download:
        page.get_by_role("link", name="Download XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert not tab.has_horizontal_scroll()
    tab.shot("cockpit-gradebook-1000")

    page.locator(".cockpit-nav").get_by_role("link", name="Groups").click()
    page.wait_for_url("**/groups/")
    tab.shot("cockpit-groups-1000")
    page.locator("li.card.group").first.get_by_role("button", name="Accept group").click()
    page.wait_for_selector("li.group.is-accepted")
    assert page.locator("li.group.is-accepted input[type=checkbox]:checked").count() >= 2
    answered(section)
    page.locator(".cockpit-nav").get_by_role("link", name="Item analysis").click()
    page.wait_for_url("**/items/")
    tab.shot("cockpit-items-1000")
    assert tab.console_errors == [] and tab.external == []


def test_the_grid_on_a_projector_and_the_cockpit_on_a_phone(visit: Any) -> None:
    section = demo_chemistry()
    projector = visit(1280, 720)
    projector.log_in("teacher", "teacher")
    projector.go(f"/sections/{section.pk}/grid/")
    assert not projector.has_horizontal_scroll()
    projector.shot("cockpit-grid-projector")
    phone = visit(360, 740)
    phone.log_in("teacher", "teacher")
    for name in ("grid", "pacing", "gradebook", "groups", "items"):
        page = phone.go(f"/sections/{section.pk}/{name}/")
        assert page.locator("h1").is_visible()
        assert not phone.has_horizontal_scroll(), name
        phone.shot(f"cockpit-{name}-360")
    assert phone.console_errors == []
