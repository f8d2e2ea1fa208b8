"""The grid, its poll, the gradebook and the progress API read a fixed number of queries: the same for
5 students as for 60, and for 3 objectives as for 30 (pinned, so a query in a loop shows up here)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.utils import timezone

from flipmastery.assessments.models import Attempt
from flipmastery.classroom.models import Enrollment
from flipmastery.progress.models import ProgressEvent, QueueEntry
from flipmastery.progress.services import evidence_record
from flipmastery.web.views_cockpit import grid_rows
from tests import factories

# session, user, section (access), the version, students with their markers, plan; the course's objectives,
# prerequisites, learning objects and activities the first time the course is looked at (then it is kept
# under its token, see cockpit/course_shapes.py); and the events and latest attempts of the students who
# did something since the last look (every student, the first time: see cockpit/replays.py)
GRID_QUERIES = 6
# a look again while the version's marks and minute are those of the last look: nobody joined, acted or
# submitted, so the students with their markers are those read then (see cockpit/replays.enrolled_in)
LOOK_AGAIN_QUERIES = GRID_QUERIES - 1
COURSE_QUERIES = 4
REPLAY_QUERIES = 2
POLL_QUERIES = 0  # a 304 is answered from the section's token in the shared cache: see cockpit/versions.py
GRADEBOOK_QUERIES = 5  # the grid's, without the version
PROGRESS_API_QUERIES = 6  # token, user (auth), section, the version, then the grid's


def class_of(students: int, objectives: int) -> tuple[Any, Any]:
    """A section of `students` and a course of `objectives` (each needing the one before), with history:
    every student mastered the first third, failed a check on the next one, and has an attempt."""
    course = factories.course()
    units = [factories.unit(course, order=1), factories.unit(course, order=2)]
    teacher = factories.teacher()
    section = factories.section(course, teachers=[teacher])
    previous, made = None, []
    for i in range(objectives):
        o = factories.objective(units[i * 2 // objectives], prerequisites=[previous] if previous else None)
        factories.learning_object(o, is_primary=True)
        factories.learning_object(o, kind="text", url="", body="x")
        factories.activity(o)
        made.append(o)
        previous = o
    people = [factories.student() for _ in range(students)]
    Enrollment.objects.bulk_create(Enrollment(section=section, student=s) for s in people)
    now = timezone.now()
    events, attempts = [], []
    for s in people:
        for o in made[: objectives // 3]:
            events.append(
                ProgressEvent(
                    section=section,
                    student=s,
                    objective=o,
                    kind="override",
                    state="MASTERED",
                    reason="r",
                    at=now - timedelta(days=2),
                )
            )
        o = made[objectives // 3]
        events.append(
            ProgressEvent(
                section=section,
                student=s,
                objective=o,
                kind="check_started",
                state="CHECKING",
                at=now - timedelta(hours=2),
            )
        )
        events.append(
            ProgressEvent(
                section=section,
                student=s,
                objective=o,
                kind="check_result",
                state="NOT_YET",
                outcome=False,
                at=now - timedelta(hours=1),
            )
        )
        attempts.append(
            Attempt(
                section=section,
                student=s,
                objective=o,
                state="submitted",
                seed=1,
                result={"objectives": [{"code": o.code, "score": 0.5, "pending": False}]},
                started_at=now - timedelta(hours=2),
                submitted_at=now - timedelta(hours=1),
            )
        )
    ProgressEvent.objects.bulk_create(events)
    Attempt.objects.bulk_create(attempts)
    QueueEntry.objects.create(
        section=section, student=people[0], objective=made[0], kind="help", created_at=now
    )
    return section, teacher


def rows_of(page: str) -> str:
    """The grid's rows, without the version they carry for the poll."""
    return re.sub(r'hx-headers="[^"]*"', "", page[page.index("<tbody") : page.index("</tbody>")])


SIZES = [(5, 3), (60, 3), (5, 30), (60, 30)]


@pytest.mark.django_db
@pytest.mark.parametrize(("students", "objectives"), SIZES)
@pytest.mark.usefixtures("steady_minute")
def test_the_grid_reads_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: Any, students: int, objectives: int
) -> None:
    section, teacher = class_of(students, objectives)
    client.force_login(teacher)
    with django_assert_num_queries(GRID_QUERIES + COURSE_QUERIES + REPLAY_QUERIES):
        page = client.get(f"/sections/{section.pk}/grid/")
    body = page.content.decode()
    assert body.count('<th scope="row"><a ') == students
    assert body.count('<td class="c state-') == students * objectives
    assert body.count("✗ not yet<small>1× 50%</small>") == students
    with django_assert_num_queries(LOOK_AGAIN_QUERIES):  # nobody did anything: every replay is kept
        again = client.get(f"/sections/{section.pk}/grid/")
    assert rows_of(again.content.decode()) == rows_of(body)


@pytest.mark.django_db
@pytest.mark.parametrize(("students", "objectives"), SIZES)
@pytest.mark.usefixtures("steady_minute")
def test_the_grid_poll_reads_a_fixed_number_of_queries(
    client: Client,
    django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
    students: int,
    objectives: int,
) -> None:
    section, teacher = class_of(students, objectives)
    client.force_login(teacher)
    tag = client.get(f"/sections/{section.pk}/grid/").headers["ETag"]
    # The view itself, without the middleware (whose session reads are the product's, not the grid's)
    request = RequestFactory().get(f"/sections/{section.pk}/grid/rows/", headers={"If-None-Match": tag})
    request.COOKIES[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    with django_assert_num_queries(POLL_QUERIES):
        answer = grid_rows(request, section.pk)
    assert answer.status_code == 304 and answer.headers["ETag"] == tag
    someone = Enrollment.objects.filter(section=section).first()
    assert someone is not None
    objectives_in_order = list(section.course.objectives.order_by("order"))
    failed_one = objectives_in_order[objectives // 3]
    with django_capture_on_commit_callbacks(execute=True):  # the token is replaced when the write commits
        evidence_record(
            section=section,
            teacher=teacher,
            student=someone.student,
            objective=failed_one,
            kind="override",
            state="MASTERED",
            reason="showed it in class",
            now=timezone.now(),
        )
    with django_assert_num_queries(GRID_QUERIES + REPLAY_QUERIES):  # replays that one student only
        answer = client.get(f"/sections/{section.pk}/grid/rows/", headers={"If-None-Match": tag})
    assert answer.status_code == 200
    assert answer.content.decode().count("✗ not yet") == students - 1


@pytest.mark.django_db
@pytest.mark.parametrize(("students", "objectives"), SIZES)
def test_the_gradebook_and_its_exports_read_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: Any, students: int, objectives: int
) -> None:
    section, teacher = class_of(students, objectives)
    client.force_login(teacher)
    with django_assert_num_queries(GRADEBOOK_QUERIES + COURSE_QUERIES + REPLAY_QUERIES):
        assert client.get(f"/sections/{section.pk}/gradebook/").status_code == 200
    for wanted in ("", "?format=csv", "?format=xlsx"):
        with django_assert_num_queries(GRADEBOOK_QUERIES):
            assert client.get(f"/sections/{section.pk}/gradebook/{wanted}").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("students", "objectives"), SIZES)
def test_the_progress_api_reads_a_fixed_number_of_queries(
    django_assert_num_queries: Any, students: int, objectives: int
) -> None:
    from tests.api.conftest import bearer_client

    section, teacher = class_of(students, objectives)
    api = bearer_client(teacher)
    with django_assert_num_queries(PROGRESS_API_QUERIES + COURSE_QUERIES + REPLAY_QUERIES):
        grid = api.get(f"/api/v1/sections/{section.pk}/progress").json()
    assert len(grid["students"]) == students and len(grid["header"]) == objectives
