"""Pages inside an LMS's iframe: a session that began with an LTI launch may be framed by that LMS (its
origins, kept at the launch) and by nobody else; every other session keeps frame-ancestors 'self'."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

FRAMING = "lti_frame_ancestors"


class LmsFraming:
    """After ContentSecurityPolicyMiddleware in MIDDLEWARE, so its header is set first and kept there."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        ancestors = session.get(FRAMING) if session is not None else None
        if (
            ancestors
            and "Content-Security-Policy" not in response.headers
            and not request.path.startswith("/admin/")
        ):
            from flipmastery.lti.views import framed_policy

            response.headers["Content-Security-Policy"] = framed_policy([str(a) for a in ancestors])
            response.xframe_options_exempt = True
        return response
