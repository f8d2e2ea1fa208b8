"""GET /sections/{id}/playlist: a student's objectives in their section, and nobody else's."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from flipmastery.accounts.models import User
from flipmastery.classroom.models import Section
from flipmastery.courses.models import LearningObject, Objective
from flipmastery.domain.mastery import State
from flipmastery.progress.models import LearningObjectUse, ProgressEvent
from tests import factories
from tests.api.conftest import assert_error, bearer_client

pytestmark = pytest.mark.django_db


def url(section: Section | int) -> str:
    return f"/api/v1/sections/{getattr(section, 'pk', section)}/playlist"


def record(section: Section, student: User, objective: Objective, state: State) -> None:
    ProgressEvent.objects.create(
        section=section,
        student=student,
        objective=objective,
        kind="override",
        state=state.value,
        reason="given by the test",
        at=timezone.now(),
    )


def use(section: Section, student: User, learning_object: LearningObject) -> None:
    LearningObjectUse.objects.create(
        section=section, student=student, learning_object=learning_object, at=timezone.now()
    )


def test_a_new_student_sees_every_objective_in_order_with_the_first_ready(
    classroom: dict[str, Any],
) -> None:
    c = classroom

    response = bearer_client(c["students"][0]).get(url(c["section"]))

    assert response.status_code == 200
    assert response.json() == {
        "section": {"id": c["section"].pk, "name": "Chem 11-A"},
        "course": {"code": "CHEM", "title": "Chemistry"},
        "objectives": [
            {
                "code": "GAS-1",
                "statement": "Explain gas pressure.",
                "tier": "essential",
                "outcome_code": "",
                "unit": {"code": "GAS", "title": "Gas Laws"},
                "state": "READY",
                "prerequisites": [],
                "missing_prerequisites": [],
                "threshold": 0.8,
                "estimated_minutes": None,
                "learning_objects": [
                    {
                        "id": c["primary"].pk,
                        "kind": "video",
                        "title": "Video 1",
                        "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                        "minutes": None,
                        "primary": True,
                        "role": "primary",
                        "done": False,
                    },
                    {
                        "id": c["alternate"].pk,
                        "kind": "text",
                        "title": "Text Section 12.1",
                        "url": "",
                        "minutes": None,
                        "primary": False,
                        "role": "alternate",
                        "done": False,
                    },
                ],
                "activities": [],
                "enrichment": [],
                "correctives": [],
                "gate": [],
                "may_start_check": True,
                "attempts": 0,
                "review_due": False,
            },
            {
                "code": "GAS-2",
                "statement": "Use Boyle's law.",
                "tier": "nice_to_know",
                "outcome_code": "",
                "unit": {"code": "GAS", "title": "Gas Laws"},
                "state": "LOCKED",
                "prerequisites": ["GAS-1"],
                "missing_prerequisites": ["GAS-1"],
                "threshold": 0.8,
                "estimated_minutes": None,
                "learning_objects": [
                    {
                        "id": c["b"].learning_objects.get().pk,
                        "kind": "video",
                        "title": "Video 2",
                        "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                        "minutes": None,
                        "primary": True,
                        "role": "primary",
                        "done": False,
                    }
                ],
                "activities": [{"id": c["lab"].pk, "title": "Boyle's Law Lab", "signed_off": False}],
                "enrichment": [],
                "correctives": [],
                "gate": [],
                "may_start_check": False,
                "attempts": 0,
                "review_due": False,
            },
        ],
        "next": {"objective": "GAS-1", "kind": "learn", "message": "Work on GAS-1: start with Video 1."},
    }


def test_mastering_the_prerequisite_opens_the_next_objective(classroom: dict[str, Any]) -> None:
    c = classroom
    asha = c["students"][0]
    record(c["section"], asha, c["a"], State.MASTERED)
    use(c["section"], asha, c["alternate"])

    body = bearer_client(asha).get(url(c["section"])).json()

    gas1, gas2 = body["objectives"]
    assert (gas1["state"], gas2["state"]) == ("MASTERED", "READY")
    assert gas2["missing_prerequisites"] == []
    assert [(lo["title"], lo["done"]) for lo in gas1["learning_objects"]] == [
        ("Video 1", False),
        ("Text Section 12.1", True),
    ]
    assert body["next"] == {
        "objective": "GAS-2",
        "kind": "learn",
        "message": "Work on GAS-2: start with Video 2.",
    }


def test_another_students_progress_never_shows(classroom: dict[str, Any]) -> None:
    c = classroom
    asha, ben = c["students"]
    record(c["section"], ben, c["a"], State.MASTERED)
    use(c["section"], ben, c["primary"])

    body = bearer_client(asha).get(url(c["section"])).json()

    assert [o["state"] for o in body["objectives"]] == ["READY", "LOCKED"]
    assert not any(lo["done"] for o in body["objectives"] for lo in o["learning_objects"])
    assert b"ben" not in bearer_client(asha).get(url(c["section"])).content


def test_the_section_threshold_overrides_the_course_and_the_objective_overrides_both(
    classroom: dict[str, Any],
) -> None:
    c = classroom
    Section.objects.filter(pk=c["section"].pk).update(threshold=0.9)
    Objective.objects.filter(pk=c["b"].pk).update(threshold=0.7)

    body = bearer_client(c["students"][0]).get(url(c["section"])).json()

    assert [(o["code"], o["threshold"]) for o in body["objectives"]] == [("GAS-1", 0.9), ("GAS-2", 0.7)]


def test_the_session_works_as_well_as_a_token(classroom: dict[str, Any]) -> None:
    client = Client()
    client.force_login(classroom["students"][1])

    response = client.get(url(classroom["section"]))

    assert response.status_code == 200
    assert response.json()["section"]["name"] == "Chem 11-A"


@pytest.mark.parametrize("who", ["outsider", "teacher", "other_teacher"])
def test_only_students_of_the_section_see_it_others_get_404(classroom: dict[str, Any], who: str) -> None:
    response = bearer_client(classroom[who]).get(url(classroom["section"]))

    body = assert_error(response, 404, "not_found")
    assert body == {"error": "not_found", "message": "section not found", "details": None}


def test_a_section_that_does_not_exist_is_404(classroom: dict[str, Any]) -> None:
    missing = Section.objects.order_by("-pk").first().pk + 1  # type: ignore[union-attr]

    assert_error(bearer_client(classroom["students"][0]).get(url(missing)), 404, "not_found")


def test_anonymous_and_bad_tokens_get_401(classroom: dict[str, Any]) -> None:
    target = url(classroom["section"])

    assert_error(Client().get(target), 401, "not_authenticated")
    assert_error(Client(headers={"Authorization": "Bearer nope"}).get(target), 401, "not_authenticated")


# -- query count: fetched once, then computed; it must not grow with the course ---------------------


def course_of(size: int) -> tuple[Section, User]:
    """A chain of `size` objectives (each needs the one before) with a primary and an alternate way to
    learn each, an activity and an enrichment task; the student has mastered two and used one video."""
    course = factories.course()
    unit = factories.unit(course)
    student = factories.student()
    section = factories.section(course, teachers=[factories.teacher()], students=[student])
    previous: list[Objective] = []
    for n in range(size):
        objective = factories.objective(unit, code=f"O-{n}", prerequisites=previous[-1:])
        first = factories.learning_object(objective, is_primary=True, order=0)
        factories.learning_object(objective, kind="worksheet", title=f"Worksheet {n}", order=1)
        factories.activity(objective)
        objective.enrichments.create(title=f"Extension {n}", url="https://phet.colorado.edu/")
        if n < 2:
            record(section, student, objective, State.MASTERED)
            use(section, student, first)
        previous.append(objective)
    return section, student


# auth (token + user), section, objectives + units, prerequisites, learning objects, activities,
# enrichment, progress events, learning objects used.
PLAYLIST_QUERIES = 9


@pytest.mark.parametrize("size", [5, 50])
def test_the_playlist_takes_the_same_number_of_queries_for_5_or_50_objectives(
    size: int, django_assert_num_queries: Any
) -> None:
    section, student = course_of(size)
    client = bearer_client(student)
    client.get(url(section))  # the first use of a token records it; that write is once a minute

    with django_assert_num_queries(PLAYLIST_QUERIES):
        response = client.get(url(section))

    assert response.status_code == 200
    states = [o["state"] for o in response.json()["objectives"]]
    assert states == ["MASTERED", "MASTERED", "READY"] + ["LOCKED"] * (size - 3)


def test_the_first_request_of_a_token_in_a_minute_adds_one_write() -> None:
    section, student = course_of(5)
    client = bearer_client(student)

    with CaptureQueriesContext(connection) as queries:
        client.get(url(section))

    assert len(queries) == PLAYLIST_QUERIES + 1
