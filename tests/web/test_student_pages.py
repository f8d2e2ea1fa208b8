"""The student's playlist and learning object pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from flipmastery.progress.models import LearningObjectUse, ProgressEvent
from tests import factories


def playlist_html(client: Client, classroom: dict[str, Any]) -> str:
    response = client.get(f"/sections/{classroom['section'].pk}/playlist/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_playlist_shows_the_next_step_first_then_objectives_in_order(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    section, primary = classroom["section"], classroom["primary"]
    html = playlist_html(as_user(classroom["students"][0]), classroom)

    assert "Work on GAS-1: start with Video 1." in html
    next_link = f'<a class="button" href="/sections/{section.pk}/learn/{primary.pk}/" lang="en">Video 1</a>'
    assert next_link in html
    assert html.index("Next step") < html.index('id="obj-GAS-1"') < html.index('id="obj-GAS-2"')
    assert "Mastered 0 of 2 objectives" in html
    assert '<h2 class="unit-title" id="unit-GAS" lang="en">Gas Laws</h2>' in html


def test_each_objective_shows_state_tier_threshold_and_ways_to_learn(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    section, alternate = classroom["section"], classroom["alternate"]
    html = playlist_html(as_user(classroom["students"][0]), classroom)
    gas1, gas2 = html.split('id="obj-GAS-2"')

    assert '<span class="badge state-READY">READY</span>' in gas1
    assert '<span class="badge tier-essential">essential</span>' in gas1
    assert "Explain gas pressure." in gas1
    assert "Mastery: 80 %" in gas1
    assert 'class="learn-primary"' in gas1 and ">Video 1</a>" in gas1
    assert "Other ways to learn this" in gas1
    assert f'<a href="/sections/{section.pk}/learn/{alternate.pk}/">Text Section 12.1</a>' in gas1

    assert '<span class="badge state-LOCKED">LOCKED</span>' in gas2
    assert '<span class="badge tier-nice_to_know">nice to know</span>' in gas2
    assert 'Master first: <a href="#obj-GAS-1" class="code">GAS-1</a>' in gas2
    assert "Required activities" in gas2 and "Boyle&#x27;s Law Lab" in gas2


def test_the_playlist_follows_recorded_progress(as_user: Any, classroom: dict[str, Any]) -> None:
    asha, section = classroom["students"][0], classroom["section"]
    ProgressEvent.objects.create(
        section=section,
        student=asha,
        objective=classroom["a"],
        kind="override",
        state="MASTERED",
        reason="test",
        at="2025-01-01T10:00Z",
    )
    LearningObjectUse.objects.create(
        section=section, student=asha, learning_object=classroom["primary"], at="2025-01-01T09:00Z"
    )
    section.threshold = 0.75
    section.save()
    html = playlist_html(as_user(asha), classroom)
    gas1, gas2 = html.split('id="obj-GAS-2"')
    assert "state-MASTERED" in gas1 and "✓ used" in gas1
    assert '<span class="badge state-READY">READY</span>' in gas2 and "Master first" not in gas2
    assert "Mastery: 75 %" in gas2
    assert "Work on GAS-2: start with Video 2." in html
    assert "Mastered 1 of 2 objectives" in html


def test_the_playlist_makes_no_request_that_leaves_the_server(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    html = playlist_html(as_user(classroom["students"][0]), classroom)
    assert "<iframe" not in html
    assert 'src="http' not in html and "src='http" not in html and 'href="//' not in html
    assert '<link rel="stylesheet" href="/static/flipmastery.css">' in html
    assert '<script src="/static/vendor/htmx.min.js" defer></script>' in html


@pytest.mark.parametrize("who", ["outsider", "other_teacher", "teacher"])
def test_the_playlist_is_not_found_for_anyone_but_its_students(
    as_user: Any, classroom: dict[str, Any], who: str
) -> None:
    response = as_user(classroom[who]).get(f"/sections/{classroom['section'].pk}/playlist/")
    assert response.status_code == 404
    assert "Not found" in response.content.decode()


def test_a_hindi_statement_is_shown_with_its_language(as_user: Any, db: None) -> None:
    course = factories.course(title="कक्षा 7 गणित", language="hi")
    objective = factories.objective(
        factories.unit(course, title="परिमेय संख्याएँ"), code="RAT-1", statement="परिमेय संख्या को p/q के रूप में लिखना।"
    )
    factories.learning_object(objective, title="वीडियो 1", is_primary=True)
    student = factories.student()
    section = factories.section(course, students=[student])
    html = as_user(student).get(f"/sections/{section.pk}/playlist/").content.decode()
    assert '<p class="statement" lang="hi">परिमेय संख्या को p/q के रूप में लिखना।</p>' in html
    assert "परिमेय संख्याएँ" in html
