"""Parsing the Range header (RFC 9110 §14.1.2) for a file of 1,000 bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from flipmastery.web.ranges import ByteRange, Unsatisfiable, content_type_for, file_chunks, parse_range


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-99", ByteRange(0, 99)),
        ("bytes=500-", ByteRange(500, 999)),
        ("bytes=-100", ByteRange(900, 999)),
        ("bytes=-5000", ByteRange(0, 999)),
        ("bytes=990-5000", ByteRange(990, 999)),
        ("bytes=999-999", ByteRange(999, 999)),
        ("BYTES = 10 - 19", ByteRange(10, 19)),
    ],
)
def test_one_range(header: str, expected: ByteRange) -> None:
    assert parse_range(header, 1000) == expected


@pytest.mark.parametrize(
    "header", [None, "", "bytes=", "bytes=-", "items=0-1", "bytes=5-1", "bytes=0-1,5-9", "bytes=a-b"]
)
def test_what_we_do_not_understand_asks_for_the_whole_file(header: str | None) -> None:
    assert parse_range(header, 1000) is None


@pytest.mark.parametrize(
    ("header", "size"),
    [("bytes=1000-", 1000), ("bytes=2000-3000", 1000), ("bytes=-0", 1000), ("bytes=0-", 0)],
)
def test_a_range_past_the_end_is_unsatisfiable(header: str, size: int) -> None:
    with pytest.raises(Unsatisfiable):
        parse_range(header, size)


def test_content_range_header() -> None:
    assert ByteRange(900, 999).content_range(1000) == "bytes 900-999/1000"


def test_file_chunks_stream_exactly_the_range(tmp_path: Path) -> None:
    path = tmp_path / "clip.bin"
    path.write_bytes(bytes(range(256)) * 1024)  # 256 KiB: several chunks
    chunks = list(file_chunks(path, 1000, 200_000))
    assert b"".join(chunks) == path.read_bytes()[1000:201_000]
    assert max(len(c) for c in chunks) <= 64 * 1024


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("gas.mp4", "video/mp4"),
        ("gas.WEBM", "video/webm"),
        ("gas.ogg", "video/ogg"),
        ("notes.pdf", "application/pdf"),
        ("page.html", "application/octet-stream"),
        ("drawing.svg", "application/octet-stream"),
        ("evil.js", "application/octet-stream"),
        ("unknown.xyz123", "application/octet-stream"),
    ],
)
def test_content_types_never_let_an_upload_run_script(name: str, content_type: str) -> None:
    assert content_type_for(name) == content_type
