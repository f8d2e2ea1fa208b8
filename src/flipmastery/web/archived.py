"""Archived sections are read-only: a write to one (a check, an answer, evidence, a queue answer, a paper
result, a roster) is refused before its view runs, with one clear message, in the API and on the pages.

One guard for every write, rather than a check in each app's services: a write reaches a section through
its URL (`section_id`), an attempt (`attempt_id`), a paper batch (`batch_id`) or a paper copy's code, and
all of those are here. Reading stays open, so an archived year is still there to look at. The pages that
manage a section (its settings, unarchiving it) are left to classroom.services, which lets an archived
section be unarchived and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from flipmastery.accounts.models import User
from flipmastery.api.auth import bearer
from flipmastery.api.errors import error_body
from flipmastery.classroom.models import Section
from flipmastery.classroom.selectors import sections_for
from flipmastery.classroom.services import SectionArchived
from flipmastery.domain.paper import read_code

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# URL names whose writes classroom.services judges itself: changing an archived section is refused there,
# with its own words, except unarchiving it.
MANAGED = frozenset({"section_update", "section_settings", "section_unarchive"})


# The two asked on every write of a lesson (a start, an autosave, a submit), written out: the ORM spent more
# CPU building them than the database answering (tests/classroom pin the tables and columns).
ARCHIVED_SECTION = "SELECT id FROM classroom_section WHERE id = %s AND archived_at IS NOT NULL"
ARCHIVED_SECTION_OF_ATTEMPT = (
    "SELECT s.id FROM classroom_section s INNER JOIN assessments_attempt a ON a.section_id = s.id"
    " WHERE a.id = %s AND s.archived_at IS NOT NULL"
)


def _one_id(sql: str, key: Any) -> int | None:
    try:
        wanted = int(key)
    except (TypeError, ValueError):
        return None
    if not -(2**63) <= wanted < 2**63:  # no such row; the view answers 404 as for any unknown id
        return None
    with connection.cursor() as cursor:
        cursor.execute(sql, [wanted])
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _archived_section(url_name: str, kwargs: dict[str, Any]) -> int | None:
    """The archived section this write would reach, or None (one small query)."""
    if "section_id" in kwargs:
        return _one_id(ARCHIVED_SECTION, kwargs["section_id"])
    if "attempt_id" in kwargs:
        return _one_id(ARCHIVED_SECTION_OF_ATTEMPT, kwargs["attempt_id"])
    if "batch_id" in kwargs:
        found = Section.objects.filter(paper_batches__pk=kwargs["batch_id"])
    elif url_name == "paper_enter" and "code" in kwargs:
        found = Section.objects.filter(attempts__paper_code=read_code(str(kwargs["code"])) or "-")
    else:
        return None
    return found.filter(archived_at__isnull=False).values_list("pk", flat=True).first()


def _caller(request: HttpRequest) -> User | None:
    """Who writes: the session's person, or (in the API, before ninja authenticates) the token's."""
    if isinstance(request.user, User) and request.user.is_authenticated:
        return request.user
    if request.path.startswith("/api/"):
        found = bearer(request)
        return found if isinstance(found, User) else None
    return None


class ArchivedSectionsReadOnly:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        match = request.resolver_match
        if request.method in SAFE_METHODS or match is None or match.url_name in MANAGED:
            return None
        archived = _archived_section(match.url_name or "", kwargs)
        if archived is None:
            return None
        caller = _caller(request)
        if caller is None or not sections_for(caller).filter(pk=archived).exists():
            return None  # not theirs: the view answers as for any section (401, or 404 that reveals nothing)
        refused = SectionArchived()
        if request.path.startswith("/api/"):
            response = JsonResponse(error_body(refused.code, str(refused)), status=409)
            response["Cache-Control"] = "no-store"
            return response
        context = {"problems": [str(refused)], "title": ""}
        if request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true":
            return render(request, "web/sections/_archived.html", context, status=409)
        return render(request, "web/sections/archived.html", context, status=409)
