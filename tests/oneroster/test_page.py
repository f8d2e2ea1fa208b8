"""The school admin's OneRoster page: upload, preview (nothing saved), confirm (saved); a broken bundle is
shown with its file and line and changes nothing. Only school admins reach it: the anonymous are sent to sign
in, teachers and students get 404 and change nothing."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from flipmastery.classroom.models import Section
from tests import factories
from tests.oneroster import school_bundle as sb
from tests.oneroster.test_import import state

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, data: bytes, courses: str = "CHEM-11 = CHEM11") -> Any:
    return client.post(
        "/school/oneroster/",
        {"bundle": SimpleUploadedFile("lincoln.zip", data, "application/zip"), "courses": courses},
    )


def test_preview_then_confirm(school: dict[str, Any]) -> None:
    admin = signed_in(school["admin"])
    assert admin.get("/school/oneroster/").status_code == 200
    before = state()
    preview = upload(admin, sb.zipped(sb.bundle()))
    assert preview.status_code == 200
    assert "new section Chemistry 11-A of CHEM11" in preview.content.decode()
    assert state() == before
    done = admin.post("/school/oneroster/confirm/")
    assert done.status_code == 200
    assert Section.objects.filter(name="Chemistry 11-A", course=school["course"]).exists()
    assert admin.post("/school/oneroster/confirm/").status_code == 422  # the bundle was used once


def test_a_broken_bundle_is_shown_with_its_line(school: dict[str, Any]) -> None:
    files = sb.bundle()
    files["classes.csv"] = sb.replace_line(files["classes.csv"], "Chemistry 11-B,11", ",11")
    before = state()
    answer = upload(signed_in(school["admin"]), sb.zipped(files, folder="export/"))
    assert answer.status_code == 422
    assert "classes.csv:3: column title is empty" in answer.content.decode()
    assert state() == before


@pytest.mark.parametrize("role", ["teacher", "student"])
def test_only_school_admins_reach_the_page(school: dict[str, Any], role: str) -> None:
    who = school["teacher"] if role == "teacher" else factories.student()
    client = signed_in(who)
    before = state()
    assert client.get("/school/oneroster/").status_code == 404
    assert upload(client, sb.zipped(sb.bundle())).status_code == 404
    assert client.post("/school/oneroster/confirm/").status_code == 404
    assert client.get("/school/oneroster/results.zip").status_code == 404
    assert state() == before


def test_the_anonymous_are_sent_to_sign_in(school: dict[str, Any]) -> None:
    before = state()
    client = Client()
    for answer in (client.get("/school/oneroster/"), upload(client, sb.zipped(sb.bundle()))):
        assert answer.status_code == 302 and "login" in answer["Location"]
    assert state() == before


def test_a_teachers_confirm_cannot_use_an_admins_preview(school: dict[str, Any]) -> None:
    upload(signed_in(school["admin"]), sb.zipped(sb.bundle()))
    before = state()
    assert signed_in(school["teacher"]).post("/school/oneroster/confirm/").status_code == 404
    assert state() == before


def test_results_download_for_an_admin(school: dict[str, Any]) -> None:
    answer = signed_in(school["admin"]).get("/school/oneroster/results.zip")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(answer.content)).namelist()
    assert sorted(names) == ["categories.csv", "lineItems.csv", "manifest.csv", "results.csv"]


def test_the_page_remembers_the_course_mapping(school: dict[str, Any]) -> None:
    admin = signed_in(school["admin"])
    upload(admin, sb.zipped(sb.bundle()))
    admin.post("/school/oneroster/confirm/")
    assert "Chemistry 11 = CHEM11" in admin.get("/school/oneroster/").content.decode()


def test_a_hostile_zip_on_the_page_is_refused_in_words(school: dict[str, Any]) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("manifest.csv", sb.MANIFEST)
        archive.writestr("../users.csv", "x")
    before = state()
    answer = upload(signed_in(school["admin"]), out.getvalue())
    assert answer.status_code == 422
    assert "points outside the bundle" in answer.content.decode()
    assert "Traceback" not in answer.content.decode()
    assert state() == before


def test_a_bundle_previewed_and_never_confirmed_is_deleted_the_next_day(settings: Any) -> None:
    import os
    import time

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from flipmastery.oneroster.views import PENDING_FOLDER, _sweep

    old = default_storage.save(f"{PENDING_FOLDER}/{'a' * 32}.zip", ContentFile(b"roster"))
    new = default_storage.save(f"{PENDING_FOLDER}/{'b' * 32}.zip", ContentFile(b"roster"))
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))
    _sweep()
    assert not default_storage.exists(old) and default_storage.exists(new)
    default_storage.delete(new)
