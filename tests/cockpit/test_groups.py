"""Micro-groups: suggested from who is stuck (misconception tags first), accepted, edited, dismissed."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from flipmastery.cockpit.models import Group
from tests import factories
from tests.cockpit.conftest import event, failed


@pytest.fixture
def stuck(classroom: dict[str, Any]) -> dict[str, Any]:
    """Five students failed GAS-1; the teacher's verbal checks tagged two with the same misconception."""
    section, a = classroom["section"], classroom["a"]
    people = [*classroom["students"], *(factories.student(username=f"s{n}") for n in range(3))]
    for p in people[2:]:
        section.students.add(p)
    for p in people:
        failed(classroom, p, a)
    for p in people[1:3]:  # ben and s0
        event(classroom, p, a, "verbal", "NOT_YET", outcome=False, tags=["units"], ago=timedelta(minutes=30))
    classroom["people"] = people
    return classroom


def groups_url(room: dict[str, Any]) -> str:
    return f"/sections/{room['section'].pk}/groups/"


def suggestions(page: str) -> list[str]:
    """Each suggested group: its objective, why, and its members' names."""
    found = []
    part = page[page.index("<h2>Suggested</h2>") : page.index("<h2>Accepted groups</h2>")]
    for card in part.split('<li class="card group">')[1:]:
        code = re.search(r'<span class="code"[^>]*>([^<]+)</span>', card)
        tag = re.search(r'<span class="badge tag">([^<]+)</span>', card)
        names = re.findall(r"<li>([^<]+) <span class=\"badge state", card)
        found.append(f"{code.group(1) if code else '?'} {tag.group(1) if tag else '-'}: {', '.join(names)}")
    return found


def test_students_stuck_on_an_objective_are_suggested_in_groups_tags_first(
    as_user: Any, stuck: dict[str, Any]
) -> None:
    page = as_user(stuck["teacher"]).get(groups_url(stuck)).content.decode()
    assert suggestions(page) == ["GAS-1 units: ben, s0", "GAS-1 -: asha, s1, s2"]
    assert "Text Section 12.1" in page  # the alternate to re-teach from
    assert f'href="/sections/{stuck["section"].pk}/learn/{stuck["alternate"].pk}/"' in page


def test_learning_for_three_days_counts_as_stuck_and_a_day_does_not(
    as_user: Any, classroom: dict[str, Any]
) -> None:
    asha, ben = classroom["students"]
    third = factories.student(username="cara")
    classroom["section"].students.add(third)
    for p in (asha, ben):
        event(
            classroom,
            p,
            classroom["a"],
            "used",
            "LEARNING",
            ref=str(classroom["primary"].pk),
            ago=timedelta(days=4),
        )
    event(
        classroom,
        third,
        classroom["a"],
        "used",
        "LEARNING",
        ref=str(classroom["primary"].pk),
        ago=timedelta(days=1),
    )
    page = as_user(classroom["teacher"]).get(groups_url(classroom)).content.decode()
    assert suggestions(page) == ["GAS-1 -: asha, ben"]


def test_accepting_saves_the_group_and_it_is_suggested_no_more(as_user: Any, stuck: dict[str, Any]) -> None:
    client = as_user(stuck["teacher"])
    ben, s0 = stuck["people"][1], stuck["people"][2]
    answer = client.post(
        groups_url(stuck) + "decide/",
        {"objective": "GAS-1", "reason": "tag:units", "student": [ben.pk, s0.pk], "decision": "accept"},
    )
    group = Group.objects.get()
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/groups/#group-{group.pk}")
    assert (group.status, group.reason, group.objective.code) == ("accepted", "tag:units", "GAS-1")
    assert sorted(m.username for m in group.members.all()) == ["ben", "s0"]
    assert group.created_by == stuck["teacher"]
    page = client.get(groups_url(stuck)).content.decode()
    assert suggestions(page) == ["GAS-1 -: asha, s1, s2"]
    card = page[page.index(f'id="group-{group.pk}"') :]
    checked = re.findall(r'name="student" value="(\d+)" checked', card[: card.index("</form>")])
    boxes = re.findall(r'name="student" value="(\d+)"', card[: card.index("</form>")])
    assert sorted(map(int, checked)) == sorted([ben.pk, s0.pk])
    assert len(boxes) == 5  # the members, and everyone else stuck on GAS-1


def test_editing_members_replaces_them_and_refuses_strangers(as_user: Any, stuck: dict[str, Any]) -> None:
    client = as_user(stuck["teacher"])
    asha, ben = stuck["people"][:2]
    client.post(
        groups_url(stuck) + "decide/",
        {"objective": "GAS-1", "reason": "objective", "student": [asha.pk, ben.pk], "decision": "accept"},
    )
    group = Group.objects.get()
    url = groups_url(stuck) + f"{group.pk}/members/"
    assert client.post(url, {"student": [ben.pk, stuck["people"][4].pk]}).status_code == 302
    assert sorted(m.username for m in group.members.all()) == ["ben", "s2"]
    refused = client.post(url, {"student": [ben.pk, stuck["outsider"].pk]})
    assert (
        refused.status_code == 422
        and "every member must be a student of this section" in refused.content.decode()
    )
    empty = client.post(url, {})
    assert empty.status_code == 422 and "dismiss it instead" in empty.content.decode()
    assert sorted(m.username for m in group.members.all()) == ["ben", "s2"]  # unchanged


def test_dismissing_a_suggestion_keeps_it_from_coming_back_and_done_ends_a_group(
    as_user: Any, stuck: dict[str, Any]
) -> None:
    client = as_user(stuck["teacher"])
    ben, s0 = stuck["people"][1], stuck["people"][2]
    form = {"objective": "GAS-1", "reason": "tag:units", "student": [ben.pk, s0.pk]}
    assert client.post(groups_url(stuck) + "decide/", {**form, "decision": "dismiss"}).status_code == 302
    page = client.get(groups_url(stuck)).content.decode()
    assert suggestions(page) == ["GAS-1 -: asha, s1, s2"]
    assert "1 group dismissed" in page
    client.post(groups_url(stuck) + "decide/", {**form, "objective": "GAS-1", "decision": "accept"})
    accepted = Group.objects.get(status="accepted")
    assert client.post(groups_url(stuck) + f"{accepted.pk}/done/").status_code == 302
    accepted.refresh_from_db()
    assert accepted.status == "dismissed"
    assert "Accepted groups" in client.get(groups_url(stuck)).content.decode()


def test_groups_are_the_sections_teachers_only_and_posts_need_the_csrf_token(
    client: Client, stuck: dict[str, Any]
) -> None:
    ben = stuck["people"][1]
    group = Group.objects.create(
        section=stuck["section"],
        objective=stuck["a"],
        created_at="2025-01-01T10:00Z",
        updated_at="2025-01-01T10:00Z",
    )
    group.members.set([ben])
    urls = [
        ("get", groups_url(stuck), {}),
        ("post", groups_url(stuck) + "decide/", {"objective": "GAS-1", "student": [ben.pk]}),
        ("post", groups_url(stuck) + f"{group.pk}/members/", {"student": [ben.pk]}),
        ("post", groups_url(stuck) + f"{group.pk}/done/", {}),
    ]
    for person in (stuck["students"][0], stuck["other_teacher"]):
        client.force_login(person)
        for method, url, data in urls:
            assert getattr(client, method)(url, data).status_code == 404, (person, url)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(stuck["teacher"])
    for _method, url, data in urls[1:]:
        assert strict.post(url, data).status_code == 403
    other = factories.section(stuck["course"], teachers=[stuck["teacher"]])
    client.force_login(stuck["teacher"])
    assert client.post(f"/sections/{other.pk}/groups/{group.pk}/done/").status_code == 404  # not its group
    assert Group.objects.get().status == "accepted" and Group.objects.count() == 1
