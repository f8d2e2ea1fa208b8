"""A Content-Security-Policy that keeps pages on this server: scripts and styles are ours, vendored."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware

# Video hosts whose players a learning object may embed; everything else is a link card.
EMBED_HOSTS = (
    "https://www.youtube-nocookie.com https://www.youtube.com https://player.vimeo.com "
    "https://diksha.gov.in https://phet.colorado.edu https://www.khanacademy.org"
)

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    f"media-src 'self'; frame-src {EMBED_HOSTS}; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self'"
)
# The admin's own scripts and styles are files of this server too (Django's admin has no inline script or
# style); it embeds nothing, so it frames nothing.
ADMIN_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'none'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from flipmastery.server.media import media_origin, policy_with_media

        self.get_response = get_response
        # Uploads in object storage are fetched from the bucket's signed links (server/media.py).
        self.policy = policy_with_media(POLICY, media_origin())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = ADMIN_POLICY if request.path.startswith("/admin/") else self.policy
        response.headers.setdefault("Content-Security-Policy", policy)
        return response


class PageGZipMiddleware(GZipMiddleware):
    """Compresses pages and API answers, never media: a compressed 206 would break its Content-Range,
    and video is already compressed."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if response.status_code == 206 or request.path.startswith("/media/"):
            return response
        return super().process_response(request, response)
