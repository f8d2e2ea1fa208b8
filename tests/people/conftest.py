"""A school for the school-admin and guardian tests: a section with its teacher, a co-teacher and two
students; another section with its own teacher and student; a school admin and a superuser; a guardian link of
the first student; and a client for each of the eight roles the access matrix names."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from flipmastery.accounts.models import Role, User
from flipmastery.guardians.services import guardian_link_create
from tests import factories

ROLES = (
    "anonymous",
    "student",
    "other_student",
    "guardian",
    "teacher",
    "co_teacher",
    "other_teacher",
    "admin",
)


@pytest.fixture(autouse=True, scope="session")
def _static_root() -> None:
    Path(django_settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _fresh_counts() -> Iterator[None]:
    """Wrong guardian codes are counted in the cache, which outlives a test's database."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def school(db: None) -> dict[str, Any]:
    room = factories.small_classroom()
    co = factories.teacher(username="mr_co", display_name="Mr Co")
    room["section"].teachers.add(co)
    admin = factories.user(Role.ADMIN, username="principal", display_name="Principal Iyer")
    root = factories.user(Role.ADMIN, username="root", is_superuser=True, is_staff=True)
    link = guardian_link_create(
        student=room["students"][0], by=room["teacher"], label="Amma", language="en", now=timezone.now()
    )
    room.update(co_teacher=co, admin=admin, superuser=root, link=link)
    return room


def person(school: dict[str, Any], role: str) -> User | None:
    return {
        "anonymous": None,
        "guardian": None,
        "student": school["students"][0],
        "other_student": school["outsider"],
        "teacher": school["teacher"],
        "co_teacher": school["co_teacher"],
        "other_teacher": school["other_teacher"],
        "admin": school["admin"],
        "superuser": school["superuser"],
    }[role]


def client_of(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def as_role(school: dict[str, Any]) -> Callable[[str], Client]:
    """A client for a role. The guardian holds the first student's link and has opened it: no sign-in."""

    def make(role: str) -> Client:
        client = client_of(person(school, role))
        if role == "guardian":
            assert client.get(f"/g/{school['link'].secret}/").status_code == 200
        return client

    return make
