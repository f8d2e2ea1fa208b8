"""An archived section is read-only, in the pages and in the API: no new checks, answers, evidence, requests,
students or roster changes, each refused with one clear message, while everything stays there to read. Only
the section's own people are told it is archived; anyone else gets the 404 they would get anyway."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from flipmastery.assessments.models import Attempt
from flipmastery.classroom.models import Section
from flipmastery.progress.models import LearningObjectUse, ProgressEvent, QueueEntry
from tests import factories
from tests.api.conftest import assert_error, bearer_client
from tests.classroom.conftest import HTMX, client_of, state

pytestmark = pytest.mark.django_db
ARCHIVED = "This section is archived: it is kept for the record and nothing in it can change any more."


@pytest.fixture
def room(school: dict[str, Any]) -> dict[str, Any]:
    factories.bank(school["a"], 8)
    return school


def archive(room: dict[str, Any]) -> None:
    Section.objects.filter(pk=room["section"].pk).update(archived_at=timezone.now())


def everything(room: dict[str, Any]) -> tuple[Any, ...]:
    return (
        state(room["section"]),
        sorted(ProgressEvent.objects.values_list("id", flat=True)),
        sorted(QueueEntry.objects.values_list("id", "resolved_at")),
        sorted(LearningObjectUse.objects.values_list("id", flat=True)),
        sorted(Attempt.objects.values_list("id", "state")),
    )


def refused(response: Any) -> str:
    assert response.status_code == 409, response.content[:500]
    page = response.content.decode()
    assert ARCHIVED in page
    return page


def test_a_student_can_start_nothing_in_an_archived_section_but_still_reads_it(room: dict[str, Any]) -> None:
    asha = client_of(room["students"][0])
    sid = room["section"].pk
    archive(room)
    before = everything(room)

    refused(asha.post(f"/sections/{sid}/objectives/GAS-1/check/"))
    refused(asha.post(f"/sections/{sid}/requests/", {"kind": "help"}))
    refused(asha.post(f"/sections/{sid}/learn/{room['primary'].pk}/used/"))
    fragment = refused(asha.post(f"/sections/{sid}/requests/", {"kind": "help"}, headers=HTMX))
    assert "<html" not in fragment and 'role="alert"' in fragment

    assert everything(room) == before
    playlist = asha.get(f"/sections/{sid}/playlist/").content.decode()
    assert "My playlist" in playlist
    assert "you can look back at it, but nothing in it changes any more." in playlist


def test_a_check_open_when_the_section_was_archived_takes_no_more_answers(room: dict[str, Any]) -> None:
    asha = client_of(room["students"][0])
    started = asha.post(f"/sections/{room['section'].pk}/objectives/GAS-1/check/")
    assert started.status_code == 302
    attempt = Attempt.objects.get(student=room["students"][0])
    archive(room)
    before = everything(room)

    refused(asha.post(f"/attempts/{attempt.pk}/items/1/", {"response": "1"}))
    refused(asha.post(f"/attempts/{attempt.pk}/submit/"))
    api = bearer_client(room["students"][0])
    body = assert_error(api.post(f"/api/v1/attempts/{attempt.pk}/submit"), 409, "archived")
    assert body["message"] == ARCHIVED
    assert everything(room) == before
    assert asha.get(f"/attempts/{attempt.pk}/").status_code == 200


def test_a_teacher_records_no_evidence_and_loads_no_roster_in_an_archived_section(
    room: dict[str, Any],
) -> None:
    teacher = client_of(room["teacher"])
    sid = room["section"].pk
    archive(room)
    before = everything(room)

    refused(
        teacher.post(f"/sections/{sid}/queue/record/", {"student": room["students"][0].pk, "action": "pass"})
    )
    refused(teacher.post(f"/sections/{sid}/roster/load/", {"roster": "priya,Priya\n"}))
    refused(teacher.post(f"/sections/{sid}/join-requests/{room['join_request'].pk}/accept/"))
    refused(teacher.post(f"/sections/{sid}/students/{room['students'][1].pk}/password/", {"password": ""}))
    api = bearer_client(room["co_teacher"])
    evidence = {"student": "asha", "objective": "GAS-1", "kind": "verbal", "outcome": "pass"}
    assert_error(
        api.post(
            f"/api/v1/sections/{sid}/evidence", data=json.dumps(evidence), content_type="application/json"
        ),
        409,
        "archived",
    )
    assert everything(room) == before
    assert teacher.get(f"/sections/{sid}/grid/").status_code == 200
    assert teacher.get(f"/sections/{sid}/gradebook/").status_code == 200


def test_nobody_else_learns_that_the_section_exists(room: dict[str, Any]) -> None:
    sid = room["section"].pk
    archive(room)
    before = everything(room)
    assert (
        client_of(room["other_teacher"])
        .post(f"/sections/{sid}/queue/record/", {"action": "pass"})
        .status_code
        == 404
    )
    assert client_of(room["outsider"]).post(f"/sections/{sid}/objectives/GAS-1/check/").status_code == 404
    anonymous = Client().post(f"/sections/{sid}/objectives/GAS-1/check/")
    assert anonymous.status_code == 302 and anonymous.url.startswith("/login/")
    assert_error(
        bearer_client(room["outsider"]).post(
            f"/api/v1/sections/{sid}/requests",
            data=json.dumps({"kind": "help"}),
            content_type="application/json",
        ),
        404,
        "not_found",
    )
    assert_error(Client().post(f"/api/v1/sections/{sid}/requests"), 401, "not_authenticated")
    assert everything(room) == before


def test_unarchived_it_takes_checks_again(room: dict[str, Any]) -> None:
    archive(room)
    teacher = client_of(room["teacher"])
    assert teacher.post(f"/sections/{room['section'].pk}/unarchive/").status_code == 302
    asha = client_of(room["students"][0])
    assert asha.post(f"/sections/{room['section'].pk}/objectives/GAS-1/check/").status_code == 302


def test_the_guards_written_out_name_the_models_tables_and_columns() -> None:
    from flipmastery.web.archived import ARCHIVED_SECTION, ARCHIVED_SECTION_OF_ATTEMPT

    section, attempt = Section._meta, Attempt._meta
    assert ARCHIVED_SECTION.split()[3] == section.db_table
    assert section.get_field("archived_at").column in ARCHIVED_SECTION.split()
    assert f"{section.db_table} s INNER JOIN {attempt.db_table} a" in ARCHIVED_SECTION_OF_ATTEMPT
    assert f"a.{attempt.get_field('section').column} = s.id" in ARCHIVED_SECTION_OF_ATTEMPT


def test_an_id_too_large_for_the_database_is_not_found(room: dict[str, Any]) -> None:
    api = bearer_client(room["students"][0])
    huge = 10**30
    assert api.post(f"/api/v1/attempts/{huge}/submit").status_code == 404
    assert api.post(f"/api/v1/sections/{huge}/objectives/GAS-1/attempts").status_code == 404
