"""Who may do what with a child's guardian links, operation by operation, for the eight roles: anonymous,
the child (a student of this section), a student of another section, a guardian holding the link, the
teacher, the co-teacher, another section's teacher and a school admin. Refusals change nothing, and a
refused signed-in person gets a 404 (the child and their links look like nobody's)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from flipmastery.accounts.models import GuardianLink
from flipmastery.api.tokens import api_token_issue
from flipmastery.guardians.services import guardian_link_create
from tests.people.conftest import ROLES, person

pytestmark = pytest.mark.django_db
TEACHERS = ("teacher", "co_teacher", "admin")


def links_state() -> list[tuple[Any, ...]]:
    return sorted(GuardianLink.objects.values_list("pk", "student_id", "label", "revoked_at", "digest"))


def own_link(school: dict[str, Any]) -> GuardianLink:
    """A link the child made themself."""
    child = school["students"][0]
    return guardian_link_create(
        student=child, by=child, label="Grandma", language="hi", now=timezone.now()
    ).link


def api_client(school: dict[str, Any], role: str) -> Client:
    user = person(school, role)
    if user is None:
        return Client()
    return Client(headers={"Authorization": f"Bearer {api_token_issue(user=user)}"})


# --- pages ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Op:
    name: str
    method: str
    url: Callable[[dict[str, Any]], str]
    ok: int
    allowed: tuple[str, ...]
    data: Callable[[dict[str, Any]], dict[str, Any]] = lambda school: {}


def teacher_page(s: dict[str, Any]) -> str:
    return f"/sections/{s['section'].pk}/students/{s['students'][0].pk}/guardian-links/"


PAGES = [
    Op("a teacher's list", "get", teacher_page, 200, TEACHERS),
    Op(
        "a teacher makes one",
        "post",
        teacher_page,
        200,
        TEACHERS,
        lambda s: {"label": "Dad", "language": "en"},
    ),
    Op(
        "a teacher revokes one",
        "post",
        lambda s: f"{teacher_page(s)}{s['link'].link.pk}/revoke/",
        302,
        TEACHERS,
    ),
    Op("the child's list", "get", lambda s: "/me/guardian-links/", 200, ("student",)),
    Op(
        "the child revokes their own",
        "post",
        lambda s: f"/me/guardian-links/{own_link(s).pk}/revoke/",
        302,
        ("student",),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("op", PAGES, ids=[o.name for o in PAGES])
def test_who_makes_lists_and_revokes_links_in_the_pages(
    school: dict[str, Any], as_role: Callable[[str], Client], op: Op, role: str
) -> None:
    client = as_role(role)
    url = op.url(school)
    before = links_state()

    response = getattr(client, op.method)(url, op.data(school))

    if role in op.allowed:
        assert response.status_code == op.ok, response.content[:400]
        return
    if role in ("anonymous", "guardian"):
        assert response.status_code == 302 and response.url.startswith("/login/?next=")
    elif role == "other_student" and op.name == "the child's list":
        assert response.status_code == 200  # their own page: nothing of the child's
        assert b"Amma" not in response.content and b"asha" not in response.content
        return
    else:
        assert response.status_code == 404, response.content[:400]
        assert b"Amma" not in response.content
    assert links_state() == before


def test_the_child_cannot_revoke_a_link_their_teacher_made(
    school: dict[str, Any], as_role: Callable[[str], Client]
) -> None:
    before = links_state()

    response = as_role("student").post(f"/me/guardian-links/{school['link'].link.pk}/revoke/")

    assert response.status_code == 403
    assert "Only your teacher can revoke a link your teacher made." in response.content.decode()
    assert links_state() == before


def test_a_teacher_page_names_its_section_and_the_child_in_it(
    school: dict[str, Any], as_role: Callable[[str], Client]
) -> None:
    """The other section's teacher cannot reach the child through their own section either."""
    other = school["other_section"]
    url = f"/sections/{other.pk}/students/{school['students'][0].pk}/guardian-links/"

    assert as_role("other_teacher").get(url).status_code == 404
    assert as_role("teacher").get(url).status_code == 404


# --- the API --------------------------------------------------------------------------------------------

API_ALLOWED = ("student", *TEACHERS)


def child(s: dict[str, Any]) -> int:
    return int(s["students"][0].pk)


@pytest.mark.parametrize("role", ROLES)
def test_who_makes_a_link_in_the_api(school: dict[str, Any], role: str) -> None:
    before = links_state()

    response = api_client(school, role).post(
        f"/api/v1/students/{child(school)}/guardian-links", {"label": "Dad"}, content_type="application/json"
    )

    if role in API_ALLOWED:
        assert response.status_code == 201, response.content
        assert GuardianLink.objects.filter(pk=response.json()["id"], student=school["students"][0]).exists()
        return
    assert response.status_code == (401 if role in ("anonymous", "guardian") else 404)
    assert links_state() == before


@pytest.mark.parametrize("role", ROLES)
def test_who_lists_the_links_in_the_api(school: dict[str, Any], role: str) -> None:
    response = api_client(school, role).get(f"/api/v1/students/{child(school)}/guardian-links")

    if role in API_ALLOWED:
        assert response.status_code == 200
        assert [g["label"] for g in response.json()] == ["Amma"]
        return
    assert response.status_code == (401 if role in ("anonymous", "guardian") else 404)
    assert b"Amma" not in response.content


@pytest.mark.parametrize("made_by", ["teacher", "student"])
@pytest.mark.parametrize("role", ROLES)
def test_who_revokes_a_link_in_the_api(school: dict[str, Any], role: str, made_by: str) -> None:
    link = school["link"].link if made_by == "teacher" else own_link(school)
    before = links_state()

    response = api_client(school, role).delete(f"/api/v1/guardian-links/{link.pk}")

    allowed = TEACHERS + (("student",) if made_by == "student" else ())
    if role in allowed:
        assert response.status_code == 200, response.content
        assert response.json()["revoked"] is True
        link.refresh_from_db()
        assert link.revoked_at is not None
        return
    if role in ("anonymous", "guardian"):
        assert response.status_code == 401
    elif role == "student":
        assert response.status_code == 403
        assert response.json()["error"] == "forbidden"
    else:
        assert response.status_code == 404
    assert links_state() == before


@pytest.mark.parametrize("role", ROLES)
def test_the_link_shows_its_child_to_whoever_holds_it_and_nothing_once_revoked(
    school: dict[str, Any], role: str
) -> None:
    client = api_client(school, role)
    url = f"/api/v1/guardian/{school['link'].secret}"

    shown = client.get(url)
    GuardianLink.objects.filter(pk=school["link"].link.pk).update(revoked_at=timezone.now())
    gone = client.get(url)

    assert shown.status_code == 200 and shown.json()["student"] == "asha"
    assert gone.status_code == 404 and gone.json()["error"] == "not_found"
    assert "asha" not in gone.content.decode()
