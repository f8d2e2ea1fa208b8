"""Uploaded files: served only to people who may see their learning object, with Range for seeking."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests import factories

NAME = "learning-objects/2025/boyle.mp4"
CONTENT = bytes(range(256)) * 40  # 10,240 bytes


@pytest.fixture
def video(classroom: dict[str, Any], media_root: Path) -> Any:
    (media_root / "learning-objects/2025").mkdir(parents=True)
    (media_root / NAME).write_bytes(CONTENT)
    return factories.learning_object(classroom["a"], url="", file=NAME)


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_the_whole_file_with_accept_ranges(as_user: Any, classroom: dict[str, Any], video: Any) -> None:
    response = as_user(classroom["students"][0]).get(f"/media/{NAME}")
    assert response.status_code == 200
    assert response["Content-Type"] == "video/mp4"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(len(CONTENT))
    assert response["Content-Disposition"] == 'inline; filename="boyle.mp4"'
    assert body(response) == CONTENT


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=5000-5999", 5000, 5999),
        ("bytes=-100", 10140, 10239),
        ("bytes=10000-", 10000, 10239),
    ],
)
def test_a_range_is_206_with_exactly_those_bytes(
    as_user: Any, classroom: dict[str, Any], video: Any, header: str, first: int, last: int
) -> None:
    response = as_user(classroom["students"][0]).get(f"/media/{NAME}", HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{len(CONTENT)}"
    assert response["Content-Length"] == str(last - first + 1)
    assert response["Accept-Ranges"] == "bytes"
    assert body(response) == CONTENT[first : last + 1]


def test_an_unsatisfiable_range_is_416(as_user: Any, classroom: dict[str, Any], video: Any) -> None:
    response = as_user(classroom["students"][0]).get(f"/media/{NAME}", HTTP_RANGE="bytes=20000-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(CONTENT)}"


def test_a_range_is_never_gzipped(as_user: Any, classroom: dict[str, Any], video: Any) -> None:
    response = as_user(classroom["students"][0]).get(
        f"/media/{NAME}", HTTP_RANGE="bytes=0-999", HTTP_ACCEPT_ENCODING="gzip, deflate"
    )
    assert response.status_code == 206
    assert "Content-Encoding" not in response
    assert body(response) == CONTENT[:1000]


def test_a_stale_if_range_gets_the_whole_file(as_user: Any, classroom: dict[str, Any], video: Any) -> None:
    response = as_user(classroom["students"][0]).get(
        f"/media/{NAME}", HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE="Wed, 21 Oct 2015 07:28:00 GMT"
    )
    assert response.status_code == 200
    assert body(response) == CONTENT


def test_the_sections_teacher_may_fetch_it(as_user: Any, classroom: dict[str, Any], video: Any) -> None:
    assert as_user(classroom["teacher"]).get(f"/media/{NAME}").status_code == 200


def test_people_of_a_section_of_another_course_get_404(
    as_user: Any, classroom: dict[str, Any], video: Any
) -> None:
    stranger, stranger_teacher = factories.student(), factories.teacher()
    factories.section(factories.course(), teachers=[stranger_teacher], students=[stranger])
    for person in (stranger, stranger_teacher):
        assert as_user(person).get(f"/media/{NAME}").status_code == 404


def test_another_section_of_the_same_course_sees_the_same_learning_object(
    as_user: Any, classroom: dict[str, Any], video: Any
) -> None:
    # The file belongs to the course, and Chem 11-B takes that course too.
    assert as_user(classroom["outsider"]).get(f"/media/{NAME}").status_code == 200


def test_a_file_of_a_retired_learning_object_is_404(
    as_user: Any, classroom: dict[str, Any], video: Any
) -> None:
    video.retired = True
    video.save()
    assert as_user(classroom["students"][0]).get(f"/media/{NAME}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "learning-objects/2025/other.mp4",
        "learning-objects/2025/../2025/boyle.mp4",
        "../secret_key",
        "%2e%2e/secret_key",
        "..%2fsecret_key",
        "/etc/passwd",
        "learning-objects/2025/boyle.mp4%00.html",
    ],
)
def test_files_no_learning_object_refers_to_are_404(
    as_user: Any, classroom: dict[str, Any], video: Any, media_root: Path, path: str
) -> None:
    (media_root / "learning-objects/2025/other.mp4").write_bytes(b"x")
    assert as_user(classroom["students"][0]).get(f"/media/{path}").status_code == 404


def test_a_learning_object_naming_a_path_outside_media_is_404(
    as_user: Any, classroom: dict[str, Any], media_root: Path
) -> None:
    (media_root.parent / "secret.txt").write_text("secret")
    factories.learning_object(classroom["a"], url="", file="../secret.txt")
    response = as_user(classroom["students"][0]).get("/media/../secret.txt")
    assert response.status_code == 404


def test_a_missing_file_on_disk_is_404(as_user: Any, classroom: dict[str, Any], media_root: Path) -> None:
    factories.learning_object(classroom["a"], url="", file="learning-objects/2025/gone.mp4")
    assert as_user(classroom["students"][0]).get("/media/learning-objects/2025/gone.mp4").status_code == 404


def test_an_uploaded_html_file_is_downloaded_never_rendered(
    as_user: Any, classroom: dict[str, Any], media_root: Path
) -> None:
    (media_root / "page.html").write_text("<script>alert(1)</script>")
    factories.learning_object(classroom["a"], url="", file="page.html")
    response = as_user(classroom["students"][0]).get("/media/page.html")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="page.html"'


def test_anonymous_is_sent_to_login(client: Client, video: Any) -> None:
    response = client.get(f"/media/{NAME}")
    assert response.status_code == 302 and response.url.startswith("/login/")
