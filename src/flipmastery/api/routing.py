"""The NinjaAPI of /api/v1, made to answer JSON for what ninja leaves to Django: unknown paths (404),
a wrong method on a known path (405) and anything raised outside an operation; and never to be stored."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.http import Http404, HttpRequest, HttpResponseBase, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI

from flipmastery.api.errors import error_body

logger = logging.getLogger(__name__)

View = Callable[..., HttpResponseBase]
Response = TypeVar("Response", bound=HttpResponseBase)


def not_stored(response: Response) -> Response:
    """Answer keys, attempts and class data must stay neither in a shared computer's browser nor in a school
    proxy, so every answer is `no-store`, errors too. An answer with an ETag (the class grid: If-None-Match
    gives a bodiless 304) is `private, no-cache` instead: no-store would forbid its client to keep the copy
    that the 304 confirms, while private keeps it out of shared caches and no-cache makes every use ask."""
    if not response.has_header("Cache-Control"):
        response["Cache-Control"] = "private, no-cache" if response.has_header("ETag") else "no-store"
    return response


class JsonNinjaAPI(NinjaAPI):
    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        wrapped: list[URLResolver | URLPattern] = [
            URLPattern(p.pattern, self._json_fallbacks(p.callback), p.default_args, p.name)
            if isinstance(p, URLPattern)
            else p
            for p in patterns
        ]
        wrapped.append(re_path(r"^.*$", self._json_fallbacks(self._unknown_path), name="unknown-path"))
        return wrapped, app_name, namespace

    def _unknown_path(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return self.create_response(request, error_body("not_found", "No such API path."), status=404)

    def _json_fallbacks(self, view: View) -> View:
        @functools.wraps(view)  # keeps csrf_exempt: ninja checks CSRF itself, per authenticator
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            return not_stored(answer(request, *args, **kwargs))

        def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                return self._unknown_path(request)
            except Exception:
                logger.exception("unexpected error in %s %s", request.method, request.path)
                body = error_body("server_error", "Something went wrong on the server; it has been logged.")
                return self.create_response(request, body, status=500)
            if isinstance(response, HttpResponseNotAllowed):
                allowed = sorted(response["Allow"].split(", "))
                body = error_body("method_not_allowed", f"Use {', '.join(allowed)}.", {"allowed": allowed})
                json_response = self.create_response(request, body, status=405)
                json_response["Allow"] = ", ".join(allowed)
                return json_response
            return response

        return wrapper
