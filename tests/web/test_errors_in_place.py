"""A form htmx sends gets its refusal back as a fragment (role="alert") to show where the form is; a plain
request (no JavaScript) still gets the whole page with the errors. Nothing refused changes anything."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from flipmastery.accounts.models import User
from flipmastery.assessments.models import Attempt
from flipmastery.domain.errors import DomainError, Invalid, NotFound, Problem
from flipmastery.progress.models import QueueEntry
from flipmastery.web.views import action, page
from tests import factories

pytestmark = pytest.mark.django_db
BOOSTED = {"HX-Request": "true", "HX-Boosted": "true"}  # a form of a page (the body is hx-boost)
HTMX = {"HX-Request": "true"}  # an hx-post form that swaps a piece of the page


@pytest.fixture
def room(db: None) -> dict[str, Any]:
    return factories.small_classroom()


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fragment(response: Any, status: int) -> str:
    """The refusal alone: no page around it, every message inside one role="alert"."""
    assert response.status_code == status, response.content
    html = response.content.decode()
    assert "<html" not in html and "<body" not in html and "<main" not in html
    assert html.count('role="alert"') == 1 and "Traceback" not in html
    return html


def test_the_roster_answers_htmx_with_the_line_that_is_wrong(room: dict[str, Any]) -> None:
    users = User.objects.count()
    url = f"/sections/{room['section'].pk}/roster/load/"
    html = fragment(
        client_of(room["teacher"]).post(url, {"roster": "bad user!,Someone"}, headers=BOOSTED), 422
    )
    assert "roster.csv:1: &#x27;bad user!&#x27; is not a username" in html
    assert "Nothing was changed" in html
    # Without JavaScript: the page again, with what was typed and the same words.
    plain = client_of(room["teacher"]).post(url, {"roster": "bad user!,Someone"})
    assert plain.status_code == 422 and "<html" in plain.content.decode()
    assert "roster.csv:1: &#x27;bad user!&#x27; is not a username" in plain.content.decode()
    assert ">bad user!,Someone</textarea>" in plain.content.decode()
    assert User.objects.count() == users


def test_enter_a_result_answers_htmx_that_no_copy_has_the_code(room: dict[str, Any]) -> None:
    teacher = client_of(room["teacher"])
    html = fragment(teacher.get("/paper/", {"code": "ZZZZ-ZZZZ"}, headers=BOOSTED), 404)
    assert "There is no paper copy with code ZZZZ-ZZZZ in your classes." in html
    plain = teacher.get("/paper/", {"code": "ZZZZ-ZZZZ", "section": room["section"].pk})
    assert plain.status_code == 404 and "<html" in plain.content.decode()
    assert "There is no paper copy with code ZZZZ-ZZZZ in your classes." in plain.content.decode()
    not_a_code = fragment(teacher.get("/paper/", {"code": "<b>x</b>"}, headers=BOOSTED), 404)
    assert "is not a version code" in not_a_code and "<b>x</b>" not in not_a_code


def test_a_refused_request_answers_htmx_with_the_reason(room: dict[str, Any]) -> None:
    asha = client_of(room["students"][0])
    url = f"/sections/{room['section'].pk}/requests/"
    html = fragment(asha.post(url, {"kind": "check", "objective": "GAS-2"}, headers=HTMX), 409)
    assert "GAS-2" in html
    assert not QueueEntry.objects.exists()


def test_something_missing_answers_htmx_with_a_fragment_and_a_plain_request_with_the_404_page(
    room: dict[str, Any],
) -> None:
    asha = client_of(room["students"][0])
    url = f"/sections/{room['section'].pk}/requests/"
    html = fragment(asha.post(url, {"kind": "help", "objective": "NOPE-9"}, headers=HTMX), 404)
    assert "There is nothing here for you. The link may be old, or meant for another class." in html
    plain = asha.post(url, {"kind": "help", "objective": "NOPE-9"})
    assert plain.status_code == 404 and "<html" in plain.content.decode()
    teacher = client_of(room["teacher"])
    queue = f"/sections/{room['section'].pk}/queue/record/"
    fragment(teacher.post(queue, {"entry": "99999", "action": "conference"}, headers=HTMX), 404)
    assert not QueueEntry.objects.exists() and not Attempt.objects.exists()


@action
def _refusing(request: HttpRequest) -> HttpResponse:
    raise DomainError("This rule refuses it, and says why.")


@action
def _invalid(request: HttpRequest) -> HttpResponse:
    raise Invalid([Problem("line 2: the second thing is wrong"), Problem("line 1: the first thing is wrong")])


@page
def _missing(request: HttpRequest) -> HttpResponse:
    raise NotFound("no such thing here")


def call(view: Any, user: User, method: str = "post", **headers: str) -> HttpResponse:
    request = getattr(RequestFactory(), method)("/anywhere/", headers=headers)
    request.user = user
    request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
    response: HttpResponse = view(request)
    return response


def test_the_decorators_turn_any_refusal_into_words_in_place(room: dict[str, Any]) -> None:
    teacher = room["teacher"]
    refused = fragment(call(_refusing, teacher, **HTMX), 422)
    assert "This rule refuses it, and says why." in refused
    invalid = fragment(call(_invalid, teacher, **BOOSTED), 422)
    assert re.search(r"line 1: the first thing is wrong</li>\s*<li>line 2: the second", invalid)
    missing = fragment(call(_missing, teacher, method="get", **HTMX), 404)
    assert "There is nothing here for you." in missing  # as the 404 page says: missing or not yours
    # A plain request: the page of the refusal (never a traceback, never a 500).
    page_of = call(_refusing, teacher)
    assert page_of.status_code == 422 and "<html" in page_of.content.decode()
    assert 'role="alert"' in page_of.content.decode()
    assert "This rule refuses it, and says why." in page_of.content.decode()


def test_the_words_for_a_failed_send_are_in_the_pages_language(room: dict[str, Any]) -> None:
    asha = client_of(room["students"][0])
    english = asha.get(f"/sections/{room['section'].pk}/playlist/").content.decode()
    assert 'data-errors-not-saved="Could not save: check the connection and try again"' in english
    assert 'src="/static/flipmastery-forms.js"' in english
    hindi = asha.get(f"/sections/{room['section'].pk}/playlist/", headers={"Accept-Language": "hi"})
    said = dict(re.findall(r'data-errors-([a-z-]+)="([^"]*)"', hindi.content.decode()))
    assert said == {
        "not-saved": "सहेजा नहीं जा सका: कनेक्शन जाँचें और फिर से कोशिश करें",
        "not-loaded": "खोला नहीं जा सका: कनेक्शन जाँचें और फिर से कोशिश करें",
    }
