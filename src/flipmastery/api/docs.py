"""Whether to serve the interactive docs page: only when its Swagger UI assets come from this server.

django-ninja ships Swagger UI in its static folder but uses it only when "ninja" is in INSTALLED_APPS;
otherwise its page loads Swagger UI from a CDN, which a classroom LAN without internet cannot reach
and our Content-Security-Policy blocks anyway. The schema itself is always at /api/v1/openapi.json.
"""

from __future__ import annotations

from django.conf import settings


def docs_url() -> str | None:
    return "/docs" if "ninja" in settings.INSTALLED_APPS else None
