"""Answers for uploaded files through Django's storage API, whichever storage holds them.

A folder (FileSystemStorage, on a disk every node mounts) is streamed by this node with Range support for
seeking. Object storage has no local path: once the view has checked who may see the file, the browser is
sent to a short-lived signed link, and the bucket answers its Range requests itself.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase

from flipmastery.web.ranges import serve_file


def stored_file_response(request: HttpRequest, name: str) -> HttpResponseBase:
    """The stored file `name` (already checked as one the user may see), or a 404."""
    if not name:
        raise Http404("file not found")
    try:
        target = Path(default_storage.path(name))
    except NotImplementedError:  # object storage
        if not default_storage.exists(name):
            raise Http404("file not found") from None
        response = HttpResponseRedirect(_signed_url(name))
        response.headers["Cache-Control"] = "private, no-store"  # the signed link expires
        return response
    if not target.is_file():
        raise Http404("file not found")
    return serve_file(request, target)


def _signed_url(name: str) -> str:
    """The bucket's signed link (BucketStorage), or what another storage without local paths calls its URL."""
    signed = getattr(default_storage, "signed_url", None)
    return str(signed(name) if signed else default_storage.url(name))


def media_origin() -> str:
    """The origin the files are fetched from when it is not this server ('' when it is): pages' CSP
    allows it for video, audio and images."""
    try:
        url = _signed_url("probe")
    except Exception:  # a storage that cannot sign now: the files stay unreachable, the pages load
        return ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def policy_with_media(policy: str, origin: str) -> str:
    """A Content-Security-Policy that also lets pages show images, video and audio from `origin`."""
    if not origin:
        return policy
    policy = policy.replace("img-src 'self' data:;", f"img-src 'self' data: {origin};")
    return policy.replace("media-src 'self';", f"media-src 'self' {origin};")
