"""A form larger than the server accepts is answered with a page saying so (413), never a traceback or a
bare "Bad Request", and changes nothing."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.test import Client

from flipmastery.classroom.models import Enrollment

THIRTY_MB = 30 * 1024 * 1024


def huge_form(**fields: str) -> str:
    return urlencode({**fields, "padding": "x" * THIRTY_MB})


def test_a_30_mb_roster_is_a_413_page_and_enrols_nobody(as_user: Any, classroom: dict[str, Any]) -> None:
    section = classroom["section"]
    before = list(Enrollment.objects.values_list("pk", flat=True))

    response = as_user(classroom["teacher"]).post(
        f"/sections/{section.pk}/roster/load/",
        data=huge_form(roster="new01,New Student"),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 413
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    assert "<h1>Too large</h1>" in page
    assert "What you sent is larger than this server accepts (20 MB), so none of it was saved." in page
    assert "Traceback" not in page
    assert list(Enrollment.objects.values_list("pk", flat=True)) == before


def test_a_30_mb_login_is_a_413_page(db: None) -> None:
    response = Client().post(
        "/login/",
        data=huge_form(username="asha", password="x"),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 413
    assert "<h1>Too large</h1>" in response.content.decode()


def test_a_413_page_speaks_hindi_to_a_hindi_reader(db: None, settings: Any) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    response = client.post("/login/", data=huge_form(), content_type="application/x-www-form-urlencoded")

    assert response.status_code == 413
    page = response.content.decode()
    assert '<html lang="hi">' in page
    assert "<h1>बहुत बड़ा</h1>" in page
    assert "सीमा (20 MB) से बड़ा है" in page


def test_another_bad_request_stays_a_400(db: None) -> None:
    response = Client().post(
        "/login/",
        data=urlencode({f"f{i}": "1" for i in range(1100)}),
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 400
