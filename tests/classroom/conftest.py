"""A school for the section tests: a section with its teacher, a co-teacher, two students and one student
waiting to join; another section with its own teacher and student; a school admin; and clients for each."""

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
from flipmastery.classroom.models import Enrollment, JoinRequest, Section
from tests import factories

HTMX = {"HX-Request": "true"}  # an hx-post that swaps a piece of the page
ROLES = ("anonymous", "student", "other_student", "teacher", "co_teacher", "other_teacher", "admin")
TEACHERS = ("teacher", "co_teacher", "admin")  # who may manage the section


@pytest.fixture(autouse=True, scope="session")
def _static_root() -> None:
    Path(django_settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _fresh_join_counts() -> Iterator[None]:
    """Wrong join codes are counted in the cache, which outlives a test's database."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def school(db: None) -> dict[str, Any]:
    return a_school()


def a_school() -> dict[str, Any]:
    room = factories.small_classroom()
    co = factories.teacher(username="mr_co", display_name="Mr Co")
    room["section"].teachers.add(co)
    room["course"].teachers.add(room["teacher"])
    admin = factories.user(Role.ADMIN, username="principal", display_name="Principal")
    waiting = factories.student(username="wanda", display_name="Wanda Waits")
    join_request = JoinRequest.objects.create(
        section=room["section"], student=waiting, created_at=timezone.now()
    )
    room.update(co_teacher=co, admin=admin, waiting=waiting, join_request=join_request)
    return room


def person(school: dict[str, Any], role: str) -> User | None:
    return {
        "anonymous": None,
        "student": school["students"][0],
        "other_student": school["outsider"],
        "teacher": school["teacher"],
        "co_teacher": school["co_teacher"],
        "other_teacher": school["other_teacher"],
        "admin": school["admin"],
    }[role]


def client_of(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def as_role(school: dict[str, Any]) -> Callable[[str], Client]:
    return lambda role: client_of(person(school, role))


def state(section: Section) -> dict[str, Any]:
    """Everything a section operation could change, to show that a refusal changed nothing."""
    section.refresh_from_db()
    return {
        "section": (section.name, section.join_mode, section.policy, section.threshold, section.archived_at),
        "teachers": sorted(section.teachers.values_list("username", flat=True)),
        "students": sorted(
            Enrollment.objects.filter(section=section).values_list("student__username", flat=True)
        ),
        "requests": sorted(
            JoinRequest.objects.filter(section=section).values_list(
                "student__username", "decided_at", "accepted"
            )
        ),
        "passwords": sorted(User.objects.values_list("username", "password")),
        "sections": Section.objects.count(),
    }
