"""What the cockpit keeps (replays and course shapes in memory, tokens and report summaries in the shared
cache) never shows other than a fresh computation: after every kind of change, on the server that saw
it and on another one, the kept grid and school report equal those computed from nothing."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from flipmastery.classroom.models import Enrollment, Section
from flipmastery.classroom.services import section_join
from flipmastery.cockpit import course_shapes, replays
from flipmastery.cockpit.selectors import class_board
from flipmastery.cockpit.services import section_plan_save
from flipmastery.cockpit.summaries import school_report
from tests import factories
from tests.progress.test_every_surface_agrees import _do

CHANGES = [
    "check_passed",
    "check_failed",
    "signoff",
    "override",
    "enrol",
    "unenrol",
    "course_edit",
    "plan",
]


@pytest.fixture
def room(db: None) -> dict[str, Any]:
    from tests.api.conftest import bearer_client

    found = factories.small_classroom()
    for o in (found["a"], found["b"]):
        o.check_items = 2
        o.save()
        factories.bank(o, 8)
    found["b_primary"] = found["b"].learning_objects.get()
    found["b_alternate"] = factories.learning_object(found["b"], kind="text", title="Text 2", url="")
    found["clients"] = (bearer_client(found["students"][0]), bearer_client(found["teacher"]))
    section = found["section"]
    section.join_mode = Section.JoinMode.OPEN
    section.save()
    return found


def seen(room: dict[str, Any], now: Any) -> tuple[Any, Any]:
    """The grid's rows and the school report, as this server shows them now."""
    section = Section.objects.select_related("course").get(pk=room["section"].pk)
    board = class_board(section, now)
    rows = [
        (
            r.id,
            r.username,
            r.name,
            {
                code: (
                    c.state,
                    c.attempts,
                    c.last_score,
                    c.pending,
                    c.review_due,
                    c.gate,
                    c.check_passed,
                    c.since,
                )
                for code, c in r.cells.items()
            },
            r.last_activity,
            r.pace,
            r.projected_finish,
            r.grade,
        )
        for r in board.rows
    ]
    sections = list(Section.objects.select_related("course").order_by("pk"))
    report = [(s.section.pk, s.objectives, s.essentials, s.rows) for s in school_report(sections, now)]
    return rows, report


def cell_of(c: Any) -> tuple[Any, ...]:
    return (c.state, c.attempts, c.last_score, c.pending, c.review_due, c.gate, c.check_passed, c.since)


def fresh(room: dict[str, Any], now: Any) -> tuple[Any, Any]:
    """Computed from nothing: no memory, an empty shared cache."""
    replays.forget()
    course_shapes.forget()
    cache.clear()
    return seen(room, now)


def change(room: dict[str, Any], what: str) -> None:
    section, teacher = room["section"], room["teacher"]
    now = timezone.now()
    if what == "check_passed":
        _do(room, ("check", "GAS-1", True))
    elif what == "check_failed":
        _do(room, ("check", "GAS-1", False))
    elif what == "signoff":
        _do(room, ("signoff", "GAS-2", None))
    elif what == "override":
        _do(room, ("override", "GAS-1", "NOT_YET"))
    elif what == "enrol":
        section_join(student=factories.student(username="nia"), code=section.join_code, now=now)
    elif what == "unenrol":  # no service removes a student yet: the database alone says so
        Enrollment.objects.filter(section=section, student=room["students"][1]).delete()
    elif what == "course_edit":  # a lab now stands between a passed check and mastery of GAS-1
        factories.activity(room["a"], title="Pressure lab")
    else:
        section_plan_save(
            section=section,
            actor=teacher,
            now=now,
            start=(timezone.localdate() - timedelta(days=30)).isoformat(),
            per_week="7",
            scale="A = 100% + 100%; B = 50% + 0%",
        )


def history(room: dict[str, Any], what: str) -> None:
    """Before a sign-off or a course edit: GAS-1 mastered and GAS-2's check passed (its lab unsigned) for
    asha; before the others she has opened GAS-1's video only (so a check is hers to take). Ben has done
    nothing."""
    if what in ("signoff", "course_edit"):
        _do(room, ("check", "GAS-1", True))
        _do(room, ("check", "GAS-2", True))
    else:
        _do(room, ("use", "GAS-1", "primary"))


@pytest.mark.parametrize("what", CHANGES)
def test_after_every_change_the_kept_grid_and_report_equal_fresh_ones(
    room: dict[str, Any], what: str
) -> None:
    history(room, what)
    seen(room, timezone.now())  # everything kept: replays, the course's shape, the report's summaries
    change(room, what)
    now = timezone.now()
    kept = seen(room, now)
    assert kept == fresh(room, now)


@pytest.mark.parametrize("what", CHANGES)
def test_a_change_another_server_made_is_seen_here(room: dict[str, Any], what: str) -> None:
    history(room, what)
    seen(room, timezone.now())
    here = (copy.copy(replays._kept), copy.copy(course_shapes._kept))  # this server's memory
    replays.forget()  # another server: its own memory, the same database and shared cache
    course_shapes.forget()
    change(room, what)
    seen(room, timezone.now())
    replays._kept.clear()  # back on this server, with what it kept before the change
    replays._kept.update(here[0])
    course_shapes._kept.clear()
    course_shapes._kept.update(here[1])
    now = timezone.now()
    kept = seen(room, now)
    assert kept == fresh(room, now)


@pytest.mark.parametrize("what", [c for c in CHANGES if c != "unenrol"])
@pytest.mark.usefixtures("steady_minute")
def test_the_poll_is_not_a_304_after_a_change_on_any_server(
    room: dict[str, Any], what: str, django_capture_on_commit_callbacks: Any
) -> None:
    """Every service that writes replaces the section's token in the shared cache, which every server
    reads (a student removed without a service is seen when the minute turns: test_grid.py)."""
    history(room, what)
    client = Client()
    client.force_login(room["teacher"])
    url = f"/sections/{room['section'].pk}/grid/"
    tag = client.get(url).headers["ETag"]
    assert client.get(url + "rows/", headers={"If-None-Match": tag}).status_code == 304
    replays.forget()  # the change is made on another server
    course_shapes.forget()
    with django_capture_on_commit_callbacks(execute=True):  # the token is replaced when the write commits
        change(room, what)
    answer = client.get(url + "rows/", headers={"If-None-Match": tag})
    assert answer.status_code == 200 and answer.headers["ETag"] != tag
