"""The class grid sorted (by name, pace, the queue, an objective's state) and on the projector (no names a
class should not see), the choice kept in the URL, through the poll and in the version it answers to."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from flipmastery.cockpit.models import SectionPlan
from flipmastery.progress.models import QueueEntry
from tests import factories
from tests.cockpit.conftest import failed
from tests.cockpit.test_query_counts import (
    COURSE_QUERIES,
    GRID_QUERIES,
    LOOK_AGAIN_QUERIES,
    REPLAY_QUERIES,
    class_of,
)

FULL_NAMES = ["Asha Verma", "Ben Thomas", "Chitra Iyer", "Dev Kapoor"]


@pytest.fixture
def named(classroom: dict[str, Any]) -> dict[str, Any]:
    """Four students with full names, two weeks into a plan of one objective a week (both expected):
    Dev mastered both, Ben GAS-1, Chitra failed GAS-1, Asha has done nothing. Dev, then Ben, wait in the
    queue; Asha's request was answered."""
    asha, ben = classroom["students"]
    chitra = factories.student(username="chitra")
    dev = factories.student(username="dev")
    for person, full in zip([asha, ben, chitra, dev], FULL_NAMES, strict=True):
        person.first_name, person.last_name = full.split()
        person.save()
    section, a, b = classroom["section"], classroom["a"], classroom["b"]
    section.enrollments.create(student=chitra)
    section.enrollments.create(student=dev)
    now = timezone.now()
    SectionPlan.objects.create(
        section=section, start=timezone.localdate() - timedelta(days=15), per_week=1, updated_at=now
    )
    factories.mastered(section, dev, a)
    factories.mastered(section, dev, b)
    factories.mastered(section, ben, a)
    failed(classroom, chitra, a)
    QueueEntry.objects.create(
        section=section, student=dev, objective=b, kind="help", created_at=now - timedelta(minutes=10)
    )
    QueueEntry.objects.create(
        section=section, student=ben, objective=b, kind="help", created_at=now - timedelta(minutes=5)
    )
    QueueEntry.objects.create(
        section=section,
        student=asha,
        objective=a,
        kind="help",
        created_at=now - timedelta(minutes=30),
        resolved_at=now - timedelta(minutes=20),
    )
    return classroom


def url(room: dict[str, Any], query: str = "") -> str:
    return f"/sections/{room['section'].pk}/grid/{query}"


def names_in_order(page: str) -> list[str]:
    body = page[page.index("<tbody") : page.index("</tbody>")]
    return re.findall(r'<tr[^>]*><th scope="row">(?:<a [^>]*>|<span class="anon">)([^<]*)<', body)


def shown(client: Client, room: dict[str, Any], query: str = "") -> str:
    response = client.get(url(room, query))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("query", "order"),
    [
        ("", ["Asha Verma", "Ben Thomas", "Chitra Iyer", "Dev Kapoor"]),
        ("?sort=name", ["Asha Verma", "Ben Thomas", "Chitra Iyer", "Dev Kapoor"]),
        ("?sort=behind", ["Asha Verma", "Chitra Iyer", "Ben Thomas", "Dev Kapoor"]),  # 2, 2, 1, 0 behind
        ("?sort=waiting", ["Dev Kapoor", "Ben Thomas", "Asha Verma", "Chitra Iyer"]),  # longest wait first
        ("?sort=state%3AGAS-1", ["Chitra Iyer", "Asha Verma", "Ben Thomas", "Dev Kapoor"]),  # not yet first
        ("?sort=state%3AGAS-2", ["Ben Thomas", "Asha Verma", "Chitra Iyer", "Dev Kapoor"]),  # ready, locked…
        (
            "?sort=state%3ANOPE-1",
            ["Asha Verma", "Ben Thomas", "Chitra Iyer", "Dev Kapoor"],
        ),  # unknown: by name
        ("?sort=nonsense", ["Asha Verma", "Ben Thomas", "Chitra Iyer", "Dev Kapoor"]),
    ],
)
def test_each_sort_orders_the_rows(as_user: Any, named: dict[str, Any], query: str, order: list[str]) -> None:
    client = as_user(named["teacher"])
    page = shown(client, named, query)
    assert names_in_order(page) == order
    rows = client.get(f"/sections/{named['section'].pk}/grid/rows/{query}")  # the poll's body: the same
    assert names_in_order(rows.content.decode()) == order
    api = client.get(f"/api/v1/sections/{named['section'].pk}/progress{query}")  # and the API's rows
    assert [r["student"]["name"] for r in api.json()["students"]] == order


def test_the_sort_is_a_get_form_kept_in_the_poll_url(as_user: Any, named: dict[str, Any]) -> None:
    pk = named["section"].pk
    page = shown(as_user(named["teacher"]), named, "?sort=behind&unit=GAS")
    assert f'<form class="filter" method="get" action="/sections/{pk}/grid/">' in page
    assert '<option value="behind" selected>' in page
    assert '<option value="state:GAS-1">GAS-1</option>' in page
    assert f'hx-get="/sections/{pk}/grid/rows/?unit=GAS&amp;sort=behind"' in page
    assert f'href="/sections/{pk}/grid/?unit=GAS&amp;sort=behind&amp;projector=1"' in page  # Projector view
    waiting = shown(as_user(named["teacher"]), named, "?sort=waiting")
    assert waiting.count("✋ waiting") == 2  # Dev and Ben; Asha's request was answered


@pytest.mark.usefixtures("steady_minute")
def test_the_version_changes_with_the_sort(as_user: Any, named: dict[str, Any]) -> None:
    client = as_user(named["teacher"])
    tags = {q: client.get(url(named, q)).headers["ETag"] for q in ("", "?sort=behind", "?sort=waiting")}
    tags["projector"] = client.get(url(named, "?projector=1")).headers["ETag"]
    tags["numbers"] = client.get(url(named, "?projector=1&names=numbers")).headers["ETag"]
    assert len(set(tags.values())) == 5
    rows = f"/sections/{named['section'].pk}/grid/rows/"
    same = client.get(rows + "?sort=behind", headers={"If-None-Match": tags["?sort=behind"]})
    assert same.status_code == 304
    other = client.get(rows + "?sort=behind", headers={"If-None-Match": tags[""]})
    assert other.status_code == 200  # the poll of a sorted grid never keeps rows in another order
    assert names_in_order(other.content.decode())[0] == "Asha Verma"
    assert other.headers["ETag"] == tags["?sort=behind"]


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ("", ["A. V.", "B. T.", "C. I.", "D. K."]),  # initials unless told otherwise
        ("initials", ["A. V.", "B. T.", "C. I.", "D. K."]),
        ("first", ["Asha", "Ben", "Chitra", "Dev"]),
        ("numbers", ["#1", "#2", "#3", "#4"]),
        ("bogus", ["A. V.", "B. T.", "C. I.", "D. K."]),
    ],
)
def test_the_projector_shows_no_full_names_and_no_way_into_a_record(
    as_user: Any, named: dict[str, Any], names: str, expected: list[str]
) -> None:
    client = as_user(named["teacher"])
    query = f"?projector=1&names={names}" if names else "?projector=1"
    for page in (shown(client, named, query), client.get(url(named, "rows/" + query)).content.decode()):
        assert names_in_order(page) == expected
        for full in FULL_NAMES:
            first, last = full.split()
            assert full not in page
            assert last not in page  # not in a title, not in hidden text
            if names != "first":
                assert first not in page
        assert "/students/" not in page and "/history" not in page
    page = shown(client, named, query)
    assert 'class="cockpit cockpit-wide cockpit-projector"' in page
    assert "Usual view" in page and "Projector view" not in page
    pk = named["section"].pk
    assert f'hx-get="/sections/{pk}/grid/rows/?projector=1&amp;names=' in page


def test_numbers_on_the_projector_stay_with_the_student_whatever_the_order(
    as_user: Any, named: dict[str, Any]
) -> None:
    page = shown(as_user(named["teacher"]), named, "?projector=1&names=numbers&sort=waiting")
    assert names_in_order(page) == ["#4", "#2", "#1", "#3"]  # Dev, Ben, Asha, Chitra
    assert '<option value="numbers" selected>' in page
    assert '<option value="waiting" selected>' in page


SIZES = [(5, 3), (60, 3)]


@pytest.mark.django_db
@pytest.mark.parametrize(("students", "objectives"), SIZES)
@pytest.mark.usefixtures("steady_minute")
def test_every_sort_reads_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: Any, students: int, objectives: int
) -> None:
    section, teacher = class_of(students, objectives)
    client.force_login(teacher)
    code = section.course.objectives.order_by("order").first().code
    with django_assert_num_queries(GRID_QUERIES + COURSE_QUERIES + REPLAY_QUERIES):
        client.get(f"/sections/{section.pk}/grid/")
    for query in ("?sort=name", "?sort=behind", f"?sort=state:{code}", "?projector=1&names=numbers"):
        with django_assert_num_queries(LOOK_AGAIN_QUERIES):
            assert client.get(f"/sections/{section.pk}/grid/{query}").status_code == 200
    with django_assert_num_queries(LOOK_AGAIN_QUERIES + 1):  # the queue, once
        page = client.get(f"/sections/{section.pk}/grid/?sort=waiting").content.decode()
    assert page.count("✋ waiting") == 1
