"""The demo classroom is real: both courses, the logins of DESIGN §6, and three weeks of history made
through the services, so that every teacher page shows something true (DESIGN §7)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.db import transaction
from django.test import Client
from django.utils import timezone

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Section
from flipmastery.cockpit.models import SectionPlan
from flipmastery.cockpit.replays import forget
from flipmastery.cockpit.selectors import class_board
from flipmastery.courses.models import Activity, Objective
from flipmastery.demo.datadir import MARKER, prepare_demo_environment
from flipmastery.demo.history import playlist_order
from flipmastery.demo.services import demo_load
from flipmastery.demo.stories import CHEMISTRY, MATHS, Now, Story
from flipmastery.domain.mastery import State
from flipmastery.progress.models import ProgressEvent, QueueEntry


@dataclass(frozen=True)
class Room:
    section: Section
    prefix: str
    stories: list[Story]
    tag: str  # a misconception the teacher's verbal checks tagged on two students


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Room]]:
    """The demo loaded once for the module, rolled back after it (the tests only read it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        forget()
        demo_load()
        yield {
            "chemistry": Room(
                Section.objects.get(name="Chemistry 11-A"), "chem", CHEMISTRY, "skipped the mole ratio"
            ),
            "maths": Room(Section.objects.get(name="Maths 7-B"), "math", MATHS, "अंश और हर दोनों जोड़ दिए"),
        }
        transaction.set_rollback(True)
    forget()


@pytest.fixture
def teacher_client(demo: dict[str, Room], db: None) -> Client:
    client = Client()
    client.force_login(User.objects.get(username="teacher"))
    return client


ROOMS = ["chemistry", "maths"]


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_demo_has_both_sections_the_logins_and_the_courses(demo: dict[str, Room], db: None) -> None:
    chem, maths = demo["chemistry"].section, demo["maths"].section
    assert chem.course.code == "CHEM11" and maths.course.code == "MATH7"
    assert (
        [t.username for t in chem.teachers.all()] == ["teacher"] == [t.username for t in maths.teachers.all()]
    )
    assert chem.enrollments.count() == 30 and maths.enrollments.count() == 30
    assert authenticate(username="teacher", password="teacher") is not None
    assert authenticate(username="chem01", password="student") is not None
    assert authenticate(username="math30", password="student") is not None

    gas = list(Objective.objects.filter(course__code="CHEM11").order_by("order"))
    assert [o.code for o in gas] == [f"GAS-{n}" for n in range(1, 8)]
    assert {o.code for o in gas if o.tier == "nice_to_know"} == {"GAS-5", "GAS-7"}
    for objective in gas:
        kinds = [lo.kind for lo in objective.learning_objects.order_by("order")]
        assert kinds[:3] in (["video", "worksheet", "text"],), objective.code
    assert [a.title for a in Objective.objects.get(code="GAS-6").activities.all()] == [
        "Gas-Stoichiometry Lab"
    ]
    assert any("परिमेय" in o.statement for o in Objective.objects.filter(course__code="MATH7"))


# ---- the history is the one the stories tell, and it keeps the rules -------------------------------

EXPECTED = {
    Now.READY: "READY",
    Now.LEARNING: "LEARNING",
    Now.HELP: "LEARNING",
    Now.STUCK: "LEARNING",
    Now.NOT_YET: "NOT_YET",
    Now.RETAKE: "READY_TO_RETAKE",
    Now.CONFERENCE: "NOT_YET",
    Now.CHECKING: "CHECKING",
}


def grid(client: Client, section: Section) -> dict[str, dict[str, Any]]:
    """Username → the class grid's row, through the API (the same board as the grid page)."""
    response = client.get(f"/api/v1/sections/{section.pk}/progress")
    assert response.status_code == 200
    return {row["student"]["username"]: row for row in response.json()["students"]}


@pytest.mark.parametrize("room", ROOMS)
def test_every_student_stands_where_their_story_says(
    demo: dict[str, Room], teacher_client: Client, room: str
) -> None:
    r = demo[room]
    order = [o.code for o in playlist_order(list(Objective.objects.filter(course=r.section.course)))]
    rows = grid(teacher_client, r.section)
    for n, story in enumerate(r.stories, start=1):
        cells = rows[f"{r.prefix}{n:02d}"]["objectives"]
        done, rest = order[: story.mastered], order[story.mastered :]
        assert [cells[c]["state"] for c in done] == ["MASTERED"] * len(done), (n, story)
        assert all(cells[c]["attempts"] >= 1 for c in done)
        if story.now is Now.DONE:
            assert not rest
            continue
        current = cells[rest[0]]
        if story.now is Now.SIGN_OFF:  # the check is passed; the lab is not signed off yet
            assert current["state"] != "MASTERED" and current["check_passed"] is True, (n, current)
        else:
            assert current["state"] == EXPECTED[story.now], (n, story, current)
        assert all(cells[c]["state"] in ("LOCKED", "READY") for c in rest[1:]), (n, story)
        assert all(cells[c]["attempts"] == 0 for c in rest[1:])


def test_the_history_was_made_by_checks_and_keeps_the_rules(demo: dict[str, Room], db: None) -> None:
    """No overrides; mastery (as the grid decides it) only by a check or a last sign-off, after the
    prerequisites and with every activity signed off; a retake only after a corrective and a conference."""
    assert not ProgressEvent.objects.filter(kind="override").exists()
    activities = defaultdict(set)
    for pk, objective in Activity.objects.values_list("pk", "objective_id"):
        activities[objective].add(str(pk))
    prerequisites = defaultdict(set)
    for source, target in Objective.prerequisites.through.objects.values_list(
        "from_objective_id", "to_objective_id"
    ):
        prerequisites[source].add(target)
    retakes = 0
    for r in demo.values():
        board = class_board(r.section, timezone.now())
        code_of = {c.id: c.code for c in board.columns}
        events = defaultdict(list)
        for e in ProgressEvent.objects.filter(section=r.section).order_by("at", "id"):
            events[(e.student_id, e.objective_id)].append(e)
        for row in board.rows:
            for column in board.columns:
                cell, history = row.cells[column.code], events[(row.id, column.id)]
                if cell.state is State.MASTERED:
                    assert cell.evidence in ("check_result", "activity") and cell.since is not None
                    for p in prerequisites[column.id]:
                        before = row.cells[code_of[p]]
                        assert before.state is State.MASTERED and before.since <= cell.since  # type: ignore[operator]
                    signed = {e.ref for e in history if e.kind == "activity" and e.at <= cell.since}
                    assert activities[column.id] <= signed, (row.username, column.code)
                since_fail: set[str] | None = None
                for e in history:
                    if e.kind == "check_started" and since_fail is not None:
                        assert "used" in since_fail and since_fail & {"conference", "verbal"}, e
                        retakes += 1
                    if e.kind == "check_result":
                        since_fail = set() if e.outcome is False else None
                    elif since_fail is not None:
                        since_fail.add(e.kind)
    assert retakes > 20  # retakes of a new version happened, each after its gate


def test_checks_were_answered_and_graded(demo: dict[str, Room], db: None) -> None:
    from flipmastery.assessments.models import Attempt, AttemptItem

    for r in demo.values():
        attempts = Attempt.objects.filter(section=r.section)
        assert attempts.filter(state="open").count() == sum(s.now is Now.CHECKING for s in r.stories)
        submitted = attempts.filter(state="submitted")
        assert submitted.count() > 90
        items = AttemptItem.objects.filter(attempt__in=submitted)
        assert not items.filter(response=None).exists()
        scores = set(items.values_list("score", flat=True))
        assert 1.0 in scores and 0.0 in scores  # right answers and wrong ones
        results = ProgressEvent.objects.filter(section=r.section, kind="check_result")
        assert results.count() == submitted.count()
        assert results.filter(outcome=False).count() > 10 and results.filter(outcome=True).count() > 80


# ---- every teacher page shows something true -------------------------------------------------------


@pytest.mark.parametrize("room", ROOMS)
def test_item_analysis_has_data_for_every_objective_checked(
    demo: dict[str, Room], teacher_client: Client, room: str
) -> None:
    r = demo[room]
    html = page(teacher_client, f"/sections/{r.section.pk}/items/")
    for code in [o.code for o in Objective.objects.filter(course=r.section.course)]:
        found = re.search(rf'<h2 id="bank-{code}">.*?(\d+) checks?</span>', html)
        assert found and int(found[1]) >= 1, code
        report = html[html.index(f'id="bank-{code}"') :].split("</section>")[0]
        assert re.search(r"<td>[1-9]\d* of 30 students</td>", report), code  # a question someone answered
    assert re.search(r'<td class="num">-?[01]\.\d\d</td>', html)  # a discrimination was computed


def test_the_gas_laws_questions_were_asked_and_missed_and_answered(
    demo: dict[str, Room], teacher_client: Client
) -> None:
    html = page(teacher_client, f"/sections/{demo['chemistry'].section.pk}/items/")
    answered = re.findall(
        r'<td>(\d+) of 30 students</td><td class="num">(\d+)</td><td class="num">\d*%?</td>'
        r'<td class="num">(\d+)%</td>',
        html,
    )
    assert len(answered) >= 40  # of the 91 questions of the seven banks
    difficulties = [int(d) for _, _, d in answered]
    assert min(difficulties) < 100 and max(difficulties) == 100


@pytest.mark.parametrize("room", ROOMS)
def test_the_audit_trail_of_a_mastered_objective_shows_its_check(
    demo: dict[str, Room], teacher_client: Client, room: str
) -> None:
    r = demo[room]
    first = r.stories.index(max(r.stories, key=lambda s: s.mastered)) + 1
    student = User.objects.get(username=f"{r.prefix}{first:02d}")
    code = "GAS-1" if room == "chemistry" else "RAT-1"
    html = page(teacher_client, f"/sections/{r.section.pk}/students/{student.pk}/history/?objective={code}")
    rows = re.findall(r'<tr class="kind-(\w+)">(.*?)</tr>', html, re.S)
    kinds = [k for k, _ in rows]
    assert "check_result" in kinds and "used" in kinds and "override" not in kinds
    passed = next(body for k, body in rows if k == "check_result" and "pass" in body)
    assert "state-MASTERED" in passed and "attempt " in passed  # the score of a real attempt


@pytest.mark.parametrize("room", ROOMS)
def test_pacing_started_three_weeks_ago_and_a_few_are_behind(
    demo: dict[str, Room], teacher_client: Client, room: str
) -> None:
    r = demo[room]
    plan = SectionPlan.objects.get(section=r.section)
    assert plan.start == timezone.localdate() - timedelta(weeks=3)
    html = page(teacher_client, f"/sections/{r.section.pk}/pacing/")
    assert "Week 4: the benchmark expects 3 of" in html
    behind = int(re.search(r"<strong>(\d+) students? (?:is|are) behind", html)[1])  # type: ignore[index]
    assert behind == sum(s.mastered < 3 for s in r.stories) and 2 <= behind <= 8
    rows = grid(teacher_client, r.section)
    mastered = sorted(row["pace"]["mastered"] for row in rows.values())
    assert mastered[-1] >= 6 and mastered[0] <= 1 and 3 <= mastered[15] <= 5  # far, middle, behind
    assert "⚑" in page(teacher_client, f"/sections/{r.section.pk}/grid/")


@pytest.mark.parametrize("room", ROOMS)
def test_the_groups_page_suggests_a_group_sharing_a_misconception(
    demo: dict[str, Room], teacher_client: Client, room: str
) -> None:
    r = demo[room]
    html = page(teacher_client, f"/sections/{r.section.pk}/groups/")
    suggested = html.split("<h2>Suggested</h2>")[1].split("<h2>Accepted groups</h2>")[0]
    cards = suggested.split('<li class="card group">')[1:]
    assert len(cards) >= 2
    tagged = [c for c in cards if f'<span class="badge tag">{r.tag}</span>' in c.split("</h3>")[0]]
    assert len(tagged) == 1
    assert tagged[0].split('<ul class="members">')[1].split("</ul>")[0].count("<li>") == 2


@pytest.mark.parametrize("room", ROOMS)
def test_the_queue_has_help_requests_and_a_conference_waiting(
    demo: dict[str, Room], teacher_client: Client, room: str
) -> None:
    r = demo[room]
    waiting = QueueEntry.objects.filter(section=r.section, resolved_at=None)
    kinds = Counter(waiting.values_list("kind", flat=True))
    helps = sum(s.now is Now.HELP for s in r.stories)
    sign_offs = sum(s.now is Now.SIGN_OFF for s in r.stories)  # a passed check may wait for its sign-off
    assert kinds["help"] == helps >= 3 and kinds["conference"] == 1
    assert sum(kinds.values()) - helps - 1 <= sign_offs
    now = timezone.now()
    assert all(
        now - e.created_at < timedelta(hours=1) for e in waiting.filter(kind__in=("help", "conference"))
    )
    assert QueueEntry.objects.filter(section=r.section).exclude(resolved_at=None).count() > 10  # answered
    html = page(teacher_client, f"/sections/{r.section.pk}/queue/")
    assert f"{sum(kinds.values())} requests waiting" in html
    for story in r.stories:
        if story.now is Now.HELP:
            assert story.note in html


@pytest.mark.parametrize("room", ROOMS)
def test_the_playlist_and_the_grid_show_the_same_states(
    demo: dict[str, Room], teacher_client: Client, room: str
) -> None:
    r = demo[room]
    rows = grid(teacher_client, r.section)
    student = Client()
    for username, row in rows.items():
        student.force_login(User.objects.get(username=username))
        response = student.get(f"/api/v1/sections/{r.section.pk}/playlist")
        assert response.status_code == 200
        playlist = {o["code"]: o["state"] for o in response.json()["objectives"]}
        assert playlist == {code: cell["state"] for code, cell in row["objectives"].items()}, username


# ---- the demo's data dir -----------------------------------------------------------------------------


def test_demo_refuses_to_wipe_a_folder_it_did_not_make(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    precious = tmp_path / "school-data"
    precious.mkdir()
    (precious / "flipmastery.sqlite3").write_text("real data")
    monkeypatch.setenv("FLIPMASTERY_DATA_DIR", str(precious))
    monkeypatch.setenv("FLIPMASTERY_DATABASE_URL", "restored-after-the-test")
    with pytest.raises(SystemExit) as exit_:
        prepare_demo_environment([])
    assert exit_.value.code == 2
    assert (precious / "flipmastery.sqlite3").read_text() == "real data"


def test_demo_starts_afresh_in_its_own_folder_unless_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "demo"
    monkeypatch.setenv("FLIPMASTERY_DATA_DIR", str(tmp_path / "ignored"))
    monkeypatch.setenv("FLIPMASTERY_DATABASE_URL", "restored-after-the-test")
    prepare_demo_environment(["--data-dir", str(folder)])
    (folder / "flipmastery.sqlite3").write_text("old demo")
    prepare_demo_environment(["--data-dir", str(folder), "--keep"])
    assert (folder / "flipmastery.sqlite3").exists()
    prepare_demo_environment(["--data-dir", str(folder)])
    assert not (folder / "flipmastery.sqlite3").exists() and (folder / MARKER).exists()
