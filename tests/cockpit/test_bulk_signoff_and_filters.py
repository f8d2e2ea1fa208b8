"""One activity signed off for several students at once (all of them or none), and the grid's filters
(behind, waiting, a state on an objective, a name) combined with the sort and the projector, in the URL and
the poll."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from flipmastery.cockpit.models import SectionPlan
from flipmastery.progress.models import ProgressEvent, QueueEntry
from tests import factories
from tests.cockpit.conftest import event, failed
from tests.cockpit.test_grid_views import names_in_order


def signoff_url(room: dict[str, Any]) -> str:
    return f"/sections/{room['section'].pk}/grid/signoff/"


@pytest.fixture
def lab_day(classroom: dict[str, Any]) -> dict[str, Any]:
    """Five students who mastered GAS-1 and passed the GAS-2 check; the lab is still to be signed off."""
    section = classroom["section"]
    more = [factories.student(username=f"s{n}") for n in range(3)]
    for person in more:
        section.enrollments.create(student=person)
    everyone = [*classroom["students"], *more]
    for person in everyone:
        factories.mastered(section, person, classroom["a"])
        event(classroom, person, classroom["b"], "check_result", "LEARNING", outcome=True)
    return {**classroom, "everyone": everyone}


def lab_events(room: dict[str, Any]) -> int:
    return ProgressEvent.objects.filter(kind="activity", ref=str(room["lab"].pk)).count()


def test_the_page_lists_who_still_needs_the_activity(as_user: Any, lab_day: dict[str, Any]) -> None:
    client = as_user(lab_day["teacher"])
    page = client.get(signoff_url(lab_day)).content.decode()
    assert (
        "GAS-2 · Boyle&#x27;s Law Lab" in page and 'name="student"' not in page
    )  # choose the activity first
    page = client.get(signoff_url(lab_day) + f"?activity={lab_day['lab'].pk}").content.decode()
    assert page.count('name="student"') == 5
    assert page.count("state-LEARNING") == 5


def test_the_ticked_students_are_signed_off_together(as_user: Any, lab_day: dict[str, Any]) -> None:
    client = as_user(lab_day["teacher"])
    ticked = [s.pk for s in lab_day["everyone"][:3]]
    response = client.post(
        signoff_url(lab_day), {"activity": lab_day["lab"].pk, "student": ticked, "who": "ticked"}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).content.decode()
    assert "Signed off Boyle&#x27;s Law Lab for 3 students." in page
    assert lab_events(lab_day) == 3
    grid = client.get(f"/sections/{lab_day['section'].pk}/grid/").content.decode()
    assert grid.count('<td class="c state-MASTERED"') == 5 + 3  # GAS-1 for all five, GAS-2 for the three
    assert page.count(" disabled>") == 3  # signed off already: not offered again


def test_all_who_still_need_it_in_one_submit(as_user: Any, lab_day: dict[str, Any]) -> None:
    client = as_user(lab_day["teacher"])
    first = lab_day["everyone"][0]
    client.post(signoff_url(lab_day), {"activity": lab_day["lab"].pk, "student": [first.pk], "who": "ticked"})
    response = client.post(signoff_url(lab_day), {"activity": lab_day["lab"].pk, "who": "needing"})
    page = client.get(response.headers["Location"]).content.decode()
    assert "Signed off Boyle&#x27;s Law Lab for 4 students." in page
    assert lab_events(lab_day) == 5


def test_a_stranger_in_the_list_signs_off_nobody(as_user: Any, lab_day: dict[str, Any]) -> None:
    client = as_user(lab_day["teacher"])
    ticked = [s.pk for s in lab_day["everyone"]] + [lab_day["outsider"].pk]
    response = client.post(
        signoff_url(lab_day), {"activity": lab_day["lab"].pk, "student": ticked, "who": "ticked"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'role="alert"' in page and f"Not a student of this section: {lab_day['outsider'].pk}." in page
    assert "Nobody was signed off." in page
    assert page.count(" checked>") == 5  # what was ticked stays ticked
    assert lab_events(lab_day) == 0
    for bad in (["x1"], []):
        again = client.post(
            signoff_url(lab_day), {"activity": lab_day["lab"].pk, "student": bad, "who": "ticked"}
        )
        assert again.status_code == 422 and 'role="alert"' in again.content.decode()
    assert lab_events(lab_day) == 0


def test_an_activity_of_another_course_is_not_found(as_user: Any, lab_day: dict[str, Any]) -> None:
    elsewhere = factories.activity(factories.objective(factories.unit(), code="ELSE-1"))
    client = as_user(lab_day["teacher"])
    assert client.get(signoff_url(lab_day) + f"?activity={elsewhere.pk}").status_code == 404
    form = {"activity": elsewhere.pk, "student": [lab_day["everyone"][0].pk], "who": "ticked"}
    assert client.post(signoff_url(lab_day), form).status_code == 404
    assert ProgressEvent.objects.filter(kind="activity").count() == 0


# --- filters -----------------------------------------------------------------------------------------------


@pytest.fixture
def mixed(classroom: dict[str, Any]) -> dict[str, Any]:
    """Asha failed GAS-1; Ben mastered GAS-1 and waits in the queue; Chitra mastered both; Dev did nothing.
    A plan of one objective a week, two weeks in: all but Chitra are behind."""
    asha, ben = classroom["students"]
    chitra, dev = factories.student(username="chitra"), factories.student(username="dev")
    section = classroom["section"]
    for person in (chitra, dev):
        section.enrollments.create(student=person)
    now = timezone.now()
    SectionPlan.objects.create(
        section=section, start=timezone.localdate() - timedelta(days=15), per_week=1, updated_at=now
    )
    failed(classroom, asha, classroom["a"])
    factories.mastered(section, ben, classroom["a"])
    factories.mastered(section, chitra, classroom["a"])
    factories.mastered(section, chitra, classroom["b"])
    QueueEntry.objects.create(
        section=section, student=ben, objective=classroom["b"], kind="help", created_at=now
    )
    return classroom


def shown(client: Client, room: dict[str, Any], query: str, rows: bool = False) -> list[str]:
    url = f"/sections/{room['section'].pk}/grid/{'rows/' if rows else ''}{query}"
    response = client.get(url)
    assert response.status_code == 200
    return names_in_order(response.content.decode())


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("", ["asha", "ben", "chitra", "dev"]),
        ("?behind=1", ["asha", "ben", "dev"]),
        ("?waiting=1", ["ben"]),
        ("?objective=GAS-1&state=NOT_YET", ["asha"]),
        ("?objective=GAS-2&state=MASTERED", ["chitra"]),
        ("?state=MASTERED", ["ben", "chitra"]),  # on any objective shown
        ("?q=CHI", ["chitra"]),
        ("?behind=1&objective=GAS-1&state=MASTERED", ["ben"]),
        ("?behind=1&sort=waiting", ["ben", "asha", "dev"]),
        ("?objective=GAS-9&state=NOT_YET", ["asha"]),  # an unknown objective: the state on any
        ("?state=BORED", ["asha", "ben", "chitra", "dev"]),  # an unknown state: no filter
    ],
)
def test_the_grid_filters_and_its_poll_keeps_them(
    as_user: Any, mixed: dict[str, Any], query: str, names: list[str]
) -> None:
    client = as_user(mixed["teacher"])
    assert shown(client, mixed, query) == names
    assert shown(client, mixed, query, rows=True) == names


def test_filters_combine_with_the_projector_and_stay_in_the_poll_and_the_links(
    as_user: Any, mixed: dict[str, Any]
) -> None:
    client = as_user(mixed["teacher"])
    page = client.get(
        f"/sections/{mixed['section'].pk}/grid/?behind=1&q=a&projector=1&names=first"
    ).content.decode()
    assert names_in_order(page) == [
        "asha"
    ]  # initials and first names come from the full name: "a" in asha only
    poll = re.search(r'hx-get="([^"]+)"', page[page.index("<tbody") :])
    assert poll and poll.group(1).endswith("/grid/rows/?projector=1&amp;names=first&amp;behind=1&amp;q=a")
    assert "1 of 4 students shown" in page and "Show everyone" in page
    cell = re.search(r'<a class="cell" href="([^"]+)"', page)
    assert cell and cell.group(1).endswith("?projector=1&amp;names=first&amp;behind=1&amp;q=a")
    # the sort form keeps the filters, the filter form keeps the sort and the projector
    assert '<input type="hidden" name="behind" value="1">' in page
    assert '<input type="hidden" name="names" value="first">' in page
    assert '<input type="search" id="grid-q" name="q" value="a"' in page


def test_a_filter_changes_the_version_the_poll_answers_to(as_user: Any, mixed: dict[str, Any]) -> None:
    client = as_user(mixed["teacher"])
    base = f"/sections/{mixed['section'].pk}/grid/rows/"
    everyone = client.get(base)
    waiting = client.get(base + "?waiting=1")
    assert everyone.headers["ETag"] != waiting.headers["ETag"]
    again = client.get(base + "?waiting=1", HTTP_IF_NONE_MATCH=waiting.headers["ETag"])
    assert again.status_code == 304


def test_nobody_matching_is_said(as_user: Any, mixed: dict[str, Any]) -> None:
    page = as_user(mixed["teacher"]).get(f"/sections/{mixed['section'].pk}/grid/?q=zzz").content.decode()
    assert "No student matches these filters." in page and "0 of 4 students shown" in page
