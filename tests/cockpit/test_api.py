"""The cockpit in the API: the class grid (`progress`, with its conditional GET), gradebook and pacing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from flipmastery.cockpit.models import SectionPlan
from tests import factories
from tests.api.conftest import assert_error, bearer_client
from tests.cockpit.conftest import event, failed, scored


def base(room: dict[str, Any]) -> str:
    return f"/api/v1/sections/{room['section'].pk}"


def test_the_progress_grid_keeps_its_fields_and_adds_scores_pace_and_a_header(
    classroom: dict[str, Any],
) -> None:
    asha, ben = classroom["students"]
    failed(classroom, asha, classroom["a"])
    scored(classroom, asha, classroom["a"], 0.45)
    SectionPlan.objects.create(
        section=classroom["section"],
        start=timezone.localdate() - timedelta(days=8),
        per_week=1,
        updated_at=timezone.now(),
    )
    factories.mastered(classroom["section"], ben, classroom["a"])
    response = bearer_client(classroom["teacher"]).get(f"{base(classroom)}/progress")
    assert response.status_code == 200
    grid = response.json()
    assert grid["objectives"] == ["GAS-1", "GAS-2"]
    assert grid["header"] == [
        {
            "code": "GAS-1",
            "statement": "Explain gas pressure.",
            "tier": "essential",
            "unit": "GAS",
            "grading_period": "",
        },
        {
            "code": "GAS-2",
            "statement": "Use Boyle's law.",
            "tier": "nice_to_know",
            "unit": "GAS",
            "grading_period": "",
        },
    ]
    rows = {r["student"]["username"]: r for r in grid["students"]}
    assert rows["asha"]["objectives"]["GAS-1"] == {
        "state": "NOT_YET",
        "attempts": 1,
        "review_due": False,
        "gate": ["corrective", "conference"],
        "check_passed": False,
    }
    assert rows["asha"]["last_scores"] == {"GAS-1": 0.45, "GAS-2": None}
    assert rows["asha"]["behind"] == 1 and rows["ben"]["behind"] == 0
    assert rows["ben"]["pace"]["mastered"] == 1 and rows["ben"]["pace"]["expected"] == 1
    assert response.headers["ETag"].startswith('W/"')


@pytest.mark.usefixtures("steady_minute")
def test_the_progress_grid_answers_304_while_nothing_changed(classroom: dict[str, Any]) -> None:
    teacher = bearer_client(classroom["teacher"])
    tag = teacher.get(f"{base(classroom)}/progress").headers["ETag"]
    unchanged = teacher.get(f"{base(classroom)}/progress", headers={"If-None-Match": tag})
    assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged.headers["ETag"] == tag
    event(classroom, classroom["students"][0], classroom["a"], "help", "READY")
    changed = teacher.get(f"{base(classroom)}/progress", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    by_unit = teacher.get(f"{base(classroom)}/progress?unit=GAS", headers={"If-None-Match": tag})
    assert by_unit.status_code == 200  # another view of the grid is another version


def test_the_progress_grid_filters_by_unit(classroom: dict[str, Any]) -> None:
    later = factories.unit(classroom["course"], code="STO", title="Stoichiometry", order=2)
    factories.objective(later, code="STO-1", statement="Use moles.")
    grid = bearer_client(classroom["teacher"]).get(f"{base(classroom)}/progress?unit=STO").json()
    assert grid["objectives"] == ["STO-1"]
    assert all(list(r["objectives"]) == ["STO-1"] for r in grid["students"])


def test_the_gradebook_in_json(classroom: dict[str, Any]) -> None:
    asha = classroom["students"][0]
    event(classroom, asha, classroom["a"], "check_started", "CHECKING", ago=timedelta(hours=2))
    event(classroom, asha, classroom["a"], "check_result", "MASTERED", outcome=True)
    book = bearer_client(classroom["teacher"]).get(f"{base(classroom)}/gradebook").json()
    assert [o["code"] for o in book["objectives"]] == ["GAS-1", "GAS-2"]
    assert book["scale"] == "A = 100% + 80%; B = 100% + 50%; C = 100%; D = 70%"
    rows = {r["student"]["username"]: r for r in book["students"]}
    gas1 = rows["asha"]["objectives"]["GAS-1"]
    assert (gas1["state"], gas1["mastered"], gas1["attempts"], gas1["evidence"]) == (
        "MASTERED",
        True,
        1,
        "check_result",
    )
    assert gas1["mastered_at"] is not None
    assert rows["asha"]["grade"] == {
        "letter": "C",
        "percent": 66.7,
        "essentials": {"mastered": 1, "total": 1},
        "nice_to_know": {"mastered": 0, "total": 1},
    }
    assert rows["ben"]["grade"]["letter"] == "F"


def test_pacing_in_json_most_behind_first(classroom: dict[str, Any]) -> None:
    SectionPlan.objects.create(
        section=classroom["section"],
        start=timezone.localdate() - timedelta(days=14),
        per_week=1,
        updated_at=timezone.now(),
    )
    factories.mastered(classroom["section"], classroom["students"][0], classroom["a"])
    pacing = bearer_client(classroom["teacher"]).get(f"{base(classroom)}/pacing").json()
    assert (pacing["per_week"], pacing["expected_today"], pacing["total"]) == (1.0, 2, 2)
    assert [(r["student"]["username"], r["pace"]["behind"]) for r in pacing["students"]] == [
        ("ben", 2),
        ("asha", 1),
    ]


def test_the_cockpit_api_is_for_the_sections_teachers_only(classroom: dict[str, Any]) -> None:
    for person in (classroom["students"][0], classroom["other_teacher"]):
        for path in ("progress", "gradebook", "pacing"):
            assert_error(bearer_client(person).get(f"{base(classroom)}/{path}"), 404, "not_found")


def test_the_school_report_has_every_section_of_the_teacher_and_all_for_an_admin(
    classroom: dict[str, Any],
) -> None:
    from flipmastery.accounts.models import Role

    section = classroom["section"]
    asha, ben = classroom["students"]
    failed(classroom, asha, classroom["a"])
    factories.mastered(section, ben, classroom["a"])
    # a second section of the same course whose policy lets a "not yet" retake at once
    easy = factories.section(
        classroom["course"],
        teachers=[classroom["teacher"]],
        students=[factories.student(username="dev")],
        name="Chem 11-C",
        policy={"retake_needs_conference": False, "retake_needs_corrective": False},
    )
    dev = easy.students.get()
    event(
        {**classroom, "section": easy},
        dev,
        classroom["a"],
        "check_started",
        "CHECKING",
        ago=timedelta(hours=2),
    )
    event({**classroom, "section": easy}, dev, classroom["a"], "check_result", "NOT_YET", outcome=False)
    report = bearer_client(classroom["teacher"]).get("/api/v1/school/report").json()
    assert [s["name"] for s in report["sections"]] == ["Chem 11-A", "Chem 11-C"]
    first = {r["student"]["username"]: r for r in report["sections"][0]["students"]}
    assert (first["ben"]["grade"], first["ben"]["percent"], first["ben"]["essentials"]) == ("C", 66.7, 1)
    assert first["asha"]["grade"] == "F"
    assert report["sections"][0]["objectives"] == 2 and report["sections"][0]["essentials"] == 1
    grid = bearer_client(classroom["teacher"]).get(f"/api/v1/sections/{easy.pk}/progress").json()
    assert grid["students"][0]["objectives"]["GAS-1"]["state"] == "READY_TO_RETAKE"  # its own policy

    admin = factories.user(Role.ADMIN)
    everything = bearer_client(admin).get("/api/v1/school/report").json()
    assert [s["name"] for s in everything["sections"]] == ["Chem 11-A", "Chem 11-B", "Chem 11-C"]
    assert_error(bearer_client(asha).get("/api/v1/school/report"), 404, "not_found")


def test_the_school_report_reads_four_queries_whatever_the_school(
    classroom: dict[str, Any], django_assert_num_queries: Any
) -> None:
    from flipmastery.cockpit.course_shapes import forget as forget_shapes
    from flipmastery.cockpit.replays import forget

    teacher = classroom["teacher"]
    api = bearer_client(teacher)
    first = api.get("/api/v1/school/report").json()  # the token's first use is recorded once
    forget()
    forget_shapes()  # a fresh server process: only the shared cache is warm
    # the token and its user, sections; each section's marks, the students' names, the plans: no replay
    with django_assert_num_queries(5):
        assert api.get("/api/v1/school/report").json() == first
    for n in range(4):
        factories.section(
            classroom["course"], teachers=[teacher], students=[factories.student()], name=f"X{n}"
        )
    api.get("/api/v1/school/report")
    with django_assert_num_queries(5):  # nobody did anything since: every summary is kept
        report = api.get("/api/v1/school/report").json()
    assert len(report["sections"]) == 5
    failed(classroom, classroom["students"][0], classroom["a"])
    # that section alone is replayed: its students with markers, plan, their events and attempts
    with django_assert_num_queries(5 + 4):
        again = api.get("/api/v1/school/report").json()
    mine = next(s for s in again["sections"] if s["id"] == classroom["section"].pk)
    board = api.get(f"/api/v1/sections/{classroom['section'].pk}/gradebook").json()
    assert [(r["student"]["id"], r["grade"], r["percent"]) for r in mine["students"]] == [
        (r["student"]["id"], r["grade"]["letter"], r["grade"]["percent"]) for r in board["students"]
    ]
