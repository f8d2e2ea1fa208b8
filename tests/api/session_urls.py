"""A tiny API with one unsafe operation behind the real authenticators, to test CSRF with sessions
before the product has such an operation."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import path

from flipmastery.api import errors
from flipmastery.api.auth import AUTH, person
from flipmastery.api.routing import JsonNinjaAPI

api = JsonNinjaAPI(title="session test", urls_namespace="session-test", auth=AUTH, docs_url=None)
errors.install(api)


@api.post("/echo")
def echo(request: HttpRequest) -> dict[str, str]:
    return {"username": person(request).username}


urlpatterns = [path("api/v1/", api.urls)]
