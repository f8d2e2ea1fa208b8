"""Pages and API answers are gzipped for a browser that asks, as Django's middleware does, only faster."""

from __future__ import annotations

import gzip
import re
from typing import Any

from django.test import Client

from flipmastery.web.middleware import GZIP_LEVEL, gzipped

CSRF_TOKEN = re.compile(rb"[A-Za-z0-9]{64}")  # masked anew in every answer


def without_tokens(page: bytes) -> bytes:
    return CSRF_TOKEN.sub(b"", page)


def test_a_page_is_gzipped_when_asked_and_is_the_same_page(as_user: Any, classroom: dict[str, Any]) -> None:
    teacher = as_user(classroom["teacher"])
    url = f"/sections/{classroom['section'].pk}/grid/"
    plain = teacher.get(url)
    packed = teacher.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in plain["Vary"] and "Accept-Encoding" in packed["Vary"]
    assert packed["Content-Length"] == str(len(packed.content)) and len(packed.content) < len(plain.content)
    assert without_tokens(gzip.decompress(packed.content)) == without_tokens(plain.content)
    assert packed["ETag"] == plain["ETag"] and packed["ETag"].startswith("W/")  # a weak tag: the same page
    rows = url + "rows/"  # the poll: sent back, the gzipped answer's tag is a 304
    polled = teacher.get(rows, HTTP_ACCEPT_ENCODING="gzip", HTTP_HX_REQUEST="true")
    assert polled.status_code == 200 and polled["Content-Encoding"] == "gzip"
    tag = polled["ETag"]
    again = teacher.get(rows, HTTP_ACCEPT_ENCODING="gzip", HTTP_HX_REQUEST="true", HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and not again.content


def test_an_api_answer_is_gzipped_too_and_short_ones_are_not(classroom: dict[str, Any]) -> None:
    client = Client()
    client.force_login(classroom["teacher"])
    answer = client.get(f"/api/v1/sections/{classroom['section'].pk}/progress", HTTP_ACCEPT_ENCODING="gzip")
    assert answer.status_code == 200 and answer["Content-Encoding"] == "gzip"
    assert gzip.decompress(answer.content).startswith(b"{")
    short = client.get("/api/v1/me", HTTP_ACCEPT_ENCODING="gzip")
    assert len(short.content) < 200 or short.has_header("Content-Encoding")


def test_the_gzip_header_names_a_file_of_random_length_as_django_does() -> None:
    content = b"<p>" + b"the same page " * 500 + b"</p>"
    made = [gzipped(content, 100) for _ in range(40)]
    assert all(gzip.decompress(m) == content for m in made)
    assert all(m[3] & gzip.FNAME for m in made)  # the file name flag, with the name after the header
    assert len({len(m) for m in made}) > 5  # BREACH: the length does not follow the content alone
    assert min(len(m) for m in made) >= len(gzip.compress(content, GZIP_LEVEL, mtime=0)) + 1
