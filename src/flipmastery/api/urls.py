"""The HTTP API under /api/v1 (django-ninja): thin adapters, one function per operation."""

from __future__ import annotations

from flipmastery.api import attempts, cards, errors, loop, me, sections, sign_in, tokens
from flipmastery.api.auth import AUTH
from flipmastery.api.docs import OfflineSwagger
from flipmastery.api.routing import JsonNinjaAPI

api = JsonNinjaAPI(
    title="flipmastery API",
    version="1",
    description=(
        "Flipped Mastery classroom API. Authenticate with `POST /api/v1/auth/token` and send "
        "`Authorization: Bearer <token>`, or use the browser session (unsafe methods then need X-CSRFToken). "
        'Errors are always `{"error": code, "message": text, "details": …}`.'
    ),
    urls_namespace="api",
    auth=AUTH,
    docs=OfflineSwagger(),
    docs_url="/docs",
)
errors.install(api)
api.add_router("/auth", tokens.router)
api.add_router("/auth", cards.auth_router)
api.add_router("/me", me.router)
api.add_router("/sections", sections.router)
api.add_router("/sections", sections.manage)
api.add_router("", sections.joining)
api.add_router("/sections", attempts.section_router)
api.add_router("/sections", loop.router)
api.add_router("/sections", sign_in.router)
api.add_router("/sections", cards.section_router)
api.add_router("", "flipmastery.api.cockpit.router")
api.add_router("/attempts", attempts.router)
api.add_router("/school", "flipmastery.api.school.router")
api.add_router("", "flipmastery.api.guardians.router")
