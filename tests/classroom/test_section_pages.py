"""A teacher's sections in the app: opening one, its settings and policies (checked by the mastery loop's own
rules, with the course's default beside each), co-teachers, and archiving at the end of the year."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from flipmastery.classroom.models import Section
from flipmastery.progress.standings import policy_of
from tests import factories
from tests.classroom.conftest import client_of, state

pytestmark = pytest.mark.django_db

FULL = {
    "name": "Chem 11-A",
    "join_mode": "approve",
    "threshold": "",
    "check_mode": "",
    "retake_needs_corrective": "",
    "retake_needs_conference": "",
    "retake_cooldown_minutes": "",
    "retake_needs_release": "",
    "review_items": "",
    "essentials_first": "",
}


def text(response: Any, status: int = 200) -> str:
    assert response.status_code == status, response.content[:600]
    return str(response.content.decode())


def settings_url(school: dict[str, Any]) -> str:
    return f"/sections/{school['section'].pk}/settings/"


def field(page: str, name: str) -> str:
    """The policy field's paragraph on the settings page."""
    return page.split(f'id="field-{name}"')[1].split("</p>")[0]


# --- opening a section ----------------------------------------------------------------------------------


def test_a_teacher_opens_a_section_of_their_course_and_becomes_its_teacher(school: dict[str, Any]) -> None:
    client = client_of(school["teacher"])
    page = text(client.get("/sections/new/"))
    assert "Chemistry (CHEM)" in page and 'name="name"' in page

    response = client.post(
        "/sections/new/", {"course": school["course"].pk, "name": "  Chem 12-B ", "join_mode": "open"}
    )

    made = Section.objects.get(name="Chem 12-B")
    assert response.status_code == 302 and response.url == f"/sections/{made.pk}/settings/"
    assert made.course == school["course"] and made.join_mode == "open" and made.archived_at is None
    assert list(made.teachers.all()) == [school["teacher"]]
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{6}", made.join_code)
    shown = text(client.get(response.url))
    assert f"Chem 12-B is open. Its join code is {made.join_code}." in shown
    assert "Chem 12-B" in text(client.get("/sections/"))


def test_a_section_needs_a_name_and_nothing_is_made_without_one(school: dict[str, Any]) -> None:
    before = Section.objects.count()
    response = client_of(school["teacher"]).post(
        "/sections/new/", {"course": school["course"].pk, "name": "   ", "join_mode": "approve"}
    )
    assert "This field is required." in text(response, 422).split('name="name"')[1]
    assert Section.objects.count() == before


def test_a_teacher_with_no_course_is_told_why_and_who_can_help(school: dict[str, Any]) -> None:
    client = client_of(school["other_teacher"])
    listing = text(client.get("/sections/"))
    assert "Open a new section" not in listing
    page = text(client.get("/sections/new/"))
    assert 'id="no-course"' in page and "A school admin assigns" in page
    assert 'action="/sections/new/"' not in page


def test_a_school_admin_may_open_a_section_of_any_course(school: dict[str, Any]) -> None:
    other = factories.course(code="MATH7", title="Class 7 Maths")
    client = client_of(school["admin"])
    response = client.post("/sections/new/", {"course": other.pk, "name": "Maths 7-C", "join_mode": "closed"})
    assert response.status_code == 302
    assert Section.objects.get(name="Maths 7-C").teachers.get() == school["admin"]


# --- settings and policies ------------------------------------------------------------------------------


def test_each_policy_field_shows_the_courses_default_beside_it(school: dict[str, Any]) -> None:
    course = school["course"]
    course.threshold, course.policy = 0.8, {"retake_cooldown_minutes": 30, "check_mode": "approval"}
    course.save()
    page = text(client_of(school["teacher"]).get(settings_url(school)))
    assert "course default: 80 %" in field(page, "threshold")
    assert "course default: teacher approval" in field(page, "check_mode")
    assert "course default: 30 minutes" in field(page, "retake_cooldown_minutes")
    assert "course default: yes" in field(page, "retake_needs_conference")
    assert "course default: no" in field(page, "retake_needs_release")
    assert "course default: 0" in field(page, "review_items")


def test_policies_saved_from_the_form_are_the_ones_the_loop_uses(school: dict[str, Any]) -> None:
    client = client_of(school["teacher"])
    chosen = {
        **FULL,
        "threshold": "75",
        "check_mode": "approval",
        "retake_needs_conference": "no",
        "retake_cooldown_minutes": "20",
        "review_items": "2",
        "essentials_first": "no",
    }

    response = client.post(settings_url(school), chosen)

    assert response.status_code == 302
    section = Section.objects.select_related("course").get(pk=school["section"].pk)
    assert section.threshold == 0.75
    assert section.policy == {
        "check_mode": "approval",
        "retake_needs_conference": False,
        "retake_cooldown_minutes": 20,
        "review_items": 2,
        "essentials_first": False,
    }
    policy = policy_of(school["a"], section)
    assert (policy.threshold, policy.check_mode.value, policy.retake_needs_conference) == (
        0.75,
        "approval",
        False,
    )
    assert (policy.retake_cooldown_minutes, policy.review_items, policy.retake_needs_corrective) == (
        20,
        2,
        True,
    )
    page = text(client.get(settings_url(school)))
    assert "Saved." in page
    assert 'value="75"' in field(page, "threshold")
    assert '<option value="approval" selected>' in field(page, "check_mode")


def test_an_empty_field_goes_back_to_the_courses_default(school: dict[str, Any]) -> None:
    Section.objects.filter(pk=school["section"].pk).update(threshold=0.9, policy={"review_items": 3})
    response = client_of(school["teacher"]).post(settings_url(school), FULL)
    assert response.status_code == 302
    section = Section.objects.get(pk=school["section"].pk)
    assert section.threshold is None and section.policy == {}


def test_a_wrong_policy_is_refused_by_field_in_the_loops_own_words_and_nothing_is_saved(
    school: dict[str, Any],
) -> None:
    before = state(school["section"])
    wrong = {
        **FULL,
        "name": "Renamed",
        "threshold": "150",
        "retake_cooldown_minutes": "-5",
        "review_items": "two",
    }

    page = html.unescape(text(client_of(school["teacher"]).post(settings_url(school), wrong), 422))

    assert "Nothing was saved" in page
    assert "the threshold is a fraction between 0 and 1, e.g. 0.8" in field(page, "threshold")
    assert "policy setting 'retake_cooldown_minutes' cannot be -5" in field(page, "retake_cooldown_minutes")
    assert "policy setting 'review_items' cannot be 'two'" in field(page, "review_items")
    assert 'value="Renamed"' in page  # what was typed stays
    assert state(school["section"]) == before


def test_join_mode_and_name_are_saved_with_the_policies(school: dict[str, Any]) -> None:
    response = client_of(school["co_teacher"]).post(
        settings_url(school), {**FULL, "name": "Chem 11-A*", "join_mode": "closed"}
    )
    assert response.status_code == 302
    section = Section.objects.get(pk=school["section"].pk)
    assert (section.name, section.join_mode) == ("Chem 11-A*", "closed")


# --- co-teachers ----------------------------------------------------------------------------------------


def test_a_teacher_adds_a_co_teacher_by_username_who_then_sees_the_section(school: dict[str, Any]) -> None:
    client = client_of(school["teacher"])
    response = client.post(f"/sections/{school['section'].pk}/teachers/", {"username": " MR_OTHER "})
    assert response.status_code == 302
    assert school["section"].teachers.filter(username="mr_other").exists()
    assert "Chem 11-A" in text(client_of(school["other_teacher"]).get("/sections/"))
    assert "teaches Chem 11-A with you now" in text(client.get(response.url))


def test_only_a_teacher_can_be_added_and_the_refusal_is_said_by_the_field(school: dict[str, Any]) -> None:
    before = state(school["section"])
    client = client_of(school["teacher"])
    for name in ("zed", "nobody"):
        page = html.unescape(
            text(client.post(f"/sections/{school['section'].pk}/teachers/", {"username": name}), 422)
        )
        assert f"there is no teacher with the username '{name}'" in page.split('id="teacher-error"')[1]
        assert f'value="{name}"' in page
    assert state(school["section"]) == before


def test_a_co_teacher_is_removed_but_the_last_teacher_stays(school: dict[str, Any]) -> None:
    client = client_of(school["teacher"])
    section = school["section"]
    response = client.post(f"/sections/{section.pk}/teachers/{school['co_teacher'].pk}/remove/")
    assert response.status_code == 302
    assert list(section.teachers.values_list("username", flat=True)) == ["ms_rao"]

    page = text(client.post(f"/sections/{section.pk}/teachers/{school['teacher'].pk}/remove/"), 422)
    assert f"{school['teacher'].shown_name()} is the only teacher of this section" in page
    assert list(section.teachers.values_list("username", flat=True)) == ["ms_rao"]
    assert "Remove <span" not in text(client.get(settings_url(school)))  # no button to remove the last one


def test_a_teacher_who_removes_themselves_loses_the_section(school: dict[str, Any]) -> None:
    client = client_of(school["co_teacher"])
    response = client.post(f"/sections/{school['section'].pk}/teachers/{school['co_teacher'].pk}/remove/")
    assert response.status_code == 302 and response.url == "/sections/"
    assert client.get(settings_url(school)).status_code == 404


# --- archiving ------------------------------------------------------------------------------------------


def test_an_archived_section_leaves_the_active_lists_and_shows_under_archived(school: dict[str, Any]) -> None:
    teacher = client_of(school["teacher"])
    student = client_of(school["students"][0])
    section = school["section"]

    assert teacher.post(f"/sections/{section.pk}/archive/").status_code == 302

    section.refresh_from_db()
    assert section.archived_at is not None
    mine = text(teacher.get("/sections/"))
    active, archived = mine.split('id="archived-h"')
    assert f'id="section-{section.pk}"' not in active and f'id="section-{section.pk}"' in archived
    assert "Chem 11-B" not in mine  # not theirs
    theirs = text(student.get("/sections/"))
    active, archived = theirs.split('id="archived-h"')
    assert "Chem 11-A" not in active and "Chem 11-A" in archived
    assert student.get("/").url == "/sections/"  # home no longer opens the archived playlist
    assert "Chem 11-A" in text(student.get(f"/sections/{section.pk}/playlist/"))  # still there to read

    settings = text(teacher.get(settings_url(school)))
    assert 'id="archived-note"' in settings and "<fieldset disabled" in settings


def test_an_archived_section_takes_no_change_until_it_is_unarchived(school: dict[str, Any]) -> None:
    teacher = client_of(school["teacher"])
    section = school["section"]
    teacher.post(f"/sections/{section.pk}/archive/")
    before = state(section)

    page = text(teacher.post(settings_url(school), {**FULL, "name": "New name"}), 422)
    assert "unarchive it first" in page
    refused = teacher.post(f"/sections/{section.pk}/teachers/", {"username": "mr_other"})
    assert refused.status_code == 409 and "archived" in refused.content.decode()
    assert state(section) == before

    assert teacher.post(f"/sections/{section.pk}/unarchive/").status_code == 302
    section.refresh_from_db()
    assert section.archived_at is None
    assert 'id="archived-h"' not in text(teacher.get("/sections/"))
    assert teacher.post(settings_url(school), {**FULL, "name": "New name"}).status_code == 302


def test_the_section_list_links_every_management_page(school: dict[str, Any]) -> None:
    page = text(client_of(school["teacher"]).get("/sections/"))
    pk = school["section"].pk
    for href in (f"/sections/{pk}/settings/", f"/sections/{pk}/roster/", "/sections/new/"):
        assert f'href="{href}' in page
    assert "1 waiting to join" in page


def test_teachers_pages_are_not_for_a_student(school: dict[str, Any]) -> None:
    client: Client = client_of(school["students"][0])
    assert client.get("/sections/new/").status_code == 404
    assert "Open a new section" not in text(client.get("/sections/"))
