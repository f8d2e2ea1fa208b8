"""The teacher's pages: my sections and the course outline."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories


def test_my_sections_lists_only_the_sections_i_teach(as_user: Any, classroom: dict[str, Any]) -> None:
    section = classroom["section"]
    html = as_user(classroom["teacher"]).get("/sections/").content.decode()
    assert "<h2>Chem 11-A</h2>" in html
    assert "Chem 11-B" not in html
    assert "Chemistry" in html
    assert "<dt>Students</dt><dd>2</dd>" in html
    assert section.join_code in html
    assert f'href="/sections/{section.pk}/outline/"' in html
    assert "/admin/" not in html  # not a superuser: the admin would only refuse them


def test_a_superuser_teacher_gets_a_link_to_edit_the_section_in_the_admin(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    teacher = classroom["teacher"]
    teacher.is_staff = teacher.is_superuser = True
    teacher.save()
    html = as_user(teacher).get("/sections/").content.decode()
    assert f'href="/admin/classroom/section/{classroom["section"].pk}/change/"' in html


def test_a_school_admin_sees_every_section(as_user: Any, classroom: dict[str, Any]) -> None:
    html = as_user(factories.user("admin")).get("/sections/").content.decode()
    assert "<h2>Chem 11-A</h2>" in html and "<h2>Chem 11-B</h2>" in html


def test_the_outline_shows_objectives_in_order_with_what_the_teacher_needs(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    a, b = classroom["a"], classroom["b"]
    a.outcome_code, a.estimated_minutes, a.threshold = "CHM11-5.1", 25, 0.9
    a.save()
    factories.learning_object(a, title="Retired video", retired=True, order=9)
    factories.activity(b, title="Old lab", retired=True)
    b.enrichments.create(title="Scuba diving and pressure", url="https://example.org/scuba")
    retired = factories.objective(classroom["unit"], code="GAS-9", statement="Gone.", retired=True)
    section = classroom["section"]

    html = as_user(classroom["teacher"]).get(f"/sections/{section.pk}/outline/").content.decode()

    assert html.index('id="obj-GAS-1"') < html.index('id="obj-GAS-2"')
    assert "GAS — Gas Laws" in html
    assert "Explain gas pressure." in html and "Use Boyle&#x27;s law." in html
    assert '<span class="badge tier-essential">essential</span>' in html
    assert '<span class="badge tier-nice_to_know">nice to know</span>' in html
    assert "Outcome CHM11-5.1" in html
    assert '<a href="#obj-GAS-1" class="code">GAS-1</a>' in html  # GAS-2's prerequisite
    assert "<dt>Mastery</dt><dd>90 %</dd>" in html and "<dt>Mastery</dt><dd>80 %</dd>" in html
    assert "25 min" in html
    lo = classroom["primary"]
    assert f'<a href="/sections/{section.pk}/learn/{lo.pk}/">Video 1</a>' in html
    assert 'badge primary-mark">primary</span>' in html and "alternate</span>" in html
    assert "Text Section 12.1" in html
    assert "Boyle&#x27;s Law Lab" in html
    assert 'href="https://example.org/scuba" target="_blank" rel="noopener noreferrer"' in html
    assert "Retired video" not in html and "Old lab" not in html and retired.code not in html


@pytest.mark.parametrize("who", ["outsider", "other_teacher", "students"])
def test_the_outline_is_not_found_for_anyone_else(as_user: Any, classroom: dict[str, Any], who: str) -> None:
    person = classroom[who][0] if who == "students" else classroom[who]
    response = as_user(person).get(f"/sections/{classroom['section'].pk}/outline/")
    assert response.status_code == 404


def test_a_missing_section_is_the_same_404(as_user: Any, classroom: dict[str, Any]) -> None:
    assert as_user(classroom["teacher"]).get("/sections/999999/outline/").status_code == 404
