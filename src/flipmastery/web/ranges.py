"""HTTP Range requests (RFC 9110 §14) for serving uploaded videos with seeking: parsing and streaming."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header, http_date

from flipmastery.courses.models import is_video_name

BYTES_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)
CHUNK = 64 * 1024

# Not left to the platform's mimetypes table (it differs on Windows, and calls .ogg audio).
KNOWN_TYPES = {
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".ogg": "video/ogg",
    ".ogv": "video/ogg",
    ".mp3": "audio/mpeg",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
# What a browser may show in place; anything else is downloaded. Types that can run script on our
# origin (HTML, SVG, XML, JavaScript) are never sent as themselves.
INLINE_TYPES = frozenset(KNOWN_TYPES.values()) | {"text/plain"}
ACTIVE_TYPES = ("html", "xml", "javascript", "ecmascript", "svg")


def is_video(name: str) -> bool:
    return is_video_name(name)


def content_type_for(name: str) -> str:
    suffix = Path(name).suffix.lower()
    guessed = KNOWN_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if any(active in guessed for active in ACTIVE_TYPES):
        return "application/octet-stream"
    return guessed


@dataclass(frozen=True)
class ByteRange:
    """Inclusive first and last byte, as Content-Range writes them."""

    first: int
    last: int

    @property
    def length(self) -> int:
        return self.last - self.first + 1

    def content_range(self, size: int) -> str:
        return f"bytes {self.first}-{self.last}/{size}"


class Unsatisfiable(Exception):
    """The Range names no byte of the file: answer 416 with Content-Range: bytes */size."""


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The one range a `Range` header asks for, or None to send the whole file.

    A header we do not understand, or one with several ranges, is ignored (the RFC allows it; a whole
    200 is always a correct answer). A well-formed range that starts past the end raises Unsatisfiable.
    """
    if not header:
        return None
    match = BYTES_RANGE.match(header)
    if match is None:
        return None
    first_text, last_text = match.groups()
    if not first_text and not last_text:
        return None
    if not first_text:  # suffix: the last N bytes
        suffix = int(last_text)
        if suffix == 0 or size == 0:
            raise Unsatisfiable(header)
        return ByteRange(max(size - suffix, 0), size - 1)
    first = int(first_text)
    if last_text and int(last_text) < first:
        return None  # syntactically invalid: ignore it
    if first >= size:
        raise Unsatisfiable(header)
    return ByteRange(first, min(int(last_text), size - 1) if last_text else size - 1)


def file_chunks(path: Path, first: int, length: int) -> Iterator[bytes]:
    """Stream `length` bytes of `path` from `first`, CHUNK at a time, never the whole file in memory."""
    with path.open("rb") as handle:
        handle.seek(first)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                return
            remaining -= len(chunk)
            yield chunk


def serve_file(request: HttpRequest, path: Path) -> HttpResponseBase:
    """The file, or the one range of it the request asks for (206), streamed; 416 past its end."""
    stat = path.stat()
    size, modified = stat.st_size, http_date(stat.st_mtime)
    content_type = content_type_for(path.name)
    header = request.headers.get("Range")
    if_range = request.headers.get("If-Range")
    if if_range is not None and if_range.strip() != modified:
        header = None  # the file changed since the client's first part: send it whole
    try:
        wanted = parse_range(header, size)
    except Unsatisfiable:
        refused = HttpResponse(status=416)
        refused.headers["Content-Range"] = f"bytes */{size}"
        refused.headers["Accept-Ranges"] = "bytes"
        return refused
    part = wanted or ByteRange(0, size - 1)
    response = StreamingHttpResponse(
        file_chunks(path, part.first, part.length) if size else iter(()),
        status=206 if wanted else 200,
        content_type=content_type,
    )
    response.headers["Content-Length"] = str(part.length if size else 0)
    if wanted:
        response.headers["Content-Range"] = part.content_range(size)
    response.headers["Accept-Ranges"] = "bytes"
    response.headers["Last-Modified"] = modified
    response.headers["Cache-Control"] = "private, max-age=3600"
    disposition = content_disposition_header(content_type not in INLINE_TYPES, path.name)
    response.headers["Content-Disposition"] = disposition or "attachment"
    return response
