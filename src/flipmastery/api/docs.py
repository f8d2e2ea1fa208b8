"""The interactive docs page at /api/v1/docs, served only from this server's own files.

django-ninja ships Swagger UI in its static folder but uses it only when "ninja" is in INSTALLED_APPS;
otherwise its page loads Swagger UI from a CDN, which a classroom LAN without internet cannot reach and
our Content-Security-Policy blocks anyway. So without "ninja" installed the page answers 404; the schema
itself is always at /api/v1/openapi.json.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from ninja.openapi.docs import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI


class OfflineSwagger(Swagger):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        if "ninja" not in settings.INSTALLED_APPS:
            raise Http404("the docs page needs 'ninja' in INSTALLED_APPS to serve Swagger UI locally")
        return super().render_page(request, api, **kwargs)
