"""One name for a person on every teacher surface: the queue (page, poll, answer and API), the grid, the
gradebook, pacing, groups, the audit trail and the paper print form all say "Yash Agarwal", never the
login "chem26" in its place; the API keeps the username beside the name, for machines."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from flipmastery.accounts.models import User
from flipmastery.progress.models import ProgressEvent, QueueEntry
from flipmastery.progress.services import request_create
from tests import factories
from tests.api.conftest import bearer_client
from tests.cockpit.conftest import event, failed

HTMX = {"HX-Request": "true"}


@pytest.fixture
def room(classroom: dict[str, Any]) -> dict[str, Any]:
    """The small classroom with people named as a school names them: Yash by first and last name (as the
    demo's students), Asha by a display name that wins over hers, Ben by his username only."""
    teacher = classroom["teacher"]
    teacher.first_name, teacher.last_name = "Meera", "Sharma"
    teacher.save()
    asha = classroom["students"][0]
    asha.first_name, asha.last_name, asha.display_name = "Asha", "Rao", "Asha R."
    asha.save()
    yash = factories.student(username="chem26", first_name="Yash", last_name="Agarwal")
    classroom["section"].students.add(yash)
    classroom["yash"] = yash
    failed(classroom, yash, classroom["a"])
    failed(classroom, asha, classroom["a"])
    event(classroom, yash, classroom["b"], "override", "LEARNING", actor=teacher, reason="lab done at home")
    made = request_create(
        section=classroom["section"],
        student=yash,
        kind="help",
        objective=classroom["a"],
        note="",
        now=timezone.now() - timedelta(minutes=5),
    )
    assert made.entry is not None
    classroom["entry"] = made.entry
    return classroom


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return str(response.content.decode())


def sid(room: dict[str, Any]) -> int:
    return int(room["section"].pk)


def test_the_queue_page_names_the_waiting_student_as_the_grid_does(
    as_user: Any, room: dict[str, Any]
) -> None:
    teacher = as_user(room["teacher"])

    queue = page(teacher, f"/sections/{sid(room)}/queue/")
    grid = page(teacher, f"/sections/{sid(room)}/grid/")

    waiting = re.findall(r'<span class="qrow-name">([^<]*)</span>', queue)
    assert waiting == ["Yash Agarwal"]
    assert f'<a href="/sections/{sid(room)}/students/{room["yash"].pk}/history/">Yash Agarwal</a>' in grid
    pickers = re.findall(
        r'<option value="(\d+)">([^<]*)</option>', queue.split('id="any-override-student"')[1]
    )
    asha, ben = room["students"]
    assert set(pickers[:3]) == {
        (str(asha.pk), "Asha R."),
        (str(ben.pk), "ben"),
        (str(room["yash"].pk), "Yash Agarwal"),
    }
    assert ">chem26<" not in queue


def test_the_queue_poll_and_a_row_answer_name_the_student_too(as_user: Any, room: dict[str, Any]) -> None:
    teacher = as_user(room["teacher"])
    before = list(ProgressEvent.objects.values_list("id", "state"))

    rows = page(teacher, f"/sections/{sid(room)}/queue/rows/")
    refused = teacher.post(
        f"/sections/{sid(room)}/queue/record/", {"entry": room["entry"].pk, "action": ""}, headers=HTMX
    )

    assert re.findall(r'<span class="qrow-name">([^<]*)</span>', rows) == ["Yash Agarwal"]
    assert refused.status_code == 200
    assert '<span class="qrow-name">Yash Agarwal</span>' in refused.content.decode()
    assert list(ProgressEvent.objects.values_list("id", "state")) == before  # a refusal records nothing
    assert QueueEntry.objects.get(pk=room["entry"].pk).resolved_at is None


def test_the_api_queue_gives_the_name_beside_the_username(room: dict[str, Any]) -> None:
    response = bearer_client(room["teacher"]).get(f"/api/v1/sections/{sid(room)}/queue")

    assert response.status_code == 200
    assert [e["student"] for e in response.json()] == [
        {"id": room["yash"].pk, "username": "chem26", "name": "Yash Agarwal"}
    ]


def test_the_api_schema_names_a_student_by_id_username_and_name(room: dict[str, Any]) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    queue = components["QueueEntryOut"]["properties"]["student"]
    person = components[queue["$ref"].rsplit("/", 1)[-1]]

    assert set(person["required"]) == {"id", "username", "name"}
    assert person["properties"]["name"]["description"].startswith("How the class knows them")
    for where in ("ProgressRowOut", "GradebookRowOut", "PacingRowOut", "ReportRowOut"):
        assert components[where]["properties"]["student"] == queue, where


def test_every_api_answer_about_students_names_them_alike(room: dict[str, Any]) -> None:
    api = bearer_client(room["teacher"])
    base = f"/api/v1/sections/{sid(room)}"
    expected = {
        "Yash Agarwal": "chem26",
        "Asha R.": "asha",
        "ben": "ben",
    }

    answers = {
        "progress": api.get(f"{base}/progress").json()["students"],
        "gradebook": api.get(f"{base}/gradebook").json()["students"],
        "pacing": api.get(f"{base}/pacing").json()["students"],
        "report": next(
            s["students"] for s in api.get("/api/v1/school/report").json()["sections"] if s["id"] == sid(room)
        ),
    }

    for where, rows in answers.items():
        assert {r["student"]["name"]: r["student"]["username"] for r in rows} == expected, where


def test_grid_gradebook_pacing_groups_and_audit_trail_use_the_same_names(
    as_user: Any, room: dict[str, Any]
) -> None:
    teacher = as_user(room["teacher"])
    yash: User = room["yash"]
    base = f"/sections/{sid(room)}"

    gradebook = page(teacher, f"{base}/gradebook/")
    pacing = page(teacher, f"{base}/pacing/")
    groups = page(teacher, f"{base}/groups/")
    history = page(teacher, f"{base}/students/{yash.pk}/history/")

    link = f'<a href="{base}/students/{yash.pk}/history/">Yash Agarwal</a>'
    assert link in gradebook and link in pacing
    members = re.findall(r"<li>([^<]*) <span class=\"badge state-NOT_YET", groups.split('class="members"')[1])
    assert sorted(members) == ["Asha R.", "Yash Agarwal"]  # stuck together on GAS-1
    assert '<h1>Audit trail <span class="muted">· Yash Agarwal</span></h1>' in history
    assert "Every event that moved a decision about Yash Agarwal, newest first." in history
    assert "<td>Meera Sharma</td>" in history  # who recorded the override
    for shown in (gradebook, pacing, groups, history):
        assert ">chem26<" not in shown


def test_the_paper_print_form_names_the_student_and_keeps_the_username_beside(
    as_user: Any, room: dict[str, Any]
) -> None:
    factories.bank(room["a"], 6)
    shown = page(as_user(room["teacher"]), f"/sections/{sid(room)}/paper/?objective=GAS-1")

    assert 'Yash Agarwal <span class="small muted">chem26</span>' in shown
    assert 'Asha R. <span class="small muted">asha</span>' in shown
